import type { DialectProbe } from '@chat-gateway/core/testing';

/** WS_2017 as DESIGN.md "WS_2017" fixes it (both revisions), for `chat-gateway probe ws2017`. */
export const probe: DialectProbe = {
  terminator: '\r\n',
  // rev-a/rev-b 1: "the server sends a greeting"; DESIGN.md: `+OK <text>`.
  greeting: /^\+OK /,
  welcome: (nick) => `+OK you are ${nick}`,
  taken: () => /^-ERR uname \S+$/,
  invalid: { nick: '9lives!', reply: () => /^-ERR uname \S+$/ },
  requests: [
    { name: 'unknown command', registered: false, send: () => 'foo\r\n', reply: () => '-ERR entered command does not exist' },
    { name: 'a command before uname', registered: false, send: () => 'cgetu\r\n', reply: () => /^-ERR cgetu \S/ },
    { name: 'ping before uname', registered: false, send: () => 'ping\r\n', reply: () => '+OK pong' },
    { name: 'wrong arguments', registered: true, send: () => 'chatm\r\n', reply: () => '-ERR chatm is not a properly formatted command' },
    { name: 'the same name again', registered: true, send: (me) => `uname ${me}\r\n`, reply: () => '-ERR same username entered' },
    { name: 'sending as someone else', registered: true, send: (me) => `chatm probe-other ${me} 'hi'\r\n`, reply: () => /^-ERR chatm \S/ },
    { name: 'cping', registered: true, send: () => 'cping\r\n', reply: () => '+OK cpong' },
  ],
  echo: { name: 'ping', registered: true, send: () => 'ping\r\n', reply: () => '+OK pong' },
  oversize: { size: 8193, build: (n) => `${'x'.repeat(n)}\r\n`, reply: /^-ERR / },
  // DESIGN.md: `-ERR chatm <what went wrong>`: the words are the server's.
  loose: { dmOffline: () => /^-ERR chatm \S/ },
};
