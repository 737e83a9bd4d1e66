import { BackendUnavailable, escapeControls, type Dialect, type ErrorCode, type Framer, type FrameSink, type Hub, type Limits, type Log, type Session, type Transport } from '@chat-gateway/core';
import type { LimitsConfig } from './config/types.js';
import type { ListenerMetrics } from './runtime-types.js';
import { TokenBucket } from './flood.js';
import type { MessageMapper } from './message-framing.js';
import type { TraceRecord, TraceSink, TracedConnection } from './trace.js';
import type { Pipe } from './transports/pipe.js';
import { OrderedReplies } from './replies.js';
import { byteLengthOf, frameBytes, stringBytes } from './out-bytes.js';
import { LazyChildLog } from './lazy-log.js';

/** A framer fault waiting in the inbound queue, so faults keep their place among frames. */
class Fault {
  constructor(readonly code: ErrorCode, readonly detail: string, readonly fatal: boolean) {}
}

export interface ConnectionDeps {
  id: string;
  /** The listener's name, for traces and logs. */
  listener: string;
  pipe: Pipe;
  /** Maps messages to frames and back; required when the pipe is a message transport. */
  mapper?: MessageMapper;
  dialect: Dialect;
  options: Readonly<Record<string, unknown>>;
  hub: Hub;
  limits: Readonly<LimitsConfig>;
  coreLimits: Readonly<Limits>;
  /** Its listener's counters, also the session's Observer. */
  metrics: ListenerMetrics;
  log: Log;
  onClosed(conn: Connection): void;
}

// Inbound frames queued while the session awaits the Hub; past this the socket is paused.
const INBOUND_HIGH_WATER = 1024;
// Deferred replies one connection may have pending (DMs awaiting other nodes); past this the next frame waits.
const DEFERRED_MAX = 256;
// How long end() waits for the peer before destroying the transport.
const END_TIMEOUT_MS = 2000;

// Connections with frames queued this turn, written by one setImmediate for all of them: not a
// callback (and a closure) per connection per turn.
const toFlush: Connection[] = [];
let flushPending = false;

function flushAll(): void {
  flushPending = false;
  const list = toFlush.splice(0, toFlush.length);
  for (const conn of list) conn.flushQueued();
}

/**
 * The connection layer every dialect shares: framing, ordered dispatch to the
 * session, flood control, the registration timer, and a bounded, batched send
 * queue. It implements core's Transport, so sessions never touch the
 * transport, and it holds a Pipe, never a socket: every limit holds on TCP,
 * TLS, WebSocket and in-process connections alike.
 */
export class Connection implements Transport, FrameSink<unknown> {
  readonly id: string;
  readonly remoteAddress: string;
  readonly session: Session<unknown>;
  private readonly pipe: Pipe;
  private readonly mapper?: MessageMapper;
  private readonly framer: Framer<unknown>;
  private readonly deps: ConnectionDeps;
  private readonly dialectName: string;
  private readonly log: Log;
  private readonly trace: boolean;
  private bucket?: TokenBucket;
  // Made on the first timer (most connections of most dialects have none).
  private timers?: Set<NodeJS.Timeout>;
  private inbound: unknown[] = [];
  private head = 0;
  private busy = false;
  private out: (string | Uint8Array)[] = [];
  // Queued this turn: bytes of the byte frames, UTF-16 units of the string ones (at most 3 bytes each).
  private outBytes = 0;
  private outChars = 0;
  private flushScheduled = false;
  private isClosing = false;
  private isClosed = false;
  private settled?: () => void;
  private shuttingDown = false;
  private taps?: TraceSink[];
  /** shutdown() calls waiting for the close (made on the first). */
  private closeWaiters?: (() => void)[];
  /** Why the connection closes, for the `connection closed` log line: the first reason given wins. */
  private closeReason?: string;
  /** end() asked for while replies were pending: it happens once they are written. */
  private ending?: string;
  private readonly replies = new OrderedReplies(
    (frame) => this.queue(frame),
    (err) => this.handlerFailed(err),
    () => this.drained(),
  );

  constructor(deps: ConnectionDeps) {
    this.deps = deps;
    this.id = deps.id;
    this.pipe = deps.pipe;
    this.mapper = deps.mapper;
    if (deps.pipe.messages && !deps.mapper) throw new Error('a message transport needs a MessageMapper');
    this.remoteAddress = deps.pipe.remoteAddress;
    this.dialectName = deps.dialect.name;
    this.log = new LazyChildLog(deps.log, () => ({ conn: deps.id, dialect: deps.dialect.name, transport: deps.pipe.kind, remote: this.remoteAddress }));
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
    this.pipe.start({
      data: (chunk) => this.onData(chunk),
      tooLarge: (limit) => this.onTooLarge(limit),
      error: (err: NodeJS.ErrnoException) => {
        // A reset is how many clients hang up (closing with unread data); anything else is worth its code.
        this.closeReason ??= err.code === 'ECONNRESET' || err.code === 'EPIPE' ? `peer closed (${err.code})` : `error: ${err.code ?? err.message}`;
        this.log.debug({ err: err.message }, 'transport error');
      },
      closed: () => void this.onClose(),
    });
  }

