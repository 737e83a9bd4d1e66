import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Requests, type Answer, type BusEvent, type Link, type LinkMessage } from '@chat-gateway/core';

// Requests is the ack bookkeeping behind every cross-node DM: answers come in any order, late,
// twice or never, and each request must end exactly once with the right answer.

const event: BusEvent = { type: 'user.online', nick: 'a', session: 's', dialect: 'psu' };

function setup(timeoutMs = 60_000, up = () => true) {
  const sent: LinkMessage[] = [];
  const link: Link = { open: async () => {}, close: async () => {}, send: (_to, m) => (up() ? (sent.push(m), true) : false) };
  const r = new Requests('n1', link, timeoutMs);
  const ends: (Answer | undefined)[] = [];
  const asked: Promise<void>[] = [];
  const ask = (): number => {
    const i = ends.length;
    ends.push(undefined);
    asked.push(
      r.ask('n2', event).then((a) => {
        assert.equal(ends[i], undefined, `request ${i} ended twice`);
        ends[i] = a;
      }),
    );
    return (sent.at(-1) as { ack: number }).ack;
  };
  const ack = (n: number, delivered = true): void => r.settle({ kind: 'ack', from: 'n2', ack: n, delivered });
  // Every request asked so far has ended (a timeout included): what a test waits for, not a sleep.
  const allEnded = () => Promise.all(asked);
  return { r, sent, ends, ask, ack, allEnded };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

test('answers in any order reach their own requests; repeated, unknown and stray ones are dropped', async () => {
  const { r, ends, ask, ack } = setup();
  const n = [ask(), ask(), ask(), ask()];
  assert.deepEqual(n, [1, 2, 3, 4], 'numbered from 1, in the order asked');
  ack(n[2]!);
  ack(n[0]!, false);
  ack(n[2]!, false);
  ack(99);
  ack(0);
  ack(-1);
  await settled();
  assert.deepEqual(ends, ['gone', undefined, 'delivered', undefined]);
  ack(n[3]!);
  ack(n[1]!);
  await settled();
  assert.deepEqual(ends, ['gone', 'delivered', 'delivered', 'delivered']);
  assert.equal(ask(), 5, 'numbers go on once all are answered');
  r.clear(); // its 60-s timer would hold the process
});

test('requests not answered in time end as timeouts, oldest first, and a late answer is dropped', async () => {
  const { ends, ask, ack, allEnded } = setup(30);
  const first = ask();
  const second = ask();
  ack(second);
  await allEnded();
  assert.deepEqual(ends, ['timeout', 'delivered']);
  ack(first);
  await settled();
  assert.deepEqual(ends, ['timeout', 'delivered']);
});

test('clear ends every open request as down; a link that is down answers down at once', async () => {
  let up = true;
  const { r, ends, ask, ack } = setup(60_000, () => up);
  const a = ask();
  ask();
  ack(a);
  r.clear();
  await settled();
  assert.deepEqual(ends, ['delivered', 'down']);
  up = false;
  assert.equal(await r.ask('n2', event), 'down');
});

test('thousands open with the oldest unanswered: every answer still finds its request', async () => {
  const { r, ends, ask, ack } = setup();
  const n = Array.from({ length: 5000 }, () => ask());
  // All but the first answered, front to back: the bookkeeping drops what is done as it goes.
  for (const k of n.slice(1)) ack(k, k % 2 === 0);
  await settled();
  assert.equal(ends.filter((e) => e === undefined).length, 1);
  const later = [ask(), ask()];
  ack(later[1]!);
  ack(n[0]!);
  ack(later[0]!, false);
  await settled();
  assert.equal(ends[0], 'delivered');
  assert.deepEqual(ends.slice(-2), ['gone', 'delivered']);
  assert.deepEqual(ends.slice(1, 5000).map((e, i) => e === (n[i + 1]! % 2 === 0 ? 'delivered' : 'gone')), Array(4999).fill(true));
  r.clear();
});
