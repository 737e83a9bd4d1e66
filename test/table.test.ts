import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHUTDOWN_MESSAGE } from '@chat-gateway/gateway';
import { DIALECT_TESTING, type ChatDriver } from '@chat-gateway/testkit';
import type { Scene } from './support/scene.js';
import { NODE_COUNTS, onNodes, setup } from './support/setup.js';

// One test per row of DESIGN.md's cross-dialect table (per acting dialect where a row has an actor),
// each with one observer on every dialect: what each receives is its contract's frame, exactly, and
// nothing else (the scene checks every step with a sentinel). The "DM from alice" row runs for every
// pair of dialects in matrix.test.ts.
const DIALECTS = DIALECT_TESTING.map((t) => t.dialect);
const contractOf = (dialect: string) => DIALECT_TESTING.find((t) => t.dialect === dialect)!.contract;
const ROOMED = DIALECTS.filter((d) => contractOf(d).rooms);

const NICKS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil'];

/** Fresh nicks, in order, for one test. */
function nicks(): () => string {
  let i = 0;
  return () => NICKS[i++] ?? `user${i}`;
}

/** Puts a client in the rooms (only the first where its dialect holds one at a time); nothing for dialects without rooms. */
async function enterAll(s: Scene, d: ChatDriver, rooms: readonly string[]): Promise<void> {
  const r = s.contract(d).rooms;
  if (!r) return;
  for (const room of r.single ? rooms.slice(0, 1) : rooms) if (!s.roomsOf(d).includes(room)) await s.enter(d, room);
}

/** One user of every dialect, in `rooms` where the dialect has rooms. */
async function observers(s: Scene, nick: () => string, rooms: readonly string[] = ['general']): Promise<ChatDriver[]> {
  const out: ChatDriver[] = [];
  for (const dialect of DIALECTS) {
    const d = await s.add(dialect, nick());
    await enterAll(s, d, rooms);
    out.push(d);
  }
  return out;
}

