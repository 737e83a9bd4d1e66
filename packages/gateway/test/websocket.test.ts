import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startTestGateway, WsClient, type TestGatewayOptions } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';

// The connection layer over WebSocket (DESIGN.md "Transports and the browser", "Operating limits"):
// one frame per message both ways, and every limit as over TCP. Real sockets, the ws library as client.
type T = { after(fn: () => unknown): void };

async function gateway(t: T, opts: Omit<TestGatewayOptions, 'dialects' | 'listeners'> = {}) {
  const tg = await startTestGateway({ ...opts, dialects: [echoDialect], listeners: [{ dialect: 'echo', transport: 'websocket' }] });
  t.after(() => tg.stop());
  const url = `ws://127.0.0.1:${tg.port('echo')}/ws`;
  const raw = async () => {
    const c = await WsClient.open(url);
    t.after(() => c.destroy());
    return c;
  };
  const open = async () => {
    const c = await raw();
    await c.expectText('HELLO echo');
    return c;
  };
  return { tg, url, raw, open };
}

test('a message is one frame: the terminator is added when it is missing; each frame written is one message, without it', async (t) => {
  const { open } = await gateway(t);
  const c = await open();
  c.send('FAST a');
  await c.expectText('DONE a');
  c.send('FAST b\n');
  await c.expectText('DONE b');
  c.send('TWO x');
  await c.expectText('ONE x');
  await c.expectText('TWO x');
  c.send('FAST c\nFAST d');
  await c.expectText('DONE c');
  await c.expectText('DONE d');
  c.send(Buffer.from('FAST e'));
  const m = await c.next();
  assert.deepEqual([m.data.toString(), m.binary], ['DONE e', false], 'a string frame goes out as a text message');
});

test('an oversize message gets the dialect reply first, then the 1009 close; other clients go on', async (t) => {
  const { open } = await gateway(t, { limits: { lineMax: 64 } });
  const other = await open();
  const c = await open();
  c.send(`FAST ${'y'.repeat(59)}`);
  await c.expectText(`DONE ${'y'.repeat(59)}`);
  c.send(`FAST ${'y'.repeat(10_000)}`);
  await c.expectText('ERR FRAME_TOO_LARGE');
  assert.equal((await c.expectClosed()).code, 1009);
  other.send('FAST still');
  await other.expectText('DONE still');
});

test('binary garbage in a message is a bad frame for the dialect; garbage instead of WebSocket frames closes that socket only', async (t) => {
  const { tg, open } = await gateway(t);
  const c = await open();
  c.send(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x9c, 0x01, 0x04]));
  await c.expectText('ERR UNKNOWN_COMMAND');
  c.send('FAST fine');
  await c.expectText('DONE fine');
  // A real handshake, then bytes that are no WebSocket frame (an unmasked frame with a reserved opcode).
  const raw = await connect(tg.port('echo'));
  t.after(() => raw.destroy());
  raw.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  await raw.expectLine('HTTP/1.1 101 Switching Protocols');
  raw.write(Buffer.from([0x83, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00]));
  await raw.expectClosed(5000);
  c.send('FAST after');
  await c.expectText('DONE after');
});

test('an upgrade on another path is a 404, a plain GET of the path a 426, other requests 404 or 405; nothing crashes', async (t) => {
  const { tg, url, open } = await gateway(t);
  const base = `http://127.0.0.1:${tg.port('echo')}`;
  await assert.rejects(WsClient.open(url.replace('/ws', '/nope')), (err: { status?: number }) => err.status === 404);
  const plain = await fetch(`${base}/ws`);
  assert.equal(plain.status, 426);
  await plain.text();
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 404, 'no chat page on a listener of another dialect');
  await page.text();
  const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  await post.text();
  const c = await open();
  c.send('FAST ok');
  await c.expectText('DONE ok');
});

test('a slow reader over WebSocket is disconnected (ws bufferedAmount counts), and others are not slowed', async (t) => {
  const { tg, open } = await gateway(t, { limits: { sendQueueMax: 64 * 1024 } });
  const slow = await open();
  slow.send('REG slow');
  await slow.expectText('OK slow');
  const watcher = await open();
  watcher.send('REG watcher');
  await watcher.expectText('OK watcher');
  slow.pause();
  slow.send('SPAM 100000 4096');
  watcher.send('FAST ping');
  await watcher.expectText('DONE ping');
  await watcher.expectText('OFFLINE slow', 20_000);
  assert.equal(await tg.hub.user('slow'), undefined);
});

test('flood control, the registration timeout and the per-IP cap are answered in the dialect over WebSocket', async (t) => {
  const flood = await gateway(t, { limits: { flood: { enabled: true, burst: 2, ratePerSec: 0.001 } } });
  const f = await flood.open();
  for (const x of ['1', '2', '3']) f.send(`FAST ${x}`);
  for (const x of ['DONE 1', 'DONE 2', 'ERR RATE_LIMITED']) await f.expectText(x);

  const timed = await gateway(t, { limits: { registrationTimeoutMs: 50 } });
  const r = await timed.open();
  await r.expectText('ERR REGISTRATION_TIMEOUT', 3000);
  await r.expectClosed();

  const capped = await gateway(t, { limits: { maxConnectionsPerIp: 1 } });
  await capped.open();
  const refused = await capped.raw();
  await refused.expectText('ERR TOO_MANY_CONNECTIONS');
  await refused.expectClosed();
});

test('shutdown says goodbye in the dialect, then closes the WebSocket normally', async (t) => {
  const { tg, open } = await gateway(t);
  const c = await open();
  const stopping = tg.stop();
  await c.expectText('BYE Server shutting down.');
  assert.equal((await c.expectClosed()).code, 1000);
  await stopping;
});
