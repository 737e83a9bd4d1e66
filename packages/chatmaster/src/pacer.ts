import type { Transport } from '@chat-gateway/core';
import type { Wire } from './encoder.js';

/**
 * Keeps packages to one client apart in time (DESIGN.md ChatMaster: real
 * clients json.loads each read and drop the connection on two packages in
 * one). Until the client has proved it reads a stream (sent a package ended
 * by `\n`), at least `paceMs` passes between two packages, so each leaves in
 * its own write and, in practice, arrives in its own read. After the proof,
 * packages go straight to the transport.
 *
 * Timers are the transport's, so they die with the connection. The queue is
 * bounded: past `maxBytes` the client cannot keep up with its rooms, and
 * `onOverflow` runs (the session says so and closes).
 */
export class Pacer {
  private queue: Wire[] = [];
  private head = 0;
  private bytes = 0;
  private last = -Infinity;
  private cancel?: () => void;
  private streaming: boolean;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly paceMs: number,
    private readonly maxBytes: number,
    private readonly onOverflow: () => void,
  ) {
    this.streaming = paceMs <= 0;
  }

  /** True once packages are no longer paced. */
  get isStreaming(): boolean {
    return this.streaming;
  }

  /** Packages waiting for their turn. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Sends one package now, or as soon as the pace allows. */
  send(frame: Wire): void {
    if (this.streaming) return this.transport.write(frame);
    const now = performance.now();
    if (this.pending === 0 && now - this.last >= this.paceMs) {
      this.last = now;
      this.transport.write(frame);
      return;
    }
    this.queue.push(frame);
    this.bytes += frame.length;
    if (this.bytes > this.maxBytes) {
      this.clear();
      this.onOverflow();
      return;
    }
    if (!this.cancel) this.cancel = this.transport.after(Math.max(0, Math.ceil(this.last + this.paceMs - now)), this.tick);
  }

  /** Writes a package at once, dropping what waits: for the last words before the connection closes. */
  urgent(frame: Wire): void {
    this.clear();
    this.last = performance.now();
    this.transport.write(frame);
  }

  /** The client proved it reads a stream: what waits goes now, and nothing is paced from here on. */
  stream(): void {
    if (this.streaming) return;
    this.streaming = true;
    this.cancel?.();
    this.cancel = undefined;
    for (let i = this.head; i < this.queue.length; i++) this.transport.write(this.queue[i]!);
    this.clear();
  }

  /** Resolves when every queued package has been written (or dropped because the connection closed). */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops what waits and releases waiters: the connection is gone. */
  dispose(): void {
    this.clear();
  }

  private readonly tick = (): void => {
    this.cancel = undefined;
    if (this.transport.closing) return this.clear();
    const frame = this.queue[this.head];
    if (frame === undefined) return this.clear();
    // Timers count from the event loop's cached clock and may fire a little early: the gap is a promise.
    const wait = this.last + this.paceMs - performance.now();
    if (wait > 0) {
      this.cancel = this.transport.after(Math.ceil(wait), this.tick);
      return;
    }
    this.queue[this.head++] = '';
    this.bytes -= frame.length;
    // A queue that never empties (a busy room) must not keep its spent slots forever.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.last = performance.now();
    this.transport.write(frame);
    if (this.pending > 0) this.cancel = this.transport.after(this.paceMs, this.tick);
    else this.clear();
  };

  private clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.queue = [];
    this.head = 0;
    this.bytes = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
