import { DelimitedFramer, withMax, tokenizeCommand, type CommandLine, type CommandLineRules } from '@chat-gateway/core';

/**
 * One client message, parsed (RFC 2812 2.3.1: `[":" prefix SPACE] command
 * [params] crlf`): the command upper-cased, the middle parameters and the
 * trailing one (its `:` dropped) in order, the source prefix if the client
 * sent one (RFC 2812: a client may, the server ignores it), the line as received.
 */
export type IrcFrame = CommandLine;

/** RFC 2812 2.3: "IRC messages ... shall not exceed 512 characters in length, ... including the trailing CR-LF pair". */
export const LINE_MAX = 512;
/** The longest line without its CR LF: what the framer reads and what every line the gateway writes keeps to. */
export const CONTENT_MAX = LINE_MAX - 2;

const CR = 0x0d;
const LF = 0x0a;

// RFC 2812 2.3.1: parameters are separated by SPACE only, a `:` parameter is the trailing one, a
// leading `:` word is the sender's prefix. PRIVMSG without a colon takes one word as its text, as the RFC says.
const RULES: CommandLineRules = Object.freeze({ leadingColon: 'source', tabs: false, colonTrailing: true });

// One for every connection's framer (core withMax), not an object each.
const FRAMING = { terminators: [CR, LF], crlf: true, parse: parseMessage };

/**
 * IRC framing (DESIGN.md IRC: "Lines of at most 512 bytes with CRLF (accept
 * bare LF)"; a bare CR ends a line too, as PSU's): core DelimitedFramer,
 * UTF-8 with invalid sequences replaced. A longer line is one
 * FRAME_TOO_LARGE fault (the session answers `417`) and is dropped to its
 * end; the connection stays. Empty lines are skipped (RFC 2812 2.3.1:
 * "Empty messages are silently ignored").
 */
export class IrcFramer extends DelimitedFramer<IrcFrame> {
  constructor(max = CONTENT_MAX) {
    super(withMax(FRAMING, max));
  }
}

/**
 * Parses one message (terminator stripped). IRCv3 message tags (`@a=b;c
 * ...`) are skipped: no capability is offered, but a client that sends them
 * anyway still gets its command read. Undefined for a line with no command.
 */
export function parseMessage(raw: string): IrcFrame | undefined {
  if (raw.charCodeAt(0) !== 0x40 /* @ */) return tokenizeCommand(raw, RULES);
  const sp = raw.indexOf(' ');
  if (sp < 0) return undefined;
  const frame = tokenizeCommand(raw.slice(sp + 1), RULES);
  if (frame) frame.raw = raw;
  return frame;
}
