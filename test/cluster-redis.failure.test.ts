import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '@chat-gateway/core/conformance';
import { DIALECT_TESTING, type ChatDriver } from '@chat-gateway/testkit';
import { ProcessCluster } from './support/cluster.js';
import { PIPELINING } from './support/dm.js';
import { Scene } from './support/scene.js';
import { setup } from './support/setup.js';
import { Traffic, type Flow } from './support/traffic.js';

// DESIGN.md "Redis down" and "Liveness" with real processes: Redis killed and restarted empty
// while DMs cross nodes (no silent loss, no false acknowledgement, working again within 5 s),
// then a node killed with SIGKILL (its users' departures shown in every dialect within 10 s,
// their nicks free again). One trio; the kill comes last, as it takes a node away.
const DIALECTS = DIALECT_TESTING.map((t) => t.dialect);
const ROOMED = DIALECT_TESTING.filter((t) => t.contract.rooms).map((t) => t.dialect);
const NODES = 3;

let cluster: ProcessCluster;
// A DM whose answer was lost with Redis is refused after 1 s: well inside a driver's 3 s wait for a reply.
before(async () => (cluster = await ProcessCluster.start({ nodes: NODES, cluster: { ackTimeoutMs: 1000, heartbeatMs: 200, nodeTimeoutMs: 1500 } })));
after(() => cluster?.stop());

/** Every node's /status says whether its back end is up (read while it is down: /status still answers). */
const backendUp = async (up: boolean) => (await Promise.all(cluster.live.map((n) => n.status()))).every((s) => s.backend.up === up);

/** What a flow's acknowledged DMs became: every one delivered, in order, none twice. */
function checkFlow(f: Flow): void {
  const arrived = new Set(f.arrived);
  const lost = f.sent.filter((s) => s.outcome === 'acked' && !arrived.has(s.seq)).map((s) => s.seq);
  assert.deepEqual(lost, [], `flow ${f.id} ${f.from.dialect} → ${f.to.dialect}: acknowledged but never delivered`);
  assert.deepEqual(f.arrived, [...arrived].sort((a, b) => a - b), `flow ${f.id}: delivered out of order or twice`);
  assert.deepEqual(f.sent.filter((s) => s.outcome === 'no reply').map((s) => s.raw), [], `flow ${f.id}: a DM without any reply`);
}

test('Redis killed and restarted empty under cross-node DMs: every ack delivered, every refusal an error reply, working again within 5 s', (t) =>
  cluster.run(async () => {
    const c = await setup(t, { processes: cluster });
    // Recipients first (a WS_2017 client hears of its senders' logins), each on the node after its sender's.
    const to = await Promise.all(DIALECTS.map((d, i) => c.online(d, `rcpt${i}`, (i + 1) % NODES)));
    const from = await Promise.all(DIALECTS.map((_, i) => c.online(PIPELINING[i % PIPELINING.length]!, `sndr${i}`, i % NODES)));
    const traffic = new Traffic(from.map((a, i) => [a, to[i]!] as const));
    const flows = traffic.flows;
    await eventually(() => flows.every((f) => f.count('acked') >= 20), 10_000);

    const killed = performance.now();
    await cluster.redis.kill();
    await eventually(() => backendUp(false), 5000, 50);
    // Traffic goes on while it is away: each sender is refused, none is left without a reply.
    await eventually(() => flows.every((f) => f.count('refused', killed) >= 3), 10_000);
    await cluster.redis.restart({ lost: true });
    const back = performance.now();
    // Working again: every flow has a DM sent after Redis came back acknowledged (and below, delivered) within 5 s.
    await eventually(() => flows.every((f) => f.count('acked', back) >= 1), 5000, 10).catch((err: Error) => {
      throw new Error(`not every flow worked again within 5 s of Redis coming back: ${err.message}; acked since: ${flows.map((f) => f.count('acked', back))}`);
    });
    const recovered = Math.max(...flows.map((f) => f.sent.find((s) => s.outcome === 'acked' && s.at >= back)!.repliedAt - back));
    await eventually(() => flows.every((f) => f.count('acked', back) >= 10), 5000);
    await traffic.stop();
    // Acknowledged means handed to the recipient's connection: what is still on the wire arrives.
    await eventually(() => flows.every((f) => f.sent.every((s) => s.outcome !== 'acked' || f.arrived.includes(s.seq))), 5000).catch(() => {});
    for (const f of flows) checkFlow(f);

    const sum = (fn: (f: Flow) => number) => flows.reduce((n, f) => n + fn(f), 0);
    const refusedButDelivered = sum((f) => f.sent.filter((s) => s.outcome === 'refused' && f.arrived.includes(s.seq)).length);
    t.diagnostic(
      `sent ${sum((f) => f.sent.length)}, acknowledged ${sum((f) => f.count('acked'))}, delivered ${sum((f) => f.arrived.length)}, ` +
        `refused ${sum((f) => f.count('refused'))} (${refusedButDelivered} of them delivered all the same: the answer was lost with Redis), ` +
        `no reply 0; every flow acknowledged again ${recovered.toFixed(0)} ms after Redis was back (${(back - killed).toFixed(0)} ms down)`,
    );
    assert.ok(recovered <= 5000);
  }));

test('kill -9 of a node: its users leave in every dialect on the other nodes within 10 s, and their nicks are free again', (t) =>
  cluster.run(async () => {
    const c = await setup(t, { processes: cluster });
    const victim = NODES - 1;
    let at = 0;
    const s = new Scene((dialect, nick) => c.online(dialect, nick, at), ['general']);
    const bring = async (node: number, dialect: string, nick: string, room?: string) => ((at = node), room ? s.member(dialect, nick, room) : s.add(dialect, nick));
    // One victim per dialect on the node to be killed; on each other node an observer of every
    // dialect, and in the room of each victim that has rooms, one of every dialect with rooms.
    const victims: ChatDriver[] = [];
    for (const [i, dialect] of DIALECTS.entries()) {
      const room = ROOMED.includes(dialect) ? `lair${i}` : undefined;
      victims.push(await bring(victim, dialect, `victim${i}`, room));
      for (let node = 0; node < victim; node++) {
        if (room) for (const [j, o] of ROOMED.entries()) await bring(node, o, `watch${i}r${j}n${node}`, room);
      }
    }
    for (let node = 0; node < victim; node++) for (const [j, o] of DIALECTS.entries()) if (!ROOMED.includes(o)) await bring(node, o, `watch${j}n${node}`);

    const started = performance.now();
    await cluster.nodes[victim]!.kill();
    // The node's probe user goes with it.
    await s.lose(victims, 10_000, [cluster.probes.on(victim)]);
    const shown = performance.now() - started;
    t.diagnostic(`every departure shown on every other node ${shown.toFixed(0)} ms after the kill -9`);
    assert.ok(shown < 10_000, `${shown} ms`);
    for (const v of victims) await c.online(v.dialect, v.nick, 0);
  }));
