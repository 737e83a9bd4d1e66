import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const CLK_TCK = 100;

export interface ProcSample {
  /** performance.now() when read. */
  at: number;
  /** User + system CPU time, milliseconds. */
  cpuMs: number;
  /** Resident set size, bytes. */
  rss: number;
}

/** Reads a process's CPU time and RSS from /proc; undefined when it is gone. */
export function sample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the `(comm)`, which may itself hold spaces: utime is field 14, stime 15, rss (pages) 24.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return { at: performance.now(), cpuMs, rss: m ? Number(m[1]) * 1024 : 0 };
  } catch {
    return undefined;
  }
}

/** CPU use between two samples, in percent of one core. */
export function cpuPct(a: ProcSample, b: ProcSample): number {
  const wall = b.at - a.at;
  return wall > 0 ? ((b.cpuMs - a.cpuMs) / wall) * 100 : 0;
}

/**
 * Samples a process every `everyMs` between start() and stop(): the runner
 * calls these at the edges of the measured window and reports the mean CPU
 * over the window and the peak RSS seen.
 */
export class ProcWatch {
  private first?: ProcSample;
  private last?: ProcSample;
  private timer?: NodeJS.Timeout;
  peakRss = 0;

  constructor(private readonly pid: number, private readonly everyMs = 250) {}

  start(): void {
    this.first = this.take();
    this.timer = setInterval(() => this.take(), this.everyMs);
    this.timer.unref();
  }

  stop(): { cpuPct: number; peakRss: number; rss: number } {
    clearInterval(this.timer);
    const end = this.take();
    const cpu = this.first && end ? cpuPct(this.first, end) : 0;
    return { cpuPct: cpu, peakRss: this.peakRss, rss: end?.rss ?? 0 };
  }

  private take(): ProcSample | undefined {
    const s = sample(this.pid);
    if (s) {
      this.last = s;
      if (s.rss > this.peakRss) this.peakRss = s.rss;
    }
    return s ?? this.last;
  }
}

/**
 * Waits until a process has used under `belowPct` of a core for `quietMs`
 * (it finished cleaning up after the previous run), at most `maxMs`.
 */
export async function waitIdle(pid: number, opts: { belowPct?: number; quietMs?: number; maxMs?: number } = {}): Promise<void> {
  const below = opts.belowPct ?? 5;
  const quiet = opts.quietMs ?? 300;
  const deadline = performance.now() + (opts.maxMs ?? 15000);
  let prev = sample(pid);
  let calmSince = performance.now();
  while (prev && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const cur = sample(pid);
    if (!cur) return;
    if (cpuPct(prev, cur) >= below) calmSince = cur.at;
    else if (cur.at - calmSince >= quiet) return;
    prev = cur;
  }
}

/** What waitSettled saw: the lowest RSS within its wait, and how long after the start it was read. */
export interface Settled {
  rss: number;
  afterMs: number;
}

/**
 * The RSS of an idle garbage-collected process once it has given back what a
 * burst left: V8 grows its young generation during a burst of logins and its
 * memory reducer returns it only after some seconds of idleness, in steps
 * (measured after 10,000 logins: the gateway 15 to 30 s, the raw relay a
 * first step at 6 s). So the lowest RSS of a fixed wait, sampled every
 * `everyMs` (1 s) for `maxMs` (40 s): every server waits alike, and a first,
 * partial step is not taken for the whole. Undefined when the process is gone.
 */
export async function waitSettled(pid: number, opts: { maxMs?: number; everyMs?: number } = {}): Promise<Settled | undefined> {
  const maxMs = opts.maxMs ?? 40_000;
  const t0 = performance.now();
  const first = sample(pid);
  if (!first) return undefined;
  let best: Settled = { rss: first.rss, afterMs: 0 };
  while (performance.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 1000));
    const cur = sample(pid);
    if (!cur) break;
    if (cur.rss < best.rss) best = { rss: cur.rss, afterMs: cur.at - t0 };
  }
  return best;
}
