import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type WireClient } from '@chat-gateway/testkit';
import { command, gateway, login, message, wire } from './helpers.js';

/** Records every TCP read a client gets, with its arrival time. */
function reads(c: WireClient): { at: number; bytes: Buffer }[] {
  const log: { at: number; bytes: Buffer }[] = [];
  c.socket.on('data', (b: Buffer) => log.push({ at: performance.now(), bytes: b }));
  return log;
}

/** Waits (polling, with a deadline) until `n` packages (`\n`s) have arrived, in however many reads. */
async function until(log: { bytes: Buffer }[], n: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const count = () => log.reduce((sum, r) => sum + r.bytes.reduce((k, b) => k + (b === 0x0a ? 1 : 0), 0), 0);
  while (count() < n) {
    if (Date.now() > deadline) throw new Error(`only ${count()} of ${n} packages arrived`);
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}

/** Each read must hold exactly one `\n`-ended JSON package, as `json.loads(sock.recv())` needs. */
function onePackageEach(log: { bytes: Buffer }[]): any[] {
  return log.map(({ bytes }) => {
    const text = bytes.toString('utf8');
    assert.equal(text.indexOf('\n'), text.length - 1, `one package per read, got ${JSON.stringify(text)}`);
    return JSON.parse(text);
  });
}

// Wide enough that loopback delivery jitter under a loaded CI machine cannot merge two reads.
const PACE = 100;

describe('pacing (DESIGN.md ChatMaster)', () => {
  test('a client that never sent \\n gets one package per read, at least paceMs apart', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { paceMs: PACE } }] });
    const port = g.port('chatmaster');
    const c = await connect(port);
    t.after(() => c.destroy());
    const log = reads(c);
    await until(log, 1);
    // Login without a newline, like `sock.send(json.dumps(pkg).encode())`.
    c.write(JSON.stringify(command('login', { username: 'ann' })));
    await until(log, 3);
    const bob = await login(t, port, 'bob');
    await until(log, 4); // bob joined
    for (let i = 0; i < 5; i++) bob.write(wire(message(`m${i}`)));
    c.write(JSON.stringify(command('channels')));
    await until(log, 10);
    const pkgs = onePackageEach(log);
    assert.deepEqual(pkgs.slice(0, 4).map((p) => p.type), ['request', 'session', 'notification', 'notification']);
    const texts = pkgs.slice(4).filter((p) => p.type === 'message').map((p) => p.data.message);
    assert.deepEqual(texts, ['m0', 'm1', 'm2', 'm3', 'm4']);
    // From the session package on (everything after the request queued up) the reads come paceMs
    // apart. One read the test's own event loop took late makes the next gap look short, so the
    // span is checked, with room for one such delay; one package per read is exact (above).
    const gaps = log.slice(2).map((r, i) => r.at - log[i + 1]!.at);
    const span = log.at(-1)!.at - log[1]!.at;
    assert.ok(span >= gaps.length * PACE - 150, `${gaps.length} reads in ${span.toFixed(0)} ms: gaps ${gaps.map((g) => g.toFixed(0)).join(', ')}`);
  });

  test('a stream client (its packages end in \\n) is not paced', async (t) => {
    const slow = 1000;
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { paceMs: slow } }] });
    const port = g.port('chatmaster');
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await ann.nextJson(); // bob joined
    const started = performance.now();
    for (let i = 0; i < 5; i++) bob.write(wire(message(`m${i}`)));
    for (let i = 0; i < 5; i++) assert.equal((await ann.nextJson(2000)).data.message, `m${i}`);
    // Paced, the five would need at least 4 s.
    assert.ok(performance.now() - started < 4 * slow, 'not paced');
  });

  test('a \\n-ended package later in the session lifts pacing from then on', async (t) => {
    // Paced, the next package would wait 1 s (the most paceMs allows); the waits below allow a loaded machine 900 ms.
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { paceMs: 1000 } }] });
    const port = g.port('chatmaster');
    const c = await connect(port);
    t.after(() => c.destroy());
    await c.nextJson();
    c.write(JSON.stringify(command('login', { username: 'ann' })));
    assert.strictEqual((await c.nextJson()).data.status, true);
    // The user_joined is waiting for its turn; a `\n`-ended package releases it at once.
    c.write(wire(command('channels')));
    assert.equal((await c.nextJson(900)).data.event_type, 'user_joined');
    assert.equal((await c.nextJson(900)).data.event_type, 'channel_list');
  });

  test('paceMs 0 turns pacing off', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { paceMs: 0 } }] });
    const c = await connect(g.port('chatmaster'));
    t.after(() => c.destroy());
    await c.nextJson();
    c.write(JSON.stringify(command('login', { username: 'ann' })) + JSON.stringify(command('channels')));
    for (const want of ['session', 'notification', 'notification']) assert.equal((await c.nextJson(2000)).type, want);
  });

  test('a paced client more than 1 MiB behind gets an error and is disconnected; others go on', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { paceMs: 200 } }] });
    const port = g.port('chatmaster');
    const c = await connect(port);
    t.after(() => c.destroy());
    await c.nextJson();
    c.write(JSON.stringify(command('login', { username: 'ann' })));
    await c.nextJson();
    await c.nextJson();
    const bob = await login(t, port, 'bob');
    const big = 'x'.repeat(4000);
    for (let i = 0; i < 300; i++) bob.write(wire(message(big)));
    let p = await c.nextJson(5000);
    while (p.type !== 'error') p = await c.nextJson(5000);
    assert.deepEqual(p.data, { error_type: 'parse', message: 'You are not reading fast enough; closing the connection.' });
    await c.expectClosed();
    bob.write(wire(command('channels')));
    let q = await bob.nextJson();
    while (q.type !== 'notification' || q.data.event_type !== 'channel_list') q = await bob.nextJson();
  });
});
