import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startTestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';
import { assertStopsWithLateFrame } from './late-frame.js';

// The connection layer with a toy dialect: every limit of DESIGN.md "Operating limits".
async function gateway(t: { after(fn: () => Promise<void>): void }, opts: Omit<TestGatewayOptions, 'dialects' | 'listeners'> = {}) {
  const tg = await startTestGateway({ ...opts, dialects: [echoDialect], listeners: [{ dialect: 'echo' }] });
  t.after(() => tg.stop());
  const open = async () => {
    const c = await connect(tg.port('echo'));
    t.after(async () => c.destroy());
    await c.expectLine('HELLO echo');
    return c;
  };
  return { tg, open };
}

test('frames are handled in order even when one handler is slow', async (t) => {
  const { open } = await gateway(t);
  const c = await open();
  c.write('SLOW 30 a\nFAST b\nSLOW 1 c\nFAST d\n');
  for (const x of ['a', 'b', 'c', 'd']) await c.expectLine(`DONE ${x}`);
});

test('a deferred reply keeps its place while the frames after it are handled', async (t) => {
  const { open } = await gateway(t);
  const c = await open();
  const started = performance.now();
  c.write('LATE 300 a\nLATE 300 b\nFAST c\nLATE 10 d\n');
  for (const x of ['a', 'b', 'c', 'd']) await c.expectLine(`DONE ${x}`);
  const took = performance.now() - started;
  assert.ok(took < 550, `the waits overlapped: ${took.toFixed(0)} ms (one after the other: over 610)`);
});

test('what reaches a client while a reply of its is deferred comes after that reply', async (t) => {
  const { open } = await gateway(t);
  const [carol, dave] = [await open(), await open()];
  for (const [c, nick] of [[carol, 'carol'], [dave, 'dave']] as const) {
    c.write(`REG ${nick}\n`);
    await c.expectLine(`OK ${nick}`);
  }
  // Carol's DM is handled while her LATE reply waits: dave gets it and answers at once.
  carol.write('LATE 300 a\nDM dave ping\n');
  await dave.expectLine('FROM carol ping');
  dave.write('DM carol pong\n');
  await dave.expectLine('SENT');
  for (const line of ['DONE a', 'SENT', 'FROM dave pong']) await carol.expectLine(line);
});

test('an oversize line gets a reply, is skipped, and the connection keeps serving', async (t) => {
  const { open } = await gateway(t, { limits: { lineMax: 64 } });
  const c = await open();
  const other = await open();
  c.write(`FAST ${'y'.repeat(100_000)}\nFAST after\n`);
  await c.expectLine('ERR FRAME_TOO_LARGE');
  await c.expectLine('DONE after');
  other.write('FAST other\n');
  await other.expectLine('DONE other');
});

test('a session that throws costs one INTERNAL reply, not the connection', async (t) => {
  const { open } = await gateway(t);
  const c = await open();
  c.write('THROW\nFAST ok\n');
  await c.expectLine('ERR INTERNAL');
  await c.expectLine('DONE ok');
});

test('flood control: frames over the bucket are dropped and counted, with one reply a second (DESIGN.md "Operating limits")', async (t) => {
  const { tg, open } = await gateway(t, { limits: { flood: { enabled: true, burst: 3, ratePerSec: 0.001 } } });
  const c = await open();
  // An oversize line is a framer fault, not a frame: flood control lets it through, so its reply is a sentinel.
  c.write(`FAST 1\nFAST 2\nFAST 3\nFAST 4\nFAST 5\nFAST 6\n${'y'.repeat(10_000)}\n`);
  for (const x of ['DONE 1', 'DONE 2', 'DONE 3', 'ERR RATE_LIMITED', 'ERR FRAME_TOO_LARGE']) await c.expectLine(x);
  assert.equal((await tg.metrics()).value('chat_gateway_limit_hits_total', { kind: 'flood' }), 3);
});

