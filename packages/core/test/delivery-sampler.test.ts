import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DELIVERY_SAMPLE_EVERY, DeliverySampler, NOOP_OBSERVER, type Observer } from '@chat-gateway/core';

test('every Nth delivery of each kind is timed, the first one included, in seconds', () => {
  const seen: [string, number][] = [];
  const observer: Observer = { ...NOOP_OBSERVER, delivered: (kind, seconds) => void seen.push([kind, seconds]) };
  const sampler = new DeliverySampler(observer);
  for (let i = 0; i < 2 * DELIVERY_SAMPLE_EVERY; i++) sampler.stop('direct', sampler.start('direct'));
  sampler.stop('room', sampler.start('room'));
  assert.deepEqual(seen.map(([kind]) => kind), ['direct', 'direct', 'room']);
  // A synchronous delivery of nothing takes far less than a millisecond: the unit is seconds, not ms.
  for (const [, seconds] of seen) assert.ok(seconds >= 0 && seconds < 0.1, String(seconds));
});
