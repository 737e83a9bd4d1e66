import { deliveringNews, escapeControls, type Dialect, type ErrorCode, type Framer, type Hub, type Limits, type Log, type ReplySlot, type Session, type Transport } from '@chat-gateway/core';
import type { LimitsConfig } from './config/types.js';
import type { ListenerMetrics } from './runtime-types.js';
import { Intake, type IntakeHost } from './intake.js';
import type { MessageMapper } from './message-framing.js';
import { SendQueue, type SendQueueHost } from './send-queue.js';
import type { TraceRecord, TraceSink, TracedConnection } from './trace.js';
import { PendingWatch } from './trace-pending.js';
import type { Pipe, PipeEvents } from './transports/pipe.js';
import { OrderedReplies, type RepliesHost } from './replies.js';
import { LazyChildLog } from './lazy-log.js';
import { ConnectionTimers } from './connection-timers.js';

/** What a listener's connections share: one object per listener (and reload), not one per connection (issue #16). */
export interface ConnectionDeps {
  /** The listener's name, for traces and logs. */
  readonly listener: string;
  dialect: Dialect;
  options: Readonly<Record<string, unknown>>;
  hub: Hub;
  limits: Readonly<LimitsConfig>;
  coreLimits: Readonly<Limits>;
  /** Its listener's counters, also the session's Observer. */
  metrics: ListenerMetrics;
  log: Log;
  /** While traced, inbound bytes without a frame end for this long are reported (trace.pendingMs; 0: never). */
  pendingMs?: number;
  onClosed(conn: Connection): void;
}

// How long end() waits for the peer before destroying the transport.
const END_TIMEOUT_MS = 2000;
// A closed connection's timers never fire: nothing to start, nothing to cancel.
const NO_TIMER = (): void => {};

/**
 * The connection layer every dialect shares: framing, ordered dispatch to the
 * session and flood control (intake.ts), the registration timer, replies kept
 * in request order while some wait for other nodes (replies.ts), and a
 * bounded, batched send queue (send-queue.ts). It implements core's
 * Transport, so sessions never touch the transport, and it holds a Pipe,
 * never a socket: every limit holds on TCP, TLS, WebSocket and in-process
 * connections alike.
 */
export class Connection implements Transport, IntakeHost, SendQueueHost, RepliesHost, PipeEvents {
  readonly id: string;
  readonly remoteAddress: string;
  readonly session: Session<unknown>;
  readonly pipe: Pipe;
  readonly mapper?: MessageMapper;
  private readonly framer: Framer<unknown>;
  private readonly deps: Readonly<ConnectionDeps>;
  private limits: Readonly<LimitsConfig>;
  readonly dialectName: string;
  readonly log: Log;
  readonly tracing: boolean;
  // Made with the first timer: most idle connections never have one.
  private timers?: ConnectionTimers;
  private readonly intake: Intake;
  private readonly queue: SendQueue;
  private isClosing = false;
  private isClosed = false;
  private overflowed = false;
  private released?: Promise<void>;
  private taps?: TraceSink[];
  private pending?: PendingWatch<unknown>;
  /** shutdown() calls waiting for the close (made on the first). */
  private closeWaiters?: (() => void)[];
  /** Why the connection closes, for the `connection closed` log line: the first reason given wins. */
  private closeReason?: string;
  /** end() asked for while replies were pending: it happens once they are written. */
  private ending?: string;
  /** A shutdown waiting for the deferred replies to be written. */
  private settled?: () => void;
  readonly replies = new OrderedReplies(this);

  /** `mapper` maps messages to frames and back: required when the pipe is a message transport. */
  constructor(deps: Readonly<ConnectionDeps>, id: string, pipe: Pipe, mapper?: MessageMapper) {
    this.deps = deps;
    this.limits = deps.limits;
    this.id = id;
    this.pipe = pipe;
    this.mapper = mapper;
    if (pipe.messages && !mapper) throw new Error('a message transport needs a MessageMapper');
    this.remoteAddress = pipe.remoteAddress;
    this.dialectName = deps.dialect.name;
    this.log = new LazyChildLog(deps.log, this);
    this.tracing = deps.log.isLevelEnabled?.('trace') ?? false;
    this.framer = deps.dialect.createFramer(deps.coreLimits, deps.options);
    this.session = deps.dialect.createSession({
      transport: this,
      hub: deps.hub,
      options: deps.options,
      limits: deps.coreLimits,
      log: this.log,
      observer: deps.metrics,
    });
    this.intake = new Intake(this, deps.limits.flood);
    this.queue = new SendQueue(this);
    this.pipe.start(this);
  }

