import { forgetShared } from '@chat-gateway/core';
import type { MessageMapper } from './message-framing.js';
import { byteLengthOf, frameBytes, stringBytes } from './out-bytes.js';
import type { Pipe } from './transports/pipe.js';
import { NONE } from './none.js';

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

// Queues with frames to write, written by one setImmediate for all of them: not a callback (and a
// closure) per connection per turn. DESIGN.md "Operating limits": one client's burst must not make
// the others wait, and an event for hundreds of recipients (a departure, a room message) is hundreds
// of writes, a system call each. So a turn writes for FLUSH_SLICE_MS at most: what is left goes out on
// the next turns, after the loop has read what came in meanwhile. Queues written to since the last
// turn (`fresh`: a DM whose recipient waits behind such a burst) go first, for half the slice; the
// older ones (`backlog`, oldest first) have the rest, and some every turn, so none is starved.
const FLUSH_SLICE_MS = 1;
const BACKLOG_MIN = 16;
// News (core's deliveringNews: arrivals, departures, joins) is paced rather than written in one
// stretch: a queue holding only news waits in `lazy`, written NEWS_SLICE_MS every NEWS_EVERY_MS (at
// least NEWS_MIN queues), so the cores stay free for the messages meanwhile, this process's and the
// clients' reading them. A queue written a message goes to `fresh` with its news before it, in
// order; one waiting longer than NEWS_WAIT_MAX_MS joins the backlog: news is late, never starved.
const NEWS_SLICE_MS = 0.25;
const NEWS_EVERY_MS = 1;
const NEWS_MIN = 4;
const NEWS_WAIT_MAX_MS = 200;
// Entries already handled at the front of `backlog` or `lazy` past which the list is cut down.
const COMPACT_AT = 1024;
// A queue's place: nothing queued, in `fresh` (and maybe a stale entry elsewhere), in `backlog`, or in `lazy`.
const IDLE = 0;
const FRESH = 1;
const BACKLOGGED = 2;
const LAZY = 3;
let fresh: SendQueue[] = [];
let backlog: SendQueue[] = [];
let head = 0;
let flushPending = false;
let lazy: SendQueue[] = [];
// When each of `lazy` was queued (performance.now()), oldest first.
let lazySince: number[] = [];
let lazyHead = 0;
let lazyPending = false;

function flushAll(): void {
  flushPending = false;
  const start = performance.now();
  const list = fresh;
  fresh = [];
  let i = 0;
  for (; i < list.length; i++) {
    if (performance.now() - start >= FLUSH_SLICE_MS / 2) break;
    const q = list[i]!;
    if (q.place === FRESH) q.flushSafely();
  }
  for (; i < list.length; i++) {
    const q = list[i]!;
    if (q.place !== FRESH) continue;
    q.place = BACKLOGGED;
    // Once: a queue written every turn while it waits keeps its first (oldest) place, not one entry a turn.
    if (q.inBacklog) continue;
    q.inBacklog = true;
    backlog.push(q);
  }
  for (let n = 0; head < backlog.length; n++) {
    if (n >= BACKLOG_MIN && performance.now() - start >= FLUSH_SLICE_MS) break;
    const q = backlog[head++]!;
    q.inBacklog = false;
    // A stale entry: already out (end() flushes at once, or its lazy entry aged into a second one).
    if (q.place === BACKLOGGED) q.flushSafely();
  }
  if (head === backlog.length) {
    backlog = [];
    head = 0;
  } else if (head > COMPACT_AT && head * 2 > backlog.length) {
    // Under load the backlog may never run dry: what was written is dropped, not kept with its connections.
    backlog = backlog.slice(head);
    head = 0;
  }
  if (backlog.length > 0 || fresh.length > 0) schedule();
  // Shared frames were for the writes waiting now (core encodeOnce): later turns need not look them up.
  else if (lazyHead === lazy.length) forgetShared();
}

