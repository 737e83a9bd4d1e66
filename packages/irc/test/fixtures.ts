import { fault, type FramerFixture } from '@chat-gateway/core/testing';
import type { IrcFrame } from '@chat-gateway/irc';

/** An IRC row: the framer's content limit (510 by default) as its configuration. */
export type IrcFixture = FramerFixture<IrcFrame, number>;

/** Bytes from hex (spaces ignored). */
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
/** Bytes from a string with JS escapes, as UTF-8. */
export const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

// 499 bytes: with `PRIVMSG b :` a line of exactly 510, the most RFC 2812 allows before CR LF.
const LONG = `${'x'.repeat(497)} y`;

const f = (command: string, params: string[], raw: string, source?: string): IrcFrame => (source === undefined ? { command, params, raw } : { command, params, raw, source });

/**
 * THE IRC framer fixture table (bytes ⇄ messages; RFC 2812 2.3): drives
 * parse, encode and round-trip tests, whole, byte by byte and split at every position.
 */
export const FIXTURES: IrcFixture[] = [
  { name: 'NICK with CRLF', bytes: bytes('NICK alice\r\n'), out: [f('NICK', ['alice'], 'NICK alice')], canonical: true },
  { name: 'bare LF', bytes: hex('4e 49 43 4b 20 61 0a'), out: [f('NICK', ['a'], 'NICK a')] },
  { name: 'bare CR', bytes: bytes('LIST\r'), out: [f('LIST', [], 'LIST')] },
  { name: 'USER with a trailing realname', bytes: bytes('USER al 0 * :Alice Liddell\r\n'), out: [f('USER', ['al', '0', '*', 'Alice Liddell'], 'USER al 0 * :Alice Liddell')], canonical: true },
  { name: 'CAP LS 302', bytes: bytes('CAP LS 302\r\n'), out: [f('CAP', ['LS', '302'], 'CAP LS 302')], canonical: true },
  { name: 'lower-case command', bytes: bytes('join #general\r\n'), out: [f('JOIN', ['#general'], 'join #general')] },
  { name: 'a source prefix is kept apart', bytes: bytes(':alice!a@h PRIVMSG bob :hi you\r\n'), out: [f('PRIVMSG', ['bob', 'hi you'], ':alice!a@h PRIVMSG bob :hi you', 'alice!a@h')], canonical: true },
  { name: 'trailing with spaces and colons', bytes: bytes('PRIVMSG #general :hi :) there  \r\n'), out: [f('PRIVMSG', ['#general', 'hi :) there  '], 'PRIVMSG #general :hi :) there  ')], canonical: true },
  { name: 'trailing starting with a colon', bytes: bytes('PRIVMSG bob ::)\r\n'), out: [f('PRIVMSG', ['bob', ':)'], 'PRIVMSG bob ::)')], canonical: true },
  { name: 'empty trailing', bytes: bytes('PRIVMSG bob :\r\n'), out: [f('PRIVMSG', ['bob', ''], 'PRIVMSG bob :')], canonical: true },
  { name: 'no colon: one word per parameter (RFC 2812)', bytes: bytes('PRIVMSG bob hi there\r\n'), out: [f('PRIVMSG', ['bob', 'hi', 'there'], 'PRIVMSG bob hi there')], canonical: true },
  { name: 'runs of spaces; a TAB is no separator', bytes: bytes('  MODE   #a\t+s  \r\n'), out: [f('MODE', ['#a\t+s'], '  MODE   #a\t+s  ')] },
  { name: 'IRCv3 tags are skipped', bytes: bytes('@time=x;+y=z PING :t\r\n'), out: [f('PING', ['t'], '@time=x;+y=z PING :t')] },
  { name: 'UTF-8 text', bytes: hex('50 52 49 56 4d 53 47 20 62 20 3a c3 a9 e2 82 ac f0 9f 98 80 0d 0a'), out: [f('PRIVMSG', ['b', 'é€😀'], 'PRIVMSG b :é€😀')] },
  { name: 'invalid UTF-8 replaced, never thrown', bytes: hex('4e 49 43 4b 20 ff c3 28 0d 0a'), out: [f('NICK', ['\uFFFD\uFFFD('], 'NICK \uFFFD\uFFFD(')] },
  { name: 'control bytes reach the session as they are (CTCP)', bytes: hex('50 52 49 56 4d 53 47 20 62 20 3a 01 41 43 54 49 4f 4e 20 78 01 0d 0a'), out: [f('PRIVMSG', ['b', '\u0001ACTION x\u0001'], 'PRIVMSG b :\u0001ACTION x\u0001')], canonical: true },
  { name: 'glued messages with mixed endings', bytes: bytes('CAP LS\r\nNICK a\nUSER a 0 * :A\rCAP END\r\n'), out: [f('CAP', ['LS'], 'CAP LS'), f('NICK', ['a'], 'NICK a'), f('USER', ['a', '0', '*', 'A'], 'USER a 0 * :A'), f('CAP', ['END'], 'CAP END')] },
  { name: 'empty and blank lines are skipped (RFC 2812 2.3.1)', bytes: bytes('\r\n\n\r   \r\n:\r\nPING x\r\n'), out: [f('PING', ['x'], 'PING x')] },
  { name: 'a line of 510 bytes is read', bytes: bytes(`PRIVMSG b :${LONG}\r\n`), out: [f('PRIVMSG', ['b', LONG], `PRIVMSG b :${LONG}`)], canonical: true },
  {
    name: 'a line of 511 bytes: one fault (417), dropped to its end, the next one read',
    bytes: bytes(`PRIVMSG b :${'x'.repeat(500)}\r\nPING t\r\n`),
    out: [fault('FRAME_TOO_LARGE'), f('PING', ['t'], 'PING t')],
  },
  { name: 'a smaller limit', config: 16, bytes: bytes(`PRIVMSG b :${'é'.repeat(10)}\r\nLIST\r\n`), out: [fault('FRAME_TOO_LARGE'), f('LIST', [], 'LIST')] },
];
