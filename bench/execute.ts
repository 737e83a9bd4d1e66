import { availableParallelism } from 'node:os';
import { CODECS } from './loadgen/codecs/index.js';
import type { LoadResult } from './loadgen/driver.js';
import { runSplitLoad } from './loadgen/split.js';
import { closeClients, openClients, type ClientPlan, type Endpoint } from './loadgen/setup.js';
import type { Scenario, Timing } from './scenarios.js';
import type { ServerHandle } from './servers/child.js';
import { ProcWatch, sample, waitIdle, waitSettled } from './servers/proc.js';

/** One scenario run on one server: what the load generator saw and what /proc said about the server. */
export interface RunRecord {
  /** The gateway scenario id, or the baseline group id for relay and peers. */
  scenario: string;
  group: string;
  kind: Scenario['kind'];
  server: string;
  rep: number;
  ok: boolean;
  error?: string;
  load?: LoadResult;
  /** Server CPU (percent of one core, mean over the measured window) and RSS (bytes). */
  proc?: { cpuPct: number; peakRss: number; rss: number };
  /** A cluster's processes one by one (nodes a and b, then its redis-server). */
  nodes?: { name: string; cpuPct: number; peakRss: number; rss: number }[];
  /** The single-node scenario this cross-node one is compared with. */
  vs?: string;
  idle?: IdleResult;
  /** The measured window (idle: the setup) in monotonic microseconds, the clock of CPU profiles. */
  window?: [number, number];
}

/** Monotonic microseconds (CLOCK_MONOTONIC, as V8's profiler timestamps). */
const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);

export interface IdleResult {
  connections: number;
  setupMs: number;
  /** Registered connections per second, `concurrency` handshakes in flight. */
  setupRate: number;
  rssBefore: number;
  rssAfter: number;
  /** (rssAfter - rssBefore) per 1,000 connections, bytes: right after setup. */
  rssPer1k: number;
  /** The lowest RSS once settled (a garbage-collected server, proc.ts waitSettled; else rssAfter). */
  rssSettled: number;
  /** (rssSettled - rssBefore) per 1,000 connections, bytes: what idle connections hold. */
  rssPer1kSettled: number;
  /** How long after rssAfter the settled RSS was read (0: not garbage-collected, or nothing given back). */
  settleMs: number;
  /** Connections the server closed while idle (should be 0). */
  dropped: number;
  /** Handshakes that failed during setup (counted and skipped), and the first reason. */
  failed: number;
  firstError?: string;
}

let runCounter = 0;
// Processes a DM load is split over (loadgen/split.ts): two, one per core of the machine the figures come from.
const LOAD_PROCESSES = Number(process.env.BENCH_LOAD_PROCESSES ?? 2);
// A room load is split only where a core is left for the server beside one per load process: each process
// receives its members' share of every message, and on 2 cores two of them and the server are the limit
// (room-50, one run each: gateway 1.15M/s in one process, 0.82M/s in two; relay 2.15M/s and 1.62M/s).
const ROOM_LOAD_PROCESSES = Number(process.env.BENCH_ROOM_LOAD_PROCESSES ?? (availableParallelism() > LOAD_PROCESSES ? LOAD_PROCESSES : 1));
const sum = (xs: number[]): number => xs.reduce((n, x) => n + x, 0);

/** True for the gateway, on one node or two; relay and peers speak IRC. */
function isGateway(server: ServerHandle): boolean {
  return server.name === 'gateway' || server.name === 'cluster';
}

/** Each dialect's listener on a gateway (on node `node` of a cluster), or the one IRC port of the others. */
function endpoints(server: ServerHandle, dialects: string[], node = 0): Endpoint[] {
  if (!isGateway(server)) return [{ codec: CODECS.irc!, port: server.ports.irc! }];
  const ports = server.nodes?.[node]?.ports ?? server.ports;
  return dialects.map((d) => {
    const port = ports[d];
    if (port === undefined) throw new Error(`the gateway has no ${d} listener (is the dialect built?)`);
    return { codec: CODECS[d]!, port };
  });
}

/**
 * Where a scenario's clients connect: across two nodes, dm senders on a and
 * receivers on b, room members on a then b for every dialect (member i takes
 * entry i mod n, so both nodes hold every dialect); else all on the one server.
 */
function placement(server: ServerHandle, s: Scenario): { senders: Endpoint[]; receivers: Endpoint[] } {
  if (s.nodes !== 2) return { senders: endpoints(server, s.senders), receivers: s.mode === 'dm' ? endpoints(server, s.receivers) : [] };
  if (s.mode === 'dm') return { senders: endpoints(server, s.senders, 0), receivers: endpoints(server, s.receivers, 1) };
  return { senders: [...endpoints(server, s.senders, 0), ...endpoints(server, s.senders, 1)], receivers: [] };
}

/** Every process of the server: the cluster's nodes and its redis-server, or the one. */
function processes(server: ServerHandle): readonly { name: string; pid: number }[] {
  return server.nodes ?? [{ name: server.name, pid: server.pid }];
}

