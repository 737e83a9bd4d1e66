import type { DialectProbe } from '@chat-gateway/core/testing';

const MALFORMED = 'status 100 Malformed Message';

/** Sup as specs/sup.txt and DESIGN.md "Sup" fix it, every reply exact, for `chat-gateway probe sup`. */
export const probe: DialectProbe = {
  terminator: '\x04',
  // DESIGN.md Sup: no greeting; the first thing a client reads answers its login.
  greeting: 'none',
  welcome: () => 'status 000 OK',
  taken: () => 'status 101 Username Taken',
  invalid: { nick: '9lives!', reply: () => 'status 102 Username Invalid' },
  requests: [
    { name: 'a message before login', registered: false, send: () => 'get contacts\x04', reply: () => MALFORMED },
    { name: 'unknown command', registered: true, send: () => 'hello\x04', reply: () => MALFORMED },
    { name: 'login twice', registered: true, send: (me) => `login ${me}\x04`, reply: () => MALFORMED },
    { name: 'send without a text', registered: true, send: (me) => `send ${me}\x04`, reply: () => MALFORMED },
    { name: 'quit as someone else', registered: true, send: () => 'quit probe-other\x04', reply: () => MALFORMED },
    { name: 'contact offline', registered: true, send: () => 'contact probe-nobody\x04', reply: () => 'status 103 Offline' },
  ],
  echo: { name: 'contact', registered: true, send: (me) => `contact ${me}\x04`, reply: () => 'status 001 Online' },
  oversize: { size: 8193, build: (n) => `send x ${'x'.repeat(n)}\x04`, reply: MALFORMED },
};
