import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { discoverDialects } from '@chat-gateway/gateway';
import { runIdleScenario, runLoadScenario, type RunRecord } from './execute.js';
import { busiest, formatTop, topItems } from './profile.js';
import { formatReport, summarize } from './report.js';
import { checkTargets } from './targets.js';
import { FULL, QUICK, SCENARIOS, scale, select, type Scenario, type Timing } from './scenarios.js';
import type { ServerHandle } from './servers/child.js';
import { redisInstalled, startClusterChild } from './servers/cluster.js';
import { REPO_ROOT, startGatewayChild, startRelayChild } from './servers/local.js';
import { installPeers, peerInstalled, peerVersion, PEERS, startPeer, type Peer } from './servers/peers.js';

// The issue: `npm run bench -- --peers` finishes by itself in under 15 minutes.
const BUDGET_MS = 16 * 60 * 1000;

const args = yargs(hideBin(process.argv))
  .scriptName('npm run bench --')
  .usage('$0 [options]\n\nMeasures the gateway side by side with a raw Node relay and, when installed, ngIRCd and InspIRCd.')
  .option('quick', { type: 'boolean', default: false, describe: 'One short repetition, 100 pairs instead of 500, 2,000 idle connections (about four minutes)' })
  .option('only', { type: 'string', array: true, describe: 'Scenario ids, groups, kinds or prefixes, comma-separated (e.g. dm-psu-50, dm-50, latency, dm-)' })
  .option('servers', { type: 'string', describe: 'Comma-separated subset of gateway,cluster,relay,ngircd,inspircd (cluster: two gateway nodes on a redis-server)' })
  .option('peers', { type: 'boolean', describe: 'Install ngIRCd and InspIRCd with apt-get when absent and measure them (default: measure them when installed; --no-peers: never)' })
  .option('reps', { type: 'number', describe: 'Repetitions per scenario (default 3, quick 1)' })
  .option('duration', { type: 'number', describe: 'Measured window per run, ms (default 3000, quick 1000)' })
  .option('warmup', { type: 'number', describe: 'Traffic before the measured window, ms (default 1000, quick 300)' })
  .option('text-size', { type: 'number', default: 64, describe: 'Message text length, characters' })
  .option('profile', { type: 'boolean', default: false, describe: 'Run the gateway under node --cpu-prof and print its top self-time items' })
  .option('json', { type: 'string', describe: 'Where to write the JSON results (default bench/results/bench-<time>.json)' })
  .option('list', { type: 'boolean', default: false, describe: 'List the scenarios and exit' })
  .example('$0 --quick', 'a two-minute pass over everything')
  .example('$0 --only dm-psu-50 --servers gateway,relay', 'one figure against the Node ceiling')
  .example('$0 --peers', 'the full comparison (installs the peers if needed)')
  .strict()
  .wrap(100)
  .help()
  .parseSync();

const log = (s: string): void => void process.stderr.write(`${s}\n`);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

if (args.list) {
  for (const s of SCENARIOS) process.stdout.write(`${s.id.padEnd(12)} ${s.group.padEnd(9)} ${s.title}\n`);
  process.exit(0);
}

const t0 = performance.now();
const timing: Timing = { ...(args.quick ? QUICK : FULL) };
if (args.reps !== undefined) timing.reps = args.reps;
if (args.duration !== undefined) timing.durationMs = timing.latencyDurationMs = args.duration;
if (args.warmup !== undefined) timing.warmupMs = args.warmup;
const notes: string[] = [];
let profileDirMade: string | undefined;

// Every idle connection is a descriptor here and in the server.
const fdLimit = openFileLimit();
if (fdLimit !== undefined && timing.idleSize + 1000 > fdLimit) {
  const n = Math.max(1000, Math.floor((fdLimit - 1000) / 1000) * 1000);
  notes.push(`open-file limit is ${fdLimit} (ulimit -n): idle scenario cut from ${timing.idleSize} to ${n} connections; raise it with \`ulimit -n 20000\` first`);
  timing.idleSize = n;
}
const scenarios = select(args.only).map((s) => scale(s, timing));

