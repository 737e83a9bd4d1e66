import type { Redis } from 'ioredis';
import type { Link, LinkMessage, LinkReceiver, Log } from '@chat-gateway/core';
import { decodeMessages, encodeMessages } from './codec.js';
import type { Health } from './health.js';
import type { TurnBatch } from './turn.js';

/** The channel of one node, or the broadcast channel (DESIGN.md "Traffic": per node plus one broadcast). */
export function channelOf(prefix: string, node: string | undefined): string {
  return node === undefined ? `${prefix}all` : `${prefix}node:${node}`;
}

/**
 * The Redis Link: messages over pub/sub, on `<prefix>node:<id>` and
 * `<prefix>all`, never a channel per session or room. One subscriber
 * connection per node; publishing goes over the node's one command
 * connection, the Directory's, so what a node sends reaches another in
 * the order it was sent (Redis pushes a client's publishes in order), and
 * after the Directory writes that preceded it (a joiner is in the member
 * list by the time its `room.joined` arrives). Messages go out at the end
 * of the turn they were sent in, a run of them to one channel in one
 * PUBLISH (codec.ts): on a busy node one command per turn and channel
 * instead of one per message (bench/README.md "Across nodes").
 */
export class RedisLink implements Link {
  private node?: string;
  private subscriber?: Redis;
  private closed = false;
  /** This turn's messages, in send order: runs of one channel. */
  private pending: { channel: string; messages: LinkMessage[] }[] = [];

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
    private readonly health: Health,
    private readonly log: Log,
    /** The command connection's turn, shared with the Directory (one socket write per turn, order kept). */
    private readonly batch: TurnBatch,
  ) {}

  async open(node: string, receiver: LinkReceiver): Promise<void> {
    if (this.node !== undefined) throw new Error(`link already open for node ${this.node}`);
    this.node = node;
    const sub = await this.health.connect(`chat-gateway:${node}:sub`);
    if (this.closed) return void (await this.health.close(sub));
    this.subscriber = sub;
    sub.on('message', (_channel: string, text: string) => this.deliver(receiver, text));
    // ioredis subscribes again by itself after a reconnect; SUBSCRIBE resolves once Redis confirmed both.
    await sub.subscribe(channelOf(this.prefix, node), channelOf(this.prefix, undefined));
    this.health.onBack(() => {
      if (!this.closed) receiver.resync();
    });
  }

  send(to: string | undefined, message: LinkMessage): boolean {
    // Not ready: the message could not go, and the caller must not pretend it did (DESIGN.md "Redis down").
    if (this.closed || this.publisher.status !== 'ready') return false;
    const channel = this.channel(to);
    const last = this.pending.at(-1);
    if (last?.channel === channel) last.messages.push(message);
    else {
      if (last === undefined) this.batch.atEnd(this.flush);
      this.pending.push({ channel, messages: [message] });
    }
    return true;
  }

  // Channel names made once per node, not per message (and then compared by identity, not by content).
  private readonly channels = new Map<string | undefined, string>();

  private channel(to: string | undefined): string {
    let c = this.channels.get(to);
    if (c === undefined) {
      c = channelOf(this.prefix, to);
      // Node ids come and go (restarts make new ones): bounded, rebuilt when full.
      if (this.channels.size >= 1024) this.channels.clear();
      this.channels.set(to, c);
    }
    return c;
  }

  /** Publishes this turn's messages, in order; a connection that dropped meanwhile loses them (a DM's sender then gets no ack). */
  private readonly flush = (): void => {
    const runs = this.pending;
    this.pending = [];
    for (const { channel, messages } of runs) {
      this.batch.command();
      const text = encodeMessages(this.node!, messages);
      this.publisher.publish(channel, text).catch((err: unknown) => {
        this.log.debug({ err, channel, messages: messages.length }, 'publish failed: the connection dropped');
      });
    }
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.health.close(this.subscriber);
  }

  private deliver(receiver: LinkReceiver, text: string): void {
    let parsed: LinkMessage[];
    try {
      parsed = decodeMessages(text);
    } catch (err) {
      this.log.warn({ err, bytes: text.length }, 'dropped a link payload that is not one');
      return;
    }
    // Broadcasts come back to their sender: a node never receives its own.
    if (parsed[0]?.from === this.node) return;
    for (const msg of parsed) {
      try {
        receiver.receive(msg);
      } catch (err) {
        // Thrown inside ioredis's reply parser it would stall the connection: contained here.
        this.log.error({ err, kind: msg.kind }, 'failed to handle a link message');
      }
    }
  }
}
