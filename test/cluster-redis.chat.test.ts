import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, suggestFreeNick } from '@chat-gateway/core';
import { DIALECT_TESTING, dialectTesting } from '@chat-gateway/testkit';
import { ProcessCluster } from './support/cluster.js';
import { burstInOrder, dmChecked, PIPELINING } from './support/dm.js';
import { expectFrames } from './support/scene.js';
import { setup, type ClusterSetup } from './support/setup.js';

// DESIGN.md "Nodes and back ends": three real `chat-gateway serve` processes on one real
// redis-server are one chat. The DM matrix and the rooms of every two dialects with rooms, with
// every pair on different nodes and every frame exact; a registration race over three nodes; a
// pipelined burst across nodes in order. One trio for the whole file: tests run one at a time,
// with fresh nicks, and each ends only when every node has shown its users leaving.
const DIALECTS = DIALECT_TESTING.map((t) => t.dialect);
const ROOMED = DIALECT_TESTING.filter((t) => t.contract.rooms).map((t) => t.dialect);
const NODES = 3;

let cluster: ProcessCluster;
before(async () => (cluster = await ProcessCluster.start({ nodes: NODES })));
after(() => cluster?.stop());

let seq = 0;
/** A nick no earlier test of this file used (the processes outlive the tests). */
const fresh = (base: string) => `${base}${++seq}`;

/** A test on the file's processes; a failure carries the nodes' warnings. */
function onCluster(name: string, fn: (c: ClusterSetup) => Promise<void>): void {
  test(name, (t) => cluster.run(async () => fn(await setup(t, { processes: cluster }))));
}

for (const from of DIALECTS) {
  for (const to of DIALECTS) {
    describe(`${from} → ${to} [${NODES} processes]`, () => {
      onCluster('a DM from one node to another arrives as the exact frame, both ways, with the success reply and acknowledgement', async (c) => {
        const s = c.scene();
        const a = await s.add(from, fresh('alice'));
        const b = await s.add(to, fresh('bob'));
        await dmChecked(a, b, 'hello there');
        await dmChecked(b, a, 'hello back');
      });

      onCluster("a DM to a user who went offline on another node gets the sender dialect's error", async (c) => {
        const s = c.scene();
        const a = await s.add(from, fresh('alice'));
        const b = await s.add(to, fresh('bob'));
        await s.drop(b);
        // Every node has shown bob leaving: his nick is released everywhere.
        await c.gone(b);
        const r = await a.dm(b.nick, 'are you there');
        assert.equal(r.ok, false);
        const want = s.contract(a).dmOffline(b.nick);
        if (typeof want === 'string') assert.equal(r.raw, want);
        else assert.match(r.raw, want);
        await expectFrames(a, []);
      });
    });
  }
}

for (const a of ROOMED) {
  for (const b of ROOMED.filter((x) => x !== a)) {
    onCluster(`${a} and ${b}: a room over three nodes: joins, messages and leaves seen on every node as exact frames`, async (c) => {
      const s = c.scene();
      const room = fresh('den');
      // Placed in turn: three members, three nodes.
      const x = await s.member(a, fresh('carol'), room);
      const y = await s.member(b, fresh('dave'), room);
      const z = await s.member(a, fresh('erin'), room);
      await s.say(x, room, `hi from ${a}`);
      await s.say(y, room, `hi from ${b}`);
      await s.say(z, room, 'hi from the third node');
      await s.leave(y, room);
      await s.say(x, room, 'dave left');
      await s.enter(y, room);
      await s.say(y, room, 'dave is back');
      await s.leave(x, room);
      await s.leave(z, room);
      await s.say(y, room, 'alone now');
    });
  }
}

onCluster(`registration race: one client of each dialect on each of ${NODES} nodes claims one nick at once, 20 rounds: one winner, every loser its dialect's "taken"`, async (c) => {
  for (let round = 0; round < 20; round++) {
    const nick = fresh('race');
    const contenders = await Promise.all(DIALECTS.flatMap((dialect) => Array.from({ length: NODES }, (_, node) => c.open(dialect, node))));
    const asked = contenders.map((_, i) => (i % 2 ? nick.toUpperCase() : nick));
    const results = await Promise.all(contenders.map((d, i) => d.register(asked[i]!)));
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(results)}`);
    for (const [i, r] of results.entries()) {
      if (r.ok) continue;
      const taken = dialectTesting(contenders[i]!.dialect).contract.nickTaken;
      // The gateway offers the first free variant of the nick asked for (core's suggestFreeNick).
      const suggestion = await suggestFreeNick(asked[i]!, (candidate) => fold(candidate) === fold(nick));
      if (taken) assert.equal(r.raw, taken(asked[i]!, suggestion), `round ${round}: ${contenders[i]!.dialect}`);
    }
    for (const d of contenders) if (!d.nick) d.close();
  }
});

for (const to of DIALECTS) {
  const from = PIPELINING.find((d) => d !== to);
  onCluster(`1,000 pipelined DMs from a ${from} sender on one node arrive in order at a ${to} recipient on another, all acknowledged`, async (c) => {
    assert.ok(from, `no dialect but ${to} whose DMs each get one reply, to send the burst`);
    const b = await c.online(to, fresh('bob'), 1);
    const a = await c.online(from, fresh('alice'), 0);
    await burstInOrder(a, b, 1000);
  });
}