function flushNews(): void {
  lazyPending = false;
  const start = performance.now();
  for (let n = 0; lazyHead < lazy.length; ) {
    const q = lazy[lazyHead]!;
    // Stale entries (promoted to `fresh`, or flushed by end()) cost nothing: skipped. One left by an
    // earlier wait of a queue that waits as news again writes it sooner: early, never twice.
    if (q.place === LAZY) {
      if (n >= NEWS_MIN && performance.now() - start >= NEWS_SLICE_MS) break;
      q.flushSafely();
      n++;
    }
    lazyHead++;
  }
  for (; lazyHead < lazy.length && start - lazySince[lazyHead]! >= NEWS_WAIT_MAX_MS; lazyHead++) {
    const q = lazy[lazyHead]!;
    if (q.place !== LAZY) continue;
    q.place = BACKLOGGED;
    schedule();
    if (q.inBacklog) continue;
    q.inBacklog = true;
    backlog.push(q);
  }
  if (lazyHead === lazy.length) {
    lazy = [];
    lazySince = [];
    lazyHead = 0;
    if (!flushPending) forgetShared();
    return;
  }
  // News coming on and on (a client coming and going) may never let the list run dry: drop what is done.
  if (lazyHead > COMPACT_AT && lazyHead * 2 > lazy.length) {
    lazy = lazy.slice(lazyHead);
    lazySince = lazySince.slice(lazyHead);
    lazyHead = 0;
  }
  scheduleNews();
}

/** Entries the flush lists hold, handled ones included (a test's view: they must stay bounded). */
export function flushListSizes(): { fresh: number; backlog: number; lazy: number } {
  return { fresh: fresh.length, backlog: backlog.length, lazy: lazy.length };
}

function scheduleNews(): void {
  if (lazyPending) return;
  lazyPending = true;
  setTimeout(flushNews, NEWS_EVERY_MS);
}

function schedule(): void {
  if (flushPending) return;
  flushPending = true;
  setImmediate(flushAll);
}

/**
 * The outbound half of a connection: frames of one event-loop turn leave in
 * one write (one message per frame on a message transport), and what waits,
 * here and in the transport, is bounded by limits.sendQueueMax (DESIGN.md
 * "Operating limits": a slow reader is disconnected, others never wait for it).
 */
export class SendQueue {
  private out: (string | Uint8Array)[] = NONE;
  // Queued this turn: bytes of the byte frames, UTF-16 units of the string ones (at most 3 bytes each).
  private bytes = 0;
  private chars = 0;
  /** Where this queue waits: IDLE, FRESH or BACKLOGGED (flushAll), LAZY (flushNews). */
  place = IDLE;
  /** True while an entry for this queue waits in `backlog` (at most one). */
  inBacklog = false;
  /** Set for the last words of a connection cut off for its queue: they go out over the limit. */
  unbounded = false;

  constructor(private readonly host: SendQueueHost) {}

  /** Queues one frame for this turn's write; `news` (an arrival, a departure, a join) may wait behind messages. */
  write(frame: string | Uint8Array, news = false): void {
    if (this.out === NONE) this.out = [];
    this.out.push(frame);
    if (typeof frame === 'string') this.chars += frame.length;
    else this.bytes += frame.byteLength;
    if (!this.unbounded && this.overfull()) {
      const queued = this.queued;
      this.clear();
      this.host.overflow(queued);
      return;
    }
    if (this.place === FRESH) return;
    if (news) {
      // Behind what already waits (backlog or lazy), or the first thing queued: paced.
      if (this.place !== IDLE) return;
      this.place = LAZY;
      lazy.push(this);
      lazySince.push(performance.now());
      scheduleNews();
      return;
    }
    // From the backlog or lazy too: what was written last goes out first (its stale entry is skipped).
    this.place = FRESH;
    fresh.push(this);
    schedule();
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
    this.out = NONE;
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
    this.place = IDLE;
    const out = this.out;
    if (out.length === 0) return;
    this.out = NONE;
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
