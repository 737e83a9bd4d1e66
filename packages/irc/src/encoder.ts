import { safeLine, safeLines, visible } from '@chat-gateway/core';
import { CONTENT_MAX, type IrcFrame } from './framer.js';

/** RFC 2812 2.3: every message ends in CR LF. */
export const CRLF = '\r\n';

/**
 * `nick!nick@<dialect>.<network>`: how a user of any dialect appears
 * (DESIGN.md IRC: "so an IRC user sees where a peer is"). Nicks follow the
 * Hub's policy and dialect and network names are host names: no byte of
 * it can end or split a line.
 */
export function hostmask(nick: string, dialect: string, network: string): string {
  return `${nick}!${nick}@${dialect}.${network}`;
}

/**
 * A text from any dialect as IRC messages, each `<head><piece>` CR LF, as one
 * string for one write: one message per line of the text (core safeLines:
 * controls dropped, so nothing can end a line or start another), and a line
 * too long for 512 bytes with the head split into several at code point
 * boundaries, nothing cut (DESIGN.md IRC). Empty when nothing printable is left.
 */
export function encodeText(head: string, text: string): string {
  // The common case: one clean line, short enough that no count is needed (a UTF-16 unit is at most 3 UTF-8 bytes).
  const one = safeLine(text);
  if (one !== undefined && (head.length + one.length) * 3 <= CONTENT_MAX) return head + one + CRLF;
  const lines = one !== undefined ? [one] : safeLines(text);
  let out = '';
  for (const line of lines) {
    for (const piece of fit(line, CONTENT_MAX - Buffer.byteLength(head))) out += head + piece + CRLF;
  }
  return out;
}

/**
 * Cuts a line into pieces of at most `budget` UTF-8 bytes, between code
 * points (a surrogate pair stays whole), in order; joined they are the line.
 */
export function fit(line: string, budget: number): string[] {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: most lines need no count at all.
  if (line.length * 3 <= budget || Buffer.byteLength(line) <= budget) return [line];
  const out: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i)!;
    const units = code > 0xffff ? 2 : 1;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > budget && i > start) {
      out.push(line.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += units;
  }
  out.push(line.slice(start));
  return out;
}

/**
 * Client input echoed as one middle parameter of a reply (`433 * <nick>`):
 * controls and backslashes escaped as core visible() does, a space as
 * `\x20` and a leading `:` as `\x3a` (either would change the reply's
 * parameters), `*` for nothing. Cut to 64 characters.
 */
export function param(s: string): string {
  if (s.length === 0) return '*';
  const v = visible(s).replace(/ /g, '\\x20');
  return v.charCodeAt(0) === 0x3a ? `\\x3a${v.slice(1)}` : v;
}

/** Client input echoed in a trailing parameter (a QUIT or PONG text): controls dropped, one line, at most `max` characters. */
export function plain(s: string, max = 300): string {
  const t = safeLines(s).join(' ');
  return t.length > max ? t.slice(0, max) : t;
}

/**
 * A client message in its canonical form, `COMMAND p1 p2 :last` CR LF, the
 * inverse of parseMessage: the last parameter gets its `:` when it must
 * (empty, with a space, or starting with `:`). Used by tests and tools that play the client.
 */
export function encodeCommand(frame: Pick<IrcFrame, 'command' | 'params' | 'source'>): Buffer {
  let line = frame.source === undefined ? frame.command : `:${frame.source} ${frame.command}`;
  frame.params.forEach((p, i) => {
    const last = i === frame.params.length - 1;
    line += last && (p === '' || p.includes(' ') || p.charCodeAt(0) === 0x3a) ? ` :${p}` : ` ${p}`;
  });
  return Buffer.from(line + CRLF, 'utf8');
}
