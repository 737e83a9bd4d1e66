import { LINE_INJECTION, type DialectTesting } from '@chat-gateway/core/testing';
import { dialect } from '@chat-gateway/ws2017';
import { Ws2017Driver } from './driver.js';
import { probe } from './probe.js';

/**
 * WS_2017 in the cross-dialect suites: its column of DESIGN.md's table
 * (packages/ws2017/README.md has the exact lines). No rooms; everyone's
 * logins, renames and quits are shown; clients send their own chatr.
 */
export const testing: DialectTesting = {
  dialect: dialect.name,
  open: (port, host) => Ws2017Driver.open(port, host),
  attach: (wire) => new Ws2017Driver(wire),
  probe,
  contract: {
    dm: (from, to, text) => `chatm ${from.nick} ${to} '${text}'`,
    dmOk: "+OK 'message relayed'",
    dmOffline: (to) => `-ERR chatm ${to} is not online`,
    nickTaken: (_nick, suggestion) => `-ERR uname ${suggestion}`,
    delivered: (from, to) => `chatr ${from} ${to}`,
    receipts: true,
    renames: true,
    online: (peer) => `nuser ${peer.nick}`,
    offline: (peer) => [`cquit ${peer.nick}`],
    renamed: (from, to) => `+OK nuser ${from.nick} ${to}`,
    users: {
      scope: 'everyone',
      async ask(d) {
        d.wire.write('cgetu\r\n');
        return [(await d.next()).raw];
      },
      // In order of login, the asker included.
      frames: (names) => [['+OK cgetu', ...names].join(' ')],
    },
    shutdown: () => '+OK terminating tasks and disconnecting',
  },
  injection: LINE_INJECTION,
};
