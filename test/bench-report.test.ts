import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord } from '../bench/execute.js';
import type { LoadResult } from '../bench/loadgen/driver.js';
import { formatReport, limitOf, summarize } from '../bench/report.js';
import { checkTargets } from '../bench/targets.js';

const MB = 1048576;

// The bench report's arithmetic on made-up runs: ratios of every figure to every peer of the same run,
// and which runs the load generator (not the server) bounded. No traffic, no timing.

function load(throughput: number, loadgenCpuPct: number, p99: number): LoadResult {
  return { connections: 2, setupMs: 1, setupRate: 2000, sent: 1, expected: 1, delivered: 1, lost: 0, reordered: 0, gaps: 0, stray: 0, errors: 0, skipped: 0, windowMs: 1000, throughput, latencyUs: { p50: p99 / 4, p99, max: p99, mean: p99 / 2, count: 1 }, loadgenCpuPct };
}

function run(server: string, throughput: number, srvCpu: number, lgCpu: number, p99: number): RunRecord {
  const scenario = server === 'gateway' ? 'dm-psu-50' : 'dm-50';
  return { scenario, group: 'dm-50', kind: 'throughput', server, rep: 0, ok: true, load: load(throughput, lgCpu, p99), proc: { cpuPct: srvCpu, peakRss: 50 * 1048576, rss: 0 } };
}

test('every gateway figure is a ratio to each peer of the run; a run the generator bounded is named', () => {
  const records = [run('gateway', 400_000, 99, 60, 2000), run('relay', 1_000_000, 50, 98, 1000), run('inspircd', 800_000, 95, 70, 1000)];
  const summaries = summarize(records, ['relay', 'inspircd']);
  const gw = summaries.find((s) => s.server === 'gateway')!;
  assert.equal(gw.figureRatios!['deliv/s']!.relay, 0.4);
  assert.equal(gw.figureRatios!['deliv/s']!.inspircd, 0.5);
  // Per second of server CPU: 400k/0.99 over 1000k/0.5.
  assert.ok(Math.abs(gw.figureRatios!['deliv/CPU-s']!.relay! - 400_000 / 0.99 / (1_000_000 / 0.5)) < 1e-9);
  assert.equal(gw.figureRatios!['p99 ms']!.inspircd, 2);
  assert.equal(limitOf(gw), 'server');
  assert.equal(limitOf(summaries.find((s) => s.server === 'relay')!), 'generator');
  // A load split over two processes: 105% in all, neither process busy: the generator was not the limit.
  const split = run('relay', 1_000_000, 70, 105, 1000);
  split.load!.loadgenBusiestPct = 53;
  assert.equal(limitOf(summarize([split], [])[0]!), 'cores');
  const text = formatReport(summaries, ['relay', 'inspircd'], [], []);
  assert.match(text, /dm-50 on relay: the load generator was the limit \(generator 98% of a core, server 50%\)/);
  assert.match(text, /^dm-psu-50 +deliv\/CPU-s +0\.20 +0\.48$/m);
});

test('issue 11\'s cross-node latency target is checked against the xlat-50 run of the cluster', () => {
  const xlat = (p99: number): RunRecord => ({ scenario: 'xlat-50', group: 'lat-50', kind: 'latency', server: 'cluster', rep: 0, ok: true, load: load(20_000, 30, p99), proc: { cpuPct: 25, peakRss: 0, rss: 0 } });
  const target = (p99: number) => checkTargets(summarize([xlat(p99)], [])).find((t) => t.target.startsWith('xlat-50'))!;
  assert.deepEqual({ ...target(4_990) }, { target: 'xlat-50 p99 <= 5 ms at 20,000 deliveries/s (node a -> node b)', measured: '4.99 ms (20,000/s reached)', pass: true });
  assert.equal(target(5_010).pass, false);
  assert.equal(checkTargets([]).find((t) => t.target.startsWith('xlat-50'))!.pass, undefined, 'not measured');
});

test('the idle target and ratios use the settled RSS; the report shows it beside the RSS right after setup', () => {
  const idle = (server: string, per1kAfter: number, per1kSettled: number, settleMs: number): RunRecord => ({
    scenario: 'idle-10k',
    group: 'idle-10k',
    kind: 'idle',
    server,
    rep: 1,
    ok: true,
    idle: { connections: 10_000, setupMs: 1000, setupRate: 8000, rssBefore: 59 * MB, rssAfter: 59 * MB + per1kAfter * 10, rssPer1k: per1kAfter, rssSettled: 59 * MB + per1kSettled * 10, rssPer1kSettled: per1kSettled, settleMs, dropped: 0, failed: 0 },
  });
  const records = [idle('gateway', 6.4 * MB, 2.7 * MB, 21_000), idle('inspircd', 2.1 * MB, 2.1 * MB, 0)];
  const summaries = summarize(records, ['inspircd']);
  const gw = summaries.find((s) => s.server === 'gateway')!;
  assert.ok(Math.abs(gw.ratios!.inspircd! - 2.7 / 2.1) < 1e-9);
  const target = checkTargets(summaries).find((t) => t.target.startsWith('idle RSS'))!;
  assert.equal(target.pass, true);
  assert.equal(target.measured, '2.70 MB per 1k (10,000 conns, settled in 21 s; 6.40 right after setup)');
  assert.equal(checkTargets(summarize([idle('gateway', 3.2 * MB, 3.1 * MB, 5000)], [])).find((t) => t.target.startsWith('idle RSS'))!.pass, false);
  assert.match(formatReport(summaries, ['inspircd'], [], []), /^idle-10k +gateway +10,000 +0 +8,000 +59\.0 +123\.0 +6\.40 +86\.0 +2\.70 +21 s +1\.29x?$/m);
});
