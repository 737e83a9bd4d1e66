import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { SILENT_LOG } from '@chat-gateway/core';
import { connect, testConfig } from '@chat-gateway/testkit';
import { startAdmin } from '../src/admin.js';
import type { GatewayConfig } from '../src/config/types.js';
import { startGateway } from '../src/gateway.js';
import { createMetrics } from '../src/metrics.js';
import { planListeners, ReloadRefused, restartNeeded } from '../src/reload.js';
import type { ReloadReport } from '../src/reloader.js';
import { echoDialect } from './fixtures/echo-dialect.js';

// DESIGN.md "Operating": a reload applies whole or not at all. In process: the pure plan, the undo paths, the admin route.
const DIALECTS = new Map([[echoDialect.name, echoDialect]]);
const config = (listeners: { name: string; port?: number; options?: Record<string, unknown> }[], extra: Record<string, unknown> = {}): GatewayConfig =>
  testConfig({ listeners: listeners.map((l) => ({ dialect: 'echo', host: '127.0.0.1', port: 0, ...l })), dialects: [echoDialect], ...extra });

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => resolve(s)); }))); // prettier-ignore
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

test('the plan names each listener added, removed, moved (address, transport or dialect) or retuned (options only)', () => {
  const [a, b, c, d] = [{ name: 'a' }, { name: 'b' }, { name: 'c', port: 4000 }, { name: 'd' }];
  const old = config([a, b, c, d]).listeners;
  const next = config([a, { name: 'c', port: 4001 }, { name: 'd', options: { greeting: 'hi' } }, { name: 'e' }]).listeners;
  const plan = planListeners(old, next);
  assert.deepEqual(plan.added.map((l) => l.name), ['e']);
  assert.deepEqual(plan.removed.map((l) => l.name), ['b']);
  assert.deepEqual(plan.moved.map((m) => [m.from.port, m.to.port]), [[4000, 4001]]);
  assert.deepEqual(plan.retuned.map((l) => l.name), ['d']);
  assert.deepEqual(planListeners(old, old), { added: [], removed: [], moved: [], retuned: [] });
});

test('sections read only at start are reported, not applied', () => {
  const old = config([{ name: 'a' }]);
  const next = config([{ name: 'a' }], { admin: { port: 9999 } });
  assert.deepEqual(restartNeeded(old, next), ['admin']);
  assert.deepEqual(restartNeeded(old, old), []);
});

test('two listeners swap ports: each is bound once the other let go; their clients stay connected', async (t) => {
  const [p1, p2] = await freePorts(2);
  const gw = await startGateway(config([{ name: 'a', port: p1! }, { name: 'b', port: p2! }]), { log: SILENT_LOG, dialects: DIALECTS });
  t.after(() => gw.shutdown());
  const early = await connect(p1!);
  t.after(() => early.destroy());
  await early.expectLine('HELLO echo');
  const outcome = await gw.reload(config([{ name: 'a', port: p2! }, { name: 'b', port: p1! }]));
  assert.equal(outcome.changes.length, 2, outcome.changes.join('; '));
  assert.deepEqual([gw.port('a'), gw.port('b')], [p2, p1]);
  early.write('REG early\n');
  await early.expectLine('OK early');
  const late = await connect(p1!);
  t.after(() => late.destroy());
  await late.expectLine('HELLO echo');
});

test('a dialect that is not installed, or a port that is taken, refuses the reload whole: no listener and no setting changes', async (t) => {
  const gw = await startGateway(config([{ name: 'a' }]), { log: SILENT_LOG, dialects: DIALECTS });
  t.after(() => gw.shutdown());
  const before = gw.config;
  const bad = { ...config([{ name: 'a' }, { name: 'b' }]) };
  bad.listeners = [bad.listeners[0]!, { ...bad.listeners[1]!, dialect: 'nope' }];
  await assert.rejects(gw.reload(bad), (err: Error) => err instanceof ReloadRefused && err.message === 'listener b: dialect nope is not installed');
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const taken = (blocker.address() as net.AddressInfo).port;
  const next = config([{ name: 'a' }, { name: 'c' }, { name: 'b', port: taken }], { rooms: ['general', 'annex'] });
  await assert.rejects(gw.reload(next), (err: Error) => err instanceof ReloadRefused && err.message.startsWith(`listener b: port ${taken} is already in use`));
  assert.deepEqual(gw.listeners.map((l) => l.name), ['a'], 'the listener c bound before b failed is closed again');
  assert.equal(gw.config, before);
  assert.deepEqual(gw.hub.defaultRooms, ['general']);
  assert.ok(!(await gw.hub.allRooms()).some((r) => r.name === 'annex'));
});

test('POST /reload: POST only, never from another site, the token when one is set; answers with the report', async (t) => {
  const gw = await startGateway(config([{ name: 'a' }]), { log: SILENT_LOG, dialects: DIALECTS });
  t.after(() => gw.shutdown());
  const calls: string[] = [];
  const report: ReloadReport = { ok: true, changes: ['limits'], restartNeeded: [] };
  const admin = await startAdmin({ host: '127.0.0.1', port: 0, token: 'tok-123456', reload: async () => (calls.push('reload'), report) }, gw, createMetrics({ processMetrics: false }).registry, SILENT_LOG);
  t.after(() => admin.close());
  const url = `http://127.0.0.1:${admin.port}/reload`;
  const auth = { Authorization: 'Bearer tok-123456' };
  assert.equal((await fetch(url, { headers: auth })).status, 405);
  assert.equal((await fetch(url, { method: 'POST' })).status, 401);
  assert.equal((await fetch(url, { method: 'POST', headers: { ...auth, Origin: 'http://evil.example' } })).status, 403);
  assert.deepEqual(calls, [], 'no refused request reloaded');
  const ok = await fetch(url, { method: 'POST', headers: auth });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), report);
  assert.deepEqual(calls, ['reload']);
});
