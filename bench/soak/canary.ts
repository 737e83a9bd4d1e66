import { BenchClient } from '../loadgen/client.js';
import { CODECS } from '../loadgen/codecs/index.js';
import { Histogram } from '../loadgen/histogram.js';
import { makeText, nowUs, type Stamp } from '../loadgen/payload.js';

/** What the canary saw: round trips, the worst one, and the ones that never came back. */
export interface CanaryStats {
  count: number;
  p50Ms: number;
  worstMs: number;
  failures: number;
}

const FLOW = 7;

/**
 * Two ordinary users of two dialects (PSU and WS_2017) who DM each other
 * while an attack runs: A sends, B answers the moment it reads, A times the
 * round trip. A stalled event loop in the gateway shows here first.
 */
export class Canary {
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();
  private waiting?: { seq: number; resolve: (ms: number) => void };
  private hist = new Histogram();
  private worstUs = 0;
  private failures = 0;
  private loop?: Promise<void>;
  private looping = false;

  private constructor(private readonly a: BenchClient, private readonly b: BenchClient) {}

  /** Logs both users in (`tag` keeps their nicks apart from other canaries). */
  static async open(ports: Readonly<Record<string, number>>, tag: string): Promise<Canary> {
    let canary: Canary | undefined;
    const onStamp = (c: BenchClient, st: Stamp): void => canary?.stamp(c, st);
    const a = new BenchClient(CODECS.psu!, `cnA${tag}`, ports.psu!, '127.0.0.1', onStamp);
    const b = new BenchClient(CODECS.ws2017!, `cnB${tag}`, ports.ws2017!, '127.0.0.1', onStamp);
    await Promise.all([a.login(20_000), b.login(20_000)]);
    canary = new Canary(a, b);
    a.startReceiving();
    b.startReceiving();
    return canary;
  }

  /** One round trip A → B → A in ms; a lost one counts as a failure and as `timeoutMs`. Round trips run one at a time, in call order. */
  roundTrip(timeoutMs = 10_000): Promise<number> {
    const run = this.queue.then(() => this.one(timeoutMs));
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private one(timeoutMs: number): Promise<number> {
    const seq = ++this.seq;
    return new Promise<number>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.failures++;
        this.record(timeoutMs * 1000);
        resolve(timeoutMs);
      }, timeoutMs);
      this.waiting = {
        seq,
        resolve: (ms) => {
          clearTimeout(timer);
          resolve(ms);
        },
      };
      this.a.write(CODECS.psu!.dm(this.a.nick, this.b.nick, makeText(FLOW, seq, nowUs(), 'canary')));
    });
  }

  /** Round trips `gapMs` apart (under flood control's 20 a second) until stop(): the attack's whole length is watched. */
  start(gapMs = 60): void {
    this.looping = true;
    this.loop = (async () => {
      while (this.looping) {
        await this.roundTrip();
        await new Promise((r) => setTimeout(r, gapMs));
      }
    })();
  }

  /** Ends the loop started by start() and returns the figures since the last reset(). */
  async stop(): Promise<CanaryStats> {
    this.looping = false;
    await this.loop;
    return this.stats();
  }

  /** The figures so far. */
  stats(): CanaryStats {
    return { count: this.hist.count, p50Ms: this.hist.quantile(0.5) / 1000, worstMs: this.worstUs / 1000, failures: this.failures };
  }

  /** Starts the figures afresh (each attack case reports its own). */
  reset(): void {
    this.hist = new Histogram();
    this.worstUs = 0;
    this.failures = 0;
  }

  close(): void {
    this.looping = false;
    this.a.destroy();
    this.b.destroy();
  }

  private stamp(c: BenchClient, st: Stamp): void {
    if (st.flow !== FLOW) return;
    if (c === this.b) {
      // B answers at once with the same stamp: A's clock times the whole round trip.
      this.b.write(CODECS.ws2017!.dm(this.b.nick, this.a.nick, makeText(FLOW, st.seq, st.sentUs, 'canary')));
      return;
    }
    const w = this.waiting;
    if (!w || w.seq !== st.seq) return;
    this.waiting = undefined;
    const us = nowUs() - st.sentUs;
    this.record(us);
    w.resolve(us / 1000);
  }

  private record(us: number): void {
    this.hist.record(us);
    if (us > this.worstUs) this.worstUs = us;
  }
}
