import { Redis } from 'ioredis';
import type { BackendState, Log } from '@chat-gateway/core';
import { disconnect, redactUrl, redisOptions, type ConnectionTiming } from './connection.js';

/**
 * A node's connections to Redis and whether they are up (DESIGN.md "Redis
 * down"): an outage is counted when a connection that was ready drops, and
 * it ends when every connection is ready again; then the `back` listeners
 * run (the Link resyncs the Hub, which re-asserts its nicks, rooms and
 * lease). A connection closed on purpose is no outage.
 */
export class Health {
  private readonly clients = new Set<Redis>();
  /** The command connection, the first one made: closing it on purpose closes the back end. */
  private primary?: Redis;
  private closed = false;
  private down = false;
  private downSince = 0;
  private outages = 0;
  private readonly back: (() => void)[] = [];
  readonly detail: string;

  constructor(
    private readonly url: string,
    private readonly timing: ConnectionTiming,
    private readonly log: Log,
    keyPrefix: string,
  ) {
    this.detail = `${redactUrl(url)} prefix ${keyPrefix}`;
  }

  /**
   * A new connection, watched from its first ready on: resolves once Redis
   * answered, or rejects after connectTimeoutMs with the reason (the
   * client closed). Only this first connect is waited for; later drops
   * reconnect in the background.
   */
  async connect(name: string): Promise<Redis> {
    const client = new Redis(this.url, redisOptions(this.timing, name));
    let last: unknown;
    // Always a listener: ioredis prints unhandled 'error' events to stderr.
    client.on('error', (err: unknown) => {
      last = err;
      if (this.clients.has(client)) this.log.debug({ err, connection: name }, 'redis connection error');
    });
    const ready = new Promise<boolean>((resolve) => client.once('ready', () => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.timing.connectTimeoutMs)));
    // connect() rejects when the first attempt fails, but the retries go on: its rejection is not the verdict.
    client.connect().catch(() => {});
    const ok = await Promise.race([ready, timeout]);
    clearTimeout(timer);
    if (!ok) {
      await disconnect(client);
      const why = last instanceof Error ? last.message : 'no answer';
      throw new Error(`cannot reach Redis at ${redactUrl(this.url)} within ${this.timing.connectTimeoutMs} ms: ${why}`);
    }
    this.primary ??= client;
    this.clients.add(client);
    client.on('close', () => this.check());
    client.on('ready', () => this.check());
    return client;
  }

  /** Closes a connection on purpose: it no longer counts for up or down. */
  async close(client: Redis | undefined): Promise<void> {
    if (!client) return;
    if (client === this.primary) this.closed = true;
    this.clients.delete(client);
    await disconnect(client);
    this.check();
  }

  /** Runs `fn` each time Redis is back after an outage. */
  onBack(fn: () => void): void {
    this.back.push(fn);
  }

  /** Every connection ready; false once the back end was closed. */
  get up(): boolean {
    if (this.closed) return false;
    for (const c of this.clients) if (c.status !== 'ready') return false;
    return true;
  }

  /** For /status and metrics. */
  state(): BackendState {
    return { type: 'redis', up: this.up, outages: this.outages, detail: this.detail };
  }

  private check(): void {
    if (this.closed) return;
    const up = this.up;
    if (!up && !this.down) {
      this.down = true;
      this.downSince = Date.now();
      this.outages++;
      this.log.warn({ redis: this.detail }, 'redis unreachable: serving this node\'s users only, reconnecting');
    } else if (up && this.down) {
      this.down = false;
      this.log.info({ redis: this.detail, downMs: Date.now() - this.downSince }, 'redis back: re-asserting this node');
      for (const fn of this.back) fn();
    }
  }
}
