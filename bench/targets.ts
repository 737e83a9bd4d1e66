import { ms, n0, type Summary, type TargetCheck } from './report.js';

const MB = 1048576;

/** The targets of issue 16 (performance, second pass) and issue 11's two cross-node ones, checked against this run (n/a when a figure is missing). */
export function checkTargets(summaries: Summary[]): TargetCheck[] {
  const gw = (id: string) => summaries.find((s) => s.server === 'gateway' && s.scenario === id);
  const out: TargetCheck[] = [];
  const ratioTarget = (id: string, base: string, min: number) => {
    const s = gw(id);
    const r = s?.ratios?.[base];
    out.push({ target: `${id} deliveries/s >= ${min.toFixed(2)}x ${base}`, measured: r === undefined ? 'not measured' : `${r.toFixed(2)}x (${n0(s!.throughput?.median)}/s)`, pass: r === undefined ? undefined : r >= min });
  };
  ratioTarget('dm-psu-50', 'relay', 0.7);
  ratioTarget('dm-psu-50', 'inspircd', 1.0);
  ratioTarget('dm-psu-1', 'relay', 0.7);
  ratioTarget('room-50', 'relay', 1.45);
  const l50 = gw('lat-50');
  out.push({ target: 'lat-50 p99 <= 1 ms at 20,000 deliveries/s', measured: l50?.latencyUs ? `${ms(l50.latencyUs.p99)} ms (${n0(l50.throughput?.median)}/s reached)` : 'not measured', pass: l50?.latencyUs ? l50.latencyUs.p99 <= 1000 : undefined });
  const idle = summaries.find((s) => s.server === 'gateway' && s.kind === 'idle');
  const i = idle?.idle;
  // Settled: what the idle connections hold, once V8 gave back the young generation the burst of logins grew (proc.ts waitSettled).
  const settledIn = i?.settleMs ? `, settled in ${(i.settleMs / 1000).toFixed(0)} s` : '';
  out.push({
    target: 'idle RSS <= 3 MB per 1k registered connections (settled)',
    measured: i ? `${(i.rssPer1kSettled / MB).toFixed(2)} MB per 1k (${n0(i.connections)} conns${settledIn}; ${(i.rssPer1k / MB).toFixed(2)} right after setup)` : 'not measured',
    pass: i ? i.rssPer1kSettled <= 3 * MB : undefined,
  });
  out.push({ target: '10,000 connections held', measured: i ? `${n0(i.connections)} held, ${n0(i.failed)} failed` : 'not measured', pass: i ? i.connections >= 10000 && i.failed === 0 : undefined });
  // The idle run's RSS before its first connection: the gateway as started, listeners bound.
  out.push({ target: 'RSS at start <= 60 MB', measured: i ? `${(i.rssBefore / MB).toFixed(1)} MB` : 'not measured', pass: i ? i.rssBefore <= 60 * MB : undefined });
  out.push({ target: 'setup >= 7,000 conn/s at 100 concurrent', measured: i ? `${n0(i.setupRate)}/s` : 'not measured', pass: i ? i.setupRate >= 7000 : undefined });
  const xdm = summaries.find((s) => s.server === 'cluster' && s.scenario === 'xdm-psu-50');
  const xr = xdm?.ratios?.['1node'];
  out.push({ target: 'xdm-psu-50 deliveries/s >= 0.5x dm-psu-50 (cross-node over single-node)', measured: xr === undefined ? 'not measured' : `${xr.toFixed(2)}x (${n0(xdm!.throughput?.median)}/s)`, pass: xr === undefined ? undefined : xr >= 0.5 });
  // Issue 11's latency target: across two nodes, open loop at 20,000 deliveries/s.
  const xlat = summaries.find((s) => s.server === 'cluster' && s.scenario === 'xlat-50');
  out.push({ target: 'xlat-50 p99 <= 5 ms at 20,000 deliveries/s (node a -> node b)', measured: xlat?.latencyUs ? `${ms(xlat.latencyUs.p99)} ms (${n0(xlat.throughput?.median)}/s reached)` : 'not measured', pass: xlat?.latencyUs ? xlat.latencyUs.p99 <= 5000 : undefined });
  const mine = summaries.filter((s) => s.server === 'gateway' || s.server === 'cluster');
  const lost = mine.reduce((n, s) => n + s.lost, 0);
  const reord = mine.reduce((n, s) => n + s.reordered, 0);
  out.push({ target: 'gateway (one node and two): zero lost and zero reordered', measured: `${lost} lost, ${reord} reordered`, pass: mine.length === 0 ? undefined : lost === 0 && reord === 0 });
  return out;
}
