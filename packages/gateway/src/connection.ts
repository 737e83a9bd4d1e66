import type { Socket } from 'node:net';
import { BackendUnavailable, escapeControls, type Dialect, type ErrorCode, type Framer, type FrameSink, type Hub, type Limits, type Log, type Session, type Transport } from '@chat-gateway/core';
import type { LimitsConfig } from './config/types.js';
import type { GatewayMetrics } from './runtime-types.js';
import { TokenBucket } from './flood.js';
import { OrderedReplies } from './replies.js';

/** A framer fault waiting in the inbound queue, so faults keep their place among frames. */
class Fault {
  constructor(readonly code: ErrorCode, readonly detail: string, readonly fatal: boolean) {}
}

export interface ConnectionDeps {
  id: string;
  socket: Socket;
  dialect: Dialect;
  options: Readonly<Record<string, unknown>>;
  hub: Hub;
  limits: Readonly<LimitsConfig>;
  coreLimits: Readonly<Limits>;
  metrics: GatewayMetrics;
  log: Log;
  onClosed(conn: Connection): void;
}

// Inbound frames queued while the session awaits the Hub; past this the socket is paused.
const INBOUND_HIGH_WATER = 1024;
// Deferred replies one connection may have pending (DMs awaiting other nodes); past this the next frame waits.
const DEFERRED_MAX = 256;
// How long end() waits for the peer before destroying the socket.
const END_TIMEOUT_MS = 2000;

/**
 * The connection layer every dialect shares: framing, ordered dispatch to the
 * session, flood control, the registration timer, and a bounded, batched send
 * queue. It implements core's Transport, so sessions never touch the socket.
 */
export class Connection implements Transport, FrameSink<unknown> {
  readonly id: string;
  readonly remoteAddress: string;
  readonly session: Session<unknown>;
  private readonly socket: Socket;
  private readonly framer: Framer<unknown>;
  private readonly deps: ConnectionDeps;
  private readonly dialectName: string;
  private readonly log: Log;
  private readonly trace: boolean;
  private readonly bucket?: TokenBucket;
  private readonly timers = new Set<NodeJS.Timeout>();
  private inbound: unknown[] = [];
  private head = 0;
  private busy = false;
  private out: (string | Uint8Array)[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  private isClosing = false;
  private isClosed = false;
  private settled?: () => void;
  private shuttingDown = false;
  /** end() asked for while replies were pending: it happens once they are written. */
  private ending?: string;
  private readonly replies = new OrderedReplies(
    (frame) => this.send(frame),
    (err) => this.handlerFailed(err),
    () => this.drained(),
  );

  constructor(deps: ConnectionDeps) {
    this.deps = deps;
    this.id = deps.id;
    this.socket = deps.socket;
    this.remoteAddress = normalizeAddress(deps.socket.remoteAddress);
    this.dialectName = deps.dialect.name;
    this.log = deps.log.child({ conn: deps.id, dialect: deps.dialect.name, remote: this.remoteAddress });
    this.trace = deps.log.isLevelEnabled?.('trace') ?? false;
    const flood = deps.limits.flood;
    if (flood.enabled) this.bucket = new TokenBucket(flood.burst, flood.ratePerSec);
    this.framer = deps.dialect.createFramer(deps.coreLimits, deps.options);
    this.session = deps.dialect.createSession({
      transport: this,
      hub: deps.hub,
      options: deps.options,
      limits: deps.coreLimits,
      log: this.log,
      observer: deps.metrics,
    });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.log.debug({ err: err.message }, 'socket error'));
    this.socket.on('close', () => void this.onClose());
  }

  /** Starts the session (greeting) and the registration timer. */
  open(): void {
    this.deps.metrics.connectionOpened(this.dialectName);
    this.log.debug({}, 'connection opened');
    const ms = this.deps.limits.registrationTimeoutMs;
    if (ms > 0) {
      this.registrationTimer = this.after(ms, () => {
        this.deps.metrics.limit('registration_timeout');
        this.session.fault('REGISTRATION_TIMEOUT');
        this.end('registration timeout');
      });
    }
    this.session.start();
  }

