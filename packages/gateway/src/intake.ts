import { BackendUnavailable, escapeControls, type ErrorCode, type FrameSink, type Framer, type Log, type Session } from '@chat-gateway/core';
import type { FloodConfig } from './config/types.js';
import { TokenBucket } from './flood.js';
import type { ListenerMetrics } from './runtime-types.js';
import type { Pipe } from './transports/pipe.js';
import { NONE } from './none.js';

/** A framer fault waiting in the inbound queue, so faults keep their place among frames. */
class Fault {
  constructor(readonly code: ErrorCode, readonly detail: string, readonly fatal: boolean) {}
}

/** What the Intake needs of its connection (the Connection itself: no object of closures per connection). */
export interface IntakeHost {
  readonly session: Session<unknown>;
  readonly pipe: Pipe;
  /** Where bytes read go: the dialect's framer (or, while traced, the pending watch in front of it). */
  readonly reader: Framer<unknown>;
  /** True once the connection began closing: nothing more is read. */
  readonly closing: boolean;
  readonly metrics: ListenerMetrics;
  /** Replies waiting for other nodes (replies.ts): past DEFERRED_MAX of them the next frame waits. */
  readonly replies: { readonly pending: number; below(n: number): Promise<void> };
  readonly log: Log;
  readonly dialectName: string;
  /** Trace logging of every frame in (level trace only), with describeFrame. */
  readonly tracing: boolean;
  describeFrame(frame: unknown): string;
  end(reason: string): void;
}

// Inbound frames queued while the session awaits the Hub; past this the socket is paused.
const INBOUND_HIGH_WATER = 1024;
// Deferred replies one connection may have pending (DMs awaiting other nodes); past this the next frame waits.
const DEFERRED_MAX = 256;
// Work one connection may do in one event-loop turn (DESIGN.md "Operating limits": no connection can
// stall the event loop for others): bytes read and inflated, and frames handed to the session. Past
// either the connection stops reading and goes on in a later turn, after the others had theirs.
export const TURN_BYTES = 256 * 1024;
export const TURN_FRAMES = 256;
// DESIGN.md "Operating limits": at most one rate-limit reply per second, the rest dropped and counted.
const RATE_REPLY_EVERY_MS = 1000;
const EMPTY = Buffer.alloc(0);

// One global turn counter, advanced once per event-loop turn by whoever needs it: budgets are per turn.
let turn = 0;
let ticking = false;
function currentTurn(): number {
  if (!ticking) {
    ticking = true;
    setImmediate(() => {
      turn++;
      ticking = false;
    });
  }
  return turn;
}

/**
 * Why reading is paused, one bit each: reading resumes only when none of
 * them holds. Bits, not a Set: nothing allocated per connection (issue #16).
 */
const HOLD = { queue: 1, budget: 2, debt: 4, shutdown: 8 } as const;
type Hold = keyof typeof HOLD;

// The timer callback of every connection's intake, given the intake as its argument: a function
// shared by all, not a closure each (issue #16: memory per idle connection).
function goOn(intake: Intake): void {
  intake.goOnNow();
}

/**
 * The inbound half of a connection: the framer fed within a per-turn
 * budget, flood control (a token per frame, and per `decompressedBytesPerToken`
 * inflated; one rate-limit reply a second), and ordered dispatch to the
 * session, one frame at a time, waiting for each async reply.
 */
export class Intake implements FrameSink<unknown> {
  private inbound: unknown[] = NONE;
  private head = 0;
  private busy = false;
  private settled?: () => void;
  private bucket?: TokenBucket;
  private lastRateReply = -Infinity;
  private budgetTurn = -1;
  private bytes = 0;
  private frames = 0;
  private holds = 0;
  private later?: NodeJS.Timeout;
  private again = false;

  constructor(private readonly host: IntakeHost, private flood: Readonly<FloodConfig>) {
    if (flood.enabled) this.bucket = new TokenBucket(flood.burst, flood.ratePerSec);
  }

