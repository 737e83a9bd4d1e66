import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onlineAs, openDriver, startTestGateway, type ChatDriver } from '@chat-gateway/testkit';
import { CONTRACT } from './support/contract.js';

// DESIGN.md "Canonical model": a nick is unique across all dialects, compared case-insensitively.
const DIALECTS = Object.keys(CONTRACT);

test('a nick held on one dialect is refused on every other, case-insensitively', async (t) => {
  const tg = await startTestGateway();
  t.after(() => tg.stop());
  for (const holder of DIALECTS) {
    const h = await onlineAs(tg, holder, `Nick_${holder}`);
    t.after(() => h.close());
    for (const other of DIALECTS) {
      const d = await openDriver(tg, other);
      t.after(() => d.close());
      const r = await d.register(`nICK_${holder.toUpperCase()}`);
      assert.equal(r.ok, false, `${other} registered a nick ${holder} holds: ${r.raw}`);
    }
  }
});

test('concurrent registrations of one nick from every dialect produce exactly one winner', async (t) => {
  const tg = await startTestGateway();
  t.after(() => tg.stop());
  for (let round = 0; round < 10; round++) {
    const drivers = await Promise.all(DIALECTS.map((d) => openDriver(tg, d)));
    t.after(() => drivers.forEach((d) => d.close()));
    const nick = `race${round}`;
    const results = await Promise.all(drivers.map((d, i) => d.register(i % 2 ? nick.toUpperCase() : nick)));
    assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
    const holder = await tg.hub.user(nick);
    assert.equal(holder?.dialect, drivers[results.findIndex((r) => r.ok)]!.dialect);
  }
});

/** Collects n DMs at a driver, returning their texts in arrival order. */
async function collectDms(d: ChatDriver, n: number): Promise<string[]> {
  const texts: string[] = [];
  while (texts.length < n) {
    const s = await d.waitFor('dm', undefined, 10_000);
    texts.push(s.text);
  }
  return texts;
}

for (const to of DIALECTS) {
  test(`a burst of 1,000 DMs from one sender arrives in order at a ${to} recipient`, async (t) => {
    const tg = await startTestGateway();
    t.after(() => tg.stop());
    const from = to === 'sup' ? 'ws2017' : 'sup';
    const b = await onlineAs(tg, to, 'bob');
    const a = await onlineAs(tg, from, 'alice');
    t.after(() => {
      a.close();
      b.close();
    });
    const n = 1000;
    // Pipelined: all 1,000 requests go out before any reply is read.
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) sends.push(a.dm('bob', `m${i}`));
    const got = await collectDms(b, n);
    assert.deepEqual(got, Array.from({ length: n }, (_, i) => `m${i}`));
    const replies = (await Promise.all(sends)) as { ok: boolean }[];
    assert.equal(replies.filter((r) => r.ok).length, n);
  });
}
