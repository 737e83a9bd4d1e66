import { Writable } from 'node:stream';

/** One pino JSON log record. */
export interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/**
 * JSON log lines as they arrive (from a child's stdout or an in-process
 * pino destination), with waits for the line a test expects: a test
 * synchronizes on what the gateway logs, never on time.
 */
export class LogLines {
  readonly lines: LogLine[] = [];
  /** Lines that are not JSON (npm's banner, say), when non-JSON lines are allowed. */
  readonly other: string[] = [];
  private partial = '';
  private waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  private ended?: string;
  private readonly enders = new Set<(why: string) => void>();

  /** `strict`: every line must be JSON (the gateway's stdout); else other lines are kept apart. */
  constructor(private readonly strict = true) {}

  /** A pino destination that feeds this. */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _enc, done) => {
        this.push(String(chunk));
        done();
      },
    });
  }

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!;
    for (const raw of parts) {
      if (raw.trim() === '') continue;
      if (!this.strict && !raw.startsWith('{')) {
        this.other.push(raw);
        continue;
      }
      const line = JSON.parse(raw) as LogLine; // a gateway log line must be JSON
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => (w.pred(line) ? (w.resolve(line), false) : true));
    }
  }

  /** No more lines will come (the process exited): waits still pending fail with `why`. */
  end(why: string): void {
    this.ended = why;
    for (const f of this.enders) f(why);
  }

  /** The first line (already seen or yet to come) matching `pred`, waiting up to timeoutMs. */
  waitFor(pred: (l: LogLine) => boolean, what: string, timeoutMs = 10_000): Promise<LogLine> {
    const seen = this.lines.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        this.enders.delete(fail);
        reject(new Error(`no ${what} log line: ${why}; lines: ${JSON.stringify(this.lines.map((l) => l.msg))}`));
      };
      const timer = setTimeout(() => fail(`not within ${timeoutMs} ms`), timeoutMs);
      if (this.ended !== undefined) return fail(this.ended);
      this.enders.add(fail);
      this.waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          this.enders.delete(fail);
          resolve(l);
        },
      });
    });
  }

  /** The first line with this msg. */
  waitForMsg(msg: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitFor((l) => l.msg === msg, `"${msg}"`, timeoutMs);
  }
}
