import { deliveringNews, writingNews } from '@chat-gateway/core';
import type { Wire } from './encoder.js';

/** A package still being built, and whether it is news (core deliveringNews) to be paced. */
interface Later {
  frame: Promise<Wire | undefined>;
  news: boolean;
}

/**
 * Keeps a client's packages in order when some are still being built: a
 * `user_joined` needs the room's members from the Directory (DESIGN.md
 * "Traffic": room events carry no member list), which may answer on a later
 * turn, and whatever is sent after it must not overtake it. Packages that
 * are ready go straight through when nothing waits.
 */
export class Ordered {
  private held: (Wire | Later)[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly out: (frame: Wire) => void) {}

  /** Sends a package now, or after those still being built. */
  send(frame: Wire): void {
    if (this.held.length === 0) this.out(frame);
    else this.held.push(frame);
  }

  /** Sends a package once it is built; undefined (or a failure) sends nothing. Later packages wait for it. */
  sendLater(frame: Promise<Wire | undefined>): void {
    // Written on a later turn, it stays what it was handed out as: news (a join, a departure) is paced by the gateway.
    this.held.push({ frame, news: deliveringNews() });
    if (this.held.length === 1) this.release();
  }

  /** Resolves when nothing is held back. */
  drained(): Promise<void> {
    if (this.held.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops what is held: the connection is closing. */
  clear(): void {
    this.held = [];
    this.wake();
  }

  private release(): void {
    const held = this.held;
    while (held.length > 0) {
      const head = held[0]!;
      if (typeof head !== 'string' && !Buffer.isBuffer(head)) {
        head.frame.then(
          (w) => this.settled(held, w, head.news),
          () => this.settled(held, undefined, false),
        );
        return;
      }
      held.shift();
      this.out(head);
    }
    this.wake();
  }

  private settled(held: Ordered['held'], frame: Wire | undefined, news: boolean): void {
    // Cleared meanwhile: this result belongs to a queue that is gone.
    if (held !== this.held) return;
    held.shift();
    if (frame !== undefined) writingNews(news, () => this.out(frame));
    this.release();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
