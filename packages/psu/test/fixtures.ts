import { fault, type FramerFixture } from '@chat-gateway/core/testing';
import type { PsuFrame } from '@chat-gateway/psu';

/** A PSU row: the framer's line limit (limits.lineMax) as its configuration. */
export type PsuFixture = FramerFixture<PsuFrame, number>;

/** Bytes from hex (spaces ignored). */
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
/** Bytes from a string with JS escapes, as UTF-8. */
export const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

const f = (command: string, params: string[], raw: string): PsuFrame => ({ command, params, raw });

/**
 * THE PSU framer fixture table (bytes ⇄ frames): drives parse, encode and
 * round-trip tests, whole, byte by byte and split at every position.
 */
export const FIXTURES: PsuFixture[] = [
  { name: 'NICK with CRLF (the spec form)', bytes: bytes(':NICK alice\r\n'), out: [f('NICK', ['alice'], ':NICK alice')], canonical: true },
  { name: 'bare LF', bytes: hex('3a 4e 49 43 4b 20 61 0a'), out: [f('NICK', ['a'], ':NICK a')] },
  { name: 'bare CR', bytes: bytes(':LIST\r'), out: [f('LIST', [], ':LIST')] },
  { name: 'missing leading colon', bytes: bytes('JOIN #general\r\n'), out: [f('JOIN', ['#general'], 'JOIN #general')] },
  { name: 'lower-case command', bytes: bytes(':join #general\r\n'), out: [f('JOIN', ['#general'], ':join #general')] },
  { name: 'no params', bytes: bytes(':LIST\r\n'), out: [f('LIST', [], ':LIST')], canonical: true },
  { name: 'runs of spaces and tabs, leading and trailing', bytes: bytes('  :NAMES \t #general  \r\n'), out: [f('NAMES', ['#general'], '  :NAMES \t #general  ')] },
  { name: 'PRIVMSG text is the rest of the line', bytes: bytes(':PRIVMSG bob,#general hi  there :)\r\n'), out: [f('PRIVMSG', ['bob,#general', 'hi  there :)'], ':PRIVMSG bob,#general hi  there :)')], canonical: true },
  { name: 'PRIVMSG text leading colon dropped', bytes: bytes(':PRIVMSG bob :hi there\r\n'), out: [f('PRIVMSG', ['bob', 'hi there'], ':PRIVMSG bob :hi there')] },
  { name: 'PRIVMSG text starting with a colon keeps the second', bytes: bytes(':PRIVMSG bob ::)\r\n'), out: [f('PRIVMSG', ['bob', ':)'], ':PRIVMSG bob ::)')], canonical: true },
  { name: 'PRIVMSG empty text after colon', bytes: bytes(':PRIVMSG bob :\r\n'), out: [f('PRIVMSG', ['bob', ''], ':PRIVMSG bob :')], canonical: true },
  { name: 'PRIVMSG without text', bytes: bytes(':PRIVMSG bob\r\n'), out: [f('PRIVMSG', ['bob'], ':PRIVMSG bob')], canonical: true },
  { name: 'UTF-8 text', bytes: hex('3a 50 52 49 56 4d 53 47 20 62 20 c3 a9 e2 82 ac f0 9f 98 80 0d 0a'), out: [f('PRIVMSG', ['b', 'é€😀'], ':PRIVMSG b é€😀')], canonical: true },
  { name: 'invalid UTF-8 replaced, never thrown', bytes: hex('3a 4e 49 43 4b 20 ff c3 28 0d 0a'), out: [f('NICK', ['\uFFFD\uFFFD('], ':NICK \uFFFD\uFFFD(')] },
  { name: 'control bytes reach the session as they are', bytes: hex('3a 4e 49 43 4b 20 61 00 07 1b 0d 0a'), out: [f('NICK', ['a\u0000\u0007\u001b'], ':NICK a\u0000\u0007\u001b')], canonical: true },
  { name: 'glued lines with mixed endings', bytes: bytes(':NICK a\r\nJOIN #x\n:LIST\r:QUIT\r\n'), out: [f('NICK', ['a'], ':NICK a'), f('JOIN', ['#x'], 'JOIN #x'), f('LIST', [], ':LIST'), f('QUIT', [], ':QUIT')] },
  { name: 'empty, blank and lone-colon lines are skipped', bytes: bytes('\r\n\n\r \t\r\n:\r\n : \n:LIST\r\n'), out: [f('LIST', [], ':LIST')] },
  { name: 'CR CR LF: one line, the empty one skipped', bytes: bytes(':LIST\r\r\n:QUIT\r\n'), out: [f('LIST', [], ':LIST'), f('QUIT', [], ':QUIT')] },
  { name: 'line of exactly max bytes', config: 16, bytes: bytes(':PRIVMSG b 12345\r\n'), out: [f('PRIVMSG', ['b', '12345'], ':PRIVMSG b 12345')], canonical: true },
  {
    name: 'oversize line: one fault, skipped to its end, next line fine',
    config: 16,
    bytes: bytes(`:PRIVMSG b ${'x'.repeat(40)}\r\n:LIST\r\n`),
    out: [fault('FRAME_TOO_LARGE'), f('LIST', [], ':LIST')],
  },
  { name: 'command only, unknown', bytes: bytes(':FOO bar baz\r\n'), out: [f('FOO', ['bar', 'baz'], ':FOO bar baz')], canonical: true },
];