test('nothing is read once the connection is closing: QUIT and 10,000 frames in one write cost one frame (issue #12 item 1)', async (t) => {
  const { tg, open } = await gateway(t);
  const c = await open();
  c.write(`QUIT\n${'FAST x\n'.repeat(10_000)}`);
  await c.expectLine('BYE');
  await c.expectClosed(5000);
  assert.equal(c.received().length, 0, 'not one reply after the goodbye');
  // Before: the framer went on through the whole write, 10,001 frames decoded for a closing connection.
  assert.equal((await tg.metrics()).value('chat_gateway_frames_in_total'), 1);
});

test('a flood of frames is worked off a few hundred per turn: another connection is answered in the middle of it (DESIGN.md "Operating limits")', async (t) => {
  const { tg } = await gateway(t);
  const lines = 20_000;
  const flood = tg.gw.connectInProcess('echo');
  t.after(() => flood.destroy());
  let got = 0;
  flood.on('data', (chunk: Buffer) => {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) got++;
  });
  const other = tg.pair('echo');
  t.after(() => other.destroy());
  await other.expectLine('HELLO echo');
  flood.write('FAST a\n'.repeat(lines));
  // Once the flood's first answers are out, the other connection asks.
  await until(() => got > 1, 'the first answers to the flood');
  other.write('FAST other\n');
  await other.expectLine('DONE other', 10_000);
  const when = got;
  await until(() => got === lines + 1, 'every answer to the flood', 30_000);
  // Before: the whole write was framed and handled in one turn, so the other's answer came after all of them.
  assert.ok(when < lines, `answered after ${when} of the flood's ${lines} answers, not after all of them`);
});

/** Waits (bounded) for a condition nothing announces, checking once per event-loop turn. */
async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('registration timeout replies, then closes', async (t) => {
  const { open } = await gateway(t, { limits: { registrationTimeoutMs: 50 } });
  const c = await open();
  await c.expectLine('ERR REGISTRATION_TIMEOUT', 3000);
  await c.expectClosed();
  const r = await open();
  r.write('REG bob\n');
  await r.expectLine('OK bob');
  // Registered in time: the timer must not fire. A slow round trip well past the timeout proves it.
  r.write('SLOW 120 still-here\n');
  await r.expectLine('DONE still-here');
  assert.equal(r.closed, false);
});

test('the per-IP cap is answered in the dialect before the close', async (t) => {
  const { tg, open } = await gateway(t, { limits: { maxConnectionsPerIp: 1 } });
  await open();
  const b = await connect(tg.port('echo'));
  await b.expectLine('ERR TOO_MANY_CONNECTIONS');
  await b.expectClosed();
});

test('the total cap refuses the third connection', async (t) => {
  const { tg, open } = await gateway(t, { limits: { maxConnections: 2 } });
  await open();
  await open();
  const c = await connect(tg.port('echo'));
  await c.expectLine('ERR TOO_MANY_CONNECTIONS');
  await c.expectClosed();
});

test('a slow reader is disconnected and others are not slowed', async (t) => {
  const { tg, open } = await gateway(t, { limits: { sendQueueMax: 64 * 1024 } });
  const slow = await open();
  slow.write('REG slow\n');
  await slow.expectLine('OK slow');
  const watcher = await open();
  watcher.write('REG watcher\n');
  await watcher.expectLine('OK watcher');
  slow.socket.pause();
  slow.write('SPAM 100000 4096\n');
  // While the slow reader's queue grows, the watcher still gets prompt answers.
  watcher.write('FAST ping\n');
  await watcher.expectLine('DONE ping');
  await watcher.expectLine('OFFLINE slow', 20_000);
  assert.equal(await tg.hub.user('slow'), undefined);
});

test('shutdown tells every session, then closes', async (t) => {
  const { tg, open } = await gateway(t);
  const a = await open();
  const b = await open();
  await tg.stop();
  await a.expectLine('BYE Server shutting down.');
  await b.expectLine('BYE Server shutting down.');
  await a.expectClosed();
  await b.expectClosed();
});

// The soak's SIGTERM under load: a client still sending when the goodbye comes.
test('shutdown reads past what a client sends after the goodbye, so it closes when the client does', async (t) => {
  const { tg, open } = await gateway(t);
  await assertStopsWithLateFrame(await open(), () => tg.stop());
});
