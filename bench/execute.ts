import { CODECS } from './loadgen/codecs/index.js';
import { runLoad, type LoadResult } from './loadgen/driver.js';
import { closeClients, openClients, type ClientPlan, type Endpoint } from './loadgen/setup.js';
import type { Scenario, Timing } from './scenarios.js';
import type { ServerHandle } from './servers/child.js';
import { ProcWatch, sample, waitIdle } from './servers/proc.js';

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
  /** (rssAfter - rssBefore) per 1,000 connections, bytes. */
  rssPer1k: number;
  /** Connections the server closed while idle (should be 0). */
  dropped: number;
  /** Handshakes that failed during setup (counted and skipped), and the first reason. */
  failed: number;
  firstError?: string;
}

let runCounter = 0;

/** True for the gateway; relay and peers speak IRC. */
function isGateway(server: ServerHandle): boolean {
  return server.name === 'gateway';
}

function endpoints(server: ServerHandle, dialects: string[]): Endpoint[] {
  if (!isGateway(server)) return [{ codec: CODECS.irc!, port: server.ports.irc! }];
  return dialects.map((d) => {
    const port = server.ports[d];
    if (port === undefined) throw new Error(`the gateway has no ${d} listener (is the dialect built?)`);
    return { codec: CODECS[d]!, port };
  });
}

/** Runs a throughput or latency scenario once on a server. Never throws: failures are recorded. */
export async function runLoadScenario(server: ServerHandle, s: Scenario, t: Timing, rep: number, textSize: number): Promise<RunRecord> {
  const rec: RunRecord = { scenario: isGateway(server) ? s.id : s.group, group: s.group, kind: s.kind, server: server.name, rep, ok: false };
  // The previous run's disconnects must be over before this one starts.
  await waitIdle(server.pid, { maxMs: 15000 });
  const watch = new ProcWatch(server.pid);
  try {
    rec.load = await runLoad({
      mode: s.mode,
      size: s.size,
      senders: endpoints(server, s.senders),
      receivers: s.mode === 'dm' ? endpoints(server, s.receivers) : [],
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
          watch.start();
          rec.window = [monoUs(), 0];
        } else {
          rec.proc = watch.stop();
          if (rec.window) rec.window[1] = monoUs();
        }
      },
    });
    rec.ok = true;
  } catch (err) {
    rec.error = (err as Error).message;
  }
  return rec;
}

/**
 * The idle scenario on a fresh server: open `size` registered connections,
 * 100 handshakes at a time, let the server settle, and compare its RSS with
 * before. The server is started and stopped here so earlier runs' heap does
 * not count.
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
      const dropped = setup.clients.filter((c) => c.closed).length;
      const held = setup.clients.length - dropped;
      rec.idle = {
        connections: held,
        setupMs: setup.ms,
        setupRate: setup.rate,
        rssBefore: before.rss,
        rssAfter: after.rss,
        rssPer1k: ((after.rss - before.rss) / Math.max(1, held)) * 1000,
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
