import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { eventually, FAST_CLUSTER, Nodes, online, sentinel, type BackendFixture } from '@chat-gateway/core/conformance';
import type { LinkMessage, UserRecord } from '@chat-gateway/core';
import { checkRedisUrl, createRedisBackend, redactUrl } from '../src/index.js';
import { decodeMessages } from '../src/codec.js';
import { SEEN_MAX } from '../src/scripts.js';
import { RedisServer, redisFixtures } from '../testing/index.js';

// What the conformance suite does not say about this back end in particular: where its keys and
// channels are, how it folds, its bounds, and how it behaves when Redis goes away or stops answering.

let server: RedisServer;
let admin: Redis;
let make: () => Promise<BackendFixture>;
before(async () => {
  server = await RedisServer.start();
  admin = new Redis(server.port, { host: '127.0.0.1' });
  // The outage tests take its server away too: it just reconnects.
  admin.on('error', () => {});
  make = redisFixtures(server);
});
after(async () => {
  admin.disconnect();
  await server.stop();
});

const user = (nick: string, session = nick, node = 'n1'): UserRecord => ({ nick, session, dialect: 'x', receipts: false, node, address: `10.0.0.${nick.length}` });

/** A fixture closed after the test. */
async function fixture(t: { after(fn: () => Promise<void>): void }): Promise<BackendFixture> {
  const f = await make();
  t.after(() => f.close());
  return f;
}

/** Every key in the server (SCAN, as the back end itself never lists keys with KEYS). */
async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

test('keys and channels: all under the prefix, one channel per node plus one broadcast', async (t) => {
  await admin.flushdb();
  const f = await fixture(t);
  const nodes = new Nodes(f);
  t.after(() => nodes.close());
  const [ha, hb] = [await nodes.add({ nodeId: 'na' }), await nodes.add({ nodeId: 'nb' })];
  const alice = await online(ha, 'alice');
  const bob = await online(hb, 'bob');
  for (const [h, p] of [[ha, alice], [hb, bob]] as const) await h.join(p, 'lobby');
  await ha.sendRoom(alice, 'lobby', 'hi');
  await ha.rename(alice, 'al');
  await sentinel(ha, alice, bob);
  const keys = await allKeys();
  assert.ok(keys.length > 0);
  const prefix = keys[0]!.slice(0, keys[0]!.indexOf(':') + 1);
  assert.deepEqual(keys.filter((k) => !k.startsWith(prefix)), [], 'every key under one prefix');
  const channels = ((await admin.pubsub('CHANNELS')) as string[]).sort();
  assert.deepEqual(channels, [`${prefix}all`, `${prefix}node:na`, `${prefix}node:nb`]);
});

test("nicks fold exactly as core's fold: ASCII only", async (t) => {
  const d = (await (await fixture(t)).backend()).directory;
  assert.equal(await d.claimNick(user('Élodie', 's1')), true);
  assert.equal(await d.claimNick(user('élodie', 's2')), true, 'É and é are different: non-ASCII is not folded');
  assert.equal(await d.claimNick(user('éLODIE', 's3')), false, 'the ASCII letters fold');
  assert.equal((await d.getUser('ÉLODIE'))?.session, 's1');
  await d.joinRoom('Café', 'Élodie');
  assert.deepEqual(await d.members('CAFé'), ['Élodie']);
  assert.equal(await d.getRoom('CAFÉ'), undefined);
});

test('users are listed in registration order, a renamed one last, as the in-process Directory lists them', async (t) => {
  const d = (await (await fixture(t)).backend()).directory;
  for (const n of ['carol', 'alice', 'bob']) await d.claimNick(user(n));
  await d.renameNick('carol', 'carol', 'Caz');
  await d.releaseNick('alice', 'alice');
  assert.deepEqual((await d.listUsers()).map((u) => u.nick), ['bob', 'Caz']);
});

test(`the welcome-back memory keeps the ${SEEN_MAX} most recent nicks`, async (t) => {
  const d = (await (await fixture(t)).backend()).directory;
  // In batches: a call's timeout runs from when it is sent, so 10,000 queued at once would time out on a loaded machine.
  for (let from = 0; from <= SEEN_MAX; from += 500) {
    const batch = Array.from({ length: Math.min(500, SEEN_MAX + 1 - from) }, (_, i) => d.claimNick(user(`u${from + i}`)));
    assert.ok((await Promise.all(batch)).every(Boolean));
  }
  assert.equal(await d.lastAddress('u0'), undefined, 'the oldest is forgotten');
  assert.equal(await d.lastAddress('u1'), '10.0.0.2');
  assert.equal(await d.lastAddress(`u${SEEN_MAX}`), `10.0.0.${String(SEEN_MAX).length + 1}`);
  const seen = (await allKeys()).filter((k) => k.endsWith(':seen-addr'));
  assert.equal(Math.max(...(await Promise.all(seen.map((k) => admin.hlen(k))))), SEEN_MAX);
});

test('Redis down: calls reject at once, the Link refuses, the outage is counted; back with its data, nothing lost', async (t) => {
  const f = await fixture(t);
  const b = await f.backend();
  await b.directory.claimNick(user('alice'));
  assert.deepEqual(b.state!(), { type: 'redis', up: true, outages: 0, detail: b.state!().detail });
  await f.outage!(true);
  const started = performance.now();
  await assert.rejects(b.directory.getUser('alice'));
  await assert.rejects(b.directory.claimNick(user('bob')));
  assert.ok(performance.now() - started < 100, `rejected in ${performance.now() - started} ms`);
  assert.equal(b.link.send(undefined, { kind: 'ack', from: 'n1', ack: 1, delivered: true }), false);
  assert.deepEqual([b.state!().up, b.state!().outages], [false, 1]);
  await f.outage!(false, { lost: false });
  await eventually(() => b.state!().up, 5000);
  assert.equal((await b.directory.getUser('alice'))?.session, 'alice');
  assert.deepEqual([b.state!().up, b.state!().outages], [true, 1]);
});

