import type { RunRecord } from './execute.js';
import type { Scenario } from './scenarios.js';

/** One scenario on one server, over its repetitions. */
export interface Summary {
  scenario: string;
  group: string;
  kind: Scenario['kind'];
  server: string;
  reps: number;
  failed: number;
  errors: string[];
  /** Deliveries per second: median, min, max over the repetitions. */
  throughput?: { median: number; min: number; max: number; spreadPct: number };
  /** Latency of the median repetition, microseconds (latency runs: medians over repetitions). */
  latencyUs?: { p50: number; p99: number; max: number };
  lost: number;
  reordered: number;
  clientErrors: number;
  serverCpuPct?: number;
  serverPeakRss?: number;
  loadgenCpuPct?: number;
  /** The busiest load-generator process (a DM load runs in several, loadgen/split.ts); else loadgenCpuPct. */
  loadgenBusiestPct?: number;
  idle?: { connections: number; failed: number; setupRate: number; rssPer1k: number; rssBefore: number; rssAfter: number; rssSettled: number; rssPer1kSettled: number; settleMs: number };
  /** Gateway rows: the key metric divided by the same metric of each baseline server in the same run; cluster rows: by the single-node gateway's (`1node`). */
  ratios?: Record<string, number>;
  /** Gateway rows: every figure of the row (deliveries/s, per CPU-second, p50, p99, RSS, setup rate...) over each baseline's, by figure then baseline. */
  figureRatios?: Record<string, Record<string, number>>;
  /** Cluster rows: each process's CPU (median over the repetitions) and peak RSS: nodes a and b, then the redis-server. */
  nodes?: { name: string; cpuPct: number; peakRss: number }[];
  /** Cluster rows: the single-node scenario compared with. */
  vs?: string;
}

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean | undefined;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The key metric of a row: deliveries/s, p99 latency, or RSS per 1k connections (settled). */
function key(s: Summary): number | undefined {
  if (s.kind === 'throughput') return s.throughput?.median;
  if (s.kind === 'latency') return s.latencyUs?.p99;
  return s.idle?.rssPer1kSettled;
}

