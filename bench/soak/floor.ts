import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

// An idle process that only measures its own 1 ms timer: how late the machine wakes a process that
// wants the CPU, with nothing of its own to do. Every latency measured beside it includes that
// twice at least (the gateway's wake-up and the generator's).
const CODE = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: 1 });
process.stdin.on('data', (d) => {
  if (d.includes('s')) { h.reset(); h.enable(); }
  if (d.includes('e')) {
    h.disable();
    // The histogram holds the time between samples: the 1 ms interval is not delay.
    process.stdout.write(JSON.stringify({ p99Ms: h.percentile(99) / 1e6 - 1, maxMs: h.max / 1e6 - 1 }) + '\\n');
  }
});
process.stdout.write('ready\\n');
`;

/** The machine's scheduling floor over a window, as an idle process sees it: its timer's delay p99 and worst. */
export class FloorProbe {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts the idle process; measuring begins with start(). */
  static async open(): Promise<FloorProbe> {
    const child = spawn(process.execPath, ['-e', CODE], { stdio: ['pipe', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    return new FloorProbe(child);
  }

  /** Begins the window. */
  start(): void {
    this.child.stdin!.write('s');
  }

  /** Ends the window; resolves with what the process saw. */
  async stop(): Promise<{ p99Ms: number; maxMs: number }> {
    const answer = once(this.child.stdout!, 'data');
    this.child.stdin!.write('e');
    const [line] = (await answer) as [Buffer];
    return JSON.parse(line.toString()) as { p99Ms: number; maxMs: number };
  }

  /** Ends the process. */
  close(): void {
    this.child.kill();
  }
}
