import type { BenchClient } from './client.js';
import { Histogram } from './histogram.js';
import { makeText, nowUs, padding, type Stamp } from './payload.js';
import { closeClients, openClients, type ClientPlan, type Endpoint } from './setup.js';

export interface LoadSpec {
  mode: 'dm' | 'room';
  /** dm: sender/receiver pairs; room: members (every member sends and receives). */
  size: number;
  /** dm: pair i's sender speaks senders[i % n], its receiver receivers[i % n]. room: members[i % n]. */
  senders: Endpoint[];
  receivers: Endpoint[];
  /** Room to join (room mode); codecs whose dialect starts users in it confirm at once. */
  room?: string;
  /** Closed loop: messages a sender may have in flight (not yet received everywhere). */
  window: number;
  /** Open loop instead: deliveries per second over all receivers. */
  rate?: number;
  durationMs: number;
  /** Before the measured window: traffic flows but throughput and latency are not recorded. */
  warmupMs: number;
  /** Hard cap on messages sent in total (the run stops early when reached). */
  maxMessages: number;
  /** After sending stops: how long to wait for what is still in flight before counting it lost. */
  drainMs: number;
  /** Message text length, characters. */
  textSize: number;
  concurrency: number;
  loginTimeoutMs: number;
  /** Makes nicks unique per run (servers may hold a nick briefly after a disconnect). */
  nickPrefix: string;
  /**
   * Called when the measured window opens and closes (the runner samples the server there). What the
   * end returns is awaited before the clients hang up: a sample of the window, not of their leaving.
   */
  onWindow?: (phase: 'start' | 'end') => void | Promise<unknown>;
  /** Awaited between setup and traffic: a split load (split.ts) starts its processes' traffic together. */
  beforeDrive?: () => Promise<void>;
  /**
   * A room split over processes (split.ts): this process's members are `base`..`base + size - 1`
   * of `total` (their flow numbers in every payload), the rest are another process's.
   */
  members?: { base: number; total: number };
  /**
   * A room split over processes: once sending stopped, this process's count sent goes in and what
   * its receivers are to get comes back (it depends on what the others sent), for the drain.
   */
  afterStop?: (sent: number) => Promise<number>;
}

export interface LoadResult {
  connections: number;
  setupMs: number;
  setupRate: number;
  sent: number;
  expected: number;
  delivered: number;
  lost: number;
  reordered: number;
  gaps: number;
  stray: number;
  errors: number;
  lastError?: string;
  /** Open loop: messages not sent because the sender's backlog was past the cap (server overloaded). */
  skipped: number;
  windowMs: number;
  /** Deliveries in the measured window per second. */
  throughput: number;
  latencyUs: { p50: number; p99: number; max: number; mean: number; count: number };
  loadgenCpuPct: number;
  /** A split load (split.ts): how many processes generated it, and the busiest one's CPU (percent of a core). */
  loadgenProcs?: number;
  loadgenBusiestPct?: number;
  /** The latencies themselves, for merging the parts of a split load (split.ts). */
  histogram?: Histogram;
}

class Flow {
  sent = 0;
  delivered = 0;
  dirty = false;
  /** `id`: its index here; `tag`: its number in payloads (a room split over processes numbers its members over all). */
  constructor(readonly id: number, readonly tag: number, readonly sender: BenchClient, readonly fanout: number, readonly to: string) {}
}

// Open loop: a sender more than this many messages behind is skipped, so an overloaded
// server cannot make the load generator buffer without bound.
const OPEN_LOOP_BACKLOG = 5000;

/** Runs one load: set up the clients, drive traffic, drain, close. Always stops by itself. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const run = new LoadRun(spec);
  const setup = await openClients(run.plans(), { concurrency: spec.concurrency, timeoutMs: spec.loginTimeoutMs, onStamp: run.onStamp });
  try {
    // Receiving before the wait: in a room split over processes another one's senders may start first.
    run.prepare(setup.clients);
    await spec.beforeDrive?.();
    return await run.drive(setup.clients, setup.ms, setup.rate);
  } finally {
    closeClients(setup.clients);
  }
}

/** One run's traffic and receiver statistics (order and latency per flow). */
class LoadRun {
  private readonly room: boolean;
  private readonly flows: Flow[] = [];
  private readonly hist = new Histogram();
  private readonly pad: string;
  private delivered = 0;
  private reordered = 0;
  private gaps = 0;
  private stray = 0;
  private windowDeliveries = 0;
  private sent = 0;
  private skipped = 0;
  private measuring = false;
  private running = false;
  private dirty: Flow[] = [];
  private pumpScheduled = false;
  private windowStart = 0;
  private windowEnd = 0;
  private cpu0 = process.cpuUsage();
  private cpuUs = 0;
  private timers: NodeJS.Timeout[] = [];
  private stopped: () => void = () => {};
  // The runner's sample at the window's end (onWindow), awaited before the clients hang up.
  private endSample?: void | Promise<unknown>;

