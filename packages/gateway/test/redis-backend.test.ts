import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '@chat-gateway/core/conformance';
import { RedisServer } from '@chat-gateway/redis/testing';
import { onlineAs, startTestGateway, type TestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import type { GatewayStatus } from '../src/runtime-types.js';

// Real gateways built from `backend: { type: redis }` (as `serve` builds them) on a real
// redis-server: one chat across nodes, the back end's state in /status and /metrics, an outage
// survived. The processes are one here; separate processes are the end-to-end suites' business.

let server: RedisServer;
let prefixes = 0;
before(async () => (server = await RedisServer.start()));
after(() => server.stop());

const CLUSTER = { ackTimeoutMs: 1000, heartbeatMs: 100, nodeTimeoutMs: 2000 };

/** Two gateway nodes on the suite's Redis with a fresh key prefix; n1 has the admin server. */
async function twoNodes(t: { after(fn: () => Promise<void>): void }, listeners: [TestGatewayOptions['listeners'], TestGatewayOptions['listeners']]): Promise<[TestGateway, TestGateway]> {
  const redis = { url: server.url, keyPrefix: `gw${++prefixes}:` };
  const n1 = await startTestGateway({ nodeId: 'n1', redis, cluster: CLUSTER, admin: true, listeners: listeners[0] });
  t.after(() => n1.stop());
  const n2 = await startTestGateway({ nodeId: 'n2', redis, cluster: CLUSTER, listeners: listeners[1] });
  t.after(() => n2.stop());
  return [n1, n2];
}

const get = (n: TestGateway, path: string) => fetch(`http://127.0.0.1:${n.adminPort}${path}`);
const status = async (n: TestGateway) => (await (await get(n, '/status')).json()) as GatewayStatus;

/** One series' value in /metrics, or undefined. */
async function series(n: TestGateway, name: string): Promise<number | undefined> {
  const line = (await (await get(n, '/metrics')).text()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

test('two gateways on one Redis are one chat: DMs both ways across dialects and nodes, cgetu lists both', async (t) => {
  const [n1, n2] = await twoNodes(t, [[{ dialect: 'ws2017' }], [{ dialect: 'sup' }]]);
  const bob = await onlineAs(n2, 'sup', 'bob');
  const alice = await onlineAs(n1, 'ws2017', 'alice');
  t.after(() => (alice.close(), bob.close()));
  alice.wire.write('cgetu\r\n');
  assert.equal((await alice.waitFor('reply', (s) => s.raw.startsWith('+OK cgetu'))).raw, '+OK cgetu bob alice', 'every node’s users, in registration order');
  assert.equal((await alice.dm('bob', 'hi bob')).ok, true);
  assert.equal((await bob.waitFor('dm')).raw, 'recv alice hi bob');
  assert.equal((await bob.dm('alice', 'hi alice')).ok, true);
  assert.equal((await alice.waitFor('dm')).raw, "chatm bob alice 'hi alice'");
  // Every installed dialect is listed; only the two in use have a user, one on each node: every node's users.
  const byDialect = (await status(n1)).usersByDialect;
  assert.deepEqual([byDialect.ws2017, byDialect.sup], [1, 1]);
  for (const [d, n] of Object.entries(byDialect)) if (d !== 'ws2017' && d !== 'sup') assert.equal(n, 0, d);

  // Shutdown closes the node's back end: its connections leave Redis.
  const names = async () => ((await server.call('CLIENT', 'LIST')) as string).match(/name=\S+/g)?.filter((n) => n.includes(':n2:')) ?? [];
  assert.deepEqual((await names()).sort(), ['name=chat-gateway:n2:cmd', 'name=chat-gateway:n2:sub']);
  await n2.stop();
  assert.deepEqual(await names(), []);
});

test('Redis down: /healthz stays 200, /status and /metrics show it, local DMs go on, cross-node ones are errors; back, it heals', async (t) => {
  const [n1, n2] = await twoNodes(t, [[{ dialect: 'ws2017' }], [{ dialect: 'ws2017' }]]);
  const bob = await onlineAs(n2, 'ws2017', 'bob');
  const alice = await onlineAs(n1, 'ws2017', 'alice');
  const carol = await onlineAs(n1, 'ws2017', 'carol');
  t.after(() => (alice.close(), bob.close(), carol.close()));
  assert.deepEqual((await status(n1)).backend, { type: 'redis', up: true, outages: 0, detail: `${server.url} prefix gw${prefixes}:` });
  assert.equal(await series(n1, 'chat_gateway_backend_up{type="redis"}'), 1);

  await server.kill();
  await eventually(async () => !(await status(n1)).backend.up, 5000);
  assert.equal((await get(n1, '/healthz')).status, 200, 'the node still serves its users');
  const down = await status(n1);
  assert.deepEqual([down.backend.outages, down.unavailable], [1, 'users and rooms: the back end is unreachable']);
  assert.equal(await series(n1, 'chat_gateway_backend_up{type="redis"}'), 0);
  assert.equal(await series(n1, 'chat_gateway_backend_outages_total{type="redis"}'), 1);
  assert.equal((await alice.dm('carol', 'local')).ok, true);
  assert.equal((await carol.waitFor('dm')).text, 'local');
  assert.match((await alice.dm('bob', 'far')).raw, /^-ERR chatm /);

  // A restart without persistence: both nodes put their users back by themselves.
  await server.restart({ lost: true });
  await eventually(async () => (await alice.dm('bob', 'back')).ok, 10_000, 50);
  assert.equal((await bob.waitFor('dm', (s) => s.text === 'back')).raw, "chatm alice bob 'back'");
  assert.equal(await series(n1, 'chat_gateway_backend_up{type="redis"}'), 1);
  assert.equal(await series(n1, 'chat_gateway_backend_outages_total{type="redis"}'), 1);
});

// The sessions that call SessionBase.directFar (PSU's privmsg, IRC's PRIVMSG/NOTICE: `grep -rn
// directFar packages/*/src`) send a DM to a user whose node the Hub remembers with no promise on
// the way: with Redis gone, that DM is refused with the dialect's error at once, never taken for
// sent; back, the same route carries DMs again. Named here because the test is about that call.
for (const dialect of ['psu', 'irc']) {
  test(`${dialect}: a DM to a remembered user of another node while Redis is down is an error reply; back, it goes`, async (t) => {
    const [n1, n2] = await twoNodes(t, [[{ dialect }], [{ dialect }]]);
    const bob = await onlineAs(n2, dialect, 'bob');
    const alice = await onlineAs(n1, dialect, 'alice');
    t.after(() => (alice.close(), bob.close()));
    assert.equal((await alice.dm('bob', 'first')).ok, true);
    assert.equal((await bob.waitFor('dm')).text, 'first');
    await server.kill();
    t.after(() => server.restart({ lost: true }).catch(() => {}));
    await eventually(async () => !(await status(n1)).backend.up, 5000);
    // Read straight off the wire: the drivers' own sentinels (PSU's is a room look-up) need Redis too.
    alice.wire.write('PRIVMSG bob :far\r\n');
    // Each dialect's INTERNAL reply (PSU's words have no detail; IRC's carry "directory unavailable").
    assert.match(await alice.wire.nextLine(3000), /try again/);
    await server.restart({ lost: true });
    // Back (and bob re-asserted by his node) before the driver's sentinel can be answered again.
    await eventually(async () => (await status(n1)).backend.up && (await n1.hub.user('bob')) !== undefined, 10_000, 50);
    assert.equal((await alice.dm('bob', 'back')).ok, true);
    assert.equal((await bob.waitFor('dm', (s) => s.text === 'back')).text, 'back');
  });
}