/** Runs a throughput or latency scenario once on a server. Never throws: failures are recorded. */
export async function runLoadScenario(server: ServerHandle, s: Scenario, t: Timing, rep: number, textSize: number): Promise<RunRecord> {
  const rec: RunRecord = { scenario: isGateway(server) ? s.id : s.group, group: s.group, kind: s.kind, server: server.name, rep, ok: false, vs: s.vs };
  // The previous run's disconnects must be over before this one starts.
  for (const p of processes(server)) await waitIdle(p.pid, { maxMs: 15000 });
  const watches = processes(server).map((p) => ({ name: p.name, watch: new ProcWatch(p.pid) }));
  try {
    // DM loads in two processes, every server alike: one process saturated on the fastest ones (rooms: ROOM_LOAD_PROCESSES).
    rec.load = await runSplitLoad({
      mode: s.mode,
      size: s.size,
      ...placement(server, s),
      // ChatMaster users start in general; IRC channels need a name of their own.
      room: isGateway(server) ? 'general' : 'bench',
      window: s.window,
      rate: s.rate,
      durationMs: s.kind === 'latency' ? t.latencyDurationMs : t.durationMs,
      warmupMs: t.warmupMs,
      maxMessages: 50_000_000,
      drainMs: t.drainMs,
      textSize,
      concurrency: 100,
      loginTimeoutMs: 30000,
      nickPrefix: `b${++runCounter}`,
      onWindow: (phase) => {
        if (phase === 'start') {
          for (const w of watches) w.watch.start();
          rec.window = [monoUs(), 0];
        } else {
          const each = watches.map((w) => ({ name: w.name, ...w.watch.stop() }));
          // The server's figure is its gateway processes' together; a cluster's redis-server is reported beside them.
          const gateways = each.filter((p) => p.name !== 'redis');
          rec.proc = { cpuPct: sum(gateways.map((p) => p.cpuPct)), peakRss: sum(gateways.map((p) => p.peakRss)), rss: sum(gateways.map((p) => p.rss)) };
          if (server.nodes) rec.nodes = each;
          if (rec.window) rec.window[1] = monoUs();
        }
      },
    }, s.mode === 'room' ? ROOM_LOAD_PROCESSES : LOAD_PROCESSES);
    rec.ok = true;
  } catch (err) {
    rec.error = (err as Error).message;
  }
  return rec;
}

/**
 * The idle scenario on a fresh server: open `size` registered connections,
 * 100 handshakes at a time, let the server settle, and compare its RSS with
 * before, right after setup and (a garbage-collected server) once it gave
 * back what the burst of logins left. The server is started and stopped
 * here so earlier runs' heap does not count.
 */
export async function runIdleScenario(start: () => Promise<ServerHandle>, s: Scenario, dialect: string): Promise<RunRecord> {
  let server: ServerHandle | undefined;
  const rec: RunRecord = { scenario: s.id, group: s.group, kind: 'idle', server: '?', rep: 1, ok: false };
  try {
    server = await start();
    rec.server = server.name;
    if (!isGateway(server)) rec.scenario = s.group;
    await waitIdle(server.pid, { quietMs: 500 });
    await new Promise((r) => setTimeout(r, 500));
    const before = sample(server.pid)!;
    const ep = isGateway(server) ? endpoints(server, [dialect])[0]! : endpoints(server, [])[0]!;
    const prefix = `i${++runCounter}u`;
    const plans: ClientPlan[] = Array.from({ length: s.size }, (_, i) => ({ endpoint: ep, nick: `${prefix}${i}` }));
    // A server that refuses some connections still gets its figures, with the failures counted.
    const setupStart = monoUs();
    const setup = await openClients(plans, { concurrency: 100, timeoutMs: 60000, onStamp: () => {}, tolerate: Math.floor(s.size / 10) });
    rec.window = [setupStart, monoUs()];
    try {
      await waitIdle(server.pid, { quietMs: 500 });
      await new Promise((r) => setTimeout(r, 1000));
      const after = sample(server.pid)!;
      const settled = server.collectsGarbage ? await waitSettled(server.pid) : undefined;
      const rssSettled = Math.min(after.rss, settled?.rss ?? after.rss);
      const dropped = setup.clients.filter((c) => c.closed).length;
      const held = setup.clients.length - dropped;
      rec.idle = {
        connections: held,
        setupMs: setup.ms,
        setupRate: setup.rate,
        rssBefore: before.rss,
        rssAfter: after.rss,
        rssPer1k: ((after.rss - before.rss) / Math.max(1, held)) * 1000,
        rssSettled,
        rssPer1kSettled: ((rssSettled - before.rss) / Math.max(1, held)) * 1000,
        settleMs: settled && settled.rss < after.rss ? settled.afterMs : 0,
        dropped,
        failed: setup.failed,
        firstError: setup.firstError,
      };
      rec.proc = { cpuPct: 0, peakRss: after.rss, rss: after.rss };
      rec.ok = held > 0;
      const problems = [
        setup.failed > 0 ? `${setup.failed} of ${s.size} handshakes failed (first: ${setup.firstError})` : '',
        dropped > 0 ? `${dropped} connections were closed by the server while idle` : '',
      ].filter(Boolean);
      if (problems.length > 0) rec.error = problems.join('; ');
    } finally {
      closeClients(setup.clients);
    }
  } catch (err) {
    rec.error = (err as Error).message;
  } finally {
    await server?.stop();
  }
  return rec;
}
