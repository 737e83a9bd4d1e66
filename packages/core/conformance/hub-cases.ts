import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusEvent } from '../src/events.js';
import { DIRECTORY_DOWN, Hub } from '../src/hub.js';
import { NODE_LOST } from '../src/liveness.js';
import { eventually, FAST_CLUSTER, Nodes, online, sentinel, testPort, type BackendFixture } from './support.js';

type Scenario = (nodes: Nodes, fixture: BackendFixture) => Promise<void>;

const is = (type: BusEvent['type'], extra: (e: any) => boolean = () => true) => (e: BusEvent) => e.type === type && extra(e);

/**
 * The Hub half of the back-end contract: real Hubs on one back end deliver
 * exactly what DESIGN.md "Nodes and back ends" says, whether the two ends
 * share a node or not. Cases that need two nodes run where the fixture has them.
 */
export function hubCases(name: string, nodeCount: number, make: () => Promise<BackendFixture>): void {
  const run = (title: string, needs: 1 | 2, body: Scenario) => {
    // A case for two nodes means nothing on a back end of one (the in-process one has no Link): not registered there.
    if (nodeCount < needs) return;
    test(`${name}: ${title}`, async (t) => {
      const fixture = await make();
      const nodes = new Nodes(fixture);
      t.after(() => nodes.close());
      await body(nodes, fixture);
    });
  };

  /** Two Hubs: on one node (the same Hub twice) or on two. */
  const pair = async (nodes: Nodes, two: boolean): Promise<[Hub, Hub]> => {
    const a = await nodes.add();
    return [a, two ? await nodes.add() : a];
  };

  for (const two of [false, true]) {
    const where = two ? 'across nodes' : 'on one node';
    const needs = two ? 2 : 1;

    run(`actor exclusion ${where}: nobody gets their own online, rename, join, leave, room message or offline`, needs, async (nodes) => {
      const [ha, hb] = await pair(nodes, two);
      const bob = await online(hb, 'bob');
      const alice = await online(ha, 'alice');
      await hb.join(bob, 'lobby');
      await ha.join(alice, 'lobby');
      await ha.sendRoom(alice, 'lobby', 'hi room');
      await ha.rename(alice, 'al');
      await ha.part(alice, 'lobby');
      await ha.join(alice, 'lobby');
      await sentinel(ha, alice, bob);
      assert.deepEqual(
        bob.got.filter((e) => e.type !== 'message.direct').map((e) => e.type),
        ['user.online', 'room.joined', 'message.room', 'user.renamed', 'room.left', 'room.joined'],
      );
      await sentinel(hb, bob, alice);
      // Only her own doing: what bob did just before alice registered or joined may reach her node
      // after her call returned, on a back end whose Link and Directory replies take different
      // connections (Redis), and then she rightly sees it.
      assert.deepEqual(alice.got.filter((e) => 'session' in e && e.session === alice.id).map((e) => e.type), [], 'alice saw nothing of her own doing');
      assert.ok(alice.got.some(is('message.direct', (e) => e.from === 'bob')), 'the sentinel reached alice');
      await ha.unregister(alice);
      await bob.waitFor(is('user.offline', (e) => e.nick === 'al'));
    });

    run(`a direct message ${where} is acknowledged only once the recipient's session has it`, needs, async (nodes) => {
      const [ha, hb] = await pair(nodes, two);
      const bob = await online(hb, 'bob', { receipts: true });
      const alice = await online(ha, 'alice');
      const r = await ha.sendDirect(alice, 'BOB', 'hello');
      assert.equal(r.ok, true);
      assert.ok(bob.got.some(is('message.direct', (e) => e.text === 'hello' && e.from === 'alice' && e.to === 'bob')), 'delivered before the ack');
      assert.deepEqual(r.ok && { to: r.value.to, receipt: r.value.receipt }, { to: 'bob', receipt: false });
      assert.deepEqual(await ha.sendDirect(alice, 'nobody', 'x'), { ok: false, code: 'NO_SUCH_USER', detail: 'nobody' });
    });

    run(`500 direct messages ${where} arrive in order; room messages keep each sender's order`, needs, async (nodes) => {
      const [ha, hb] = await pair(nodes, two);
      const bob = await online(hb, 'bob');
      const alice = await online(ha, 'alice');
      const carol = await online(ha, 'carol');
      await hb.join(bob, 'r');
      await ha.join(alice, 'r');
      await ha.join(carol, 'r');
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < 500; i++) sends.push(ha.sendDirect(alice, 'bob', `d${i}`), ha.sendRoom(alice, 'r', `a${i}`), ha.sendRoom(carol, 'r', `c${i}`));
      await Promise.all(sends);
      await sentinel(ha, alice, bob);
      const texts = (type: string, p: string) => bob.got.filter((e) => e.type === type && 'text' in e && e.text.startsWith(p)).map((e) => (e as { text: string }).text);
      const want = (p: string) => Array.from({ length: 500 }, (_, i) => `${p}${i}`);
      assert.deepEqual(texts('message.direct', 'd'), want('d'));
      assert.deepEqual(texts('message.room', 'a'), want('a'));
      assert.deepEqual(texts('message.room', 'c'), want('c'));
    });

    run(`receipts ${where}: relayed only for a message really received from that sender`, needs, async (nodes) => {
      const [ha, hb] = await pair(nodes, two);
      const alice = await online(ha, 'alice', { receipts: true });
      const bob = await online(hb, 'bob', { receipts: true });
      assert.equal((await hb.receipt(bob, 'alice')).ok, false, 'forged: alice never wrote');
      await ha.sendDirect(alice, 'bob', 'one');
      assert.deepEqual(await hb.receipt(bob, 'ALICE'), { ok: true, value: { to: 'alice' } });
      await alice.waitFor(is('receipt', (e) => e.from === 'alice' && e.to === 'bob' && !e.synthesized));
      assert.equal((await hb.receipt(bob, 'alice')).ok, false, 'one receipt per message');
    });

    run(`concurrent claims of one nick ${where}: exactly one winner, 10 rounds`, needs, async (nodes) => {
      const [ha, hb] = await pair(nodes, two);
      for (let round = 0; round < 10; round++) {
        const ports = [0, 1, 2, 3].map((i) => testPort(`${round}-${i}`));
        const res = await Promise.all(ports.map((p, i) => (i % 2 ? hb : ha).register(p, `race${round}`)));
        assert.equal(res.filter((r) => r.ok).length, 1, `round ${round}`);
        assert.ok(res.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'NICK_TAKEN'));
      }
    });
  }

  run('events sent before a node opened its Link never reach it, and it works from then on', 2, async (nodes) => {
    const ha = await nodes.add();
    const alice = await online(ha, 'alice');
    await ha.join(alice, 'lobby');
    await ha.sendRoom(alice, 'lobby', 'before');
    const hb = await nodes.add();
    const bob = await online(hb, 'bob');
    await hb.join(bob, 'lobby');
    await ha.sendRoom(alice, 'lobby', 'after');
    await bob.waitFor(is('message.room', (e) => e.text === 'after'));
    assert.equal(bob.got.some(is('message.room', (e) => e.text === 'before')), false);
  });

  run('close: a closed node hears nothing more, and closing twice is harmless', 2, async (nodes, fixture) => {
    const ha = await nodes.add();
    const spare = await fixture.backend();
    const hb = new Hub({ cluster: FAST_CLUSTER, backend: spare });
    await hb.start();
    const alice = await online(ha, 'alice');
    const bob = await online(hb, 'bob');
    await ha.join(alice, 'lobby');
    await hb.join(bob, 'lobby');
    await alice.waitFor(is('room.joined', (e) => e.nick === 'bob'));
    await hb.close();
    await hb.close();
    await spare.link.close();
    await spare.directory.close();
    const before = bob.got.length;
    await ha.sendRoom(alice, 'lobby', 'anyone?');
    const r = await ha.sendDirect(alice, 'bob', 'hello?');
    assert.equal(r.ok, false, 'a closed node acknowledges nothing');
    assert.equal(bob.got.length, before, 'and delivers nothing');
  });

  run('a DM to a node that does not answer is an error after ackTimeoutMs, never an ack', 2, async (nodes) => {
    const ha = await nodes.add();
    const hb = await nodes.add({ cluster: { ...FAST_CLUSTER, nodeTimeoutMs: 60_000 } });
    const alice = await online(ha, 'alice');
    await online(hb, 'bob');
    await hb.halt();
    const started = performance.now();
    const r = await ha.sendDirect(alice, 'bob', 'anyone?');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'INTERNAL');
    assert.ok(performance.now() - started >= FAST_CLUSTER.ackTimeoutMs - 5, 'waited for the answer');
  });

  run('a node that dies is reaped: its users leave everywhere with their rooms, their nicks are free', 2, async (nodes) => {
    const ha = await nodes.add();
    const hb = await nodes.add();
    const watcher = await online(ha, 'watcher');
    const member = await online(ha, 'member', { presence: false });
    await ha.join(member, 'lobby');
    const ghost = await online(hb, 'ghost');
    await hb.join(ghost, 'lobby');
    await member.waitFor(is('room.joined', (e) => e.nick === 'ghost'));
    await hb.halt();
    const started = performance.now();
    const gone = (await watcher.waitFor(is('user.offline', (e) => e.nick === 'ghost'), 5000)) as Extract<BusEvent, { type: 'user.offline' }>;
    assert.deepEqual([gone.rooms, gone.reason], [['lobby'], NODE_LOST]);
    await member.waitFor(is('user.offline', (e) => e.nick === 'ghost'));
    assert.ok(performance.now() - started < FAST_CLUSTER.nodeTimeoutMs + 4 * FAST_CLUSTER.heartbeatMs + 500);
    assert.equal((await online(ha, 'ghost')).id.startsWith(ha.nodeId), true, 'the nick is free again');
    assert.deepEqual(await ha.members('lobby'), ['member'], 'the reaped user left the room');
  });

  run('back end down: local chat goes on, what needs the back end is an error, and it heals when back', 2, async (nodes, fixture) => {
    assert.ok(fixture.outage, 'a back end of several nodes must be able to go away in tests');
    const ha = await nodes.add();
    const hb = await nodes.add();
    const alice = await online(ha, 'alice');
    const carol = await online(ha, 'carol');
    const bob = await online(hb, 'bob');
    await fixture.outage(true);
    assert.equal((await ha.sendDirect(alice, 'carol', 'local')).ok, true, 'local DMs still work');
    await carol.waitFor(is('message.direct', (e) => e.text === 'local'));
    assert.deepEqual(await ha.register(testPort('x'), 'newbie'), { ok: false, code: 'INTERNAL', detail: DIRECTORY_DOWN });
    const cross = await ha.sendDirect(alice, 'bob', 'far');
    assert.equal(cross.ok, false, 'no false ack across nodes');
    await fixture.outage(false, { lost: true });
    // Healed: both nodes re-asserted their users, so a cross-node DM and a new nick work again.
    await eventually(async () => (await ha.sendDirect(alice, 'bob', 'back')).ok, 5000);
    await bob.waitFor(is('message.direct', (e) => e.text === 'back'));
    assert.equal((await ha.register(testPort('y'), 'alice')).ok, false, 'alice was re-asserted: still taken');
  });
}
