import { LINE_INJECTION, type DialectTesting } from '@chat-gateway/core/testing';
import { dialect } from '@chat-gateway/psu';
import { PsuDriver } from './driver.js';
import { probe } from './probe.js';

const members = (n: number) => (n === 1 ? '1 member' : `${n} members`);

/**
 * PSU in the cross-dialect suites: rooms as `#name`, several at a time;
 * presence only through rooms shared with the peer (packages/psu/README.md).
 */
export const testing: DialectTesting = {
  dialect: dialect.name,
  open: (port, host) => PsuDriver.open(port, host),
  attach: (wire) => new PsuDriver(wire),
  probe,
  contract: {
    dm: (from, _to, text) => `<${from.nick}> ${text}`,
    dmOk: '',
    dmOffline: (to) => `${to}: no such nick`,
    nickTaken: (nick, suggestion) => `${nick}: nick is already in use, choose another, e.g. NICK ${suggestion}`,
    receipts: false,
    renames: true,
    online: () => undefined,
    offline: (peer, shared) => shared.map((v) => `${peer.nick} has left #${v.room}`),
    renamed: (from, to, shared) => (shared ? `${from.nick} is now known as ${to}` : undefined),
    users: {
      scope: 'room',
      async ask(d, room) {
        d.wire.write(`:NAMES #${room}\r\n`);
        return lines(d, /: end of NAMES/);
      },
      frames: (names, room) => [...names.map((n) => `#${room}: ${n}`), `#${room}: end of NAMES, ${members(names.length)}`],
    },
    shutdown: () => 'Server shutting down.',
    rooms: {
      single: false,
      setsVisibility: false,
      message: (from, room, text) => `#${room} <${from.nick}> ${text}`,
      joined: (peer, v) => `${peer.nick} has joined #${v.room}`,
      left: (peer, v) => `${peer.nick} has left #${v.room}`,
      visibility: (room, isPrivate) => (isPrivate ? `#${room}: now private (LIST shows it to members only)` : `#${room}: now public`),
      list: {
        async ask(d) {
          d.wire.write(':LIST\r\n');
          return lines(d, /^End of LIST/);
        },
        frames: (rooms) => [
          ...rooms.map((r) => `#${r.name}: ${members(r.members)}${r.private ? ', private' : ''}`),
          `End of LIST, ${rooms.length === 1 ? '1 room' : `${rooms.length} rooms`}`,
        ],
      },
    },
  },
  injection: LINE_INJECTION,
};

/** Lines up to and including the one that ends a multi-line reply. */
async function lines(d: { next(): Promise<{ raw: string }> }, last: RegExp): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const { raw } = await d.next();
    out.push(raw);
    if (last.test(raw)) return out;
  }
}
