import { DelimitedFramer, withMax, tokenizeCommand, type CommandLineRules } from '@chat-gateway/core';

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

// One for every connection's framer (core withMax), not an object each.
const FRAMING = { terminators: [CR, LF], crlf: true, parse: parseLine };

/**
 * PSU framing: lines ended by CR LF, and also a bare LF or CR (DESIGN.md PSU),
 * at most `max` bytes (limits.lineMax), UTF-8 with invalid sequences replaced
 * (core DelimitedFramer). Empty lines, blank lines and a lone `:` carry no
 * command and are skipped without a reply (spec 1: "The server need not
 * respond to any invalid messages").
 */
export class PsuFramer extends DelimitedFramer<PsuFrame> {
  constructor(max: number) {
    super(withMax(FRAMING, max));
  }
}

// specs/psu-chat.txt 4 with DESIGN.md PSU's leniency: the leading `:` is the command's own optional
// sigil, spaces and tabs both separate, and PRIVMSG's text is the rest of the line (core tokenizeCommand).
const RULES: CommandLineRules = Object.freeze({ leadingColon: 'marker', tabs: true, colonTrailing: false, restAfter: TEXT_AFTER });

/**
 * Parses one line (terminator already stripped). The leading `:` is optional
 * (DESIGN.md PSU: "accept ... a missing leading `:`"), so is whitespace around
 * it. Returns undefined for a line with no command word.
 */
export function parseLine(raw: string): PsuFrame | undefined {
  return tokenizeCommand(raw, RULES);
}
