import { WebSocket, type ClientOptions } from 'ws';

/** One WebSocket message as received. */
export interface WsMessage {
  data: Buffer;
  binary: boolean;
}

interface Waiter {
  resolve(m: WsMessage): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A WebSocket client for tests (the `ws` library): sends exact messages and
 * reads them in order, each read waiting with a timeout, like WireClient does
 * for byte streams.
 */
export class WsClient {
  private readonly queue: WsMessage[] = [];
  private waiters: Waiter[] = [];
  private closedWith?: { code: number; reason: string };
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, binary: boolean) => {
      const m = { data, binary };
      const w = this.waiters.shift();
      if (w) {
        clearTimeout(w.timer);
        w.resolve(m);
      } else this.queue.push(m);
    });
    ws.on('error', () => {});
    ws.on('close', (code: number, reason: Buffer) => {
      this.closedWith = { code, reason: reason.toString('utf8') };
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error(`closed (${code}) while waiting for a message`));
      }
      for (const f of this.closeWaiters.splice(0)) f();
    });
  }

  /** Connects; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, opts: ClientOptions & { protocols?: string[] } = {}): Promise<WsClient> {
    const { protocols, ...options } = opts;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { perMessageDeflate: false, ...options });
      ws.once('open', () => {
        ws.off('error', reject);
        resolve(new WsClient(ws));
      });
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
      });
      ws.once('error', reject);
    });
  }

  /** Sends one message: strings as text, bytes as binary unless told. */
  send(data: string | Uint8Array, binary = typeof data !== 'string'): void {
    this.ws.send(data, { binary });
  }

  /** The next message. */
  next(timeoutMs = 2000): Promise<WsMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.closedWith) return Promise.reject(new Error(`closed (${this.closedWith.code}); no message`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a message`));
      }, timeoutMs);
      this.waiters.push({ resolve, reject, timer });
    });
  }

  /** The next message as UTF-8 text. */
  async nextText(timeoutMs?: number): Promise<string> {
    return (await this.next(timeoutMs)).data.toString('utf8');
  }

  /** The next message, which must equal `expected` (text). */
  async expectText(expected: string | RegExp, timeoutMs?: number): Promise<string> {
    const got = await this.nextText(timeoutMs);
    if (typeof expected === 'string' ? got !== expected : !expected.test(got)) throw new Error(`expected ${String(expected)}, got ${JSON.stringify(got)}`);
    return got;
  }

  /** The next message parsed as JSON. */
  async nextJson<T = any>(timeoutMs?: number): Promise<T> {
    return JSON.parse(await this.nextText(timeoutMs)) as T;
  }

  /** Resolves with the close code and reason once the server has closed. */
  expectClosed(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    if (this.closedWith) return Promise.resolve(this.closedWith);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.closedWith!);
      });
    });
  }

  /** Stops reading from the socket (a slow reader). */
  pause(): void {
    this.ws.pause();
  }

  /** Reads again. */
  resume(): void {
    this.ws.resume();
  }

  /** Messages received and not yet read. */
  get unread(): readonly WsMessage[] {
    return this.queue;
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.ws.terminate();
  }
}
