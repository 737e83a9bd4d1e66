import { escapeControls } from '@chat-gateway/core';
import type { TraceConfig } from './config/types.js';
import { parseTraceFilter, passesFixed, passesNick } from './trace-filter.js';
import type { TraceRecord, TraceSource, TracedConnection } from './trace.js';

/** Where `--trace` writes, and whether a human reads it there. */
export interface TraceOutput {
  write(text: string): void;
  /** A terminal: one short line per record; otherwise JSON, one object per line (`format: auto`). */
  isTty: boolean;
}

/** A record the printer writes: bytes, or a connection opening or closing. */
export type PrintedRecord = TraceRecord | ConnectionEvent;

/** A connection opening (`+`) or closing (`×`) in the trace. */
export interface ConnectionEvent extends TracedConnection {
  dir: 'open' | 'close';
  at: number;
}

const isBytes = (r: PrintedRecord): r is TraceRecord => r.dir !== 'open' && r.dir !== 'close';

// On a terminal, a record shows at most this many bytes (a 64 KiB package would fill the screen); JSON has them all.
const SHOWN_MAX = 1024;
const ARROW: Record<PrintedRecord['dir'], string> = { in: '←', out: '→', pending: '⚠', open: '+', close: '×' };

/** Standard output, as `serve` writes it (synchronous on Linux, like the logger). */
export function stdoutTrace(): TraceOutput {
  return { write: (text) => void process.stdout.write(text), isTty: process.stdout.isTTY === true };
}

/**
 * `--trace` (DESIGN.md "Interop bench"): every connection the filters let
 * through, from its first byte, printed as it crosses the wire. Built on the
 * connection layer's trace source, so it shows inbound bytes exactly as read
 * (terminators included) and bytes that end no frame. Returns the stop function.
 */
export function startTracePrinter(source: TraceSource, cfg: Readonly<TraceConfig>, out: TraceOutput): () => void {
  const filter = parseTraceFilter(cfg.filters);
  const json = cfg.format === 'json' || (cfg.format === 'auto' && !out.isTty);
  const print = (r: PrintedRecord) => out.write(`${json ? JSON.stringify(traceJson(r)) : traceLine(r)}\n`);
  return source.watch((c) => {
    if (!passesFixed(filter, c)) return undefined;
    // The nick filter is applied per record: a nick comes (and may change) while the connection lives.
    let last: TracedConnection = c;
    if (passesNick(filter, c.nick)) print({ ...c, dir: 'open', at: Date.now() });
    return {
      record: (r) => {
        last = r;
        if (passesNick(filter, r.nick)) print(r);
      },
      end: () => {
        if (passesNick(filter, last.nick)) print({ ...last, dir: 'close', at: Date.now() });
      },
    };
  });
}

/** One record as one terminal line: `12:00:01 ws2017 c7 alice ← "uname alice\r\n"`. */
export function traceLine(r: PrintedRecord): string {
  const head = `${clock(r.at)} ${r.listener} ${shortId(r.id)} ${r.nick ?? '-'} ${ARROW[r.dir]}`;
  if (!isBytes(r)) return r.dir === 'open' ? `${head} connected from ${r.remote} over ${r.transport}` : `${head} closed`;
  const shown = quoteBytes(r.bytes);
  return r.hint === undefined ? `${head} ${shown}` : `${head} ${shown} ${r.hint}`;
}

/** One record as a JSON object (`--trace` piped): the bytes as text when they are UTF-8, else base64. */
export function traceJson(r: PrintedRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { trace: r.dir, time: new Date(r.at).toISOString(), conn: r.id, listener: r.listener, dialect: r.dialect, transport: r.transport, remote: r.remote };
  if (r.nick !== undefined) out.nick = r.nick;
  if (!isBytes(r)) return out;
  out.bytes = r.bytes.length;
  const text = utf8(r.bytes);
  if (text === undefined) out.base64 = Buffer.from(r.bytes).toString('base64');
  else out.text = text;
  if (r.hint !== undefined) out.hint = r.hint;
  return out;
}

/** Bytes as a student reads them: `"login alice\n"` with controls escaped, or hex when they are no text; at most `max` shown. */
export function quoteBytes(bytes: Uint8Array, max = SHOWN_MAX): string {
  const cut = bytes.length > max ? bytes.subarray(0, max) : bytes;
  const more = bytes.length > max ? ` …(+${bytes.length - max} bytes)` : '';
  const text = utf8(cut);
  if (text !== undefined) return `"${escapeControls(text).replace(/"/g, '\\"')}"${more}`;
  return `<${bytes.length} bytes: ${Buffer.from(cut.subarray(0, 32)).toString('hex').replace(/(..)(?!$)/g, '$1 ')}${cut.length > 32 ? ' …' : ''}>`;
}

/** The bytes as a string when they are valid UTF-8 (a character cut at the end, by a read or SHOWN_MAX, counts as valid). */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    // A fresh decoder each time: `stream` keeps a cut character's bytes for the next call.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
}

function clock(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** `n1a2b3c4d/c7` → `c7`: one process prints only its own node's connections. */
function shortId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}
