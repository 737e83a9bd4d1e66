import net from 'node:net';

/** What a dialect's registration looks like on the wire, and the reply that says it worked. */
const LOGIN: Readonly<Record<string, { send: (nick: string) => string; ok: (nick: string) => string }>> = {
  ws2017: { send: (n) => `uname ${n}\r\n`, ok: (n) => `+OK you are ${n}` },
  psu: { send: (n) => `NICK ${n}\r\n`, ok: (n) => `${n}: welcome` },
  sup: { send: (n) => `login ${n}\x04`, ok: () => 'status 000 OK' },
  chatmaster: { send: (n) => `{"type":"command","data":{"command":"login","parameters":{"username":"${n}"}}}\n`, ok: () => '"status":true' },
  irc: { send: (n) => `NICK ${n}\r\nUSER ${n} 0 * :soak\r\n`, ok: (n) => ` 001 ${n} ` },
};

/**
 * An attacker's raw connection: writes exact bytes, counts what comes back
 * (the reflection), and can wait for a piece of text to arrive. Reading can
 * be switched off (a slow reader), and it can end in each way a client goes:
 * FIN, RST, half-close.
 */
export class RawConn {
  received = 0;
  private text = '';
  private waiters: { needle: string; resolve: () => void }[] = [];
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.waiters.length === 0) return;
      // Only what a waiter may still need is kept: the tail, for a needle split across reads.
      this.text = (this.text + chunk.toString('latin1')).slice(-65536);
      this.waiters = this.waiters.filter((w) => {
        if (!this.text.includes(w.needle)) return true;
        w.resolve();
        return false;
      });
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  /** Connects to 127.0.0.1:port. */
  static open(port: number): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RawConn(s));
      });
    });
  }

  /** Connects and registers `nick`; resolves once the dialect's success reply came. */
  static async login(dialect: string, port: number, nick: string, timeoutMs = 60_000): Promise<RawConn> {
    const l = LOGIN[dialect];
    if (!l) throw new Error(`no login for ${dialect}`);
    const c = await RawConn.open(port);
    const ok = c.waitFor(l.ok(nick), timeoutMs);
    c.write(l.send(nick));
    await ok;
    return c;
  }

  write(data: string | Uint8Array): boolean {
    if (this.isClosed || this.socket.destroyed) return false;
    return this.socket.write(data);
  }

  /** Resolves when `needle` has arrived (in what arrives from now on); rejects after timeoutMs. */
  waitFor(needle: string, timeoutMs = 10_000): Promise<void> {
    this.text = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no ${JSON.stringify(needle)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ needle, resolve: done });
    });
  }

  /** Stops reading: the kernel's buffers fill, then the gateway's send queue. */
  stopReading(): void {
    this.socket.pause();
  }

  /** FIN, then waits (bounded) for the server's close. */
  async fin(timeoutMs = 3000): Promise<void> {
    this.socket.end();
    await this.closedWithin(timeoutMs);
  }

  /** An RST: the connection vanishes without a goodbye. */
  rst(): void {
    if (typeof this.socket.resetAndDestroy === 'function') this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  /** Waits (bounded) for the close, then makes sure of it. */
  async closedWithin(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Resolves after `ms` (pacing an attack at a rate; never a stand-in for waiting on a reply). */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
