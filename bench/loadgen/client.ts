import net from 'node:net';
import type { ClientPort, Codec } from './codecs/types.js';
import { MARKER, readStamp, type Stamp } from './payload.js';

/** Receives every bench message a client reads; `end` is where the frame stops in `s`. */
export type StampHandler = (client: BenchClient, stamp: Stamp) => void;

const stamp: Stamp = { flow: 0, seq: 0, sentUs: 0 };

/**
 * One load-generator connection: splits what the server sends into frames on
 * the codec's terminator, hands bench messages to the driver and everything
 * else to the codec. Frames are read as latin1 strings: the bench text is
 * ASCII, and latin1 decoding is the cheapest Node offers.
 */
export class BenchClient implements ClientPort {
  readonly socket: net.Socket;
  /** Receiver state kept by the driver: last sequence number seen per flow slot. */
  last: Float64Array = new Float64Array(0);
  /** Driver-owned index of this client. */
  index = -1;
  errors = 0;
  lastError = '';
  closed = false;
  private rest = '';
  private readonly term: string;
  receiving = false;
  private onLogin?: () => void;
  private onJoin?: () => void;
  private onFail?: (e: Error) => void;

  constructor(
    readonly codec: Codec,
    readonly nick: string,
    private readonly port: number,
    private readonly host: string,
    private readonly onStamp: StampHandler,
  ) {
    this.term = codec.terminator;
    this.socket = new net.Socket();
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.failWith(err));
    this.socket.on('close', () => {
      this.closed = true;
      this.failWith(new Error(`${this.nick}: connection closed by the server`));
    });
  }

  /** Connects and registers; resolves once the server confirmed the nick. */
  login(timeoutMs: number): Promise<void> {
    return this.waitFor(timeoutMs, 'login', (resolve) => {
      this.onLogin = resolve;
      this.socket.connect(this.port, this.host, () => this.codec.start(this));
    });
  }

  /** Joins a room; resolves once the server confirmed it. */
  join(room: string, timeoutMs: number): Promise<void> {
    return this.waitFor(timeoutMs, `join ${room}`, (resolve) => {
      this.onJoin = resolve;
      this.codec.join(room, this);
    });
  }

  /** From now on frames with a bench stamp go to the driver. */
  startReceiving(): void {
    this.receiving = true;
  }

  write(data: string): void {
    if (!this.closed) this.socket.write(data, 'latin1');
  }

  loggedIn(): void {
    const f = this.onLogin;
    this.onLogin = undefined;
    f?.();
  }

  joined(): void {
    const f = this.onJoin;
    this.onJoin = undefined;
    f?.();
  }

  fail(reason: string): void {
    this.failWith(new Error(`${this.nick}: ${reason}`));
  }

  error(frame: string): void {
    this.errors++;
    this.lastError = frame;
  }

  /** Closes at once (the bench does not wait for goodbyes). */
  destroy(): void {
    this.onFail = undefined;
    this.closed = true;
    this.socket.destroy();
  }

  private waitFor(timeoutMs: number, what: string, begin: (resolve: () => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.failWith(new Error(`${this.nick}: no ${what} confirmation within ${timeoutMs} ms`)), timeoutMs);
      this.onFail = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      begin(() => {
        clearTimeout(timer);
        this.onFail = undefined;
        resolve();
      });
    });
  }

  private failWith(err: Error): void {
    const f = this.onFail;
    this.onFail = undefined;
    if (f) f(err);
    else if (!this.closed && this.receiving) {
      this.errors++;
      this.lastError = err.message;
    }
  }

  private onData(chunk: Buffer): void {
    let s = chunk.toString('latin1');
    if (this.rest.length > 0) {
      s = this.rest + s;
      this.rest = '';
    }
    const term = this.term;
    let start = 0;
    // Where the next marker is: found once per chunk, not once per frame, so a chunk of
    // many control frames is not rescanned to its end for each of them.
    let mark = this.receiving ? s.indexOf(MARKER) : -1;
    for (let i = s.indexOf(term); i >= 0; i = s.indexOf(term, start)) {
      if (mark >= 0 && mark < start) mark = s.indexOf(MARKER, start);
      if (i > start) this.frame(s, start, i, mark >= 0 && mark < i ? mark : -1);
      start = i + 1;
    }
    if (start < s.length) this.rest = start === 0 ? s : s.slice(start);
  }

  private frame(s: string, start: number, end: number, mark: number): void {
    if (mark >= 0 && readStamp(s, mark, end, stamp)) {
      this.onStamp(this, stamp);
      return;
    }
    let e = end;
    if (s.charCodeAt(e - 1) === 0x0d) e--;
    if (e > start) this.codec.control(s.slice(start, e), this);
  }
}
