import { DelimitedFramer, withMax, type Limits } from '@chat-gateway/core';
import { isBlank, skipBlanks, tokenize, trimBlanks } from './tokenizer.js';

/**
 * One WS_2017 command line. rev-a/rev-b "Commands": exactly one keyword
 * followed by none or more arguments; keywords are case-insensitive.
 */
export interface WsFrame {
  /** The keyword, lowercased (`+ok` for the `+OK cpong` / `+OK pong` answers). */
  keyword: string;
  /** Every argument after the keyword, bare or quoted, enclosing quotes removed. */
  args: string[];
  /** The line after the keyword, blanks at both ends removed, quotes kept (chatm's text is its tail). */
  rest: string;
  /** The whole line as received, terminator excluded. */
  raw: string;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Parses one line into a command frame; undefined for a line of blanks only.
 * DESIGN.md WS_2017: keywords are case-insensitive; the keyword is the first
 * run of non-blank characters (never unquoted: no keyword has quotes).
 */
export function parseLine(raw: string): WsFrame | undefined {
  const start = skipBlanks(raw, 0);
  if (start === raw.length) return undefined;
  let end = start;
  while (end < raw.length && !isBlank(raw.charCodeAt(end))) end++;
  const keyword = raw.slice(start, end).toLowerCase();
  const rest = trimBlanks(raw.slice(end));
  return { keyword, args: rest === '' ? [] : tokenize(rest), rest, raw };
}

// One for every connection's framer (core withMax), not an object each.
const FRAMING = { terminators: [CR, LF], crlf: true, parse: parseLine };

/**
 * The WS_2017 framer: lines ended by CR, LF or CRLF (rev-a: CR, rev-b: CRLF,
 * DESIGN.md: accept all three, a CR LF split across reads counts once), each
 * parsed into a WsFrame. Empty and blank-only lines produce no frame: real
 * clients send them by accident and there is nothing to answer.
 */
export class WsFramer extends DelimitedFramer<WsFrame> {
  constructor(lineMax: number) {
    super(withMax(FRAMING, lineMax));
  }
}

/** Builds a framer bounded by the configured line limit (DESIGN.md "Operating limits": line 8 KiB). */
export function createFramer(limits: Readonly<Limits>): WsFramer {
  return new WsFramer(limits.lineMax);
}