let peers: Peer[] = [];
if (args.peers === true) peers = installPeers(log);
else if (args.peers === undefined) peers = PEERS.filter(peerInstalled);
const wanted = args.servers?.split(',').map((s) => s.trim());
// Cross-node scenarios run on `cluster`: two gateway processes on a redis-server the bench starts itself.
const crossWanted = scenarios.some((s) => s.nodes === 2) && (!wanted || wanted.includes('cluster'));
const cluster = crossWanted && redisInstalled() ? ['cluster'] : [];
if (crossWanted && cluster.length === 0) notes.push('redis-server not installed (apt-get install redis-server, or set REDIS_SERVER): the cross-node scenarios were skipped');
const serverNames = ['gateway', ...cluster, 'relay', ...peers].filter((s) => !wanted || wanted.includes(s));
if (args.peers === undefined && peers.length < PEERS.length && !wanted) notes.push(`${PEERS.filter((p) => !peers.includes(p)).join(', ')} not installed: run with --peers to install and measure`);
const baselines = serverNames.filter((s) => s !== 'gateway' && s !== 'cluster');
const dialects = [...(await discoverDialects()).keys()];


// BENCH_GATEWAY_NODE_ARGS: node flags for every gateway process, to measure one (e.g. `--max-semi-space-size=4`) beside the default.
const gatewayArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
const starters: Record<string, () => Promise<ServerHandle>> = {
  gateway: () => startGatewayChild(dialects, [...gatewayArgs, ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir('gateway')] : [])]),
  cluster: () => startClusterChild(dialects, (node) => [...gatewayArgs, ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir(`cluster-${node}`)] : [])]),
  relay: startRelayChild,
  ngircd: () => startPeer('ngircd'),
  inspircd: () => startPeer('inspircd'),
};

const records: RunRecord[] = [];
const loadScenarios = scenarios.filter((s) => s.kind !== 'idle');
const idleScenarios = scenarios.filter((s) => s.kind === 'idle');
const totalRuns = countRuns();
let done = 0;
let skipped = 0;
const loadAvg = os.loadavg()[0]!;
if (loadAvg > 0.5) notes.push(`the machine was not idle at the start (load average ${loadAvg.toFixed(2)}): other processes share the 2 cores, figures are noisy`);

log(`bench: ${scenarios.length} scenarios, servers ${serverNames.join(', ')}, ${timing.reps} repetition(s), ${totalRuns} runs`);
const running: ServerHandle[] = [];
try {
  if (loadScenarios.length > 0) {
    for (const name of serverNames) {
      running.push(await starters[name]!());
      log(`started ${name} (pid ${running.at(-1)!.pid})`);
    }
  }
  const groups = [...new Set(loadScenarios.map((s) => s.group))];
  for (const group of groups) {
    const mine = loadScenarios.filter((s) => s.group === group);
    for (let rep = 1; rep <= timing.reps; rep++) {
      // Rotate the server order every repetition so drift in machine load does not favour one server.
      const order = running.map((_, i) => running[(i + rep - 1) % running.length]!);
      // And the gateway's scenarios of the group too: the ones compared with each other (dm-irc-50, dm-psu-50) take turns going first.
      const turns = mine.map((_, i) => mine[(i + rep - 1) % mine.length]!);
      for (const server of order) {
        for (const s of runsOn(server.name, turns)) await runOne(() => runLoadScenario(server, s, timing, rep, args['text-size']), s, server.name, rep);
      }
    }
  }
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const s of idleScenarios) {
    for (const name of serverNames.filter((n) => n !== 'cluster')) await runOne(() => runIdleScenario(starters[name]!, s, 'psu'), s, name, 1);
  }
} finally {
  await Promise.all(running.map((s) => s.stop()));
}

