import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SILENT_LOG } from '@chat-gateway/core';
import { connect, testConfig } from '@chat-gateway/testkit';
import { startAdmin, type AdminServer } from '../src/admin.js';
import { startGateway } from '../src/gateway.js';
import { createMetrics, METRIC_NAMES } from '../src/metrics.js';
import type { GatewayStatus, RunningGateway } from '../src/runtime-types.js';
import { echoDialect } from './fixtures/echo-dialect.js';

// The admin server speaks no dialect: the connection layer's toy one will do.
const DIALECT = echoDialect.name;

async function start(t: { after(fn: () => Promise<void>): void }): Promise<{ gw: RunningGateway; admin: AdminServer; url: (path: string) => string }> {
  const { metrics, registry } = createMetrics();
  const config = testConfig({ listeners: [{ dialect: DIALECT, name: 'main' }], dialects: [echoDialect] });
  const gw = await startGateway(config, { log: SILENT_LOG, metrics, dialects: new Map([[DIALECT, echoDialect]]) });
  t.after(() => gw.shutdown());
  const admin = await startAdmin({ host: '127.0.0.1', port: 0 }, gw, registry, SILENT_LOG);
  t.after(() => admin.close());
  return { gw, admin, url: (path) => `http://127.0.0.1:${admin.port}${path}` };
}

/** Polls /metrics until a series has the expected value (each poll is a real request; bounded by timeoutMs). */
async function waitForSeries(url: string, series: string, expected: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const text = await (await fetch(url)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    last = line ?? '(absent)';
    if (line && Number(line.slice(series.length + 1)) === expected) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`${series} never became ${expected}; last: ${last}`);
}

test('/healthz answers ok, and 503 once shutdown has begun', async (t) => {
  const { admin, url } = await start(t);
  const res = await fetch(url('/healthz'));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  assert.equal(await res.text(), 'ok');
  admin.markShuttingDown();
  const down = await fetch(url('/healthz'));
  assert.equal(down.status, 503);
  await down.text();
});

test('/metrics is Prometheus text with every gateway metric, and counts a connection', async (t) => {
  const { gw, url } = await start(t);
  const res = await fetch(url('/metrics'));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4; charset=utf-8$/);
  const text = await res.text();
  for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  assert.match(text, /^process_resident_memory_bytes /m);

  const series = `${METRIC_NAMES.connections}{listener="main",dialect="${DIALECT}"}`;
  await waitForSeries(url('/metrics'), series, 0);
  const client = await connect(gw.port('main'));
  t.after(() => client.destroy());
  await waitForSeries(url('/metrics'), series, 1);
  await waitForSeries(url('/metrics'), `${METRIC_NAMES.connectionsOpened}{listener="main",dialect="${DIALECT}"}`, 1);
  client.destroy();
  await waitForSeries(url('/metrics'), series, 0);
});

test('/status is JSON listing the listeners with their bound ports', async (t) => {
  const { gw, url } = await start(t);
  const client = await connect(gw.port('main'));
  t.after(() => client.destroy());
  await client.expectLine(/^HELLO /);
  client.write('REG alice\n');
  await client.expectLine('OK alice');
  const res = await fetch(url('/status'));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const status = (await res.json()) as GatewayStatus & { shuttingDown: boolean };
  assert.equal(status.node, 'test');
  assert.deepEqual(status.listeners, [{ name: 'main', dialect: DIALECT, host: '127.0.0.1', port: gw.port('main') }]);
  assert.equal(status.connections, 1);
  assert.equal(status.usersByDialect[DIALECT], 1, 'the registered user is counted under its dialect');
  assert.ok(status.rooms.some((r) => r.name === 'general'), 'the default room is listed');
  assert.equal(status.shuttingDown, false);
});

test('unknown paths get 404, other methods 405 with Allow', async (t) => {
  const { url } = await start(t);
  const missing = await fetch(url('/nope'));
  assert.equal(missing.status, 404);
  await missing.text();
  const post = await fetch(url('/healthz'), { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  await post.text();
  const query = await fetch(url('/healthz?verbose=1'));
  assert.equal(query.status, 200, 'a query string does not change the route');
  await query.text();
});

test('close() stops the server', async (t) => {
  const { admin, url } = await start(t);
  const res = await fetch(url('/healthz'));
  await res.text();
  await admin.close();
  await assert.rejects(fetch(url('/healthz')));
});
