import type { ReplySlot } from '@chat-gateway/core';
import { NONE } from './none.js';

type Frame = string | Uint8Array;

/** One deferred reply, its place in the order; answered once (a later answer, or a second, is ignored). */
class Deferred<T> implements ReplySlot<T> {
  done = false;
  value?: T;
  err?: unknown;
  failed = false;
  // Made when a frame is first held behind it (most replies have none).
  after?: Frame[];

  constructor(
    private readonly owner: OrderedReplies,
    readonly reply: (value: T) => void,
  ) {}

  resolve(value: T): void {
    if (this.done) return;
    this.done = true;
    this.value = value;
    this.owner.release();
  }

  reject(err: unknown): void {
    if (this.done) return;
    this.done = true;
    this.failed = true;
    this.err = err;
    this.owner.release();
  }
}

/** The connection the replies are written for: methods, not closures, so a connection costs no closures for them (issue #16). */
export interface RepliesHost {
  /** Writes a frame out (the connection's own queue). */
  queueFrame(frame: Frame): void;
  /** Answers a reply whose answer rejected (the connection's INTERNAL reply). */
  replyFailed(err: unknown): void;
  /** Called each time the last pending reply was written. */
  repliesDrained(): void;
}

const bytes = (f: Frame): number => (typeof f === 'string' ? Buffer.byteLength(f) : f.byteLength);

/**
 * The replies of one connection that wait for an answer while later frames
 * are handled (core's Transport.defer: a DM waiting for another node's
 * acknowledgement, DESIGN.md "Acknowledgement"). Each runs in the order it
 * was deferred, whatever order the answers come in; a frame written while
 * one is pending waits behind it, so the client reads replies in the order
 * of its requests and everything else where it would have been.
 */
export class OrderedReplies {
  private queue: Deferred<unknown>[] = NONE;
  private replying = false;
  /** Bytes written meanwhile and not yet let out (they count against the send queue limit). */
  heldBytes = 0;
  private waiters: (() => void)[] = NONE;

  constructor(private readonly host: RepliesHost) {}

  /** Replies deferred and not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  /** True while a reply (or what was held behind it) is being written. */
  get writing(): boolean {
    return this.replying;
  }

  /** Keeps a frame behind the pending replies; false when nothing is pending (or a reply is being written): write it now. */
  hold(frame: Frame): boolean {
    if (this.queue.length === 0 || this.replying) return false;
    (this.queue.at(-1)!.after ??= []).push(frame);
    this.heldBytes += bytes(frame);
    return true;
  }

  /** Takes a reply's place now; it is written when its slot gets the answer (Transport.defer). */
  add<T>(reply: (value: T) => void): ReplySlot<T> {
    const d = new Deferred<T>(this, reply);
    if (this.queue === NONE) this.queue = [];
    this.queue.push(d as unknown as Deferred<unknown>);
    return d;
  }

  /** Resolves at once when fewer than `n` replies are pending, else once a reply was written (the caller looks again). */
  below(n: number): Promise<void> {
    if (this.queue.length < n) return Promise.resolve();
    if (this.waiters === NONE) this.waiters = [];
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes every reply at the head whose answer is in, each followed by what was written after it. */
  release(): void {
    // An answer given while a reply is being written is taken by the loop already running.
    if (this.replying) return;
    while (this.queue[0]?.done) {
      const d = this.queue.shift()!;
      this.replying = true;
      try {
        if (d.failed) this.host.replyFailed(d.err);
        else d.reply(d.value);
      } catch (err) {
        this.host.replyFailed(err);
      } finally {
        if (d.after) {
          for (const f of d.after) {
            this.heldBytes -= bytes(f);
            this.host.queueFrame(f);
          }
        }
        this.replying = false;
      }
    }
    const waiters = this.waiters;
    this.waiters = NONE;
    for (const w of waiters) w();
    if (this.queue.length === 0) {
      this.queue = NONE;
      this.host.repliesDrained();
    }
  }
}
