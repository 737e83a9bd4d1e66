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

interface Pending {
  resolve(a: Answer): void;
  /** performance.now() past which it is a timeout. */
  deadline: number;
}

/**
 * The request/answer half of node-to-node traffic: an event sent to one node
 * that must be acknowledged (a direct message is acknowledged to its sender
 * only when the recipient's node answers), and the answers coming back.
 * Every request waits equally long, so the open ones, in the order asked
 * (a Map keeps it), are also in the order they time out: one timer for the
 * oldest serves them all (a timer per message was a busy node's garbage).
 */
export class Requests {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly node: string,
    private readonly link: Link,
    private readonly timeoutMs: number,
  ) {}

  /** Sends an event to one node and resolves with its answer, or 'timeout' after ackTimeoutMs. */
  ask(to: string, event: BusEvent, except?: string): Promise<Answer> {
    const ack = ++this.seq;
    if (!this.link.send(to, { kind: 'event', from: this.node, event, except, ack })) return Promise.resolve('down');
    return new Promise((resolve) => {
      this.pending.set(ack, { resolve, deadline: performance.now() + this.timeoutMs });
      this.arm();
    });
  }

  /** Answers a request from another node. */
  answer(msg: Extract<LinkMessage, { kind: 'event' }>, delivered: boolean): void {
    if (msg.ack !== undefined) this.link.send(msg.from, { kind: 'ack', from: this.node, ack: msg.ack, delivered });
  }

  /** An answer arrived; a late one (after its timeout) is dropped. */
  settle(msg: Extract<LinkMessage, { kind: 'ack' }>): void {
    const p = this.pending.get(msg.ack);
    if (!p) return;
    this.pending.delete(msg.ack);
    p.resolve(msg.delivered ? 'delivered' : 'gone');
  }

  /** Every open request ends as 'down' (the node is closing). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const p of this.pending.values()) p.resolve('down');
    this.pending.clear();
  }

  /** A timer for the oldest open request, when there is one and none is set. */
  private arm(): void {
    if (this.timer !== undefined) return;
    const oldest = this.pending.values().next().value;
    if (oldest === undefined) return;
    // Not unref'd: a sender is waiting on this answer, so the process must wait too.
    this.timer = setTimeout(this.expire, Math.max(0, oldest.deadline - performance.now()));
  }

  /** Times out every request past its deadline (the oldest first), then waits for the next. */
  private readonly expire = (): void => {
    this.timer = undefined;
    const now = performance.now();
    for (const [ack, p] of this.pending) {
      if (p.deadline > now) break;
      this.pending.delete(ack);
      p.resolve('timeout');
    }
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
