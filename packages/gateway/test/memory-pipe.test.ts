import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';
import { assertStopsWithLateFrame } from './late-frame.js';

// The in-process transport (RunningGateway.connectInProcess): no socket, but the same connection layer,
// so the same limits as TCP. This is what session tests run on (TestGateway.pair).
async function gateway(t: { after(fn: () => unknown): void }, opts: Omit<TestGatewayOptions, 'dialects' | 'listeners'> = {}) {
  const tg = await startTestGateway({ ...opts, dialects: [echoDialect], listeners: [{ dialect: 'echo' }] });
  t.after(() => tg.stop());
  const open = async (remote?: string) => {
    const c = tg.pair('echo', remote);
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    return c;
  };
  return { tg, open };
}

test('in process: frames in order, replies, and the connection is listed like any other', async (t) => {
  const { tg, open } = await gateway(t);
  const c = await open();
  c.write('SLOW 20 a\nFAST b\n');
  await c.expectLine('DONE a');
  await c.expectLine('DONE b');
  assert.deepEqual(tg.gw.trace.connections().map((x) => [x.transport, x.remote]), [['memory', '127.0.0.1']]);
});

test('in process: an oversize line is refused and skipped, a slow reader is cut off, others go on', async (t) => {
  const { tg, open } = await gateway(t, { limits: { lineMax: 64, sendQueueMax: 64 * 1024 } });
  const c = await open();
  c.write(`FAST ${'y'.repeat(1000)}\nFAST after\n`);
  await c.expectLine('ERR FRAME_TOO_LARGE');
  await c.expectLine('DONE after');
  const slow = await open();
  slow.write('REG slow\n');
  await slow.expectLine('OK slow');
  c.write('REG watcher\n');
  await c.expectLine('OK watcher');
  // A client that stops reading: what it does not read stays in the pipe and counts against the send queue.
  slow.socket.pause();
  slow.write('SPAM 100000 4096\n');
  await c.expectLine('OFFLINE slow', 20_000);
  assert.equal(await tg.hub.user('slow'), undefined);
});

test('in process: the registration timeout and the per-IP cap (by the address it is given)', async (t) => {
  const timed = await gateway(t, { limits: { registrationTimeoutMs: 50 } });
  const r = await timed.open();
  await r.expectLine('ERR REGISTRATION_TIMEOUT', 3000);
  await r.expectClosed();
  const capped = await gateway(t, { limits: { maxConnectionsPerIp: 1 } });
  await capped.open('192.0.2.7');
  await capped.open('192.0.2.8');
  const refused = capped.tg.pair('echo', '192.0.2.7');
  t.after(() => refused.destroy());
  await refused.expectLine('ERR TOO_MANY_CONNECTIONS');
  await refused.expectClosed();
});

test('in process: shutdown takes what a client writes after the goodbye, so it closes when the client does', async (t) => {
  const { tg, open } = await gateway(t);
  await assertStopsWithLateFrame(await open(), () => tg.stop());
});
