import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CODECS } from './codecs/index.js';
import { runLoad, type LoadResult, type LoadSpec } from './driver.js';
import { Histogram, type HistogramWire } from './histogram.js';
import type { Endpoint } from './setup.js';

/** An endpoint as it travels to a load process: the codec by name. */
export interface WireEndpoint {
  codec: string;
  port: number;
  host?: string;
}

/** A part of a split load: everything of LoadSpec that can be sent to another process. */
export type WireSpec = Omit<LoadSpec, 'senders' | 'receivers' | 'onWindow' | 'beforeDrive'> & { senders: WireEndpoint[]; receivers: WireEndpoint[] };

/** What a load process says: set up, the window opening and closing, its result. */
export type LoadMessage =
  | { type: 'ready' }
  | { type: 'window'; phase: 'start' | 'end' }
  | { type: 'result'; result: Omit<LoadResult, 'histogram'>; histogram: HistogramWire }
  | { type: 'failed'; error: string };

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export const toWire = (e: Endpoint): WireEndpoint => ({ codec: e.codec.name, port: e.port, host: e.host });
export const fromWire = (e: WireEndpoint): Endpoint => ({ codec: CODECS[e.codec]!, port: e.port, host: e.host });

/**
 * A closed-loop DM load run by `procs` processes, the pairs dealt out among them (pair i
 * to process i % procs, in turn over the same endpoints), so the load
 * generator is not the limit it measures where one process would saturate
 * (bench/README.md "What is measured"). Every process sets up its clients, then all
 * start their traffic together; the first one's window is the run's window
 * (onWindow), and the results are summed, their latencies merged. Pairs are
 * independent, so nothing else needs to cross processes; a room's members
 * are not (a sender's window waits for every member), so a room load stays
 * in one process.
 */
export async function runSplitLoad(spec: LoadSpec, procs: number): Promise<LoadResult> {
  // Open loop (a latency run at a fixed rate) stays in one process: it does not saturate one (about
  // 40% at 20,000/s), and more processes than cores only add scheduling delay to what is timed.
  if (spec.mode !== 'dm' || spec.rate !== undefined || procs < 2 || spec.size < procs) return runLoad(spec);
  const parts = Array.from({ length: procs }, (_, k): WireSpec => {
    const size = Math.floor(spec.size / procs) + (k < spec.size % procs ? 1 : 0);
    // Pair j of part k is pair k + j*procs of the whole: the same endpoint mix as one process would use.
    const pick = (list: Endpoint[]) => Array.from({ length: Math.min(list.length, size) }, (_, j) => toWire(list[(k + j * procs) % list.length]!));
    const share = size / spec.size;
    return {
      mode: spec.mode, size, window: spec.window, durationMs: spec.durationMs, warmupMs: spec.warmupMs, drainMs: spec.drainMs,
      textSize: spec.textSize, concurrency: Math.max(1, Math.ceil(spec.concurrency / procs)), loginTimeoutMs: spec.loginTimeoutMs,
      nickPrefix: `${spec.nickPrefix}p${k}`, senders: pick(spec.senders), receivers: pick(spec.receivers),
      maxMessages: Math.ceil(spec.maxMessages * share), ...(spec.rate === undefined ? {} : { rate: spec.rate * share }),
    };
  });
  const children: ChildProcess[] = [];
  const kill = (): void => {
    for (const c of children) c.kill('SIGKILL');
  };
  process.once('exit', kill);
  try {
    let ready = 0;
    let go!: () => void;
    const allReady = new Promise<void>((resolve) => (go = resolve));
    const results = await Promise.all(
      parts.map(
        (part, k) =>
          new Promise<{ result: Omit<LoadResult, 'histogram'>; histogram: HistogramWire }>((resolve, reject) => {
            const child = fork(WORKER, [], { execArgv: ['--conditions=source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
            children.push(child);
            child.once('exit', () => reject(new Error(`load process ${k} exited without a result`)));
            child.on('message', (m: LoadMessage) => {
              if (m.type === 'ready') {
                if (++ready === procs) go();
                void allReady.then(() => child.send({ type: 'go' }));
              } else if (m.type === 'window') {
                if (k === 0) spec.onWindow?.(m.phase);
              } else if (m.type === 'result') resolve(m);
              else reject(new Error(`load process ${k}: ${m.error}`));
            });
            child.send({ type: 'spec', spec: part });
          }),
      ),
    );
    return merge(results);
  } finally {
    process.off('exit', kill);
    kill();
  }
}

/** The parts' results as one: counts and rates summed, latencies merged, setup as long as the longest. */
function merge(parts: { result: Omit<LoadResult, 'histogram'>; histogram: HistogramWire }[]): LoadResult {
  const rs = parts.map((p) => p.result);
  const sum = (f: (r: Omit<LoadResult, 'histogram'>) => number): number => rs.reduce((n, r) => n + f(r), 0);
  const h = new Histogram();
  for (const p of parts) h.mergeWire(p.histogram);
  const setupMs = Math.max(...rs.map((r) => r.setupMs));
  const connections = sum((r) => r.connections);
  return {
    connections,
    setupMs,
    setupRate: setupMs > 0 ? (connections / setupMs) * 1000 : 0,
    sent: sum((r) => r.sent),
    expected: sum((r) => r.expected),
    delivered: sum((r) => r.delivered),
    lost: sum((r) => r.lost),
    reordered: sum((r) => r.reordered),
    gaps: sum((r) => r.gaps),
    stray: sum((r) => r.stray),
    errors: sum((r) => r.errors),
    lastError: rs.find((r) => r.lastError !== undefined)?.lastError,
    skipped: sum((r) => r.skipped),
    windowMs: rs[0]!.windowMs,
    throughput: sum((r) => r.throughput),
    latencyUs: { p50: h.quantile(0.5), p99: h.quantile(0.99), max: h.max, mean: h.mean, count: h.count },
    // Percent of one core, the processes' together (more than 100 when the load needed more than one).
    loadgenCpuPct: sum((r) => r.loadgenCpuPct),
    loadgenProcs: rs.length,
    loadgenBusiestPct: Math.max(...rs.map((r) => r.loadgenCpuPct)),
    histogram: h,
  };
}
