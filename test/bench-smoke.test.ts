import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway } from '@chat-gateway/testkit';
import { CODECS } from '../bench/loadgen/codecs/index.js';
import { runLoad, type LoadResult, type LoadSpec } from '../bench/loadgen/driver.js';
import type { Endpoint } from '../bench/loadgen/setup.js';
import { startRelay } from '../bench/servers/raw-relay.js';

// A smoke run of the bench harness (bench/README.md): a second or so of traffic against the raw
// relay and an in-process gateway, checking that the load generator still speaks each protocol
// and that nothing is lost or reordered. Speeds are printed by `npm run bench`, never asserted here.

const SHORT: Omit<LoadSpec, 'mode' | 'size' | 'senders' | 'receivers' | 'nickPrefix'> = {
  window: 8,
  durationMs: 300,
  warmupMs: 100,
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

    test('PSU → PSU: 1 pair, closed loop', async () => {
      assertClean(await runLoad({ ...SHORT, mode: 'dm', size: 1, senders: [ep('psu')], receivers: [ep('psu')], nickPrefix: 'smp' }));
    });

    test('mixed ring WS → Sup → PSU → ChatMaster → WS: 4 pairs', async () => {
      const ring = ['ws2017', 'sup', 'psu', 'chatmaster'].map(ep);
      assertClean(await runLoad({ ...SHORT, mode: 'dm', size: 4, senders: ring, receivers: [...ring.slice(1), ring[0]!], nickPrefix: 'smx' }));
    });

    test('room general: PSU and ChatMaster members, open loop', async () => {
      const r = await runLoad({ ...SHORT, mode: 'room', size: 4, senders: [ep('psu'), ep('chatmaster')], receivers: [], room: 'general', rate: 3000, nickPrefix: 'smg' });
      assertClean(r);
      assert.equal(r.delivered, r.sent * 3);
    });
  });
});
