import type { DialectProbe } from '@chat-gateway/core/testing';

// A room no server has: its NAMES is answered with one line about it.
const NONE = 'probe-none';
// A line about `subject`: it comes first, then a blank, a colon or a comma, or the line ends.
const about = (subject: string) => new RegExp(`^${subject.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')}(?=[\\s:,]|$)`);

/**
 * PSU for `chat-gateway probe psu`. The spec fixes the forms of DESIGN.md's
 * table (DMs, room messages, joins and leaves); other replies are the
 * server's own words, one line each, "with the room or nick first where
 * there is one" (DESIGN.md PSU): so those are patterns.
 */
export const probe: DialectProbe = {
  terminator: '\r\n',
  // The spec has no greeting; the gateway sends one line.
  greeting: 'optional',
  welcome: (nick) => about(nick),
  taken: (nick) => about(nick),
  invalid: { nick: '9lives!', reply: (nick) => about(nick) },
  requests: [
    { name: 'a command before NICK', registered: false, send: () => ':JOIN #general\r\n', reply: () => /\S/ },
    { name: 'unknown command', registered: true, send: () => ':FOO\r\n', reply: () => /\S/ },
    { name: 'NAMES of no such room', registered: true, send: () => `:NAMES #${NONE}\r\n`, reply: () => about(`#${NONE}`) },
    { name: 'PART of a room not joined', registered: true, send: () => ':PART #general\r\n', reply: () => about('#general') },
    { name: 'PRIVMSG to a room not joined', registered: true, send: () => ':PRIVMSG #general :hi\r\n', reply: () => about('#general') },
  ],
  echo: { name: 'NAMES', registered: true, send: () => `:NAMES #${NONE}\r\n`, reply: () => about(`#${NONE}`) },
  oversize: { size: 8193, build: (n) => `${'x'.repeat(n)}\r\n`, reply: /\S/ },
  loose: { dmOffline: (to) => about(to) },
};
