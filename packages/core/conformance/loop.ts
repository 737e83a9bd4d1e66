import { EventEmitter } from 'eventemitter3';
import type { Directory } from '../src/directory.js';
import type { Backend, BackendState, Link, LinkMessage, LinkReceiver } from '../src/link.js';
import { MemoryDirectory } from '../src/memory-directory.js';

/** What a test may do to the loop cluster's traffic. */
export interface LoopOptions {
  /** Resolve every Directory call on a later turn, as a networked back end would (default true). */
  deferDirectory?: boolean;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * An in-process multi-node back end for tests (the way socket.io tests its
 * cluster adapter): several Hubs share one MemoryDirectory, and a Link that
 * delivers on a later turn, in order per receiving node, never synchronously,
 * so behaviour that only holds because delivery is synchronous shows up here.
 * A node's traffic can be dropped or delayed, and the whole back end taken
 * away and brought back (an outage).
 */
export class LoopCluster {
  private readonly shared: MemoryDirectory;
  private readonly channels = new EventEmitter();
  private readonly queues = new Map<string, { items: LinkMessage[]; scheduled: boolean }>();
  private readonly dropped = new Set<string>();
  private readonly delays = new Map<string, number>();
  private readonly receivers = new Map<string, LinkReceiver>();
  private down = false;
  private outages = 0;

  constructor(private readonly opts: LoopOptions = {}) {
    this.shared = new MemoryDirectory();
  }

  /** A back end for one more node: the shared Directory and its own Link end. */
  backend(): Backend {
    const directory = this.directoryView();
    return { directory, link: this.link(), state: () => this.state() };
  }

  /** Drops every message to and from a node (a partition), or stops dropping. */
  drop(node: string, on = true): void {
    if (on) this.dropped.add(node);
    else this.dropped.delete(node);
  }

  /** Delays delivery to a node by `ms` (order kept). */
  delay(node: string, ms: number): void {
    this.delays.set(node, ms);
  }

  /**
   * Takes the whole back end away (Directory calls reject, the Link refuses)
   * or brings it back, with its state (an outage) or without (`lost`: a
   * restart without persistence); back, every node resyncs.
   */
  async outage(on: boolean, opts: { lost?: boolean } = {}): Promise<void> {
    if (on && !this.down) this.outages++;
    this.down = on;
    if (on) return;
    if (opts.lost) await this.shared.close();
    for (const r of this.receivers.values()) r.resync();
  }

  /** Resolves once no message between nodes is waiting for delivery (tests: before a sentinel). */
  async idle(): Promise<void> {
    while ([...this.queues.values()].some((q) => q.scheduled)) await turn();
  }

  private state(): BackendState {
    return { type: 'loop', up: !this.down, outages: this.outages };
  }

  private directoryView(): Directory {
    const inner = this.shared;
    const defer = this.opts.deferDirectory ?? true;
    const cluster = this;
    // Every node sees the same state; closing one node's view must not wipe the others'.
    return new Proxy(inner, {
      get(target, key) {
        if (key === 'close') return async () => {};
        const v = Reflect.get(target, key) as unknown;
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          if (defer) await turn();
          if (cluster.down) throw new Error('loop back end is down');
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  private link(): Link {
    let me: string | undefined;
    const handler = (msg: LinkMessage) => this.enqueue(me!, msg);
    return {
      open: async (node, receiver) => {
        me = node;
        this.receivers.set(node, receiver);
        this.channels.on(`node:${node}`, handler);
        this.channels.on('*', handler);
      },
      send: (to, msg) => {
        if (this.down) return false;
        if (this.dropped.has(msg.from)) return true;
        if (to === undefined) this.channels.emit('*', msg);
        else this.channels.emit(`node:${to}`, msg);
        return true;
      },
      close: async () => {
        if (me === undefined) return;
        this.channels.off(`node:${me}`, handler);
        this.channels.off('*', handler);
        this.receivers.delete(me);
        this.queues.delete(me);
      },
    };
  }

  private enqueue(node: string, msg: LinkMessage): void {
    // A broadcast comes back to its sender's own handler: a node never receives its own.
    if (msg.from === node || this.dropped.has(node)) return;
    let q = this.queues.get(node);
    if (!q) this.queues.set(node, (q = { items: [], scheduled: false }));
    q.items.push(msg);
    if (q.scheduled) return;
    q.scheduled = true;
    const ms = this.delays.get(node) ?? 0;
    const flush = () => this.flush(node);
    if (ms > 0) setTimeout(flush, ms);
    else setImmediate(flush);
  }

  private flush(node: string): void {
    const q = this.queues.get(node);
    const r = this.receivers.get(node);
    if (!q || !r) return;
    const items = q.items;
    q.items = [];
    q.scheduled = false;
    for (const m of items) {
      if (this.dropped.has(node) || this.dropped.has(m.from)) continue;
      r.receive(m);
    }
  }
}
