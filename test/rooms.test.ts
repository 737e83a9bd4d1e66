import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyShared } from '@chat-gateway/core';
import { DIALECT_TESTING } from '@chat-gateway/testkit';
import { NODE_COUNTS, onNodes, setup } from './support/setup.js';

// DESIGN.md "Room": a room is one room whatever dialect its members speak (PSU `#general`,
// ChatMaster `general`, IRC `#general`). For every two dialects with rooms, each way round: renames,
// room lists and private/public, leaves and the room's lifetime, every step's frames exact.
const ROOMED = DIALECT_TESTING.filter((t) => t.contract.rooms).map((t) => t.dialect);
const rooms = (dialect: string) => DIALECT_TESTING.find((t) => t.dialect === dialect)!.contract.rooms!;

// Once on one gateway, and once with the room's members on two gateway nodes.
for (const nodes of NODE_COUNTS) {
  for (const a of ROOMED) {
    for (const b of ROOMED.filter((x) => x !== a)) {
      const pair = `${a} and ${b}${onNodes(nodes)}`;
      const contracts = [a, b].map((d) => DIALECT_TESTING.find((t) => t.dialect === d)!.contract);

      if (contracts.every((c) => c.renames)) {
        test(`${pair}: renames flow both ways between members of one room, and messages follow the new names`, async (t) => {
          const s = (await setup(t, { nodes })).scene();
          const x = await s.member(a, 'carol', 'general');
          const y = await s.member(b, 'bob', 'general');
          await s.rename(x, 'caroline');
          await s.rename(y, 'robert');
          await s.say(x, 'general', 'hi robert');
          await s.say(y, 'general', 'hi caroline');
        });
      }

      if (rooms(a).list && rooms(b).list && rooms(b).setsVisibility) {
        test(`${pair}: a room ${a} creates is in ${b}'s room list, and ${b}'s private/public is what ${a}'s list shows`, async (t) => {
          const s = (await setup(t, { nodes })).scene();
          const creator = await s.member(a, 'carol', 'study');
          const outsider = await s.add(a, 'frank');
          for (const r of s.roomsOf(outsider)) await s.leave(outsider, r);
          const setter = await s.add(b, 'bob');
          await s.checkRooms(setter);
          await s.enter(setter, 'study');
          await s.setVisibility(setter, 'study', 'private');
          await s.checkRooms(outsider);
          await s.checkRooms(creator);
          await s.setVisibility(setter, 'study', 'public');
          await s.checkRooms(outsider);
          await s.checkRooms(setter);
        });
      }

      test(`${pair}: leaves are seen by the other side, and the room dies with its last member`, async (t) => {
        const { tg, scene } = await setup(t, { nodes });
        const s = scene();
        const x = await s.member(a, 'carol', 'den');
        const y = await s.member(b, 'bob', 'den');
        await s.leave(x, 'den');
        await s.enter(x, 'den');
        await s.leave(y, 'den');
        assert.equal((await tg.hub.room('den')).ok, true, 'den lives while carol is in it');
        await s.leave(x, 'den');
        assert.equal((await tg.hub.room('den')).ok, false, 'den died with its last member');
      });
    }
  }
}

// A room message's bytes are made once per dialect for all members (core encodeOnce, sharedBytes),
// and forgotten once that turn is written: later turns (a DM, say) have no shared frame to look up.
test('a room message is shared among its members for one turn only', async (t) => {
  const dialect = ROOMED[0]!;
  const { online } = await setup(t, { nodes: 1 });
  const members = await Promise.all(['m1', 'm2', 'm3'].map((n) => online(dialect, n)));
  for (const m of members) if (rooms(dialect).auto === undefined) await m.join('general');
  for (const m of members) await m.drain();
  await members[0]!.roomSay('general', 'to all');
  for (const m of members.slice(1)) assert.equal((await m.waitFor('room')).text, 'to all');
  assert.equal(anyShared(), false);
});
