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
