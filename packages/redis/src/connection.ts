import { Redis, type RedisOptions } from 'ioredis';

export { DEFAULT_KEY_PREFIX, DEFAULT_REDIS_URL, checkRedisUrl, redactUrl } from './url.js';

/** Timing of the connections to Redis; the defaults suit a LAN or loopback Redis. */
export interface ConnectionTiming {
  /** How long a Directory call may wait for its reply before it rejects (a Redis that vanished without a reset), ms. */
  commandTimeoutMs: number;
  /** How long to wait for Redis at start before giving up, ms. */
  connectTimeoutMs: number;
  /** First reconnect delay, doubled per attempt up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
}

export const DEFAULT_TIMING: Readonly<ConnectionTiming> = Object.freeze({ commandTimeoutMs: 2000, connectTimeoutMs: 10_000, retryMinMs: 50, retryMaxMs: 2000 });

/**
 * ioredis options for DESIGN.md "Redis down": a call never hangs. With no
 * offline queue a call made while Redis is away rejects at once; with no
 * retries and no resend a call in flight when the connection drops rejects
 * too (resending a Lua script that already ran would make a claim look
 * taken by itself); commandTimeout bounds a call to a Redis that vanished
 * without a reset. Reconnection goes on in the background with a capped
 * doubling backoff.
 */
export function redisOptions(timing: ConnectionTiming, name: string): RedisOptions {
  return {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: timing.commandTimeoutMs,
    connectTimeout: Math.min(timing.connectTimeoutMs, 10_000),
    // TCP keepalive, so a Redis host that vanished is noticed (DESIGN.md "Operating limits").
    keepAlive: 10_000,
    retryStrategy: (times) => Math.min(timing.retryMinMs * 2 ** Math.min(times - 1, 16), timing.retryMaxMs),
    lazyConnect: true,
  };
}

/**
 * Closes a client: QUIT when it is up (pending replies first), else drop the
 * socket. Waits for the socket to end, at most a second; never throws.
 */
export async function disconnect(client: Redis): Promise<void> {
  const live = client.status === 'ready' || client.status === 'connect' || client.status === 'connecting';
  let timer: NodeJS.Timeout | undefined;
  // A client between reconnect attempts has no socket: it ends without an 'end' event.
  const ended = live ? new Promise<void>((resolve) => (client.once('end', resolve), (timer = setTimeout(resolve, 1000)))) : Promise.resolve();
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
  await ended;
  clearTimeout(timer);
}
