import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING } from '@chat-gateway/testkit';
import { burstInOrder, PIPELINING } from './support/dm.js';
import { setup } from './support/setup.js';

// DESIGN.md "Canonical model": a nick is unique across all dialects, compared case-insensitively.
const DIALECTS = DIALECT_TESTING.map((t) => t.dialect);

test('a nick held on one dialect is refused on every other, case-insensitively', async (t) => {
  const { open, online } = await setup(t);
  for (const holder of DIALECTS) {
    await online(holder, `Nick_${holder}`);
    for (const other of DIALECTS) {
      const d = await open(other);
      const r = await d.register(`nICK_${holder.toUpperCase()}`);
      assert.equal(r.ok, false, `${other} registered a nick ${holder} holds: ${r.raw}`);
    }
  }
});

test('concurrent registrations of one nick from every dialect produce exactly one winner', async (t) => {
  const { tg, open } = await setup(t);
  for (let round = 0; round < 10; round++) {
    const drivers = await Promise.all(DIALECTS.map((d) => open(d)));
    const nick = `race${round}`;
    const results = await Promise.all(drivers.map((d, i) => d.register(i % 2 ? nick.toUpperCase() : nick)));
    assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
    const holder = await tg.hub.user(nick);
    assert.equal(holder?.dialect, drivers[results.findIndex((r) => r.ok)]!.dialect);
  }
});

for (const to of DIALECTS) {
  // From another dialect where one can pipeline: the burst crosses dialects.
  const from = PIPELINING.find((d) => d !== to);
  test(`a burst of 1,000 DMs from one ${from} sender arrives in order at a ${to} recipient`, async (t) => {
    assert.ok(from, `no dialect but ${to} whose DMs each get one reply, to send the burst`);
    const { online } = await setup(t);
    const b = await online(to, 'bob');
    const a = await online(from, 'alice');
    await burstInOrder(a, b, 1000);
  });
}
