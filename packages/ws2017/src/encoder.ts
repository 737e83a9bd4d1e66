import type { WsFrame } from './framer.js';

/** Output line ending: rev-b CRLF (default), rev-a CR, or bare LF for line-oriented tools. */
export type LineEnding = 'crlf' | 'cr' | 'lf';

export const LINE_ENDINGS: readonly LineEnding[] = ['crlf', 'cr', 'lf'];

const TERMINATOR: Readonly<Record<LineEnding, string>> = Object.freeze({ crlf: '\r\n', cr: '\r', lf: '\n' });

/** The terminator written after every line for a lineEnding option. */
export function terminatorOf(ending: LineEnding): string {
  return TERMINATOR[ending] ?? TERMINATOR.crlf;
}

/**
 * One whole line with its terminator, ready for one Transport.write. Returns
 * '' for an empty line: DESIGN.md WS_2017 "Never send an empty line" (real
 * clients crash on one), so callers drop it instead of writing.
 */
export function encodeLine(line: string, ending: LineEnding): string {
  return line.length === 0 ? '' : line + terminatorOf(ending);
}

/** Quotes an argument with `'` when it would not survive as a bare one (blanks, empty, a leading quote). */
export function quoteArg(arg: string): string {
  return arg === '' || /[ \t]/.test(arg) || /^['’‘"]/.test(arg) ? `'${arg}'` : arg;
}

/** Encodes a command frame (keyword and arguments) as one line: the inverse of parseLine for the fixture table. */
export function encodeFrame(frame: Pick<WsFrame, 'keyword' | 'args'>, ending: LineEnding): string {
  let line = frame.keyword;
  for (const a of frame.args) line += ` ${quoteArg(a)}`;
  return encodeLine(line, ending);
}

/**
 * Every line the gateway sends, without its terminator (DESIGN.md WS_2017;
 * the spec forms are cited per line). Names are policy-checked nicks (no
 * blanks, quotes or controls), texts come through core safeLines first.
 */
export const Say = {
  /** rev-a/rev-b "the server sends a greeting"; DESIGN.md: `+OK <text>`. */
  greeting: (text: string) => `+OK ${text}`,
  /** rev-a "+OK you are <name>". */
  youAre: (nick: string) => `+OK you are ${nick}`,
  /** rev-a "recognizing client: +OK welcome back <name>". */
  welcomeBack: (nick: string) => `+OK welcome back ${nick}`,
  /** rev-a 5.2 "+OK name changed from <old name> to <new name>". */
  nameChanged: (from: string, to: string) => `+OK name changed from ${from} to ${to}`,
  /** rev-b "broadcast new user name to other clients: nuser <name>". */
  nuser: (nick: string) => `nuser ${nick}`,
  /** rev-b "When a name is changed ... +OK nuser <old_name> <new_name>". */
  nuserRenamed: (from: string, to: string) => `+OK nuser ${from} ${to}`,
  /** DESIGN.md cross-dialect table: "alice goes offline: cquit alice". */
  cquit: (nick: string) => `cquit ${nick}`,
  /** rev-b "+OK cgetu <user0> <user1> ...". */
  users: (nicks: readonly string[]) => (nicks.length === 0 ? '+OK cgetu' : `+OK cgetu ${nicks.join(' ')}`),
  /** rev-a/rev-b "+OK 'message relayed'" (quotes as in both specs and DESIGN.md). */
  relayed: "+OK 'message relayed'",
  /** rev-b recipient "chatm <sender_name> <recipient_name> ’<message>’"; DESIGN.md uses `'`. */
  chatm: (from: string, to: string, text: string) => `chatm ${from} ${to} '${text}'`,
  /** rev-a/rev-b "chatr <sender_name> <recipient_name>", relayed to the sender. */
  chatr: (from: string, to: string) => `chatr ${from} ${to}`,
  /** rev-b "server sends ping: cping". */
  cping: 'cping',
  /** rev-a 5.1 "server sends ping: s: ping" (the `pingCommand: ping` option). */
  ping: 'ping',
  /** rev-a "c: ping / s: +OK pong". */
  pong: '+OK pong',
  /** The rev-b twin of pong, for a client's `cping`. */
  cpong: '+OK cpong',
  /** rev-a/rev-b 6.1 "+OK terminating tasks and disconnecting"; also the shutdown notice (DESIGN.md table). */
  goodbye: '+OK terminating tasks and disconnecting',
} as const;
