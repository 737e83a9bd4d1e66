import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, scrape, startTestGateway } from '@chat-gateway/testkit';
import { METRIC_NAMES } from '../src/metrics.js';
import { echoDialect } from './fixtures/echo-dialect.js';

// /metrics of a real gateway with two listeners of one dialect: each client's traffic is counted on its own listener.
test('per-listener connections, frames, bytes and errors; this node\'s users and rooms; sampled delivery times', async (t) => {
  const tg = await startTestGateway({ admin: true, dialects: [echoDialect], listeners: [{ dialect: 'echo', name: 'a' }, { dialect: 'echo', name: 'b' }] });
  t.after(() => tg.stop());
  const open = async (listener: string) => {
    const c = await connect(tg.port(listener));
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    return c;
  };
  const alice = await open('a');
  const bob = await open('b');
  const idle = await open('b');
  alice.write('REG alice\n');
  await alice.expectLine('OK alice');
  bob.write('REG bob\nJOIN lobby\n');
  await bob.expectLine('OK bob');
  await bob.expectLine('JOINED lobby');
  alice.write('DM bob hi\nDM nobody hi\n');
  await alice.expectLine('SENT');
  await alice.expectLine('ERR NO_SUCH_USER');
  await bob.expectLine('FROM alice hi');
  bob.write('SAY lobby hello\n');
  await bob.expectLine('SAID');

  const p = await scrape(tg.adminPort!);
  const a = { listener: 'a', dialect: 'echo' };
  const b = { listener: 'b', dialect: 'echo' };
  assert.equal(p.value(METRIC_NAMES.connections, a), 1);
  assert.equal(p.value(METRIC_NAMES.connections, b), 2, 'the idle client counts on b only');
  assert.equal(p.value(METRIC_NAMES.connectionsOpened, b), 2);
  assert.equal(p.value(METRIC_NAMES.framesIn, a), 3);
  assert.equal(p.value(METRIC_NAMES.framesIn, b), 3);
  // Exactly the bytes each side wrote and read: the greeting, replies and the DM bob got.
  assert.equal(p.value(METRIC_NAMES.bytesIn, a), 'REG alice\nDM bob hi\nDM nobody hi\n'.length);
  assert.equal(p.value(METRIC_NAMES.bytesOut, a), 'HELLO echo\nOK alice\nSENT\nERR NO_SUCH_USER\n'.length);
  assert.equal(p.value(METRIC_NAMES.bytesOut, b), 'HELLO echo\n'.length * 2 + 'OK bob\nJOINED lobby\nFROM alice hi\nSAID\n'.length);
  assert.equal(p.value(METRIC_NAMES.errors, { ...a, code: 'NO_SUCH_USER' }), 1);
  assert.equal(p.value(METRIC_NAMES.errors, b), 0);
  assert.equal(p.value(METRIC_NAMES.users, { dialect: 'echo' }), 2);
  assert.equal(p.value(METRIC_NAMES.rooms), 1, 'lobby has a member here; general has none');
  // The first message of each kind is always timed.
  assert.equal(p.value(`${METRIC_NAMES.delivery}_count`, { kind: 'direct' }), 1);
  assert.equal(p.value(`${METRIC_NAMES.delivery}_count`, { kind: 'room' }), 1);
  assert.equal(p.value(METRIC_NAMES.messagesRouted, { kind: 'direct' }), 1);

  idle.destroy();
  await idle.expectClosed();
  // The close is seen by the server on a later turn: scrape until it is (a bounded number of real requests).
  for (let i = 0; i < 100 && (await scrape(tg.adminPort!)).value(METRIC_NAMES.connections, b) !== 1; i++) await new Promise((r) => setImmediate(r));
  const after = await scrape(tg.adminPort!);
  assert.equal(after.value(METRIC_NAMES.connections, b), 1);
  assert.equal(after.value(METRIC_NAMES.connections, a), 1);
});
