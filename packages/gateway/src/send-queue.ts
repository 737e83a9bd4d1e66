import { forgetShared } from '@chat-gateway/core';
import type { MessageMapper } from './message-framing.js';
import { byteLengthOf, frameBytes, stringBytes } from './out-bytes.js';
import type { Pipe } from './transports/pipe.js';

/** What a SendQueue needs of its connection (the Connection itself: no object of closures per connection). */
export interface SendQueueHost {
  readonly pipe: Pipe;
  /** Maps frames to messages on a message transport. */
  readonly mapper?: MessageMapper;
  /** limits.sendQueueMax, read at each write: bytes queued here, elsewhere for this client (`heldBytes`) and in the transport together. */
  readonly sendQueueMax: number;
  /** Bytes waiting for this client outside this queue (behind a deferred reply, replies.ts). */
  heldBytes(): number;
  /** Bytes handed to the transport (the listener's bytes-out counter). */
  wroteBytes(bytes: number): void;
  /** Writes one chunk (or message) to the transport. */
  send(chunk: string | Uint8Array): void;
  /** The queue went over the limit: what it held is already dropped. */
  overflow(queued: number): void;
  /** A write threw: it costs this connection only. */
  writeFailed(err: unknown): void;
}

// Queues with frames this turn, written by one setImmediate for all of them: not a callback (and
// a closure) per connection per turn.
const toFlush: SendQueue[] = [];
let flushPending = false;

function flushAll(): void {
  flushPending = false;
  const list = toFlush.splice(0, toFlush.length);
  for (const q of list) q.flushSafely();
  // Shared frames were for this turn's writes (core encodeOnce): later turns need not look them up.
  forgetShared();
}

/**
 * The outbound half of a connection: frames of one event-loop turn leave in
 * one write (one message per frame on a message transport), and what waits,
 * here and in the transport, is bounded by limits.sendQueueMax (DESIGN.md
 * "Operating limits": a slow reader is disconnected, others never wait for it).
 */
export class SendQueue {
  private out: (string | Uint8Array)[] = [];
  // Queued this turn: bytes of the byte frames, UTF-16 units of the string ones (at most 3 bytes each).
  private bytes = 0;
  private chars = 0;
  private scheduled = false;
  /** Set for the last words of a connection cut off for its queue: they go out over the limit. */
  unbounded = false;

  constructor(private readonly host: SendQueueHost) {}

  /** Queues one frame for this turn's write. */
  write(frame: string | Uint8Array): void {
    this.out.push(frame);
    if (typeof frame === 'string') this.chars += frame.length;
    else this.bytes += frame.byteLength;
    if (!this.unbounded && this.overfull()) {
      const queued = this.queued;
      this.clear();
      this.host.overflow(queued);
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      toFlush.push(this);
      if (!flushPending) {
        flushPending = true;
        setImmediate(flushAll);
      }
    }
  }

  /** Bytes waiting for this client: here, held elsewhere, and what the transport still holds (a socket's buffer, ws's bufferedAmount). */
  get queued(): number {
    return this.bytes + stringBytes(this.out) + this.host.heldBytes() + this.host.pipe.buffered;
  }

  /** True when more waits for this client than limits.sendQueueMax allows. */
  overfull(): boolean {
    // Bytes, not UTF-16 units: the limit is what the kernel buffers for this client. Counting a
    // string's bytes is a pass over it, made only when its worst case (3 per unit) might not fit.
    const room = this.host.sendQueueMax - this.bytes - this.host.heldBytes() - this.host.pipe.buffered;
    return this.chars * 3 > room && stringBytes(this.out) > room;
  }

  /** Drops what is queued and not yet written (what the transport holds is no longer ours to drop). */
  clear(): void {
    this.out = [];
    this.bytes = 0;
    this.chars = 0;
  }

  /** This turn's write (flushAll); a failure costs this connection only. */
  flushSafely(): void {
    try {
      this.flush();
    } catch (err) {
      this.host.writeFailed(err);
    }
  }

  /** Writes everything queued this turn: one write (one Buffer) on a stream, one message per frame on a message transport. */
  flush(): void {
    this.scheduled = false;
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    this.bytes = 0;
    this.chars = 0;
    const host = this.host;
    const mapper = host.mapper;
    if (mapper) {
      let bytes = 0;
      for (const frame of out) bytes += byteLengthOf(frame);
      this.host.wroteBytes(bytes);
      for (const frame of out) for (const m of mapper.outbound(frame)) host.send(m);
      return;
    }
    const chunk = frameBytes(out);
    host.wroteBytes(chunk.byteLength);
    host.send(chunk);
  }
}
