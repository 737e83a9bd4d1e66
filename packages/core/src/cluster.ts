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
  timer: NodeJS.Timeout;
}

/**
 * The request/answer half of node-to-node traffic: an event sent to one node
 * that must be acknowledged (a direct message is acknowledged to its sender
 * only when the recipient's node answers), and the answers coming back.
 */
export class Requests {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

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
      const timer = setTimeout(() => {
        this.pending.delete(ack);
        resolve('timeout');
      }, this.timeoutMs);
      // Not unref'd: a sender is waiting on this answer, so the process must wait too.
      this.pending.set(ack, { resolve, timer });
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
    clearTimeout(p.timer);
    p.resolve(msg.delivered ? 'delivered' : 'gone');
  }

  /** Every open request ends as 'down' (the node is closing). */
  clear(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve('down');
    }
    this.pending.clear();
  }
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