  /** Who this connection is, as traces and /status name it. */
  describe(): TracedConnection {
    const nick = this.deps.hub.nickOf(this.id);
    return { id: this.id, listener: this.deps.listener, dialect: this.dialectName, transport: this.pipe.kind, remote: this.remoteAddress, ...(nick === undefined ? {} : { nick }) };
  }

  /** Sends this connection's bytes in and out to `sink` until it closes; returns the unsubscribe function. */
  tap(sink: TraceSink): () => void {
    if (this.isClosed) {
      sink.end();
      return () => {};
    }
    this.taps = [...(this.taps ?? []), sink];
    return () => {
      const left = (this.taps ?? []).filter((s) => s !== sink);
      this.taps = left.length > 0 ? left : undefined;
    };
  }

  /**
   * A reloaded config's limits (DESIGN.md "Operating": limits apply at once):
   * flood control and the send queue from the next frame on. The framer and
   * session keep the sizes they were built with.
   */
  applyLimits(limits: Readonly<LimitsConfig>): void {
    const was = this.deps.limits.flood;
    this.deps.limits = limits;
    const f = limits.flood;
    if (f.enabled === was.enabled && f.burst === was.burst && f.ratePerSec === was.ratePerSec) return;
    this.bucket = f.enabled ? new TokenBucket(f.burst, f.ratePerSec) : undefined;
  }

  /** Starts the session (greeting) and the registration timer. */
  open(): void {
    this.deps.metrics.connectionOpened();
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
    this.deps.metrics.connectionOpened();
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
    this.queue(frame);
  }

  defer<T>(answer: Promise<T>, reply: (value: T) => void): void {
    this.replies.add(answer, reply);
  }