if (skipped > 0) notes.push(`${skipped} runs skipped: the ${BUDGET_MS / 60000}-minute budget ran out`);
const summaries = summarize(records, baselines);
const targets = checkTargets(summaries);
const profileTexts: string[] = [];
if (args.profile) {
  // The gateway's profiles, and each cluster node's apart.
  const profiled = serverNames.flatMap((n) => (n === 'gateway' ? [[n, n]] : n === 'cluster' ? [[n, 'cluster-a'], [n, 'cluster-b']] : []));
  for (const [server, name] of profiled as [string, string][]) {
    // node --cpu-prof writes one profile per thread (main and tsx's loader worker): show the busiest.
    // Only the measured windows of that server's runs (idle: its setup) count, not startup or teardown.
    const windows = records.filter((r) => r.server === server && r.window && r.window[1] > 0).map((r) => r.window!);
    if (windows.length === 0) continue;
    const files = readdirSync(profileDir(name)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profileDir(name), f));
    const file = busiest(files, REPO_ROOT, windows);
    if (file) profileTexts.push(`${name}: ${formatTop(topItems(file, REPO_ROOT, 25, windows))}\n(profile: ${file}; samples in the measured windows only)`);
    else notes.push(`no CPU profile was written for ${name} (did it exit cleanly?)`);
  }
}
const elapsed = (performance.now() - t0) / 1000;
notes.push(`finished in ${elapsed.toFixed(0)} s`);
process.stdout.write(`\n${formatReport(summaries, baselines, targets, notes)}\n`);
for (const text of profileTexts) process.stdout.write(`\n${text}\n`);

const out = args.json ?? join(REPO_ROOT, 'bench', 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(join(out, '..'), { recursive: true });
const json = {
  meta: {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAverageAtStart: loadAvg,
    quick: args.quick,
    timing,
    textSize: args['text-size'],
    servers: serverNames,
    peerVersions: Object.fromEntries(peers.map((p) => [p, peerVersion(p)])),
    elapsedSeconds: elapsed,
  },
  scenarios: scenarios.map(({ id, group, kind, title, mode, size, senders, receivers, window, rate, nodes, vs }) => ({ id, group, kind, title, mode, size, senders, receivers, window, rate, nodes, vs })),
  summaries,
  targets,
  notes,
  runs: records,
};
writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(join(out, '..', 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
log(`results: ${out}`);
process.exit(0);

async function runOne(fn: () => Promise<RunRecord>, s: Scenario, server: string, rep: number): Promise<void> {
  done++;
  if (performance.now() - t0 > BUDGET_MS) {
    skipped++;
    return;
  }
  const r = await fn();
  records.push(r);
  const tag = `[${done}/${totalRuns}] ${r.scenario} ${server} #${rep}`;
  if (!r.ok) log(`${tag}: FAILED ${r.error?.split('\n')[0]}`);
  else if (r.idle) log(`${tag}: ${r.idle.connections} conns, ${Math.round(r.idle.setupRate)}/s, ${(r.idle.rssPer1k / 1048576).toFixed(2)} MB per 1k after setup, ${(r.idle.rssPer1kSettled / 1048576).toFixed(2)} settled`);
  else if (r.load) {
    const l = r.load;
    log(`${tag}: ${Math.round(l.throughput)}/s p50 ${(l.latencyUs.p50 / 1000).toFixed(2)} ms p99 ${(l.latencyUs.p99 / 1000).toFixed(2)} ms lost ${l.lost} reord ${l.reordered} srv ${Math.round(r.proc?.cpuPct ?? 0)}% lg ${Math.round(l.loadgenCpuPct)}%${l.errors ? ` errors ${l.errors}` : ''}`);
  }
  void s;
}

/**
 * The scenarios of a group a server runs: the gateway its single-node ones,
 * the cluster its cross-node ones, a baseline the group's load once (IRC).
 */
function runsOn(server: string, group: readonly Scenario[]): Scenario[] {
  const single = group.filter((s) => s.nodes === undefined);
  if (server === 'gateway') return single;
  if (server === 'cluster') return group.filter((s) => s.nodes === 2);
  return single.slice(0, 1);
}

function countRuns(): number {
  const groups = new Set(loadScenarios.map((s) => s.group));
  let n = 0;
  for (const g of groups) for (const server of serverNames) n += timing.reps * runsOn(server, loadScenarios.filter((s) => s.group === g)).length;
  return n + idleScenarios.length * serverNames.filter((s) => s !== 'cluster').length;
}

/** A fresh directory per run for a server's profiles (the gateway's, the cluster nodes'). */
function profileDir(server: string): string {
  profileDirMade ??= join(REPO_ROOT, 'bench', 'results', 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const dir = join(profileDirMade, server);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function openFileLimit(): number | undefined {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
