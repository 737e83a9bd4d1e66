import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, connectTls, floodUntilCutOff, selfSignedCert, startTestGateway, WireClient, WsClient, type TestCert, type TestGateway } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';

// DESIGN.md "Operating limits": "a slow reader gets the dialect's reply and is disconnected". Over every
// transport the client stops reading, a Hub-level sender fills its send queue, and when it reads again
// the reply (the echo dialect's `ERR SEND_QUEUE_FULL`) is the last thing before the close.
type T = { after(fn: () => unknown): void };

let cert: TestCert;
before(async () => {
  cert = await selfSignedCert();
});
after(() => cert.remove());

async function gateway(t: T, transport: 'tcp' | 'tls' | 'websocket'): Promise<TestGateway> {
  const tls = transport === 'tcp' ? {} : { cert: cert.certFile, key: cert.keyFile };
  const tg = await startTestGateway({ dialects: [echoDialect], listeners: [{ dialect: 'echo', transport, ...tls }], limits: { sendQueueMax: 64 * 1024 } });
  t.after(() => tg.stop());
  return tg;
}

/** A byte-stream client registered as `nick`, then no longer reading. */
async function stalled(t: T, c: WireClient, nick: string): Promise<WireClient> {
  t.after(() => c.destroy());
  await c.expectLine('HELLO echo');
  c.write(`REG ${nick}\n`);
  await c.expectLine(`OK ${nick}`);
  c.socket.pause();
  return c;
}


/** The last line of what a byte-stream slow reader finds when it reads to the close. */
async function lastLine(c: WireClient): Promise<string> {
  const lines = (await c.tailUntilClosed()).toString('utf8').split('\n');
  return lines.at(-1) === '' ? lines.at(-2)! : lines.at(-1)!;
}

describe('a slow reader is told why before the close, on every transport', () => {
  test('tcp', async (t) => {
    const tg = await gateway(t, 'tcp');
    const c = await stalled(t, await connect(tg.port('echo')), 'slow');
    await floodUntilCutOff(tg, 'slow');
    assert.equal(await lastLine(c), 'ERR SEND_QUEUE_FULL');
  });

  test('tls', async (t) => {
    const tg = await gateway(t, 'tls');
    const c = await stalled(t, await connectTls(tg.port('echo'), cert), 'slow');
    await floodUntilCutOff(tg, 'slow');
    assert.equal(await lastLine(c), 'ERR SEND_QUEUE_FULL');
  });

  test('in process (memory pipe)', async (t) => {
    const tg = await gateway(t, 'tcp');
    const c = await stalled(t, tg.pair('echo'), 'slow');
    await floodUntilCutOff(tg, 'slow');
    assert.equal(await lastLine(c), 'ERR SEND_QUEUE_FULL');
  });

  test('websocket: the reply is the last message, then the close (1000)', async (t) => {
    const tg = await gateway(t, 'websocket');
    const c = await WsClient.open(`wss://127.0.0.1:${tg.port('echo')}/ws`, { ca: cert.pem });
    t.after(() => c.destroy());
    await c.expectText('HELLO echo');
    c.send('REG slow');
    await c.expectText('OK slow');
    c.pause();
    await floodUntilCutOff(tg, 'slow');
    c.resume();
    const closed = await c.expectClosed(10_000);
    assert.equal(closed.code, 1000);
    assert.equal(c.unread.at(-1)?.data.toString('utf8'), 'ERR SEND_QUEUE_FULL');
  });

  test('the nick is released at the overflow, before the slow peer lets its socket close', async (t) => {
    const tg = await gateway(t, 'tcp');
    const watcher = await connect(tg.port('echo'));
    t.after(() => watcher.destroy());
    await watcher.expectLine('HELLO echo');
    watcher.write('REG watcher\n');
    await watcher.expectLine('OK watcher');
    const c = await stalled(t, await connect(tg.port('echo')), 'slow');
    await floodUntilCutOff(tg, 'slow');
    // The departure is shown at once, while the slow reader has not read a byte of its backlog.
    await watcher.expectLine('OFFLINE slow');
    assert.equal(c.closed, false);
    assert.equal(await tg.hub.user('slow'), undefined);
  });
});
