import { safeLines, type Charset } from '@chat-gateway/core';
import { LINE_ENDINGS, type LineEnding } from './encoder.js';

/** Listener options of a WS_2017 listener (config `listeners[].options`). */
export interface WsOptions {
  /** Line ending the gateway writes: `crlf` (rev-b, default), `cr` (rev-a clients), `lf`. Input accepts all three. */
  lineEnding: LineEnding;
  /** Milliseconds between server `cping`s once registered; 0 disables the keepalive. */
  pingIntervalMs: number;
  /** Milliseconds a client has to answer a `cping` before the session closes; 0 never closes. */
  pingTimeoutMs: number;
  /** What the server's keepalive line says: `cping` (rev-b, default) or `ping` (rev-a 5.1 "s: ping"). */
  pingCommand: 'cping' | 'ping';
  /** `utf8`, or `ascii` to transliterate texts from other users for ASCII-only clients. */
  charset: Charset;
  /** Text of the greeting line, sent as `+OK <greeting>`. */
  greeting: string;
}

export const DEFAULT_GREETING = 'WS_2017 chat-gateway ready';

export const DEFAULT_OPTIONS: Readonly<WsOptions> = Object.freeze({
  lineEnding: 'crlf',
  pingIntervalMs: 30000,
  pingTimeoutMs: 10000,
  pingCommand: 'cping',
  charset: 'utf8',
  greeting: DEFAULT_GREETING,
});

const DAY_MS = 86_400_000;

/** JSON Schema `properties` for the options (the gateway wraps them with additionalProperties: false). */
export const OPTIONS_SCHEMA: Record<string, object> = {
  lineEnding: { type: 'string', enum: [...LINE_ENDINGS], description: 'line ending written to clients; input accepts CR, LF and CRLF' },
  pingIntervalMs: { type: 'integer', minimum: 0, maximum: DAY_MS, description: 'ms between server cping lines; 0 disables' },
  pingTimeoutMs: { type: 'integer', minimum: 0, maximum: DAY_MS, description: 'ms to answer a cping before the session closes; 0 never closes' },
  pingCommand: { type: 'string', enum: ['cping', 'ping'], description: 'the keepalive line: cping (rev-b) or ping (rev-a clients)' },
  charset: { type: 'string', enum: ['utf8', 'ascii'], description: 'ascii: texts from others are transliterated' },
  greeting: {
    type: 'string',
    minLength: 1,
    maxLength: 200,
    pattern: '^[^\\u0000-\\u001f\\u007f]+$',
    expected: 'a one-line text of 1-200 characters without control characters',
    description: 'greeting sent as +OK <greeting>',
  },
};

/** Options with defaults filled in for anything absent (the gateway already does this; tests and tools may not). */
export function resolveOptions(options: Partial<WsOptions> | undefined): WsOptions {
  return { ...DEFAULT_OPTIONS, ...options };
}

/**
 * The greeting as one safe line: controls dropped, line breaks joined by a
 * space, charset applied; the default when nothing printable is left.
 */
export function greetingText(options: Pick<WsOptions, 'greeting' | 'charset'>): string {
  const lines = safeLines(options.greeting ?? '', options.charset);
  return lines.length > 0 ? lines.join(' ') : DEFAULT_GREETING;
}
