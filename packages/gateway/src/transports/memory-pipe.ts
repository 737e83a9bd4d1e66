import { Duplex } from 'node:stream';
import type { Pipe, PipeEvents } from './pipe.js';

/**
 * An in-process connection: the gateway's end is a Pipe, the client's end a
 * Duplex stream. No socket and no port, yet the same connection layer, limits
 * and session as TCP: what the client writes arrives on a later turn, as from
 * a socket, and what it does not read stays buffered and counts against the
 * send queue (a paused client is a slow reader).
 */
export class MemoryPipe implements Pipe {
  readonly kind = 'memory';
  readonly messages = false;
  /** The client's end. */
  readonly client: Duplex;
  private events?: PipeEvents;
  private held: { chunk: Buffer; done: () => void }[] = [];
  private isPaused = false;
  private isClosed = false;

  /** `remoteAddress` is what the per-IP cap and "welcome back" see (loopback unless a test says otherwise). */
  constructor(readonly remoteAddress = '127.0.0.1') {
    const pipe = this;
    this.client = new Duplex({
      allowHalfOpen: false,
      read() {},
      write(chunk: Buffer, _enc, done) {
        pipe.receive(chunk, done);
      },
      final(done) {
        pipe.push(null);
        done();
      },
      destroy(err, done) {
        pipe.closed();
        done(err);
      },
    });
    this.client.on('close', () => this.closed());
  }

  get buffered(): number {
    return this.client.readableLength;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  start(events: PipeEvents): void {
    this.events = events;
  }

  write(chunk: string | Uint8Array): void {
    this.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  }

  end(): void {
    this.push(null);
    // As a socket's (stream-pipe.ts): writes held by a pause would keep the client from closing.
    this.resume();
  }

  destroy(): void {
    this.client.destroy();
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    const held = this.held;
    this.held = [];
    for (const h of held) this.receive(h.chunk, h.done);
  }

  private push(chunk: Buffer | null): void {
    if (!this.isClosed && !this.client.destroyed) this.client.push(chunk);
  }

  /** A client write reaches the connection on a later turn, as a socket read would; paused, it waits (backpressure). */
  private receive(chunk: Buffer, done: () => void): void {
    if (this.isClosed) return done();
    if (this.isPaused) {
      this.held.push({ chunk, done });
      return;
    }
    setImmediate(() => {
      if (!this.isClosed) this.events?.pipeData(chunk);
      done();
    });
  }

  private closed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const h of this.held.splice(0)) h.done();
    // On a later turn, like a socket's 'close' after the last 'data'.
    setImmediate(() => this.events?.pipeClosed());
  }
}
