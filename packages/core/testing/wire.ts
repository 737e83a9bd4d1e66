import net from 'node:net';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';

type Take<T> = (buf: Buffer) => { value: T; used: number } | undefined;

interface Waiter {
  take: Take<unknown>;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A raw client for tests: writes exact bytes, and reads frames of any
 * dialect out of one ordered buffer, each read waiting with a timeout. Over
 * a TCP (or TLS) socket, or any Duplex, e.g. the gateway's in-process pipe.
 */
export class WireClient {
  private buf: Buffer = Buffer.alloc(0);
  private waiters: Waiter[] = [];
  private isClosed = false;
  private closeWaiters: (() => void)[] = [];
  /** Sees every byte written and read as it goes (the probe's report of bytes sent and received). */
  onTraffic?: (dir: 'in' | 'out', bytes: Buffer) => void;
  private keepOnly?: number;

  constructor(readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => {
      this.onTraffic?.('in', chunk);
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      if (this.keepOnly !== undefined && this.buf.length > this.keepOnly) this.buf = Buffer.from(this.buf.subarray(this.buf.length - this.keepOnly));
      this.drain();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.isClosed = true;
      this.drain();
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(`connection closed while waiting; unread: ${JSON.stringify(this.buf.toString('latin1'))}`));
      }
      for (const f of this.closeWaiters.splice(0)) f();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Writes bytes exactly as given (strings as UTF-8). */
  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.onTraffic) this.onTraffic('out', Buffer.from(bytes));
    this.socket.write(bytes);
  }

  /** Everything received and not yet consumed. */
  received(): Buffer {
    return this.buf;
  }

  /** Waits for a frame that `take` can cut from the front of the buffer. */
  next<T>(take: Take<T>, timeoutMs = 2000, what = 'frame'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; unread: ${JSON.stringify(this.buf.toString('latin1'))}`));
      }, timeoutMs);
      this.waiters.push({ take: take as Take<unknown>, resolve: resolve as (v: unknown) => void, reject, timer });
      this.drain();
    });
  }

  /** The next line; lines end in CRLF, CR or LF (a CR LF split across reads counts once). */
  nextLine(timeoutMs = 2000): Promise<string> {
    return this.next(this.takeLine, timeoutMs, 'a line');
  }

  private skipLF = false;

  private readonly takeLine: Take<string> = (b) => {
    let start = 0;
    if (this.skipLF && b.length > 0) {
      // The LF of a CR LF whose CR ended the previous line.
      if (b[0] === 0x0a) start = 1;
      this.skipLF = false;
    }
    for (let i = start; i < b.length; i++) {
      const c = b[i];
      if (c === 0x0a) return { value: b.subarray(start, i).toString('utf8'), used: i + 1 };
      if (c === 0x0d) {
        if (i + 1 < b.length) return { value: b.subarray(start, i).toString('utf8'), used: b[i + 1] === 0x0a ? i + 2 : i + 1 };
        this.skipLF = true;
        return { value: b.subarray(start, i).toString('utf8'), used: i + 1 };
      }
    }
    if (start === 1) this.buf = this.buf.subarray(1);
    return undefined;
  };

  /** The next line, which must equal (or match) `expected`. */
  async expectLine(expected: string | RegExp, timeoutMs = 2000): Promise<string> {
    const line = await this.nextLine(timeoutMs);
    if (typeof expected === 'string' ? line !== expected : !expected.test(line)) {
      throw new Error(`expected line ${String(expected)}, got ${JSON.stringify(line)}`);
    }
    return line;
  }

  /** Skips lines until one equals (or matches) `expected`. */
  async waitForLine(expected: string | RegExp, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.nextLine(Math.max(1, deadline - Date.now()));
      if (typeof expected === 'string' ? line === expected : expected.test(line)) return line;
    }
  }

  /** The next frame ended by `byte` (terminator excluded), e.g. 0x04 for Sup. */
  nextDelimited(byte: number, timeoutMs = 2000): Promise<Buffer> {
    return this.next((b) => {
      const i = b.indexOf(byte);
      return i < 0 ? undefined : { value: Buffer.from(b.subarray(0, i)), used: i + 1 };
    }, timeoutMs, `a frame ended by 0x${byte.toString(16)}`);
  }

  /** The next `\n`-terminated JSON package, inflated first when compressed. */
  nextJson<T = any>(timeoutMs = 2000): Promise<T> {
    return this.next((b) => {
      const compressed = isCompressed(b);
      // A compressed package may hold 0x0a bytes: its end is the first `\n` after which it inflates whole.
      for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) {
        const raw = b.subarray(0, i);
        if (!compressed) return { value: JSON.parse(raw.toString('utf8')) as T, used: i + 1 };
        try {
          return { value: JSON.parse(decompressIfNeeded(raw).toString('utf8')) as T, used: i + 1 };
        } catch {
          continue;
        }
      }
      return undefined;
    }, timeoutMs, 'a JSON package');
  }

  /** Exactly `n` bytes. */
  readBytes(n: number, timeoutMs = 2000): Promise<Buffer> {
    return this.next((b) => (b.length < n ? undefined : { value: Buffer.from(b.subarray(0, n)), used: n }), timeoutMs, `${n} bytes`);
  }

  /** Resolves when the server has closed the connection. */
  expectClosed(timeoutMs = 2000): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connection still open after ${timeoutMs} ms; unread: ${JSON.stringify(this.buf.toString('latin1'))}`)), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Reads everything to the server's close (resuming a paused socket) and resolves with the last
   * `keep` bytes: what a slow reader finds at the end of megabytes it never read.
   */
  async tailUntilClosed(keep = 4096, timeoutMs = 10_000): Promise<Buffer> {
    this.keepOnly = keep;
    this.buf = Buffer.from(this.buf.subarray(Math.max(0, this.buf.length - keep)));
    this.socket.resume();
    await this.expectClosed(timeoutMs);
    return this.buf;
  }

  /** Half-closes politely. */
  end(): void {
    this.socket.end();
  }

  /** Drops the connection abruptly (an RST where possible). */
  destroy(): void {
    // After end() Node's reset fails (EINVAL) and the socket never emits 'close': a plain destroy then.
    if (this.socket instanceof net.Socket && typeof this.socket.resetAndDestroy === 'function' && !this.socket.writableEnded) this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  private drain(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      let got: { value: unknown; used: number } | undefined;
      try {
        got = w.take(this.buf);
      } catch (err) {
        this.waiters.shift();
        clearTimeout(w.timer);
        w.reject(err as Error);
        continue;
      }
      if (!got) return;
      this.waiters.shift();
      clearTimeout(w.timer);
      this.buf = this.buf.subarray(got.used);
      w.resolve(got.value);
    }
  }
}

function isCompressed(b: Buffer): boolean {
  return (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) || (b.length >= 1 && b[0] === 0x78);
}

/** Inflates a zlib or gzip package, told apart by its first bytes; plain JSON passes through. */
export function decompressIfNeeded(raw: Buffer): Buffer {
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) return zlib.gunzipSync(raw);
  if (raw.length >= 1 && raw[0] === 0x78) return zlib.inflateSync(raw);
  return raw;
}

/** Opens a TCP connection to 127.0.0.1:port. */
export function connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host, noDelay: true });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new WireClient(socket));
    });
  });
}
