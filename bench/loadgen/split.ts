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
export type WireSpec = Omit<LoadSpec, 'senders' | 'receivers' | 'onWindow' | 'beforeDrive' | 'afterStop'> & { senders: WireEndpoint[]; receivers: WireEndpoint[] };

/** What a load process says: set up, the window opening and closing, its result. */
export type LoadMessage =
  | { type: 'ready' }
  | { type: 'window'; phase: 'start' | 'end' }
  | { type: 'sent'; sent: number }
  | { type: 'result'; result: Omit<LoadResult, 'histogram'>; histogram: HistogramWire }
  | { type: 'failed'; error: string };

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export const toWire = (e: Endpoint): WireEndpoint => ({ codec: e.codec.name, port: e.port, host: e.host });
export const fromWire = (e: WireEndpoint): Endpoint => ({ codec: CODECS[e.codec]!, port: e.port, host: e.host });

/**
 * A closed-loop load run by `procs` processes, so the load generator is not
 * the limit it measures where one process would saturate (bench/README.md
 * "What is measured"). DM pairs are dealt out among them (pair i to process
 * i % procs, in turn over the same endpoints) and are independent. A room's
 * members are split in blocks, one room: a sender's window counts the
 * deliveries to its own process's members (the others' are another
 * process's to see), and once sending stops every process is told what its
 * members are to receive from all senders, for its drain. Every process
 * sets up its clients (counting what they receive from then on: another
 * process may start first), then all start their traffic together; the first
 * one's window is the run's window (onWindow), and the results are summed,
 * their latencies merged.
 */
export async function runSplitLoad(spec: LoadSpec, procs: number): Promise<LoadResult> {
  // Open loop (a latency run at a fixed rate) stays in one process: it does not saturate one (about
  // 40% at 20,000/s), and more processes than cores only add scheduling delay to what is timed.
  if (spec.rate !== undefined || procs < 2 || spec.size < procs) return runLoad(spec);
  const room = spec.mode === 'room';
  const sizes = Array.from({ length: procs }, (_, k) => Math.floor(spec.size / procs) + (k < spec.size % procs ? 1 : 0));
  const parts = sizes.map((size, k): WireSpec => {
    const base = sizes.slice(0, k).reduce((a, b) => a + b, 0);
    // DM: pair j of part k is pair k + j*procs of the whole. Room: member j of part k is member base + j.
    // Either way the same endpoint mix as one process would use.
    const at = (j: number): number => (room ? base + j : k + j * procs);
    const pick = (list: Endpoint[]) => Array.from({ length: Math.min(list.length, size) }, (_, j) => toWire(list[at(j) % list.length]!));
    const share = size / spec.size;
    return {
      mode: spec.mode, size, window: spec.window, durationMs: spec.durationMs, warmupMs: spec.warmupMs, drainMs: spec.drainMs,
      textSize: spec.textSize, concurrency: Math.max(1, Math.ceil(spec.concurrency / procs)), loginTimeoutMs: spec.loginTimeoutMs,
      nickPrefix: `${spec.nickPrefix}p${k}`, senders: pick(spec.senders), receivers: pick(spec.receivers),
      maxMessages: Math.ceil(spec.maxMessages * share),
      ...(room ? { room: spec.room, members: { base, total: spec.size } } : {}),
    };
  });
  const tally = new RoomTally(sizes);
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
              } else if (m.type === 'sent') {
                void tally.expect(k, m.sent).then((expected) => child.send({ type: 'expect', expected }));
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

/**
 * The parts of a room split over processes, once they stopped sending: what each sent, and so
 * what each one's members are to receive (every message reaches every member but its sender).
 */
export class RoomTally {
  private readonly sent: (number | undefined)[];
  private readonly waiting: (() => void)[] = [];

  /** `sizes`: the members of each part. */
  constructor(private readonly sizes: readonly number[]) {
    this.sent = new Array<number | undefined>(sizes.length).fill(undefined);
  }

  /** Part `k` sent `n` in all: resolves with what its members are to receive, once every part said what it sent. */
  expect(k: number, n: number): Promise<number> {
    this.sent[k] = n;
    const expected = new Promise<number>((resolve) => this.waiting.push(() => resolve(this.total() * this.sizes[k]! - n)));
    if (this.sent.every((x) => x !== undefined)) for (const answer of this.waiting.splice(0)) answer();
    return expected;
  }

  private total(): number {
    return this.sent.reduce<number>((a, b) => a + (b ?? 0), 0);
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
