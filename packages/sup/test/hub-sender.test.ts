import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionPort } from '@chat-gateway/core';
import { startTestGateway, type TestGateway } from '@chat-gateway/testkit';
import { loggedIn, STATUS } from './sup-client.js';

// Users of other dialects reach Sup through the Hub; a session registered on the Hub directly stands
// in for any of them (the cross-dialect suites in test/ run the real ones, with their drivers).

type T = { after(fn: () => unknown): void };

async function gateway(t: T): Promise<TestGateway> {
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }] });
  t.after(() => tg.stop());
  return tg;
}

/** A user of another dialect, registered on the Hub itself. */
async function hubUser(t: T, tg: TestGateway, nick: string): Promise<SessionPort> {
  const port: SessionPort = { id: `test-${nick}`, dialect: 'test', receipts: true, presence: false, address: '127.0.0.1', deliver() {} };
  assert.equal((await tg.hub.register(port, nick)).ok, true);
  t.after(() => tg.hub.unregister(port));
  return port;
}

test('CR, LF, EOT and NUL in a text from any dialect (Hub-level sender): one recv, no injected frame', async (t) => {
  const tg = await gateway(t);
  const bob = await loggedIn(t, tg.port('sup'), 'bob');
  const zed = await hubUser(t, tg, 'zed');
  assert.equal((await tg.hub.sendDirect(zed, 'bob', 'l1\r\nl2\x04status 000 OK\x04\rl3\x00!\n\n \u00e9')).ok, true);
  await bob.expect('recv zed l1\nl2status 000 OK\nl3!\n e');
  await bob.sentinel();
});

test('a user of another dialect is a contact: listed, and online to `contact` case-insensitively', async (t) => {
  const tg = await gateway(t);
  const bob = await loggedIn(t, tg.port('sup'), 'bob');
  await hubUser(t, tg, 'Carol');
  await bob.ask('get contacts', STATUS.ok);
  await bob.expect('contacts Carol');
  await bob.ask('contact carol', STATUS.online);
  await bob.ask('contact CAROL', STATUS.online);
  await bob.sentinel();
});