  /** A room's members here are flows base.. of total (split.ts); alone, 0 of size. */
  private readonly base: number;
  private readonly total: number;

  constructor(private readonly spec: LoadSpec) {
    this.room = spec.mode === 'room';
    this.pad = padding(spec.textSize);
    this.base = spec.members?.base ?? 0;
    this.total = spec.members?.total ?? spec.size;
  }

  /** dm: clients 2i (sender) and 2i+1 (receiver) form pair i; room: client i is member i. */
  plans(): ClientPlan[] {
    const { spec } = this;
    const plans: ClientPlan[] = [];
    for (let i = 0; i < spec.size; i++) {
      if (this.room) plans.push({ endpoint: spec.senders[i % spec.senders.length]!, nick: `${spec.nickPrefix}m${i}`, room: spec.room });
      else {
        plans.push({ endpoint: spec.senders[i % spec.senders.length]!, nick: `${spec.nickPrefix}s${i}` });
        plans.push({ endpoint: spec.receivers[i % spec.receivers.length]!, nick: `${spec.nickPrefix}r${i}` });
      }
    }
    return plans;
  }

  /** A received bench message: count it, check its order within its flow, time it, refill its sender. */
  readonly onStamp = (c: BenchClient, st: Stamp): void => {
    // A room's flows are numbered over every process of a split load; another process's have no Flow here.
    const f = this.room ? this.flows[st.flow - this.base] : this.flows[st.flow];
    if (this.room ? !(st.flow >= 0 && st.flow < this.total) || c.index + this.base === st.flow : f === undefined || c.index !== 2 * st.flow + 1) {
      this.stray++;
      return;
    }
    if (f !== undefined) f.delivered++;
    this.delivered++;
    const slot = this.room ? st.flow : 0;
    const last = c.last[slot]!;
    if (st.seq === last + 1) c.last[slot] = st.seq;
    else if (st.seq > last) {
      this.gaps++;
      c.last[slot] = st.seq;
    } else this.reordered++;
    if (this.measuring) {
      this.hist.record(nowUs() - st.sentUs);
      this.windowDeliveries++;
    }
    if (f !== undefined && this.running && this.spec.rate === undefined && !f.dirty) {
      f.dirty = true;
      this.dirty.push(f);
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(this.pump);
      }
    }
  };

  /** The flows and each receiver's order state; stamps count from now on (traffic starts with drive). */
  prepare(clients: BenchClient[]): void {
    const { spec } = this;
    if (this.room) {
      // A sender's window counts the members of this process only: the others' deliveries are another process's to see.
      for (let i = 0; i < spec.size; i++) this.flows.push(new Flow(i, this.base + i, clients[i]!, spec.size - 1, spec.room ?? ''));
      for (const c of clients) c.last = new Float64Array(this.total).fill(-1);
    } else {
      for (let i = 0; i < spec.size; i++) this.flows.push(new Flow(i, i, clients[2 * i]!, 1, clients[2 * i + 1]!.nick));
      for (const c of clients) c.last = new Float64Array(1).fill(-1);
    }
    for (const c of clients) c.startReceiving();
  }

  async drive(clients: BenchClient[], setupMs: number, setupRate: number): Promise<LoadResult> {
    const { spec } = this;
    const done = new Promise<void>((resolve) => (this.stopped = resolve));
    this.running = true;
    this.timers.push(setTimeout(this.openWindow, spec.warmupMs));
    this.timers.push(setTimeout(this.stop, spec.warmupMs + spec.durationMs));
    if (spec.rate === undefined) for (const f of this.flows) this.refill(f);
    else this.openLoop(spec.rate);
    await done;
    await this.endSample;

    const expected = this.spec.afterStop ? await this.spec.afterStop(this.sent) : this.flows.reduce((n, f) => n + f.sent * f.fanout, 0);
    const drainUntil = performance.now() + spec.drainMs;
    while (this.delivered < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));

    const windowMs = this.windowEnd - this.windowStart;
    const h = this.hist;
    return {
      connections: clients.length,
      setupMs,
      setupRate,
      sent: this.sent,
      expected,
      delivered: this.delivered,
      lost: Math.max(0, expected - this.delivered),
      reordered: this.reordered,
      gaps: this.gaps,
      stray: this.stray,
      errors: clients.reduce((n, c) => n + c.errors, 0),
      lastError: clients.find((c) => c.errors > 0)?.lastError,
      skipped: this.skipped,
      windowMs,
      throughput: windowMs > 0 ? (this.windowDeliveries / windowMs) * 1000 : 0,
      latencyUs: { p50: h.quantile(0.5), p99: h.quantile(0.99), max: h.max, mean: h.mean, count: h.count },
      loadgenCpuPct: windowMs > 0 ? (this.cpuUs / 1000 / windowMs) * 100 : 0,
      histogram: h,
    };
  }

  private encode(f: Flow, t: number): string {
    const text = makeText(f.tag, f.sent++, t, this.pad);
    this.sent++;
    return this.room ? f.sender.codec.room(f.sender.nick, f.to, text) : f.sender.codec.dm(f.sender.nick, f.to, text);
  }

  /** Closed loop: tops a sender up to its window, in one write. */
  private refill(f: Flow): void {
    let batch = '';
    const t = nowUs();
    const window = this.spec.window;
    while (this.running && f.sent - f.delivered / f.fanout < window) {
      if (this.sent >= this.spec.maxMessages) {
        this.stop();
        break;
      }
      batch += this.encode(f, t);
    }
    if (batch.length > 0) f.sender.write(batch);
  }

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    const list = this.dirty;
    this.dirty = [];
    for (const f of list) {
      f.dirty = false;
      this.refill(f);
    }
  };

  /**
   * Open loop: message k goes to flow k % n, due at t0 + k / rate. Each tick
   * sends what is due, one write per sender; ticks come at most once a
   * millisecond (a timer), so at 20,000/s a tick sends about 20.
   */
  private openLoop(rate: number): void {
    const flows = this.flows;
    const n = flows.length;
    const perUs = rate / flows[0]!.fanout / 1e6;
    const t0 = nowUs();
    const pend: string[] = new Array<string>(n).fill('');
    const touched: number[] = [];
    let k = 0;
    const tick = (): void => {
      if (!this.running) return;
      const now = nowUs();
      const due = Math.floor((now - t0) * perUs);
      for (; k < due && this.sent < this.spec.maxMessages; k++) {
        const f = flows[k % n]!;
        if (f.sent - f.delivered / f.fanout >= OPEN_LOOP_BACKLOG) {
          this.skipped++;
          continue;
        }
        if (pend[f.id] === '') touched.push(f.id);
        pend[f.id] += this.encode(f, now);
      }
      for (const id of touched) {
        flows[id]!.sender.write(pend[id]!);
        pend[id] = '';
      }
      touched.length = 0;
      if (this.sent >= this.spec.maxMessages) return this.stop();
      // A timer, never a spin: ticks back to back (setImmediate) kept one core busy at any rate, and
      // on a 2-core machine that core was the server's (its p99 measured the generator). Each message
      // is stamped when it is written, so a millisecond's batch does not add to the latency measured.
      const waitUs = t0 + (k + 1) / perUs - nowUs();
      setTimeout(tick, Math.max(1, Math.floor(waitUs / 1000)));
    };
    tick();
  }

  private readonly openWindow = (): void => {
    if (!this.running || this.measuring) return;
    this.measuring = true;
    this.windowStart = performance.now();
    this.cpu0 = process.cpuUsage();
    this.spec.onWindow?.('start');
  };

  private readonly stop = (): void => {
    if (!this.running) return;
    if (!this.measuring) this.openWindow();
    this.running = false;
    this.measuring = false;
    this.windowEnd = performance.now();
    const cpu = process.cpuUsage(this.cpu0);
    this.cpuUs = cpu.user + cpu.system;
    this.endSample = this.spec.onWindow?.('end');
    for (const t of this.timers) clearTimeout(t);
    this.stopped();
  };
}
