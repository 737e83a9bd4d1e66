import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING, startTestGateway } from '@chat-gateway/testkit';
import { CODECS } from '../bench/loadgen/codecs/index.js';
import { runLoad, type LoadResult, type LoadSpec } from '../bench/loadgen/driver.js';
import { RoomTally, runSplitLoad } from '../bench/loadgen/split.js';
import type { Endpoint } from '../bench/loadgen/setup.js';
import { startRelay } from '../bench/servers/raw-relay.js';

// A smoke run of the bench harness (bench/README.md): a second or so of traffic against the raw
// relay and an in-process gateway, checking that the load generator still speaks each protocol
// and that nothing is lost or reordered. Speeds are printed by `npm run bench`, never asserted here.

// The load generator has a codec per client protocol; every installed dialect it speaks is smoke-tested.
const BENCHED = DIALECT_TESTING.filter((t) => CODECS[t.dialect]);

const SHORT: Omit<LoadSpec, 'mode' | 'size' | 'senders' | 'receivers' | 'nickPrefix'> = {
  window: 8,
  // No warm-up: a smoke run measures from the first message, so that a machine that stalls for a
  // moment still records latencies (a window opened late could see no delivery at all).
  durationMs: 400,
  warmupMs: 0,
  maxMessages: 200_000,
  drainMs: 5000,
  textSize: 64,
  concurrency: 10,
  loginTimeoutMs: 10000,
};

function assertClean(r: LoadResult): void {
  assert.ok(r.delivered > 0, 'something was delivered');
  assert.equal(r.lost, 0, 'nothing lost');
  assert.equal(r.reordered, 0, 'nothing reordered');
  assert.equal(r.stray, 0, 'no message reached the wrong client');
  assert.equal(r.errors, 0, `no error replies (last: ${r.lastError ?? '-'})`);
  assert.equal(r.delivered, r.expected);
  assert.ok(r.latencyUs.count > 0 && r.latencyUs.p50 > 0, 'latency was measured');
}