  /** A reloaded config's flood control, from the next frame on: a fresh bucket only when the bucket itself changed. */
  applyFlood(flood: Readonly<FloodConfig>): void {
    const was = this.flood;
    this.flood = flood;
    if (flood.enabled === was.enabled && flood.burst === was.burst && flood.ratePerSec === was.ratePerSec) return;
    this.bucket = flood.enabled ? new TokenBucket(flood.burst, flood.ratePerSec) : undefined;
    // A debt owed to the old bucket is forgiven with it.
    if (this.held('debt')) this.goOnSoon();
  }

  /** True while frames wait for the session or one is being handled. */
  get pending(): boolean {
    return this.busy || this.head < this.inbound.length;
  }

  /** FrameSink: the framer stops between frames once the connection closes, or its turn's work or tokens are spent. */
  get halted(): boolean {
    return this.host.closing || this.spent() || this.held('debt');
  }

  /** Bytes from the transport, handed to the framer. */
  push(chunk: Buffer): void {
    if (this.host.closing) return;
    this.spend(chunk.length);
    this.host.reader.push(chunk, this);
    this.afterPush();
  }

  frame(frame: unknown): void {
    if (this.host.tracing) this.host.log.trace({ dir: 'in', frame: escapeControls(this.host.describeFrame(frame)) }, 'frame in');
    this.host.metrics.frameIn(this.host.dialectName);
    this.frames++;
    if (this.bucket && !this.bucket.take()) return this.limited();
    this.enqueue(frame);
  }

  fault(code: ErrorCode, detail: string, fatal: boolean): void {
    if (code === 'FRAME_TOO_LARGE') this.host.metrics.limit('frame_size');
    this.host.log.debug({ code, detail, fatal }, 'bad frame');
    this.enqueue(new Fault(code, detail, fatal));
  }

  /** FrameSink: what the framer inflated costs tokens too; in debt, the package is dropped and reading stops until it is repaid. */
  inflated(bytes: number): boolean {
    this.spend(bytes);
    if (!this.bucket || this.bucket.charge(bytes / this.flood.decompressedBytesPerToken)) return true;
    this.hold('debt');
    this.limited();
    return false;
  }

  /** Resolves once the frames received so far have been handled (a controlled shutdown waits for it). */
  drained(): Promise<void> {
    this.hold('shutdown');
    if (!this.pending) return Promise.resolve();
    return new Promise<void>((resolve) => (this.settled = resolve));
  }

  /** The connection closed: timers stop, nothing more is read. */
  stop(): void {
    clearTimeout(this.later);
    this.later = undefined;
  }

  private spend(n: number): void {
    const t = currentTurn();
    if (t !== this.budgetTurn) {
      this.budgetTurn = t;
      this.bytes = 0;
      this.frames = 0;
    }
    this.bytes += n;
  }

  private spent(): boolean {
    return this.budgetTurn === turn && (this.bytes >= TURN_BYTES || this.frames >= TURN_FRAMES);
  }

  /** A frame over the flood limit: dropped and counted; answered at most once a second, or every time for a dialect that must. */
  private limited(): void {
    this.host.metrics.limit('flood');
    const now = performance.now();
    if (!this.host.session.answersEveryFrame && now - this.lastRateReply < RATE_REPLY_EVERY_MS) return;
    this.lastRateReply = now;
    this.enqueue(new Fault('RATE_LIMITED', 'frame dropped by flood control', false));
  }

  /** After the framer returned: stop reading when this turn's work is spent or the bucket is in debt, and go on later. */
  private afterPush(): void {
    if (this.host.closing) return;
    if (this.held('debt')) {
      if (!this.later) this.later = setTimeout(goOn, Math.max(1, this.bucket?.debtMs() ?? 0), this);
      this.pause();
    } else if (this.spent()) {
      this.hold('budget');
      if (!this.again) {
        this.again = true;
        setImmediate(goOn, this);
      }
    }
  }