test('a Redis that stops answering: a call rejects after commandTimeoutMs, it never hangs', async (t) => {
  const { directory: d } = await createRedisBackend({ url: server.url, keyPrefix: 'paused:', timing: { commandTimeoutMs: 300 } });
  t.after(() => d.close());
  server.pause();
  t.after(() => server.resume());
  const started = performance.now();
  await assert.rejects(d.getUser('alice'), /timed out/i);
  const took = performance.now() - started;
  assert.ok(took >= 250 && took < 2000, `rejected after ${took} ms`);
  server.resume();
  await eventually(async () => (await d.getUser('alice').then(() => true, () => false)), 5000);
});

test('a DM across nodes while Redis is away is an error, never an ack; after a restart without data the nodes heal', async (t) => {
  const f = await fixture(t);
  const nodes = new Nodes(f);
  t.after(() => nodes.close());
  const [ha, hb] = [await nodes.add({ cluster: FAST_CLUSTER }), await nodes.add({ cluster: FAST_CLUSTER })];
  const alice = await online(ha, 'alice');
  const bob = await online(hb, 'bob');
  await hb.join(bob, 'lobby');
  await f.outage!(true);
  assert.equal((await ha.sendDirect(alice, 'bob', 'far')).ok, false);
  await f.outage!(false, { lost: true });
  // Nothing of the old state survived: each node put back its own users and rooms.
  const healed = async () => (await ha.users()).length === 2 && (await ha.members('lobby')).length === 1;
  // Until each node has reconnected, a call rejects: that is "not yet", not a failure.
  await eventually(() => healed().catch(() => false), 5000);
  assert.deepEqual(await ha.members('lobby'), ['bob']);
  assert.equal((await ha.sendDirect(alice, 'bob', 'back')).ok, true);
});

test('createRedisBackend rejects with a clear error when nothing answers', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await assert.rejects(
    createRedisBackend({ url: `redis://:secret@127.0.0.1:${port}`, timing: { connectTimeoutMs: 300 } }),
    (err: Error) => err.message.startsWith(`cannot reach Redis at redis://:***@127.0.0.1:${port} within 300 ms: `) && !err.message.includes('secret'),
  );
});

test('Redis URLs: what is accepted, what is refused and why; passwords never shown', () => {
  for (const ok of ['redis://127.0.0.1:6379', 'redis://redis', 'rediss://user:pw@cache.example:6380/2', 'redis://[::1]:6379/0']) assert.equal(checkRedisUrl(ok), undefined, ok);
  assert.equal(checkRedisUrl('127.0.0.1:6379'), 'is not a URL');
  assert.equal(checkRedisUrl('localhost:6379'), 'has scheme localhost; use redis:// (or rediss:// for TLS)');
  assert.equal(checkRedisUrl('http://redis:6379'), 'has scheme http; use redis:// (or rediss:// for TLS)');
  assert.equal(checkRedisUrl('redis://redis:99999'), 'is not a URL');
  assert.equal(checkRedisUrl('redis://redis/db'), 'has path /db; only a database number may follow the host (/0 to /99)');
  assert.equal(checkRedisUrl('redis://redis?db=1'), 'has a query or fragment; put options in the config, not the URL');
  assert.equal(redactUrl('redis://:hunter2@redis:6379/1'), 'redis://:***@redis:6379/1');
  assert.equal(redactUrl('redis://redis:6379'), 'redis://redis:6379');
  assert.equal(redactUrl('redis://user:p@ss@redis'), 'redis://user:***@redis', 'an unescaped @ in the password');
});

test("a turn's Link messages to one channel travel in one PUBLISH, in order", async (t) => {
  const f = await fixture(t);
  const [sender, receiver] = [await f.backend(), await f.backend()];
  const got: LinkMessage[] = [];
  await receiver.link.open('rx', { receive: (m) => got.push(m), resync() {} });
  await sender.link.open('tx', { receive() {}, resync() {} });
  // What Redis carries, seen by a subscriber of its own on the receiver's channel.
  // Connected (its ready check answered) before it subscribes: a SUBSCRIBE sent first would make that check fail.
  const spy = new Redis(server.port, { host: '127.0.0.1', lazyConnect: true });
  t.after(() => spy.disconnect());
  await spy.connect();
  const raw: string[] = [];
  spy.on('message', (_channel: string, text: string) => raw.push(text));
  const channels = ((await admin.pubsub('CHANNELS')) as string[]).filter((c) => c.endsWith('node:rx'));
  await spy.subscribe(...channels);
  const ack = (n: number): LinkMessage => ({ kind: 'ack', from: 'tx', ack: n, delivered: true });
  for (const n of [1, 2, 3]) sender.link.send('rx', ack(n));
  sender.link.send(undefined, ack(4));
  sender.link.send('rx', ack(5));
  await eventually(() => got.length === 5);
  assert.deepEqual(got.map((m) => (m as { ack: number }).ack), [1, 2, 3, 4, 5], 'in the order sent, across channels');
  await eventually(() => raw.length === 2);
  assert.deepEqual(raw.map(decodeMessages), [[ack(1), ack(2), ack(3)], [ack(5)]], 'a run is one payload');
});