describe('bench harness smoke', () => {
  test('raw relay: 1 pair, closed loop', async (t) => {
    const relay = await startRelay();
    t.after(() => relay.close());
    const ep: Endpoint = { codec: CODECS.irc!, port: relay.port };
    assertClean(await runLoad({ ...SHORT, mode: 'dm', size: 1, senders: [ep], receivers: [ep], nickPrefix: 'smk' }));
  });

  test('the sample the runner takes at the window\'s end is awaited before the clients hang up', async (t) => {
    const relay = await startRelay();
    t.after(() => relay.close());
    const ep: Endpoint = { codec: CODECS.irc!, port: relay.port };
    const tcp = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    let atEnd = -1;
    // A sample that takes a while (a server's /metrics under load): the pair and the relay's two ends still open when it is read.
    const onWindow = (phase: 'start' | 'end'): Promise<void> | undefined =>
      phase === 'end' ? new Promise<void>((resolve) => setTimeout(resolve, 150)).then(() => void (atEnd = tcp())) : undefined;
    assertClean(await runLoad({ ...SHORT, mode: 'dm', size: 1, senders: [ep], receivers: [ep], nickPrefix: 'smw', onWindow }));
    assert.ok(atEnd >= 4, `${atEnd} TCP sockets open when the end sample was taken`);
  });

  test('raw relay: 6 pairs split over 2 load processes in a closed loop; an open loop stays in one', async (t) => {
    const relay = await startRelay();
    t.after(() => relay.close());
    const ep: Endpoint = { codec: CODECS.irc!, port: relay.port };
    const windows: string[] = [];
    const closed = await runSplitLoad({ ...SHORT, mode: 'dm', size: 6, senders: [ep], receivers: [ep], nickPrefix: 'sps', onWindow: (p) => void windows.push(p) }, 2);
    assertClean(closed);
    assert.deepEqual([closed.connections, closed.loadgenProcs, windows], [12, 2, ['start', 'end']], 'every pair, two processes, one window');
    assert.ok(closed.loadgenBusiestPct! <= closed.loadgenCpuPct);
    // An open loop is not split: one process keeps its rate.
    const open = await runSplitLoad({ ...SHORT, mode: 'dm', size: 6, senders: [ep], receivers: [ep], rate: 2000, nickPrefix: 'spo' }, 2);
    assertClean(open);
    assert.equal(open.loadgenProcs, undefined);
  });

  test('raw relay: a room of 7 split over 2 load processes: every member gets every message of both processes\' senders, in order', async (t) => {
    const relay = await startRelay();
    t.after(() => relay.close());
    const ep: Endpoint = { codec: CODECS.irc!, port: relay.port };
    const r = await runSplitLoad({ ...SHORT, mode: 'room', size: 7, senders: [ep], receivers: [], room: 'bench', nickPrefix: 'spr' }, 2);
    assertClean(r);
    assert.equal(r.loadgenProcs, 2);
    assert.equal(r.connections, 7);
    // What each process was told to expect, summed: every message reached every member but its sender, across processes.
    assert.equal(r.delivered, r.sent * 6, 'every member but the sender got every message');
  });

  test('raw relay: the parts of a split room, one starting 300 ms after the other: what the early one sends is counted by the late one', async (t) => {
    const relay = await startRelay();
    t.after(() => relay.close());
    const ep: Endpoint = { codec: CODECS.irc!, port: relay.port };
    // The protocol split.ts speaks between processes, here between two runs of one process.
    const sizes = [4, 3];
    const tally = new RoomTally(sizes);
    let ready = 0;
    let go!: () => void;
    const allReady = new Promise<void>((r) => (go = r));
    const part = (k: number) =>
      runLoad({
        ...SHORT, mode: 'room', size: sizes[k]!, senders: [ep], receivers: [], room: 'bench', nickPrefix: `spl${k}`,
        members: { base: k === 0 ? 0 : sizes[0]!, total: 7 },
        beforeDrive: async () => {
          if (++ready === 2) go();
          await allReady;
          // Part 1 starts late on purpose (what a busy machine does to a process): part 0's first messages reach it first.
          if (k === 1) await new Promise((r) => setTimeout(r, 300));
        },
        afterStop: (n) => tally.expect(k, n),
      });
    const [a, b] = await Promise.all([part(0), part(1)]);
    for (const r of [a, b]) assertClean(r);
    assert.equal(a.delivered + b.delivered, (a.sent + b.sent) * 6);
  });

  test('raw relay: room of 4, open loop', async (t) => {
    const relay = await startRelay();
    t.after(() => relay.close());
    const ep: Endpoint = { codec: CODECS.irc!, port: relay.port };
    const r = await runLoad({ ...SHORT, mode: 'room', size: 4, senders: [ep], receivers: [], room: 'bench', rate: 3000, nickPrefix: 'smr' });
    assertClean(r);
    assert.equal(r.delivered, r.sent * 3, 'every member but the sender got every message');
  });

  describe('in-process gateway', () => {
    let gw: Awaited<ReturnType<typeof startTestGateway>>;
    const ep = (d: string): Endpoint => ({ codec: CODECS[d]!, port: gw.port(d) });
    before(async () => {
      gw = await startTestGateway();
    });
    after(() => gw?.stop());

    for (const { dialect } of BENCHED) {
      test(`${dialect} → ${dialect}: 1 pair, closed loop`, async () => {
        assertClean(await runLoad({ ...SHORT, mode: 'dm', size: 1, senders: [ep(dialect)], receivers: [ep(dialect)], nickPrefix: `sm${dialect.slice(0, 2)}` }));
      });
    }

    test(`mixed ring ${[...BENCHED, BENCHED[0]!].map((t) => t.dialect).join(' → ')}: one pair per hop`, async () => {
      assert.ok(BENCHED.length >= 2, 'a ring needs two dialects');
      const ring = BENCHED.map((t) => ep(t.dialect));
      assertClean(await runLoad({ ...SHORT, mode: 'dm', size: ring.length, senders: ring, receivers: [...ring.slice(1), ring[0]!], nickPrefix: 'smx' }));
    });

    test('room general: members on every benched dialect with rooms, open loop', async () => {
      const roomed = BENCHED.filter((t) => t.contract.rooms).map((t) => ep(t.dialect));
      assert.ok(roomed.length > 0, 'some benched dialect has rooms');
      const r = await runLoad({ ...SHORT, mode: 'room', size: 4, senders: roomed, receivers: [], room: 'general', rate: 3000, nickPrefix: 'smg' });
      assertClean(r);
      assert.equal(r.delivered, r.sent * 3);
    });
  });
});