// Every row once on one gateway, and once with its users spread over two gateway nodes (DESIGN.md
// "Nodes and back ends": users on node A and node B must not be able to tell there are two nodes).
for (const nodes of NODE_COUNTS) {
  test(`row "room msg in general": every other member, on every dialect with rooms, gets it; never the sender; nobody else${onNodes(nodes)}`, async (t) => {
    const s = (await setup(t, { nodes })).scene();
    const nick = nicks();
    for (const d of DIALECTS.filter((x) => !ROOMED.includes(x))) await s.add(d, nick());
    // Two members per dialect with rooms: each first one speaks, so every dialect sends to every dialect, its own included.
    const senders: ChatDriver[] = [];
    for (const round of [0, 1]) {
      for (const dialect of ROOMED) {
        const d = await s.add(dialect, nick());
        await enterAll(s, d, ['general']);
        if (round === 0) senders.push(d);
      }
    }
    for (const a of senders) await s.say(a, 'general', `hi room, from ${a.nick}`);
  });

  test(`row "room msg": a burst arrives in the same order at every member, every dialect with rooms mixed${onNodes(nodes)}`, async (t) => {
    const s = (await setup(t, { nodes })).scene();
    const nick = nicks();
    const members: ChatDriver[] = [];
    for (let i = 0; i < Math.max(6, 2 * ROOMED.length); i++) {
      const d = await s.add(ROOMED[i % ROOMED.length]!, nick());
      await enterAll(s, d, ['general']);
      members.push(d);
    }
    const [s1, s2] = [members[0]!, members[1]!];
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) for (const sender of [s1, s2]) writes.push(sender.roomSay('general', `${sender.nick}-${i}`));
    await Promise.all(writes);
    const orders: string[][] = [];
    for (const m of members.slice(2)) {
      const got: string[] = [];
      while (got.length < 200) got.push((await m.waitFor('room', undefined, 10_000)).text);
      orders.push(got);
    }
    // On one node every member sees one order. Across nodes each node hands its own senders' messages
    // on at once and the other node's a moment later (as linked IRC servers do), so two senders'
    // messages may interleave differently per member; each sender's own order always holds.
    if (nodes === 1) for (const o of orders) assert.deepEqual(o, orders[0], 'every member sees one order');
    for (const o of orders) {
      for (const sender of [s1, s2]) {
        const own = o.filter((x) => x.startsWith(`${sender.nick}-`));
        assert.deepEqual(own, Array.from({ length: 100 }, (_, i) => `${sender.nick}-${i}`), 'each sender keeps its own order at every member');
      }
    }
  });

  for (const actor of DIALECTS) {
    test(`row "comes online": a ${actor} user logging in, as every dialect sees it${onNodes(nodes)}`, async (t) => {
      const s = (await setup(t, { nodes })).scene();
      const nick = nicks();
      await observers(s, nick);
      await s.add(actor, nick());
    });

    for (const how of ['close', 'quit'] as const) {
      test(`row "goes offline": a ${actor} user ${how === 'close' ? "whose connection drops" : 'who quits'}, as every dialect sees it (each shared room)${onNodes(nodes)}`, async (t) => {
        const { tg, scene } = await setup(t, { nodes });
        const s = scene();
        const nick = nicks();
        await observers(s, nick, ['general', 'study']);
        const x = await s.add(actor, nick());
        await enterAll(s, x, ['general', 'study']);
        await s.drop(x, how);
        assert.equal(await tg.hub.user(x.nick), undefined);
      });
    }
  }

  for (const actor of DIALECTS.filter((d) => contractOf(d).renames)) {
    test(`row "renamed": a ${actor} user renaming, as every dialect sees it, in its room and outside${onNodes(nodes)}`, async (t) => {
      const s = (await setup(t, { nodes })).scene();
      const nick = nicks();
      await observers(s, nick);
      // Where presence goes through rooms, someone in no room must see nothing.
      for (const dialect of ROOMED) {
        const outside = await s.add(dialect, nick());
        for (const room of s.roomsOf(outside)) await s.leave(outside, room);
      }
      const x = await s.add(actor, nick());
      await enterAll(s, x, ['general']);
      await s.rename(x, nick());
    });
  }

  for (const actor of ROOMED) {
    test(`row "joins / leaves a room": a ${actor} user joining and leaving, as every dialect sees it${onNodes(nodes)}`, async (t) => {
      const s = (await setup(t, { nodes })).scene();
      const nick = nicks();
      const seen = await observers(s, nick);
      const x = await s.add(actor, nick());
      for (const room of s.roomsOf(x)) await s.leave(x, room);
      await s.enter(x, 'general');
      await s.leave(x, 'general');
      // A join on a one-room-at-a-time dialect leaves the current room first: members of both see both.
      await s.enter(x, 'den');
      for (const o of seen) if (s.contract(o).rooms?.single) await s.enter(o, 'den');
    });
  }

  test(`row "user list": each dialect lists whom its contract says (everyone, everyone else, a room), nobody more${onNodes(nodes)}`, async (t) => {
    const s = (await setup(t, { nodes })).scene();
    const listed = (await observers(s, nicks())).filter((d) => s.contract(d).users);
    assert.ok(listed.length > 0, 'some dialect has a user list');
    for (const d of listed) await s.checkUsers(d, 'general');
  });

  test(`row "shutdown": each dialect is told in its words, then all close${onNodes(nodes)}`, async (t) => {
    const { tg, scene } = await setup(t, { nodes });
    const s = scene();
    const all = await observers(s, nicks());
    await tg.stop();
    for (const d of all) {
      const goodbye = s.contract(d).shutdown(SHUTDOWN_MESSAGE);
      if (goodbye !== undefined) assert.equal((await d.waitFor('shutdown')).raw, goodbye);
      await d.wire.expectClosed();
      // No goodbye means nothing at all, not even half a frame (packages/sup tests a queued reply flushed first).
      if (goodbye === undefined) assert.equal(d.wire.received().length, 0);
    }
  });
}
