import { DelimitedFramer } from '@chat-gateway/core';

/** One client line, parsed (specs/psu-chat.txt 4: `:<command> <params>` CR LF). */
export interface PsuFrame {
  /** The command word, ASCII letters upper-cased (`nick` → `NICK`); never empty. */
  command: string;
  /**
   * The parameters, split on runs of spaces and tabs. For a command with a
   * text (PRIVMSG) the last one is the rest of the line, a leading `:` dropped.
   */
  params: string[];
  /** The line as received (UTF-8 decoded, terminator stripped), for logs and replies. */
  raw: string;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * How many parameters come before the text that runs to the end of the line
 * (DESIGN.md PSU: "PRIVMSG <targets> <text> ... the text is the rest of the
 * line, a leading `:` on it is dropped"). Commands not listed have none.
 */
export const TEXT_AFTER: Readonly<Record<string, number>> = Object.freeze({ PRIVMSG: 1 });

/**
 * PSU framing: lines ended by CR LF, and also a bare LF or CR (DESIGN.md PSU),
 * at most `max` bytes (limits.lineMax), UTF-8 with invalid sequences replaced
 * (core DelimitedFramer). Empty lines, blank lines and a lone `:` carry no
 * command and are skipped without a reply (spec 1: "The server need not
 * respond to any invalid messages").
 */
export class PsuFramer extends DelimitedFramer<PsuFrame> {
  constructor(max: number) {
    super({ terminators: [CR, LF], crlf: true, max, parse: parseLine });
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

const HAS_LOWER = /[a-z]/;

/**
 * Parses one line (terminator already stripped). The leading `:` is optional
 * (DESIGN.md PSU: "accept ... a missing leading `:`"), so is whitespace around
 * it. Returns undefined for a line with no command word.
 */
export function parseLine(raw: string): PsuFrame | undefined {
  const n = raw.length;
  let i = 0;
  while (i < n && isSpace(raw.charCodeAt(i))) i++;
  if (i < n && raw.charCodeAt(i) === 0x3a /* : */) {
    i++;
    while (i < n && isSpace(raw.charCodeAt(i))) i++;
  }
  let j = i;
  while (j < n && !isSpace(raw.charCodeAt(j))) j++;
  if (j === i) return undefined;
  const word = raw.slice(i, j);
  // Clients mostly send upper case already: no replace then.
  const command = HAS_LOWER.test(word) ? word.replace(/[a-z]+/g, (s) => s.toUpperCase()) : word;
  const before = TEXT_AFTER[command];
  const params: string[] = [];
  i = j;
  for (;;) {
    while (i < n && isSpace(raw.charCodeAt(i))) i++;
    if (i >= n) break;
    if (before !== undefined && params.length === before) {
      // The text: the rest of the line, as typed, its one leading `:` dropped.
      params.push(raw.charCodeAt(i) === 0x3a ? raw.slice(i + 1) : raw.slice(i));
      break;
    }
    j = i;
    while (j < n && !isSpace(raw.charCodeAt(j))) j++;
    params.push(raw.slice(i, j));
    i = j;
  }
  return { command, params, raw };
}