  /** Goes on at the next turn instead of when the old debt would have been repaid. */
  private goOnSoon(): void {
    clearTimeout(this.later);
    this.later = undefined;
    if (!this.again) {
      this.again = true;
      setImmediate(goOn, this);
    }
  }

  /** A later turn (or the debt repaid): what the framer kept is read, then reading resumes. */
  goOnNow(): void {
    this.again = false;
    this.later = undefined;
    if (this.host.closing) return;
    if (this.held('debt') && (this.bucket?.debtMs() ?? 0) > 0) {
      this.later = setTimeout(goOn, this.bucket!.debtMs(), this);
      return;
    }
    this.holds &= ~(HOLD.debt | HOLD.budget);
    this.spend(0);
    this.host.reader.push(EMPTY, this);
    this.afterPush();
    this.release();
  }

  private held(why: Hold): boolean {
    return (this.holds & HOLD[why]) !== 0;
  }

  private hold(why: Hold): void {
    this.holds |= HOLD[why];
    this.pause();
  }

  private pause(): void {
    if (!this.host.pipe.paused) this.host.pipe.pause();
  }

  /** Resumes reading when nothing holds it any more. */
  private release(why?: Hold): void {
    if (why) this.holds &= ~HOLD[why];
    if (this.holds === 0 && this.host.pipe.paused && !this.host.closing) this.host.pipe.resume();
  }

  private enqueue(item: unknown): void {
    if (this.inbound === NONE) this.inbound = [];
    this.inbound.push(item);
    if (this.inbound.length - this.head > INBOUND_HIGH_WATER) this.hold('queue');
    if (!this.busy) this.pump();
  }

  /** Hands frames to the session one at a time, waiting for each async reply (not for deferred ones, up to DEFERRED_MAX). */
  private pump(): void {
    while (this.head < this.inbound.length) {
      if (this.host.closing) break;
      if (this.host.replies.pending >= DEFERRED_MAX) {
        this.busy = true;
        void this.host.replies.below(DEFERRED_MAX).then(() => this.resume());
        return;
      }
      const item = this.inbound[this.head++];
      let pending: void | Promise<void>;
      try {
        pending = this.dispatch(item);
      } catch (err) {
        this.failed(err);
        continue;
      }
      if (pending && typeof (pending as Promise<void>).then === 'function') {
        this.busy = true;
        (pending as Promise<void>).then(() => this.resume(), (err) => {
          this.failed(err);
          this.resume();
        });
        return;
      }
    }
    this.inbound = NONE;
    this.head = 0;
    const settled = this.settled;
    if (settled) {
      this.settled = undefined;
      settled();
    } else if (this.held('queue')) {
      this.release('queue');
    }
  }

  // A method, not an arrow kept per intake: the closures are made when a frame is waited on, as
  // most frames are not (an idle connection holds none, issue #16).
  private resume(): void {
    this.busy = false;
    this.pump();
  }

  private dispatch(item: unknown): void | Promise<void> {
    if (item instanceof Fault) {
      this.host.session.fault(item.code, item.detail, item.fatal);
      if (item.fatal) this.host.end(`fatal frame error: ${item.code}`);
      return;
    }
    return this.host.session.handle(item);
  }

  /** A frame's handler (or its deferred reply) failed: one INTERNAL reply, and the connection goes on. */
  failed(err: unknown): void {
    const outage = err instanceof BackendUnavailable;
    // An outage is logged once by the Hub, as a warning; anything else is a bug worth its stack.
    if (!outage) this.host.log.error({ err }, 'session failed to handle a frame');
    try {
      this.host.session.fault('INTERNAL', outage ? err.message : undefined);
    } catch {
      // The reply itself failed; the connection still serves the next frame.
    }
  }
}
