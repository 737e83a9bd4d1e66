import { safeBlock } from '@chat-gateway/core';
import type { DialectTesting } from '@chat-gateway/core/testing';
import { dialect } from '@chat-gateway/sup';
import { SupDriver } from './driver.js';
import { probe } from './probe.js';

const EOT = 0x04;

/**
 * Sup in the cross-dialect suites: DMs and contacts only (no rooms, no
 * renames, no presence), ASCII by default, EOT-ended messages.
 */
export const testing: DialectTesting = {
  dialect: dialect.name,
  open: (port, host) => SupDriver.open(port, host),
  attach: (wire) => new SupDriver(wire),
  probe,
  contract: {
    dm: (from, _to, text) => `recv ${from.nick} ${text}`,
    dmOk: 'status 000 OK',
    dmOffline: () => 'status 104 Messaged User Not Online',
    nickTaken: () => 'status 101 Username Taken',
    receipts: false,
    renames: false,
    online: () => undefined,
    offline: () => [],
    renamed: () => undefined,
    users: {
      scope: 'others',
      async ask(d) {
        d.wire.write('get contacts\x04');
        return [(await d.next()).raw, (await d.next()).raw];
      },
      // In order of login; the space stays when the list is empty (real clients split on it).
      frames: (names) => ['status 000 OK', `contacts ${names.join(' ')}`],
    },
    // Sup has no goodbye: pending replies are flushed, then the connection closes.
    shutdown: () => undefined,
  },
  injection: {
    carriable: (b) => Buffer.from(b.filter((x) => x !== EOT)),
    // CR and LF at the ends of a message are "between messages" (packages/sup/README.md).
    canonical: (b) => b.toString('utf8').replace(/[\r\n]+$/, ''),
    safe: (text) => [safeBlock(text, 'ascii')],
    name: (name) => name.replace(/\x04/g, ''),
  },
};