  /** PipeEvents: a transport error (logged; the close follows). */
  pipeError(err: NodeJS.ErrnoException): void {
    // A reset is how many clients hang up (closing with unread data); anything else is worth its code.
    this.closeReason ??= err.code === 'ECONNRESET' || err.code === 'EPIPE' ? `peer closed (${err.code})` : `error: ${err.code ?? err.message}`;
    this.log.debug({ err: err.message }, 'transport error');
  }

  /** LazyChildLog's source: the fields of every line this connection logs. */
  logBindings(): Record<string, unknown> {
    return { conn: this.id, dialect: this.dialectName, transport: this.pipe.kind, remote: this.remoteAddress };
  }

  /** RepliesHost: a reply whose answer rejected gets the connection's INTERNAL reply. */
  replyFailed(err: unknown): void { this.intake.failed(err); }

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
    const ms = this.deps.pendingMs ?? 0;
    if (ms > 0) {
      this.pending ??= new PendingWatch(this.framer, this.deps.dialect, ms, { after: (t, fn) => this.after(t, fn), record: (p) => this.record('pending', p.bytes, p.hint), tell: (p) => this.isClosing || this.session.incomplete?.(p) });
      this.pending.watching = true;
    }
    return () => {
      const left = (this.taps ?? []).filter((s) => s !== sink);
      this.taps = left.length > 0 ? left : undefined;
      if (!this.taps) this.pending?.stop();
    };
  }

  /**
   * A reloaded config's limits (DESIGN.md "Operating": limits apply at once):
   * flood control and the send queue from the next frame on. The framer and
   * session keep the sizes they were built with.
   */
  applyLimits(limits: Readonly<LimitsConfig>): void {
    this.limits = limits;
    this.intake.applyFlood(limits.flood);
  }

  /** Starts the session (greeting) and the registration timer. */
  open(): void {
    this.deps.metrics.connectionOpened();
    this.log.debug({}, 'connection opened');
    const ms = this.limits.registrationTimeoutMs;
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

  // --- what the Intake and the SendQueue read of their connection (IntakeHost, SendQueueHost) ---

  /** While traced, reads go through the pending watch (trace-pending.ts), which passes halts and charges on. */
  get reader(): Framer<unknown> {
    return this.pending ?? this.framer;
  }

  get metrics(): ListenerMetrics {
    return this.deps.metrics;
  }

  describeFrame(frame: unknown): string {
    return this.deps.dialect.describe(frame);
  }

  /** Read at each write: a reload's limit applies at once (applyLimits). */
  get sendQueueMax(): number {
    return this.limits.sendQueueMax;
  }

  heldBytes(): number {
    return this.replies.heldBytes;
  }

  wroteBytes(n: number): void {
    this.deps.metrics.bytesOut(n);
  }

  writeFailed(err: unknown): void {
    this.log.error({ err }, 'write failed');
    this.destroy('write failed');
  }

  registered(): void {
    this.registrationTimer?.();
    this.registrationTimer = undefined;
  }

  write(frame: string | Uint8Array): void {
    // After end() began, the goodbye is already queued: later events are dropped; so is all after an overflow but its reply.
    if (this.isClosing || (this.ending !== undefined && !this.replies.writing) || (this.overflowed && !this.queue.unbounded)) return;
    // Behind a reply still waiting for its answer (defer): it goes out right after that reply.
    if (this.replies.hold(frame)) {
      if (this.queue.overfull()) this.overflow(this.queue.queued);
      return;
    }
    this.queueFrame(frame);
  }

  defer<T>(reply: (value: T) => void): ReplySlot<T> {
    return this.replies.add(reply);
  }

  /** Queues a frame for this turn's write (RepliesHost: also what was held behind a deferred reply). */
  queueFrame(frame: string | Uint8Array): void {
    if (this.isClosing) return;
    if (this.tracing) this.log.trace({ dir: 'out', frame: escapeControls(typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8')) }, 'frame out');
    this.deps.metrics.frameOut(this.dialectName);
    this.queue.write(frame, deliveringNews());
  }

  /**
   * The client reads slower than it is sent to (DESIGN.md "Operating limits"): what was queued is
   * dropped, and on a later microtask (never inside the session's own write) the dialect's
   * SEND_QUEUE_FULL reply goes out over the limit, then the close.
   */
  overflow(queued: number): void {
    if (this.overflowed) return;
    this.overflowed = true;
    this.deps.metrics.limit('send_queue');
    this.log.warn({ queued, limit: this.limits.sendQueueMax }, 'slow reader disconnected: send queue full');
    queueMicrotask(() => {
      if (this.isClosing) return;
      this.queue.unbounded = true;
      try {
        this.session.fault('SEND_QUEUE_FULL', undefined, true);
      } catch (err) {
        this.log.error({ err }, 'send queue full reply failed');
      }
      this.end('slow reader');
      // Its nick and rooms go now, so others learn at once, not when the peer lets the socket close.
      void this.release();
    });
  }

  /** Hands bytes (or a message) to the transport, and to the trace's subscribers. */
  send(chunk: string | Uint8Array): void {
    if (this.isClosed) return;
    if (this.taps) this.record('out', typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    this.pipe.write(chunk);
  }

  private record(dir: TraceRecord['dir'], bytes: Uint8Array, hint?: string): void {
    const r: TraceRecord = { ...this.describe(), dir, bytes, at: Date.now(), ...(hint === undefined ? {} : { hint }) };
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
    this.queue.flush();
    this.pipe.end();
    this.clock().after(END_TIMEOUT_MS, () => this.destroy(), true);
  }

  /** Drops the connection at once, unsent frames included; `reason` is logged unless one was given before. */
  destroy(reason?: string): void {
    this.isClosing = true;
    this.closeReason ??= reason;
    this.pipe.destroy();
  }

  after(ms: number, fn: () => void): () => void {
    return this.isClosed ? NO_TIMER : this.clock().after(ms, fn);
  }

  every(ms: number, fn: () => void): () => void {
    return this.isClosed ? NO_TIMER : this.clock().every(ms, fn);
  }

  private clock(): ConnectionTimers {
    return (this.timers ??= new ConnectionTimers());
  }

  /**
   * Controlled shutdown: stop reading, let the frame in hand finish, tell the
   * client in its dialect, flush, close. Resolves when the transport is closed.
   */
  async shutdown(message: string): Promise<void> {
    if (this.isClosed) return;
    // Frames already received still get their replies (DESIGN.md Sup: "pending replies flushed").
    await this.intake.drained();
    if (this.replies.pending > 0) await new Promise<void>((resolve) => (this.settled = resolve));
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

  /** PipeEvents: bytes (or a message) from the peer. */
  pipeData(chunk: Buffer): void {
    this.deps.metrics.bytesIn(chunk.length);
    if (this.isClosing) return;
    if (this.taps) this.record('in', chunk);
    try {
      this.intake.push(this.mapper ? this.mapper.inbound(chunk) : chunk);
    } catch (err) {
      // A framer bug must cost this connection, never the process.
      this.log.error({ err }, 'framer failed');
      this.session.fault('INTERNAL');
      this.end('framer failure');
    }
  }

  /**
   * The transport refused a message over the dialect's limit and closes right
   * after this: the reply goes out now, ahead of anything queued behind it (PipeEvents).
   */
  pipeTooLarge(limit: number): void {
    if (this.isClosing) return;
    this.deps.metrics.limit('frame_size');
    this.log.debug({ limit }, 'message too large');
    this.session.fault('FRAME_TOO_LARGE', `message longer than ${limit} bytes`, true);
    this.queue.flush();
    this.isClosing = true;
  }

  /** RepliesHost: the last deferred reply went out: a close asked for meanwhile happens now, a shutdown waiting for it goes on. */
  repliesDrained(): void {
    if (this.ending !== undefined) {
      const reason = this.ending;
      this.ending = undefined;
      this.end(reason);
    }
    const settled = this.settled;
    this.settled = undefined;
    settled?.();
  }

  /** Releases the session's nick and rooms once, however many paths ask for it. */
  private release(): Promise<void> {
    this.released ??= this.session.close().catch((err: unknown) => this.log.error({ err }, 'session failed to close'));
    return this.released;
  }

  /** PipeEvents: closed both ways; the session's nick and rooms are released. */
  async pipeClosed(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.isClosing = true;
    this.timers?.close();
    this.intake.stop();
    const taps = this.taps;
    this.taps = undefined;
    this.pending?.stop();
    for (const sink of taps ?? []) sink.end();
    for (const resolve of this.closeWaiters ?? []) resolve();
    this.closeWaiters = undefined;
    this.deps.metrics.connectionClosed();
    await this.release();
    // No reason given on our side: the client went (a quit the dialect did not end itself, or a drop).
    this.log.debug({ reason: this.closeReason ?? 'peer closed' }, 'connection closed');
    this.deps.onClosed(this);
  }
}
