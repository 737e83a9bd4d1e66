import type { BusEvent } from './events.js';
import type { Link, LinkMessage } from './link.js';

/** DESIGN.md "Nodes and back ends": acknowledgement, heartbeat and lease timing. */
export interface ClusterOptions {
  /** How long a DM to another node waits for that node's answer before it is an error (2 s). */
  ackTimeoutMs: number;
  /** How often a node renews its lease and looks for lapsed nodes (2 s). */
  heartbeatMs: number;
  /** A lease not renewed for this long has lapsed: the node is reaped (6 s). */
  nodeTimeoutMs: number;
}

export const DEFAULT_CLUSTER: Readonly<ClusterOptions> = Object.freeze({ ackTimeoutMs: 2000, heartbeatMs: 2000, nodeTimeoutMs: 6000 });

/** How a request to another node ended. */
export type Answer = 'delivered' | 'gone' | 'timeout' | 'down';

/**
 * The request/answer half of node-to-node traffic: an event sent to one node
 * that must be acknowledged (a direct message is acknowledged to its sender
 * only when the recipient's node answers), and the answers coming back.
 * Every request waits equally long, so the open ones, in the order asked
 * (their numbers), are also in the order they time out: one timer for the
 * oldest serves them all (a timer per message was a busy node's garbage),
 * and they are kept in two arrays indexed by number, not a Map of objects.
 */
export class Requests {
  /** The number of the request at index 0 of the arrays. */
  private base = 1;
  /** Index of the oldest request that may still be open. */
  private head = 0;
  private open = 0;
  private resolvers: (((a: Answer) => void) | undefined)[] = [];
  /** performance.now() past which each is a timeout. */
  private deadlines: number[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly node: string,
    private readonly link: Link,
    private readonly timeoutMs: number,
  ) {}

  /** Sends an event to one node and resolves with its answer, or 'timeout' after ackTimeoutMs. */
  ask(to: string, event: BusEvent, except?: string): Promise<Answer> {
    return new Promise((resolve) => {
      if (!this.request(to, event, resolve, except)) resolve('down');
    });
  }

  /** ask() with a callback, called once on a later turn; false when the Link could not take it (nothing sent, `done` never called). */
  request(to: string, event: BusEvent, done: (a: Answer) => void, except?: string): boolean {
    const ack = this.base + this.resolvers.length;
    if (!this.link.send(to, { kind: 'event', from: this.node, event, except, ack })) return false;
    this.resolvers.push(done);
    this.deadlines.push(performance.now() + this.timeoutMs);
    this.open++;
    this.arm();
    return true;
  }

  /** Answers a request from another node. */
  answer(msg: Extract<LinkMessage, { kind: 'event' }>, delivered: boolean): void {
    if (msg.ack !== undefined) this.link.send(msg.from, { kind: 'ack', from: this.node, ack: msg.ack, delivered });
  }

  /** An answer arrived; a late one (after its timeout), a repeated or an unknown one is dropped. */
  settle(msg: Extract<LinkMessage, { kind: 'ack' }>): void {
    const i = msg.ack - this.base;
    if (!(i >= this.head && i < this.resolvers.length)) return;
    this.take(i)?.(msg.delivered ? 'delivered' : 'gone');
  }

  /** Every open request ends as 'down' (the node is closing). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const open = this.resolvers.slice(this.head);
    this.forget();
    for (const resolve of open) resolve?.('down');
  }

  /** Removes request `i`, returning its resolver if it was open; the arrays shrink once their front is done. */
  private take(i: number): ((a: Answer) => void) | undefined {
    const resolve = this.resolvers[i];
    if (resolve === undefined) return undefined;
    this.resolvers[i] = undefined;
    this.open--;
    while (this.head < this.resolvers.length && this.resolvers[this.head] === undefined) this.head++;
    if (this.open === 0) this.forget();
    else if (this.head >= 1024 && this.head * 2 >= this.resolvers.length) {
      this.resolvers = this.resolvers.slice(this.head);
      this.deadlines = this.deadlines.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
    return resolve;
  }

  /** Nothing open: the arrays start again empty, numbering going on. */
  private forget(): void {
    this.base += this.resolvers.length;
    this.resolvers = [];
    this.deadlines = [];
    this.head = 0;
    this.open = 0;
  }

  /** A timer for the oldest open request, when there is one and none is set. */
  private arm(): void {
    if (this.timer !== undefined || this.open === 0) return;
    // Not unref'd: a sender is waiting on this answer, so the process must wait too.
    this.timer = setTimeout(this.expire, Math.max(0, this.deadlines[this.head]! - performance.now()));
  }

  /** Times out every request past its deadline (the oldest first), then waits for the next. */
  private readonly expire = (): void => {
    this.timer = undefined;
    const now = performance.now();
    while (this.open > 0 && this.deadlines[this.head]! <= now) this.take(this.head)?.('timeout');
    this.arm();
  };
}

/** A repeating, unref'd timer whose runs never overlap: a slow back end does not pile up heartbeats. */
export function every(ms: number, run: () => Promise<void>): () => void {
  let busy = false;
  const t = setInterval(() => {
    if (busy) return;
    busy = true;
    void run().finally(() => (busy = false));
  }, ms);
  t.unref();
  return () => clearInterval(t);
}