  /** Queues a frame for this turn's write. */
  private queue(frame: string | Uint8Array): void {
    if (this.isClosing) return;
    if (this.trace) this.log.trace({ dir: 'out', frame: escapeControls(typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8')) }, 'frame out');
    this.deps.metrics.frameOut(this.dialectName);
    this.out.push(frame);
    if (typeof frame === 'string') this.outChars += frame.length;
    else this.outBytes += frame.byteLength;
    if (this.overfull()) return this.slowReader();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      toFlush.push(this);
      if (!flushPending) {
        flushPending = true;
        setImmediate(flushAll);
      }
    }
  }

  /** More queued for this client than the limit: what waits to be written, behind a deferred reply, or in the transport (a socket's buffer, ws's bufferedAmount). */
  private overfull(): boolean {
    // Bytes, not UTF-16 units: the limit is what the kernel buffers for this client. Counting a
    // string's bytes is a pass over it, made only when its worst case (3 per unit) might not fit.
    const room = this.deps.limits.sendQueueMax - this.outBytes - this.replies.heldBytes - this.pipe.buffered;
    return this.outChars * 3 > room && stringBytes(this.out) > room;
  }

  private slowReader(): void {
    // The client is not reading: it cannot be told, and others must never wait for it.
    this.deps.metrics.limit('send_queue');
    this.log.warn({ queued: this.outBytes + stringBytes(this.out) + this.replies.heldBytes + this.pipe.buffered, limit: this.deps.limits.sendQueueMax }, 'slow reader disconnected: send queue full');
    this.out = [];
    this.outBytes = 0;
    this.outChars = 0;
    this.destroy('slow reader');
  }

  /** This turn's write (flushAll); a failure costs this connection only. */
  flushQueued(): void {
    try {
      this.flush();
    } catch (err) {
      this.log.error({ err }, 'write failed');
      this.destroy('write failed');
    }
  }

  /** Writes everything queued this turn: one write on a stream, one message per frame on a message transport. */
  private flush(): void {
    this.flushScheduled = false;
    const out = this.out;
    if (out.length === 0 || this.isClosed) return;
    this.out = [];
    this.outBytes = 0;
    this.outChars = 0;
    if (this.mapper) {
      let bytes = 0;
      for (const frame of out) {
        bytes += byteLengthOf(frame);
        for (const m of this.mapper.outbound(frame)) this.send(m);
      }
      this.deps.metrics.bytesOut(bytes);
      return;
    }
    const chunk = frameBytes(out);
    this.deps.metrics.bytesOut(chunk.byteLength);
    this.send(chunk);
  }

  /** Hands bytes (or a message) to the transport, and to the trace's subscribers. */
  private send(chunk: string | Uint8Array): void {
    if (this.taps) this.record('out', typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    this.pipe.write(chunk);
  }

  private record(dir: 'in' | 'out', bytes: Uint8Array): void {
    const r: TraceRecord = { ...this.describe(), dir, bytes, at: Date.now() };
    for (const sink of this.taps ?? []) sink.record(r);
  }

  end(reason: string): void {
    if (this.isClosing) return;
    // A goodbye after replies still waiting: they go out first, then the close (Sup: one status per message).
    if (this.replies.pending > 0) {
      this.ending ??= reason;
      return;
    }
    this.isClosing = true;
    this.closeReason ??= reason;
    this.log.debug({ reason }, 'closing connection');
    // Frames queued before end() still go out: the goodbye line is among them.
    this.flush();
    this.pipe.end();
    const t = setTimeout(() => this.destroy(), END_TIMEOUT_MS);
    t.unref();
    (this.timers ??= new Set()).add(t);
  }

  /** Drops the connection at once, unsent frames included; `reason` is logged unless one was given before. */
  destroy(reason?: string): void {
    this.isClosing = true;
    this.closeReason ??= reason;
    this.pipe.destroy();
  }

  after(ms: number, fn: () => void): () => void {
    const t = setTimeout(() => {
      this.timers?.delete(t);
      if (!this.isClosed) fn();
    }, ms);
    (this.timers ??= new Set()).add(t);
    return () => {
      clearTimeout(t);
      this.timers?.delete(t);
    };
  }

  every(ms: number, fn: () => void): () => void {
    const t = setInterval(() => {
      if (!this.isClosed) fn();
    }, ms);
    (this.timers ??= new Set()).add(t);
    return () => {
      clearInterval(t);
      this.timers?.delete(t);
    };
  }

  /**
   * Controlled shutdown: stop reading, let the frame in hand finish, tell the
   * client in its dialect, flush, close. Resolves when the transport is closed.
   */
  async shutdown(message: string): Promise<void> {
    if (this.isClosed) return;
    // Frames already received still get their replies (DESIGN.md Sup: "pending replies flushed").
    this.pipe.pause();
    this.shuttingDown = true;
    if (this.busy || this.head < this.inbound.length || this.replies.pending > 0) await new Promise<void>((resolve) => (this.settled = resolve));
    if (!this.isClosing) {
      try {
        await this.session.shutdown(message);
      } catch (err) {
        this.log.error({ err }, 'session failed to shut down');
      }
      this.end('shutdown');
    }
    if (!this.isClosed) await new Promise<void>((resolve) => (this.closeWaiters ??= []).push(resolve));
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
    this.deps.metrics.bytesIn(chunk.length);
    if (this.isClosing) return;
    if (this.taps) this.record('in', chunk);
    try {
      this.framer.push(this.mapper ? this.mapper.inbound(chunk) : chunk, this);
    } catch (err) {
      // A framer bug must cost this connection, never the process.
      this.log.error({ err }, 'framer failed');
      this.session.fault('INTERNAL');
      this.end('framer failure');
    }
  }

  /**
   * The transport refused a message over the dialect's limit and closes right
   * after this: the reply goes out now, ahead of anything queued behind it.
   */
  private onTooLarge(limit: number): void {
    if (this.isClosing) return;
    this.deps.metrics.limit('frame_size');
    this.log.debug({ limit }, 'message too large');
    this.session.fault('FRAME_TOO_LARGE', `message longer than ${limit} bytes`, true);
    this.flush();
    this.isClosing = true;
  }

  private enqueue(item: unknown): void {
    this.inbound.push(item);
    if (this.inbound.length - this.head > INBOUND_HIGH_WATER) this.pipe.pause();
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
    } else if (this.pipe.paused && !this.isClosing && !this.shuttingDown) {
      this.pipe.resume();
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
    for (const t of this.timers ?? []) clearTimeout(t);
    this.timers = undefined;
    const taps = this.taps;
    this.taps = undefined;
    for (const sink of taps ?? []) sink.end();
    for (const resolve of this.closeWaiters ?? []) resolve();
    this.closeWaiters = undefined;
    this.deps.metrics.connectionClosed();
    try {
      await this.session.close();
    } catch (err) {
      this.log.error({ err }, 'session failed to close');
    }
    // No reason given on our side: the client went (a quit the dialect did not end itself, or a drop).
    this.log.debug({ reason: this.closeReason ?? 'peer closed' }, 'connection closed');
    this.deps.onClosed(this);
  }
}
