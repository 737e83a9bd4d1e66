import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parsePrometheus, type PromText } from '@chat-gateway/testkit';
import { createMetrics, METRIC_NAMES } from '../src/metrics.js';
import { REPO } from './run-cli.js';

async function text(registry: { metrics(): Promise<string> }): Promise<PromText> {
  return parsePrometheus(await registry.metrics());
}

test('each listener has its own series, labelled with its dialect: two listeners of one dialect do not add up', async () => {
  const { metrics, registry } = createMetrics({ processMetrics: false });
  const a = metrics.listener('ws-a', 'ws2017');
  const b = metrics.listener('ws-b', 'ws2017');
  a.connectionOpened();
  b.connectionOpened();
  b.connectionOpened();
  b.connectionClosed();
  for (let i = 0; i < 3; i++) a.frameIn('ws2017');
  b.frameOut('ws2017');
  a.bytesIn(10);
  a.bytesIn(5);
  b.bytesOut(7);
  a.error('ws2017', 'NICK_TAKEN');
  a.error('ws2017', 'NICK_TAKEN');
  b.error('ws2017', 'NO_SUCH_USER');
  const p = await text(registry);
  const at = (listener: string) => ({ listener, dialect: 'ws2017' });
  assert.equal(p.value(METRIC_NAMES.connections, at('ws-a')), 1);
  assert.equal(p.value(METRIC_NAMES.connections, at('ws-b')), 1);
  assert.equal(p.value(METRIC_NAMES.connectionsOpened, at('ws-b')), 2);
  assert.equal(p.value(METRIC_NAMES.framesIn, at('ws-a')), 3);
  assert.equal(p.value(METRIC_NAMES.framesIn, at('ws-b')), 0);
  assert.equal(p.value(METRIC_NAMES.framesOut, at('ws-b')), 1);
  assert.equal(p.value(METRIC_NAMES.bytesIn, at('ws-a')), 15);
  assert.equal(p.value(METRIC_NAMES.bytesOut, at('ws-b')), 7);
  assert.equal(p.value(METRIC_NAMES.errors, { ...at('ws-a'), code: 'NICK_TAKEN' }), 2);
  assert.equal(p.value(METRIC_NAMES.errors, { ...at('ws-b'), code: 'NO_SUCH_USER' }), 1);
  assert.equal(p.value(METRIC_NAMES.errors, { ...at('ws-b'), code: 'NICK_TAKEN' }), 0);
});

test('a listener asked for again keeps its counts; its series exist at zero before any connection', async () => {
  const { metrics, registry } = createMetrics({ processMetrics: false });
  metrics.listener('psu', 'psu').connectionOpened();
  metrics.listener('sup', 'sup');
  metrics.listener('psu', 'psu').connectionOpened();
  const p = await text(registry);
  assert.equal(p.value(METRIC_NAMES.connectionsOpened, { listener: 'psu' }), 2);
  const zero = p.samples.find((s) => s.name === METRIC_NAMES.connections && s.labels.listener === 'sup');
  assert.deepEqual(zero, { name: METRIC_NAMES.connections, labels: { listener: 'sup', dialect: 'sup' }, value: 0 });
});

test('routed messages, limit hits, sampled delivery times and the hub\'s users and rooms', async () => {
  const { metrics, registry } = createMetrics({ processMetrics: false });
  metrics.listener('psu', 'psu');
  metrics.listener('sup', 'sup');
  metrics.routed('direct');
  metrics.routed('direct');
  metrics.routed('room');
  metrics.listener('psu', 'psu').limit('flood');
  metrics.delivered('direct', 0.00002);
  metrics.delivered('room', 0.003);
  metrics.watchHub(() => ({ usersByDialect: new Map([['psu', 2]]), rooms: 3 }));
  const p = await text(registry);
  assert.equal(p.value(METRIC_NAMES.messagesRouted, { kind: 'direct' }), 2);
  assert.equal(p.value(METRIC_NAMES.messagesRouted, { kind: 'room' }), 1);
  assert.equal(p.value(METRIC_NAMES.limitHits, { kind: 'flood' }), 1);
  assert.equal(p.value(METRIC_NAMES.limitHits, { kind: 'send_queue' }), 0);
  assert.equal(p.value(`${METRIC_NAMES.delivery}_count`, { kind: 'direct' }), 1);
  assert.equal(p.value(`${METRIC_NAMES.delivery}_bucket`, { kind: 'direct', le: '0.000025' }), 1);
  assert.equal(p.value(`${METRIC_NAMES.delivery}_bucket`, { kind: 'room', le: '0.0025' }), 0);
  assert.equal(p.value(`${METRIC_NAMES.delivery}_bucket`, { kind: 'room', le: '0.005' }), 1);
  assert.equal(p.value(METRIC_NAMES.users, { dialect: 'psu' }), 2);
  assert.ok(p.samples.some((s) => s.name === METRIC_NAMES.users && s.labels.dialect === 'sup' && s.value === 0), 'a served dialect without users shows 0');
  assert.equal(p.value(METRIC_NAMES.rooms), 3);
});

