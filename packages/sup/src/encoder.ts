import { encodeDelimited, safeBlock, type Charset } from '@chat-gateway/core';
import { STATUS_TEXT, type StatusCode } from './replies.js';

const TERM = '\x04';

// Status messages never change: built once, shared by every session.
const STATUS_BYTES = Object.fromEntries(
  Object.entries(STATUS_TEXT).map(([code, text]) => [code, encodeDelimited(`status ${code} ${text}`, TERM)]),
) as Record<StatusCode, Buffer>;

/** `status <code> <words>` + EOT. */
export function encodeStatus(code: StatusCode): Buffer {
  return STATUS_BYTES[code];
}

/**
 * `contacts <u1> <u2> …` + EOT. An empty list still leaves the space after
 * `contacts`: real clients split every message on its first space (DESIGN.md Sup).
 */
export function encodeContacts(nicks: readonly string[]): Buffer {
  return encodeDelimited(`contacts ${nicks.join(' ')}`, TERM);
}

/**
 * `recv <from> <text>` + EOT, the text made safe first (DESIGN.md "Text"):
 * controls (EOT among them) dropped, line breaks kept as `\n`, charset
 * applied. A text with nothing left (a lone combining mark in ASCII) becomes
 * `?`, so the recipient still sees that something was sent.
 */
export function encodeRecv(from: string, text: string, charset: Charset): Buffer {
  const safe = safeBlock(text, charset);
  return encodeDelimited(`recv ${from} ${safe.length > 0 ? safe : '?'}`, TERM);
}

/** A raw message + EOT (tests and the round trip of the framer fixtures). */
export function encodeMessage(msg: string): Buffer {
  return encodeDelimited(msg, TERM);
}