/** Groups records into one summary per scenario and server, and adds the gateway's ratios. */
export function summarize(records: RunRecord[], baselines: string[]): Summary[] {
  const byKey = new Map<string, RunRecord[]>();
  for (const r of records) {
    const k = `${r.scenario}\u0000${r.server}`;
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const out: Summary[] = [];
  for (const rs of byKey.values()) {
    const first = rs[0]!;
    const ok = rs.filter((r) => r.ok && (r.load || r.idle));
    const s: Summary = {
      scenario: first.scenario,
      group: first.group,
      kind: first.kind,
      server: first.server,
      reps: rs.length,
      failed: rs.length - ok.length,
      errors: rs.filter((r) => r.error).map((r) => r.error!),
      lost: ok.reduce((n, r) => n + (r.load?.lost ?? 0), 0),
      reordered: ok.reduce((n, r) => n + (r.load?.reordered ?? 0), 0),
      clientErrors: ok.reduce((n, r) => n + (r.load?.errors ?? 0), 0),
    };
    const loads = ok.filter((r) => r.load).map((r) => r.load!);
    if (loads.length > 0) {
      const tp = loads.map((l) => l.throughput);
      const med = median(tp);
      const min = Math.min(...tp);
      const max = Math.max(...tp);
      s.throughput = { median: med, min, max, spreadPct: med > 0 ? ((max - min) / 2 / med) * 100 : 0 };
      if (first.kind === 'latency') {
        s.latencyUs = { p50: median(loads.map((l) => l.latencyUs.p50)), p99: median(loads.map((l) => l.latencyUs.p99)), max: Math.max(...loads.map((l) => l.latencyUs.max)) };
      } else {
        const mid = loads.find((l) => l.throughput === med) ?? loads[0]!;
        s.latencyUs = { p50: mid.latencyUs.p50, p99: mid.latencyUs.p99, max: mid.latencyUs.max };
      }
      s.loadgenCpuPct = median(loads.map((l) => l.loadgenCpuPct));
      s.loadgenBusiestPct = median(loads.map((l) => l.loadgenBusiestPct ?? l.loadgenCpuPct));
      const errs = ok.filter((r) => r.load?.lastError).map((r) => `client error: ${r.load!.lastError}`);
      s.errors.push(...errs.slice(0, 1));
    }
    const procs = ok.filter((r) => r.proc).map((r) => r.proc!);
    if (procs.length > 0) {
      s.serverCpuPct = median(procs.map((p) => p.cpuPct));
      s.serverPeakRss = Math.max(...procs.map((p) => p.peakRss));
    }
    const perNode = ok.filter((r) => r.nodes).map((r) => r.nodes!);
    if (perNode.length > 0) {
      s.nodes = perNode[0]!.map((n, i) => ({ name: n.name, cpuPct: median(perNode.map((p) => p[i]!.cpuPct)), peakRss: Math.max(...perNode.map((p) => p[i]!.peakRss)) }));
    }
    s.vs = first.vs;
    const idle = ok.find((r) => r.idle)?.idle;
    if (idle) {
      const { connections, setupRate, rssPer1k, rssBefore, rssAfter, rssSettled, rssPer1kSettled, settleMs } = idle;
      s.idle = { connections, failed: idle.failed + idle.dropped, setupRate, rssPer1k, rssBefore, rssAfter, rssSettled, rssPer1kSettled, settleMs };
    }
    out.push(s);
  }
  for (const s of out) {
    const mine = key(s);
    if (mine === undefined) continue;
    if (s.server === 'cluster') {
      const single = out.find((o) => o.server === 'gateway' && o.scenario === s.vs);
      const theirs = single && key(single);
      if (theirs) s.ratios = { '1node': mine / theirs };
    }
    if (s.server !== 'gateway') continue;
    s.ratios = {};
    s.figureRatios = {};
    for (const b of baselines) {
      const base = out.find((o) => o.server === b && o.scenario === s.group);
      const theirs = base && key(base);
      if (theirs) s.ratios[b] = mine / theirs;
      if (!base) continue;
      const their = figures(base);
      for (const [name, v] of Object.entries(figures(s))) {
        const t = their[name];
        if (v !== undefined && t) (s.figureRatios[name] ??= {})[b] = v / t;
      }
    }
  }
  return out;
}

/** The figures of a row that a ratio is shown for, by the name the ratio table gives them. */
function figures(s: Summary): Record<string, number | undefined> {
  if (s.kind === 'idle') return { 'MB per 1k settled': s.idle?.rssPer1kSettled, 'MB per 1k after setup': s.idle?.rssPer1k, 'MB at start': s.idle?.rssBefore, 'setup/s': s.idle?.setupRate };
  const f: Record<string, number | undefined> = { 'p50 ms': s.latencyUs?.p50, 'p99 ms': s.latencyUs?.p99, 'srv MB': s.serverPeakRss };
  if (s.kind === 'throughput') return { 'deliv/s': s.throughput?.median, 'deliv/CPU-s': deliveriesPerCpuSecond(s), ...f };
  return f;
}

/** Deliveries per second of server CPU: the cost of a message, least disturbed by what else the machine runs. */
function deliveriesPerCpuSecond(s: Summary): number | undefined {
  return s.throughput && s.serverCpuPct ? s.throughput.median / (s.serverCpuPct / 100) : undefined;
}

/** A process that is busy this share of one core is taken to be what bounded a closed-loop run. */
const BUSY_PCT = 85;

/**
 * What bounded a closed-loop run: the server (its core busy), the load
 * generator (one of its processes busy while the server was not: the figure
 * then understates the server), both cores, or neither (latency, window).
 */
export function limitOf(s: Summary): 'server' | 'generator' | 'cores' | '-' {
  const srv = s.serverCpuPct;
  const lg = s.loadgenCpuPct;
  if (s.kind !== 'throughput' || srv === undefined || lg === undefined) return '-';
  // A process of the generator busy, not the generator's processes together: several can share a load.
  const busiest = s.loadgenBusiestPct ?? lg;
  if (busiest >= BUSY_PCT && busiest >= srv) return 'generator';
  if (srv >= BUSY_PCT) return 'server';
  return srv + lg >= 2 * BUSY_PCT ? 'cores' : '-';
}

/** One note per run where the generator, not the server, was the limit: its figures (and ratios against it) understate that server. */
export function generatorNotes(summaries: Summary[]): string[] {
  return summaries
    .filter((s) => limitOf(s) === 'generator')
    .map((s) => `${s.scenario} on ${s.server}: the load generator was the limit (generator ${Math.round(s.loadgenBusiestPct ?? s.loadgenCpuPct!)}% of a core, server ${Math.round(s.serverCpuPct!)}%): ${s.server} could go faster, and a ratio against it flatters the gateway; compare deliv/CPU-s instead`);
}

export const n0 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : Math.round(x).toLocaleString('en-US'));
export const ms = (us: number | undefined): string => (us === undefined ? '-' : (us / 1000).toFixed(us < 10000 ? 2 : 1));
const mb = (b: number | undefined): string => (b === undefined ? '-' : `${(b / 1048576).toFixed(1)}`);
const pct = (x: number | undefined): string => (x === undefined ? '-' : `${Math.round(x)}%`);
/** Thousands of deliveries per second of server CPU: the cost per message, whatever else the machine runs. */
const perCpu = (s: Summary): string => {
  const v = deliveriesPerCpuSecond(s);
  return v === undefined ? '-' : (v / 1000).toFixed(0);
};
const ratio = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(2));

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(header), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/** The stdout report: one table per kind, then the targets. */
export function formatReport(summaries: Summary[], baselines: string[], targets: TargetCheck[], notes: string[]): string {
  const parts: string[] = [];
  const order = (a: Summary, b: Summary) => (a.group === b.group ? (a.server === 'gateway' ? -1 : b.server === 'gateway' ? 1 : 0) : 0);
  const tp = summaries.filter((s) => s.kind === 'throughput' && s.server !== 'cluster').sort(order);
  if (tp.length > 0) {
    parts.push('Throughput: closed loop, as fast as each server goes (deliveries/s: median of the repetitions; ± half the min-max range)');
    parts.push(
      table(
        ['scenario', 'server', 'deliv/s', 'spread', 'p50 ms', 'p99 ms', 'lost', 'reord', 'srv CPU', 'lg CPU', 'limit', 'k/CPU-s', 'srv MB', ...baselines.map((b) => `x${b}`)],
        tp.map((s) => [
          s.scenario, s.server, n0(s.throughput?.median), s.throughput ? `±${s.throughput.spreadPct.toFixed(1)}%` : 'FAILED',
          ms(s.latencyUs?.p50), ms(s.latencyUs?.p99), n0(s.lost), n0(s.reordered), pct(s.serverCpuPct), pct(s.loadgenCpuPct), limitOf(s), perCpu(s), mb(s.serverPeakRss),
          ...baselines.map((b) => ratio(s.ratios?.[b])),
        ]),
      ),
    );
  }
  const lat = summaries.filter((s) => s.kind === 'latency' && s.server !== 'cluster').sort(order);
  if (lat.length > 0) {
    parts.push('\nLatency: open loop at a fixed rate (ratios: gateway p99 / their p99, lower is better)');
    parts.push(
      table(
        ['scenario', 'server', 'deliv/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'reord', 'srv CPU', 'lg CPU', 'srv MB', ...baselines.map((b) => `p99 x${b}`)],
        lat.map((s) => [
          s.scenario, s.server, n0(s.throughput?.median), ms(s.latencyUs?.p50), ms(s.latencyUs?.p99), ms(s.latencyUs?.max),
          n0(s.lost), n0(s.reordered), pct(s.serverCpuPct), pct(s.loadgenCpuPct), mb(s.serverPeakRss), ...baselines.map((b) => ratio(s.ratios?.[b])),
        ]),
      ),
    );
  }
  const cross = summaries.filter((s) => s.server === 'cluster');
  if (cross.length > 0) parts.push(crossTable(summaries, cross));
  const idle = summaries.filter((s) => s.kind === 'idle').sort(order);
  if (idle.length > 0) {
    parts.push('\nIdle connections: registered, then left idle; RSS right after setup, and settled (ratios: gateway settled RSS per 1k / theirs, lower is better)');
    const per1k = (b: number | undefined): string => (b === undefined ? 'FAILED' : (b / 1048576).toFixed(2));
    parts.push(
      table(
        ['scenario', 'server', 'conns', 'failed', 'setup/s', 'MB before', 'MB after', 'per 1k', 'MB settled', 'per 1k', 'settled in', ...baselines.map((b) => `x${b}`)],
        idle.map((s) => [
          s.scenario, s.server, n0(s.idle?.connections), n0(s.idle?.failed), n0(s.idle?.setupRate), mb(s.idle?.rssBefore), mb(s.idle?.rssAfter), per1k(s.idle?.rssPer1k),
          mb(s.idle?.rssSettled), per1k(s.idle?.rssPer1kSettled), s.idle?.settleMs ? `${(s.idle.settleMs / 1000).toFixed(0)} s` : '-', ...baselines.map((b) => ratio(s.ratios?.[b])),
        ]),
      ),
    );
  }
  const rated = summaries.filter((s) => s.figureRatios && Object.keys(s.figureRatios).length > 0);
  if (rated.length > 0 && baselines.length > 0) {
    parts.push('\nEvery gateway figure over each peer\'s in this run (deliv/s, deliv/CPU-s, setup/s: higher is better; ms and MB: lower is better)');
    parts.push(
      table(
        ['scenario', 'figure', ...baselines.map((b) => `x${b}`)],
        rated.flatMap((s) => Object.entries(s.figureRatios!).map(([fig, by]) => [s.scenario, fig, ...baselines.map((b) => ratio(by[b]))])),
      ),
    );
  }
  const failures = summaries.filter((s) => s.errors.length > 0);
  if (failures.length > 0) {
    parts.push('\nProblems:');
    for (const s of failures) parts.push(`  ${s.scenario} on ${s.server}: ${s.errors[0]!.split('\n')[0]}${s.errors.length > 1 ? ` (+${s.errors.length - 1} more)` : ''}`);
  }
  if (targets.length > 0) {
    parts.push('\nTargets (the issue):');
    for (const t of targets) parts.push(`  ${t.pass === undefined ? 'n/a ' : t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.measured}`);
  }
  const allNotes = [...generatorNotes(summaries), ...notes];
  if (allNotes.length > 0) parts.push(`\nNotes:\n${allNotes.map((n) => `  - ${n}`).join('\n')}`);
  return parts.join('\n');
}

/**
 * Across two nodes beside one (the same run): deliveries/s and latency of
 * each cross-node scenario next to its single-node scenario's, the ratio,
 * and the CPU and RSS of node a, node b and the redis-server apart, with the
 * load generator's.
 */
function crossTable(all: Summary[], cross: Summary[]): string {
  const node = (s: Summary, name: string) => s.nodes?.find((n) => n.name === name);
  const rows = cross.map((s) => {
    const one = all.find((o) => o.server === 'gateway' && o.scenario === s.vs);
    return [
      s.scenario, s.vs ?? '-', n0(s.throughput?.median), s.throughput ? `±${s.throughput.spreadPct.toFixed(1)}%` : 'FAILED', n0(one?.throughput?.median), ratio(s.ratios?.['1node']),
      ms(s.latencyUs?.p50), ms(s.latencyUs?.p99), ms(one?.latencyUs?.p99), n0(s.lost), n0(s.reordered),
      ...['a', 'b', 'redis'].flatMap((n) => [pct(node(s, n)?.cpuPct), mb(node(s, n)?.peakRss)]), pct(s.loadgenCpuPct),
    ];
  });
  const header = ['scenario', '1 node', 'deliv/s', 'spread', '1n deliv/s', 'x1node', 'p50 ms', 'p99 ms', '1n p99', 'lost', 'reord', 'a CPU', 'a MB', 'b CPU', 'b MB', 'redis CPU', 'redis MB', 'lg CPU'];
  return `\nAcross two nodes on one redis-server (senders on a, receivers on b; x1node: deliv/s, or for latency rows p99, over the single-node figure of the same run)\n${table(header, rows)}`;
}
