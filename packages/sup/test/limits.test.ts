import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionPort } from '@chat-gateway/core';
import { connect, slowReaderTail, startTestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { loggedIn, STATUS, supClient } from './sup-client.js';

type T = { after(fn: () => unknown): void };

async function gateway(t: T, opts: TestGatewayOptions = {}) {
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }], ...opts });
  t.after(() => tg.stop());
  return { tg, port: tg.port('sup') };
}

test('flooding: every message still gets exactly one status; the dropped ones 100', async (t) => {
  const { port } = await gateway(t, { limits: { flood: { enabled: true, burst: 4, ratePerSec: 0.001 } } });
  const b = await loggedIn(t, port, 'bob'); // bob's own bucket
  const a = await supClient(t, port);
  a.wire.write('login alice\x04contact bob\x04send bob one\x04send bob two\x04send bob three\x04contact bob\x04');
  for (const want of [STATUS.ok, STATUS.online, STATUS.ok, STATUS.ok, STATUS.malformed, STATUS.malformed]) await a.expect(want);
  await b.expect('recv alice one');
  await b.expect('recv alice two');
  await b.sentinel();
});

test('no login in time: a close without bytes (DESIGN.md "Security": one status per message sent, none for the timeout)', async (t) => {
  const { port } = await gateway(t, { limits: { registrationTimeoutMs: 150 } });
  const silent = await supClient(t, port);
  await silent.wire.expectClosed(3000);
  assert.equal(silent.wire.received().length, 0, 'a client that sent nothing reads nothing');
  const a = await supClient(t, port);
  await a.ask('contact bob', STATUS.malformed);
  await a.wire.expectClosed(3000);
  assert.equal(a.wire.received().length, 0, 'its one message got its one status, and the timeout none');
  // A client that logged in in time is not cut off.
  const b = await loggedIn(t, port, 'bob');
  await b.sentinel();
});

test('connection cap: a close without bytes (DESIGN.md "Security": a refusal at connect); the connected are still served', async (t) => {
  const { port } = await gateway(t, { limits: { maxConnections: 1 } });
  const a = await loggedIn(t, port, 'alice');
  const refused = await supClient(t, port);
  await refused.wire.expectClosed();
  assert.equal(refused.wire.received().length, 0, 'not a status before the client said anything');
  await a.sentinel();
});

test('a client that stops reading: its dropped replies get one stand-in, status 200, last before the close', async (t) => {
  const { tg } = await gateway(t, { limits: { sendQueueMax: 64 * 1024 } });
  const frames = (await slowReaderTail(tg, 'sup')).toString('latin1').split('\x04');
  assert.deepEqual(frames.slice(-2), [STATUS.internal, '']);
});

test('shutdown: a reply queued when it starts is flushed, then the connection closes with nothing more', async (t) => {
  const { tg, port } = await gateway(t);
  const a = await loggedIn(t, port, 'alice');
  const idle = await supClient(t, port);
  // A Hub-level sender (no dialect) so that the recv is queued in the very turn shutdown begins.
  const sender: SessionPort = { id: 'test-sender', dialect: 'test', receipts: true, presence: false, address: '127.0.0.1', deliver() {} };
  assert.equal((await tg.hub.register(sender, 'zed')).ok, true);
  const sent = await tg.hub.sendDirect(sender, 'alice', 'last words');
  assert.equal(sent.ok, true);
  const stopping = tg.stop();
  await a.expect('recv zed last words');
  await a.wire.expectClosed();
  assert.equal(a.wire.received().length, 0);
  await idle.wire.expectClosed();
  assert.equal(idle.wire.received().length, 0, 'Sup has no goodbye message');
  await stopping;
  await assert.rejects(connect(port), 'the listener is closed');
});

/** Waits (bounded) until `cond` holds, checking once per event-loop turn. */
async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('a client that drops while its login is in the Hub does not leave its name taken', async (t) => {
  const { tg, port } = await gateway(t);
  const register = tg.hub.register.bind(tg.hub);
  let entered!: () => void;
  let release!: () => void;
  const inRegister = new Promise<void>((r) => (entered = r));
  const gate = new Promise<void>((r) => (release = r));
  tg.hub.register = async (p, nick) => {
    entered();
    await gate;
    return register(p, nick);
  };
  const a = await supClient(t, port);
  a.send('login alice');
  await inRegister;
  a.wire.destroy();
  await until(async () => (await tg.gw.status()).connections === 0, 'the server to see the close');
  release();
  await until(async () => (await tg.hub.user('alice')) === undefined, 'alice to be released');
  tg.hub.register = register;
  const b = await loggedIn(t, port, 'alice');
  await b.sentinel();
});
