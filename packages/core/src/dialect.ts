import type { ErrorCode } from './errors.js';
import type { BusEvent } from './events.js';
import type { Hub } from './hub.js';
import type { SessionPort } from './local.js';
import type { Log } from './log.js';
import type { Observer } from './observer.js';

/** Operating limits (DESIGN.md "Operating limits"); the gateway fills them from config. */
export interface Limits {
  /** Longest inbound line or Sup message, bytes (8 KiB). */
  lineMax: number;
  /** Longest inbound JSON package, bytes (64 KiB). */
  packageMax: number;
  /** Largest decompressed package, bytes (1 MiB). */
  decompressedMax: number;
  /** Deepest JSON nesting accepted. */
  jsonDepthMax: number;
  /** Longest text, characters (4096). */
  textMax: number;
  /** Most bytes a connection may have waiting to be sent (1 MiB); a session that queues on its own (pacing) keeps to it too. */
  sendQueueMax: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  lineMax: 8192,
  packageMax: 65536,
  decompressedMax: 1048576,
  jsonDepthMax: 32,
  textMax: 4096,
  sendQueueMax: 1048576,
});

/** Where a framer puts what it decoded. */
export interface FrameSink<F> {
  frame(frame: F): void;
  /** A bad frame: the session replies; `fatal` means the stream cannot resync and the connection closes. */
  fault(code: ErrorCode, detail: string, fatal: boolean): void;
  /**
   * The framer inflated `bytes` of one compressed package and is about to decode them: flood
   * control charges for them (DESIGN.md "Operating limits": "charged for decompressed bytes
   * too"). False: over the limit, so the framer drops the package undecoded (already counted).
   */
  inflated?(bytes: number): boolean;
  /**
   * True when the framer must stop at the next frame boundary, even in the middle of a push:
   * the connection is closing, or this connection's work for this event-loop turn is spent
   * (DESIGN.md "Operating limits": no connection can stall the event loop for others).
   */
  readonly halted?: boolean;
}

/**
 * Bytes in, frames out (DESIGN.md "Framer"): pure and synchronous, no I/O,
 * its only state a bounded buffer. Chunk boundaries may fall anywhere.
 * When the sink is `halted` the framer stops between two frames and keeps
 * the bytes it did not read (at most one chunk); the next push, an empty
 * chunk included, goes on with them first.
 */
export interface Framer<F> {
  push(chunk: Uint8Array, sink: FrameSink<F>): void;
}

/**
 * The connection as a session sees it. The gateway's connection layer
 * implements it: bounded send queue, batching, timers that die with the
 * connection.
 */
export interface Transport {
  readonly id: string;
  readonly remoteAddress: string;
  /** True once end() or a disconnect began: further writes are dropped. */
  readonly closing: boolean;
  /** Queues one whole frame; frames of one event-loop turn leave in one write. */
  write(frame: string | Uint8Array): void;
  /** Flushes what is queued, then closes. */
  end(reason: string): void;
  /** Tells the connection layer the session registered (stops the registration timer). */
  registered(): void;
  /**
   * A reply that waits for an answer (a DM's acknowledgement from another
   * node, DESIGN.md "Acknowledgement") without holding up the frames after
   * it: `reply` runs with the answer in frame order, and whatever is written
   * meanwhile (later replies, deliveries) waits behind it: the reply's place
   * is taken now, and the answer given to the returned slot later. Optional:
   * a transport without it makes the session wait (SessionBase.inOrder).
   */
  defer?<T>(reply: (value: T) => void): ReplySlot<T>;
  /** A timer cleared when the connection closes; returns its cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** A repeating timer cleared when the connection closes; returns its cancel function. */
  every(ms: number, fn: () => void): () => void;
}

/** A deferred reply's place (Transport.defer): given its answer once, or the error that replaces it. */
export interface ReplySlot<T> {
  resolve(value: T): void;
  /** The answer failed: the connection's INTERNAL reply takes the reply's place. */
  reject(err: unknown): void;
}

/** What a session is given when its connection opens. */
export interface SessionContext<O> {
  transport: Transport;
  hub: Hub;
  options: Readonly<O>;
  limits: Readonly<Limits>;
  log: Log;
  observer: Observer;
}

