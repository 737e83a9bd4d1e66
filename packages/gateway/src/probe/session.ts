import { connect, type ChatDriver, type DialectProbe, type DialectTesting, type ProbeExpect } from '@chat-gateway/core/testing';
import { quoteBytes } from '../trace-print.js';

/** One check's line: what was sent, what was expected, what came back. */
export interface CheckReport {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  /** Bytes sent for the check, as the trace shows them (quoted, controls escaped). */
  sent: string;
  expected: string;
  /** Bytes that arrived during the check on the connection it looks at. */
  received: string;
  note?: string;
}

/** Where the probe connects. */
export interface ProbeTarget {
  host: string;
  port: number;
}

// A probe report line shows this many bytes of each side (an oversize frame is 8 KiB).
const SHOWN = 160;

/**
 * One probe connection: a driver of the dialect, what it sent since the
 * check began, and what it received that no earlier check read (bytes that
 * arrived early, a `nuser` during another user's login, count for the check
 * that reads them).
 */
export class ProbeClient {
  private sent: Buffer[] = [];
  private got: Buffer[] = [];
  private total = 0;
  private from = 0;

  constructor(readonly label: string, readonly driver: ChatDriver) {
    driver.wire.onTraffic = (dir, bytes) => {
      if (dir === 'out') return void this.sent.push(bytes);
      this.got.push(bytes);
      this.total += bytes.length;
    };
  }

  /** A new check begins: what was sent is forgotten, what was received and read is behind it. */
  reset(): void {
    this.sent = [];
    this.from = this.total - this.driver.wire.received().length;
  }

  sentBytes(): string {
    return this.sent.length === 0 ? '-' : quoteBytes(Buffer.concat(this.sent), SHOWN);
  }

  receivedBytes(): string {
    const all = Buffer.concat(this.got);
    return all.length === this.from ? '(nothing)' : quoteBytes(all.subarray(this.from), SHOWN);
  }
}

/** What a check's body says: whether it passed, and why not. */
export type Outcome = boolean | { ok: boolean; note?: string };

/** The connections a check's line shows: the one that sent, the one whose bytes are compared. */
export interface Sides {
  from?: ProbeClient;
  to?: ProbeClient;
}

/**
 * The state one probe run shares between its checks: the dialect's testing
 * module, the target, the clients opened, the reports so far, and how a
 * frame is compared and shown.
 */
export class ProbeRun {
  readonly reports: CheckReport[] = [];
  readonly clients: ProbeClient[] = [];
  readonly probe: DialectProbe;

  constructor(
    readonly testing: DialectTesting,
    readonly target: ProbeTarget,
    readonly timeoutMs: number,
  ) {
    if (!testing.probe || !testing.attach) throw new Error(`dialect ${testing.dialect} has no probe data in its testing module`);
    this.probe = testing.probe;
  }

  /** Opens a connection and attaches the dialect's driver; the greeting is left to read. */
  async open(label: string): Promise<ProbeClient> {
    const wire = await connect(this.target.port, this.target.host);
    const driver = this.testing.attach!(wire);
    driver.replyTimeoutMs = this.timeoutMs;
    const c = new ProbeClient(label, driver);
    this.clients.push(c);
    return c;
  }

  /** Reads past the greeting, as the dialect has one. */
  async greet(c: ProbeClient): Promise<string | undefined> {
    const g = this.probe.greeting;
    if (g === 'none') return undefined;
    if (g === 'optional') return (await c.driver.next(Math.min(1000, this.timeoutMs)).catch(() => undefined))?.raw;
    return (await c.driver.next(this.timeoutMs)).raw;
  }

  /** True when a frame is what was expected (the dialect's own equality for exact frames). */
  matches(expected: ProbeExpect, frame: string): boolean {
    if (typeof expected !== 'string') return expected.test(frame);
    return this.probe.same ? this.probe.same(expected, frame) : expected === frame;
  }

  /** An expected frame as the report shows it: exact frames with the terminator, patterns as /…/. */
  show(expected: ProbeExpect | readonly ProbeExpect[]): string {
    if (Array.isArray(expected)) return expected.length === 0 ? '(nothing)' : expected.map((e) => this.show(e)).join(' ');
    const e = expected as ProbeExpect;
    return typeof e === 'string' ? quoteBytes(Buffer.from(e + this.probe.terminator), SHOWN) : String(e);
  }

  /** Whether the next frame `c` reads is `expected`. */
  async nextIs(c: ProbeClient, expected: ProbeExpect): Promise<boolean> {
    return this.matches(expected, (await c.driver.next(this.timeoutMs)).raw);
  }

  /** A check the earlier ones made impossible: reported, not run. */
  skip(name: string, why: string): void {
    this.reports.push({ name, status: 'skip', sent: '-', expected: '-', received: '-', note: why });
  }

  /** Runs one check: traffic counted from here, a throw (a timeout, a closed connection) is a failure. */
  async check(name: string, sides: Sides, expected: string, body: () => Promise<Outcome>): Promise<boolean> {
    for (const c of this.clients) c.reset();
    let outcome: { ok: boolean; note?: string };
    try {
      const r = await body();
      outcome = typeof r === 'boolean' ? { ok: r } : r;
    } catch (err) {
      // A verb's wait is spread over its reads (each the time left): the report names the whole wait, --timeout.
      outcome = { ok: false, note: (err as Error).message.split('; unread:')[0]!.replace(/^timed out after \d+ ms/, `timed out after ${this.timeoutMs} ms`) };
    }
    this.reports.push({
      name,
      status: outcome.ok ? 'pass' : 'fail',
      sent: sides.from?.sentBytes() ?? '-',
      expected,
      received: sides.to?.receivedBytes() ?? '-',
      ...(outcome.note === undefined ? {} : { note: outcome.note }),
    });
    return outcome.ok;
  }

  /** Closes every connection the run opened. */
  close(): void {
    for (const c of this.clients) c.driver.close();
  }
}
