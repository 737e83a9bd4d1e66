import type { DialectProbe } from '@chat-gateway/core/testing';

const MASK = /^(:[^!\s]+)!\S+/;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&');
const numeric = (code: string, rest = '') => new RegExp(`^:\\S+ ${code} \\S+${rest}`);

/**
 * IRC as RFC 2812 and DESIGN.md "IRC" fix it, for `chat-gateway probe irc`:
 * numerics by code, since a server's own texts and hostmasks are its own.
 */
export const probe: DialectProbe = {
  terminator: '\r\n',
  greeting: 'none',
  welcome: () => numeric('001'),
  taken: (nick) => numeric('433', ` ${esc(nick)} :`),
  invalid: { nick: '9lives!', reply: () => numeric('432') },
  requests: [
    { name: 'JOIN before registering (451)', registered: false, send: () => 'JOIN #general\r\n', reply: () => numeric('451') },
    { name: 'unknown command (421)', registered: true, send: () => 'FOO\r\n', reply: () => numeric('421', ' FOO ') },
    { name: 'missing parameter (461)', registered: true, send: () => 'JOIN\r\n', reply: () => numeric('461', ' JOIN ') },
    { name: 'PART of no such channel (403/442)', registered: true, send: () => 'PART #probe-none\r\n', reply: () => /^:\S+ (403|442) / },
  ],
  echo: { name: 'PING', registered: true, send: () => 'PING :probe\r\n', reply: () => /^(:\S+ )?PONG \S+ :probe$/ },
  // RFC 2812 2.3: 512 bytes with CR LF; DESIGN.md: longer is `417`, the line dropped, the connection kept.
  oversize: { size: 513, build: (n) => `PRIVMSG x :${'x'.repeat(n)}\r\n`, reply: numeric('417') },
  // RFC 2812: 401 names the nick; the server's name, its texts and a QUIT's reason are its own.
  loose: { dmOffline: (to) => numeric('401', ` ${esc(to)} :`), offline: (nick) => new RegExp(`^:${esc(nick)}!\\S+ QUIT( :.*)?$`) },
  // A server's hostmasks are its own (the gateway's show the peer's dialect): `:nick!<anything> ...` compares as `:nick ...`.
  same: (expected, received) => expected.replace(MASK, '$1') === received.replace(MASK, '$1'),
};
