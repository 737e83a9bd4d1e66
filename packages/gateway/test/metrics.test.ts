import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registry } from 'prom-client';
import { createMetrics, METRIC_NAMES } from '../src/metrics.js';

/** The value of one series, by metric name and labels; undefined when the series does not exist. */
async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && Object.keys(v.labels).length === Object.keys(labels).length);
  return hit?.value;
}

test('connections go up and down per dialect; opened only goes up', async () => {
  const { metrics, registry } = createMetrics({ processMetrics: false });
  metrics.connectionOpened('psu');
  metrics.connectionOpened('psu');
  metrics.connectionOpened('sup');
  metrics.connectionClosed('psu');
  assert.equal(await value(registry, METRIC_NAMES.connections, { dialect: 'psu' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.connections, { dialect: 'sup' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.connectionsOpened, { dialect: 'psu' }), 2);
});

test('frames, routed messages, errors and limit hits are counted by their labels', async () => {
  const { metrics, registry } = createMetrics({ processMetrics: false });
  for (let i = 0; i < 3; i++) metrics.frameIn('ws2017');
  metrics.frameOut('ws2017');
  metrics.frameOut('chatmaster');
  metrics.routed('direct');
  metrics.routed('direct');
  metrics.routed('room');
  metrics.error('psu', 'NICK_TAKEN');
  metrics.error('psu', 'NICK_TAKEN');
  metrics.error('psu', 'NO_SUCH_USER');
  metrics.error('sup', 'NICK_TAKEN');
  metrics.limit('flood');
  assert.equal(await value(registry, METRIC_NAMES.framesIn, { dialect: 'ws2017' }), 3);
  assert.equal(await value(registry, METRIC_NAMES.framesOut, { dialect: 'ws2017' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.framesOut, { dialect: 'chatmaster' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.messagesRouted, { kind: 'direct' }), 2);
  assert.equal(await value(registry, METRIC_NAMES.messagesRouted, { kind: 'room' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.errors, { dialect: 'psu', code: 'NICK_TAKEN' }), 2);
  assert.equal(await value(registry, METRIC_NAMES.errors, { dialect: 'psu', code: 'NO_SUCH_USER' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.errors, { dialect: 'sup', code: 'NICK_TAKEN' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.limitHits, { kind: 'flood' }), 1);
  assert.equal(await value(registry, METRIC_NAMES.limitHits, { kind: 'send_queue' }), 0);
});

test('series of the given dialects exist at zero before anything happens', async () => {
  const { registry } = createMetrics({ processMetrics: false, dialects: ['psu', 'sup'] });
  assert.equal(await value(registry, METRIC_NAMES.connections, { dialect: 'sup' }), 0);
  assert.equal(await value(registry, METRIC_NAMES.framesIn, { dialect: 'psu' }), 0);
  assert.equal(await value(registry, METRIC_NAMES.framesIn, { dialect: 'ws2017' }), undefined);
});

test('each call has its own registry: two gateways do not share counts', async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.metrics.frameIn('psu');
  assert.equal(await value(a.registry, METRIC_NAMES.framesIn, { dialect: 'psu' }), 1);
  assert.equal(await value(b.registry, METRIC_NAMES.framesIn, { dialect: 'psu' }), undefined);
});

test('the Prometheus text has every metric, with help and type, plus process metrics', async () => {
  const { metrics, registry } = createMetrics();
  metrics.connectionOpened('psu');
  const text = await registry.metrics();
  for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'), name);
  assert.match(text, /^chat_gateway_connections\{dialect="psu"\} 1$/m);
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
});
