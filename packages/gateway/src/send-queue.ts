import type { MessageMapper } from './message-framing.js';
import type { Pipe } from './transports/pipe.js';

/** What the send queue needs of its connection. */
export interface SendQueueHost {
  readonly pipe: Pipe;
  /** Maps frames to messages on a message transport. */
  readonly mapper?: MessageMapper;
  /** limits.sendQueueMax: bytes queued here, elsewhere for this client (`held`) and in the transport together. */
  readonly limit: number;
  /** Bytes waiting for this client outside this queue (behind a deferred reply, replies.ts). */
  held(): number;
  /** Bytes handed to the transport (the listener's bytes-out counter). */
  wrote(bytes: number): void;
  /** Writes one chunk (or message) to the transport. */
  send(chunk: string | Uint8Array): void;
  /** The queue went over the limit: what it held is already dropped. */
  overflow(queued: number): void;
}

/**
 * The outbound half of a connection: frames of one event-loop turn leave in
 * one write (one message per frame on a message transport), and what waits,
 * here and in the transport, is bounded by limits.sendQueueMax (DESIGN.md
 * "Operating limits": a slow reader is disconnected, others never wait for it).
 */
export class SendQueue {
  private out: (string | Uint8Array)[] = [];
  private bytes = 0;
  private scheduled = false;
  /** Set for the last words of a connection cut off for its queue: they go out over the limit. */
  unbounded = false;

  constructor(private readonly host: SendQueueHost) {}

  /** Queues one frame for this turn's write. */
  write(frame: string | Uint8Array): void {
    this.out.push(frame);
    // Bytes, not UTF-16 units: the limit is what the kernel buffers for this client.
    this.bytes += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
    if (!this.unbounded && this.overfull()) {
      const queued = this.queued;
      this.clear();
      this.host.overflow(queued);
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Bytes waiting for this client: here, held elsewhere, and what the transport still holds (a socket's buffer, ws's bufferedAmount). */
  get queued(): number {
    return this.bytes + this.host.held() + this.host.pipe.buffered;
  }

  /** True when more waits for this client than limits.sendQueueMax allows. */
  overfull(): boolean {
    return this.queued > this.host.limit;
  }

  /** Drops what is queued and not yet written (what the transport holds is no longer ours to drop). */
  clear(): void {
    this.out = [];
    this.bytes = 0;
  }

  /** Writes everything queued this turn: one write on a stream, one message per frame on a message transport. */
  readonly flush = (): void => {
    this.scheduled = false;
    const out = this.out;
    if (out.length === 0) return;
    this.host.wrote(this.bytes);
    this.out = [];
    this.bytes = 0;
    const { mapper, send } = this.host;
    if (mapper) {
      for (const frame of out) for (const m of mapper.outbound(frame)) send(m);
    } else if (out.length === 1) {
      send(out[0]!);
    } else if (out.every((f) => typeof f === 'string')) {
      send((out as string[]).join(''));
    } else {
      send(Buffer.concat(out.map((f) => (typeof f === 'string' ? Buffer.from(f, 'utf8') : f))));
    }
  };
}
