import { safeLine, safeLines, toAscii, type Charset } from '@chat-gateway/core';
import { TEXT_AFTER, type PsuFrame } from './framer.js';

/** Every server line ends in CR LF (specs/psu-chat.txt 4 uses CR LF; `nc -C` and telnet expect it). */
export const CRLF = '\r\n';

// What must never reach the wire inside one line: C0/C1 controls but TAB, DEL, and Unicode line breaks.
const UNSAFE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/;
const UNSAFE_ALL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;
const BREAK_ALL = /\r\n|[\r\n\u2028\u2029\u0085]/g;

/**
 * One server line, terminator included, that cannot turn into two (DESIGN.md
 * "No text, nick or room name ... can ever inject a frame"): line breaks in
 * it become spaces, other controls are dropped; `ascii` transliterates.
 */
export function encodeLine(text: string, charset: Charset): string {
  let s = text;
  if (UNSAFE.test(s)) s = s.replace(BREAK_ALL, ' ').replace(UNSAFE_ALL, '');
  if (charset === 'ascii') s = toAscii(s);
  return s + CRLF;
}

/**
 * A text from any dialect as PSU lines, each `<prefix><line>` CR LF: one line
 * per line of the text (core safeLines), as one string for one write. Empty
 * when nothing printable is left. `prefix` is built from validated nicks and
 * room names, so it needs no cleaning.
 */
export function encodeText(prefix: string, text: string, charset: Charset): string {
  const one = safeLine(text, charset);
  if (one !== undefined) return prefix + one + CRLF;
  const lines = safeLines(text, charset);
  let out = '';
  for (const l of lines) out += prefix + l + CRLF;
  return out;
}

/** `<alice> <text>`: a direct message as its recipient sees it (DESIGN.md table, fixed). */
export function encodeDirect(from: string, text: string, charset: Charset): string {
  return encodeText(`<${from}> `, text, charset);
}

/** `#general <alice> <text>`: a room message as a member sees it (DESIGN.md table, fixed). */
export function encodeRoomMessage(room: string, from: string, text: string, charset: Charset): string {
  return encodeText(`#${room} <${from}> `, text, charset);
}

/**
 * A client command in its canonical form, `:COMMAND p1 p2` CR LF, the inverse
 * of parseLine: a text that parseLine would not give back as typed (empty, or
 * starting with `:`, a space or a tab) gets the leading `:`. Used by tests and
 * tools that play the client.
 */
export function encodeCommand(frame: Pick<PsuFrame, 'command' | 'params'>): Buffer {
  const before = TEXT_AFTER[frame.command];
  let line = `:${frame.command}`;
  frame.params.forEach((p, i) => {
    const isText = before !== undefined && i === before;
    line += ' ' + (isText && (p === '' || /^[:\t ]/.test(p)) ? `:${p}` : p);
  });
  return Buffer.from(line + CRLF, 'utf8');
}