test('build_info is 1, labelled with the root package.json version and the Node.js version', async () => {
  const { registry } = createMetrics({ processMetrics: false });
  const { version } = JSON.parse(await readFile(`${REPO}package.json`, 'utf8')) as { version: string };
  const info = (await text(registry)).samples.filter((s) => s.name === METRIC_NAMES.buildInfo);
  assert.deepEqual(info, [{ name: METRIC_NAMES.buildInfo, labels: { version, node: process.versions.node }, value: 1 }]);
});

test('each call has its own registry: two gateways do not share counts', async () => {
  const a = createMetrics({ processMetrics: false });
  const b = createMetrics({ processMetrics: false });
  a.metrics.listener('psu', 'psu').frameIn('psu');
  assert.equal((await text(a.registry)).value(METRIC_NAMES.framesIn), 1);
  assert.equal((await text(b.registry)).value(METRIC_NAMES.framesIn), 0);
});

// The Prometheus naming and exposition conventions (prometheus.io "Metric and label naming"),
// checked on the real output, since promtool is not at hand.
test('every metric follows the Prometheus naming conventions', async () => {
  const { metrics, registry } = createMetrics();
  const l = metrics.listener('psu', 'psu');
  l.connectionOpened();
  l.error('psu', 'NICK_TAKEN');
  metrics.delivered('room', 0.001);
  metrics.watchBackend(() => ({ type: 'memory', up: true, outages: 0 }));
  metrics.watchHub(() => ({ usersByDialect: new Map([['psu', 1]]), rooms: 1 }));
  const p = await text(registry);
  const ours = [...p.type.keys()].filter((n) => n.startsWith('chat_gateway_'));
  assert.deepEqual(ours.sort(), Object.values(METRIC_NAMES).sort(), 'METRIC_NAMES lists exactly what is exported');
  for (const [name, type] of p.type) {
    assert.match(name, /^[a-z][a-z0-9_]*$/, `${name}: snake_case`);
    assert.match(name, /^(chat_gateway|process|nodejs)_/, `${name}: ours carry the chat_gateway_ prefix (process_ and nodejs_ are prom-client's)`);
    assert.ok(p.help.get(name)?.trim(), `${name}: has HELP text`);
    assert.ok(['counter', 'gauge', 'histogram', 'summary'].includes(type), `${name}: has a TYPE`);
    // prom-client's own gauges (nodejs_active_handles_total...) are its business; ours follow every rule.
    if (!name.startsWith('chat_gateway_')) continue;
    if (type === 'counter') assert.match(name, /_total$/, `${name}: a counter ends in _total`);
    else assert.doesNotMatch(name, /_total$/, `${name}: only counters end in _total`);
    if (type === 'histogram') assert.match(name, /_(seconds|bytes)$/, `${name}: a histogram names its unit`);
    // Base units only: seconds and bytes, never ms, minutes or kilobytes.
    assert.doesNotMatch(name, /_(ms|millis|milliseconds|microseconds|us|ns|minutes|hours|days|kb|kib|mb|mib|gb|bits)(_|$)/, `${name}: base units`);
    // A unit is the last word of the name (before _total); `bytes`, `seconds` nowhere else.
    const words = name.replace(/_total$/, '').split('_');
    for (const unit of ['bytes', 'seconds']) if (words.includes(unit)) assert.equal(words.at(-1), unit, `${name}: the unit ${unit} is its suffix`);
    if (name.endsWith('_info')) assert.ok(p.samples.filter((s) => s.name === name).every((s) => s.value === 1), `${name}: an info metric is 1`);
  }
  for (const s of p.samples) for (const label of Object.keys(s.labels)) assert.match(label, /^[a-z][a-z0-9_]*$/, `${s.name}: label ${label} is snake_case`);
  // The byte counters say so in their names.
  for (const name of [METRIC_NAMES.bytesIn, METRIC_NAMES.bytesOut]) assert.match(name, /_bytes_total$/);
  assert.match(p.type.get(METRIC_NAMES.delivery) ?? '', /^histogram$/);
});

test('config/README.md documents every metric', async () => {
  const readme = await readFile(`${REPO}config/README.md`, 'utf8');
  for (const name of Object.values(METRIC_NAMES)) assert.match(readme, new RegExp(`\`${name}(\\{[^}]*\\})?\``), name);
});

// A scrape must not pass over every connection on the event loop (process-metrics.ts): with 10,000
// connections prom-client's handle, resource and fd gauges held every client up for 20 to 39 ms.
test('process metrics leave out the per-handle gauges, and count open fds off the loop', async (t) => {
  const { registry } = createMetrics();
  const p = await text(registry);
  for (const name of ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_resources', 'nodejs_active_resources_total']) {
    assert.equal(p.type.has(name), false, `${name} is not exported`);
  }
  assert.ok(p.type.has('process_cpu_seconds_total') && p.type.has('nodejs_eventloop_lag_p99_seconds'), 'the other process metrics stay');
  if (process.platform !== 'linux') return t.skip('process_open_fds reads /proc (Linux only)');
  const { readdirSync } = await import('node:fs');
  const fds = readdirSync('/proc/self/fd').length - 1;
  const seen = p.value('process_open_fds', {});
  assert.ok(seen !== undefined && Math.abs(seen - fds) <= 3, `process_open_fds ${seen}, /proc/self/fd lists ${fds}`);
});