  /** Refuses the connection in the dialect's words (a connection cap was hit), then closes. */
  refuse(code: ErrorCode): void {
    this.deps.metrics.connectionOpened(this.dialectName);
    this.session.fault(code);
    this.end(`refused: ${code}`);
  }

  private registrationTimer?: () => void;

  get closing(): boolean {
    return this.isClosing;
  }

  registered(): void {
    this.registrationTimer?.();
    this.registrationTimer = undefined;
  }

  write(frame: string | Uint8Array): void {
    // After end() began, the goodbye is already queued: later events are dropped.
    if (this.isClosing || (this.ending !== undefined && !this.replies.writing)) return;
    // Behind a reply still waiting for its answer (defer): it goes out right after that reply.
    if (this.replies.hold(frame)) {
      if (this.overfull()) this.slowReader();
      return;
    }
    this.send(frame);
  }

  defer<T>(answer: Promise<T>, reply: (value: T) => void): void {
    this.replies.add(answer, reply);
  }

  /** Queues a frame for this turn's write. */
  private send(frame: string | Uint8Array): void {
    if (this.isClosing) return;
    if (this.trace) this.log.trace({ dir: 'out', frame: escapeControls(typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8')) }, 'frame out');
    this.deps.metrics.frameOut(this.dialectName);
    this.out.push(frame);
    // Bytes, not UTF-16 units: the limit is what the kernel buffers for this client.
    this.outBytes += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
    if (this.overfull()) return this.slowReader();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** More queued for this client than the limit: what waits to be written, behind a deferred reply, or in the kernel. */
  private overfull(): boolean {
    return this.outBytes + this.replies.heldBytes + this.socket.writableLength > this.deps.limits.sendQueueMax;
  }

  private slowReader(): void {
    // The client is not reading: it cannot be told, and others must never wait for it.
    this.deps.metrics.limit('send_queue');
    this.log.warn({ queued: this.outBytes + this.replies.heldBytes + this.socket.writableLength, limit: this.deps.limits.sendQueueMax }, 'slow reader disconnected: send queue full');
    this.out = [];
    this.outBytes = 0;
    this.destroy();
  }

  /** Writes everything queued this turn in one socket write. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const out = this.out;
    if (out.length === 0 || this.isClosed) return;
    this.out = [];
    this.outBytes = 0;
    if (out.length === 1) {
      this.socket.write(out[0]!);
    } else if (out.every((f) => typeof f === 'string')) {
      this.socket.write((out as string[]).join(''));
    } else {
      this.socket.write(Buffer.concat(out.map((f) => (typeof f === 'string' ? Buffer.from(f, 'utf8') : f))));
    }
  };

  end(reason: string): void {
    if (this.isClosing) return;
    // A goodbye after replies still waiting: they go out first, then the close (Sup: one status per message).
    if (this.replies.pending > 0) {
      this.ending ??= reason;
      return;
    }
    this.isClosing = true;
    this.log.debug({ reason }, 'closing connection');
    // Frames queued before end() still go out: the goodbye line is among them.
    this.flush();
    this.socket.end();
    const t = setTimeout(() => this.destroy(), END_TIMEOUT_MS);
    t.unref();
    this.timers.add(t);
  }

  /** Drops the connection at once, unsent frames included. */
  destroy(): void {
    this.isClosing = true;
    this.socket.destroy();
  }

  after(ms: number, fn: () => void): () => void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.isClosed) fn();
    }, ms);
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  every(ms: number, fn: () => void): () => void {
    const t = setInterval(() => {
      if (!this.isClosed) fn();
    }, ms);
    this.timers.add(t);
    return () => {
      clearInterval(t);
      this.timers.delete(t);
    };
  }

  /**
   * Controlled shutdown: stop reading, let the frame in hand finish, tell the
   * client in its dialect, flush, close. Resolves when the socket is closed.
   */
  async shutdown(message: string): Promise<void> {
    if (this.isClosed) return;
    // Frames already received still get their replies (DESIGN.md Sup: "pending replies flushed").
    this.socket.pause();
    this.shuttingDown = true;
    if (this.busy || this.head < this.inbound.length || this.replies.pending > 0) await new Promise<void>((resolve) => (this.settled = resolve));
    if (!this.isClosing) {
      try {
        await this.session.shutdown(message);
      } catch (err) {
        this.log.error({ err }, 'session failed to shut down');
      }
      this.end('server shutting down');
    }
    if (!this.isClosed) await new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
  }

  frame(frame: unknown): void {
    if (this.trace) this.log.trace({ dir: 'in', frame: escapeControls(this.deps.dialect.describe(frame)) }, 'frame in');
    this.deps.metrics.frameIn(this.dialectName);
    if (this.bucket && !this.bucket.take()) {
      this.deps.metrics.limit('flood');
      this.enqueue(new Fault('RATE_LIMITED', 'frame dropped by flood control', false));
      return;
    }
    this.enqueue(frame);
  }

  fault(code: ErrorCode, detail: string, fatal: boolean): void {
    if (code === 'FRAME_TOO_LARGE') this.deps.metrics.limit('frame_size');
    this.log.debug({ code, detail, fatal }, 'bad frame');
    this.enqueue(new Fault(code, detail, fatal));
  }

  private onData(chunk: Buffer): void {
    if (this.isClosing) return;
    try {
      this.framer.push(chunk, this);
    } catch (err) {
      // A framer bug must cost this connection, never the process.
      this.log.error({ err }, 'framer failed');
      this.session.fault('INTERNAL');
      this.end('framer failure');
    }
  }

  private enqueue(item: unknown): void {
    this.inbound.push(item);
    if (this.inbound.length - this.head > INBOUND_HIGH_WATER) this.socket.pause();
    if (!this.busy) this.pump();
  }

  /** Hands frames to the session one at a time, waiting for each async reply (not for deferred ones, up to DEFERRED_MAX). */
  private pump(): void {
    while (this.head < this.inbound.length) {
      if (this.isClosing) break;
      if (this.replies.pending >= DEFERRED_MAX) {
        this.busy = true;
        void this.replies.below(DEFERRED_MAX).then(this.resume);
        return;
      }
      const item = this.inbound[this.head++];
      let pending: void | Promise<void>;
      try {
        pending = this.dispatch(item);
      } catch (err) {
        this.handlerFailed(err);
        continue;
      }
      if (pending && typeof (pending as Promise<void>).then === 'function') {
        this.busy = true;
        (pending as Promise<void>).then(this.resume, (err) => {
          this.handlerFailed(err);
          this.resume();
        });
        return;
      }
    }
    this.inbound = [];
    this.head = 0;
    if (this.settled) {
      if (this.replies.pending === 0) this.settle();
    } else if (this.socket.isPaused() && !this.isClosing && !this.shuttingDown) {
      this.socket.resume();
    }
  }

  /** The last deferred reply went out: a close asked for meanwhile happens now, a shutdown waiting for it goes on. */
  private drained(): void {
    if (this.ending !== undefined) {
      const reason = this.ending;
      this.ending = undefined;
      this.end(reason);
    }
    if (this.settled && !this.busy && this.head >= this.inbound.length) this.settle();
  }

  private settle(): void {
    const settled = this.settled;
    this.settled = undefined;
    settled?.();
  }

  private readonly resume = (): void => {
    this.busy = false;
    this.pump();
  };

  private dispatch(item: unknown): void | Promise<void> {
    if (item instanceof Fault) {
      this.session.fault(item.code, item.detail, item.fatal);
      if (item.fatal) this.end(`fatal frame error: ${item.code}`);
      return;
    }
    return this.session.handle(item);
  }

  private handlerFailed(err: unknown): void {
    const outage = err instanceof BackendUnavailable;
    // An outage is logged once by the Hub, as a warning; anything else is a bug worth its stack.
    if (!outage) this.log.error({ err }, 'session failed to handle a frame');
    try {
      this.session.fault('INTERNAL', outage ? err.message : undefined);
    } catch {
      // The reply itself failed; the connection still serves the next frame.
    }
  }

  private async onClose(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.isClosing = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deps.metrics.connectionClosed(this.dialectName);
    try {
      await this.session.close();
    } catch (err) {
      this.log.error({ err }, 'session failed to close');
    }
    this.log.debug({}, 'connection closed');
    this.deps.onClosed(this);
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so per-IP caps and "welcome back" see one address. */
export function normalizeAddress(addr: string | undefined): string {
  if (!addr) return 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}