/**
 * A dialect's state machine for one connection (DESIGN.md "Session"). The
 * connection layer calls handle() one frame at a time, waiting for a returned
 * promise before the next, so replies keep the order of requests (a reply
 * deferred with Transport.defer keeps its place too).
 */
export interface Session<F> extends SessionPort {
  /**
   * True when every frame the client sends must get a reply of its own (Sup: one status per
   * message, matched by position): flood control then answers each frame it drops, where for
   * other dialects it answers at most one a second (DESIGN.md "Operating limits").
   */
  readonly answersEveryFrame?: boolean;
  /** Greets the client (or not, per dialect). */
  start(): void;
  handle(frame: F): void | Promise<void>;
  /**
   * Replies to a framer or connection-layer fault in the dialect's words.
   * `fatal`: the connection closes right after, so the reply must not wait behind anything.
   */
  fault(code: ErrorCode, detail?: string, fatal?: boolean): void;
  /** Tells the client the server is going down (DESIGN.md "shutdown" row). */
  shutdown(message: string): void | Promise<void>;
  /**
   * Tells the client that bytes it sent end no frame yet (DESIGN.md "Interop
   * bench"), once per connection. Left out where the dialect has no way to
   * say it unasked: Sup gets nothing it did not ask for (DESIGN.md "Security").
   */
  incomplete?(pending: PendingHint): void;
  /** The connection is gone: release the nick and rooms. */
  close(): Promise<void>;
  deliver(event: BusEvent): void;
}

/**
 * How a message transport (WebSocket) carries a dialect (DESIGN.md
 * "Transports and the browser"): one frame per message. The connection layer
 * maps messages to the framer's bytes and written frames to messages with it,
 * so neither the framer nor the session knows the transport.
 */
export interface MessageFraming {
  /**
   * The frame terminators the framer accepts, the preferred one first. An
   * inbound message that ends in none of them gets the first one appended; an
   * outbound write is cut into one message per frame at each of them (the
   * longest that matches first), terminators dropped.
   */
  readonly ends: readonly string[];
  /** True when every write is exactly one frame that may hold terminator bytes (compressed JSON): one message, only a final terminator cut off. */
  readonly wholeWrites?: boolean;
  /** The largest inbound message, bytes: the framer's own limit, so the transport refuses what the framer would. */
  maxMessage(limits: Readonly<Limits>): number;
}

/** Bytes a client sent that end no frame, and what is missing, in the dialect's terms (DESIGN.md "Interop bench"). */
export interface PendingHint {
  /** The bytes waiting for their frame's end, exactly as read. */
  readonly bytes: Uint8Array;
  /** One line for a student: what the frame lacks and for how long, e.g. `no EOT (\x04) after 1 s`. */
  readonly hint: string;
}

/**
 * A dialect plugs into the gateway through this one object: adding a dialect
 * means one package exporting one of these (built with defineDialect).
 */
export interface DialectSpec<F, O extends object> {
  readonly name: string;
  /** The spec's port, used by the default config. */
  readonly defaultPort: number;
  /** JSON Schema (draft-07 `properties`) for the dialect's listener options. */
  readonly optionsSchema: Record<string, object>;
  readonly defaultOptions: Readonly<O>;
  createFramer(limits: Readonly<Limits>, options: Readonly<O>): Framer<F>;
  createSession(ctx: SessionContext<O>): Session<F>;
  /** A frame as one trace-log string (controls escaped by the caller). */
  describe(frame: F): string;
  /** How it runs over a message transport; left out, messages pass as bytes both ways. */
  readonly messages?: MessageFraming;
  /**
   * What of `received` (the reads since the last one that ended a frame,
   * that one included) still waits for its frame's end after `waitedMs`,
   * and the hint the trace and the client get; undefined when nothing does.
   */
  pendingHint?(received: Uint8Array, waitedMs: number): PendingHint | undefined;
}

/** A dialect as the gateway holds it: its frame and option types erased. */
export type Dialect = DialectSpec<unknown, Record<string, unknown>>;

/**
 * Erases a dialect's frame and option types in this one place: the gateway
 * only ever hands a dialect its own framer's frames and options that passed
 * its own optionsSchema, so the erasure is safe.
 */
export function defineDialect<F, O extends object>(spec: DialectSpec<F, O>): Dialect {
  return spec as unknown as Dialect;
}
