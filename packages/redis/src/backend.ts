import { SILENT_LOG, type Backend, type Log } from '@chat-gateway/core';
import { DEFAULT_KEY_PREFIX, DEFAULT_TIMING, type ConnectionTiming } from './connection.js';
import { RedisDirectory } from './directory.js';
import { Health } from './health.js';
import { RedisLink } from './link.js';
import { TurnBatch } from './turn.js';

export interface RedisBackendOptions {
  /** `redis://[:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** Every key and channel starts with it, so several deployments can share one Redis (default `chat-gateway:`). */
  keyPrefix?: string;
  /** This node's id, to name its connections in `CLIENT LIST`; the Link learns the id the Hub uses at open. */
  nodeId?: string;
  log?: Log;
  timing?: Partial<ConnectionTiming>;
}

/**
 * The Redis back end (DESIGN.md "Shape": a Directory and a Link), so several
 * gateway nodes are one chat. Resolves once Redis answered; rejects when it
 * cannot be reached within `timing.connectTimeoutMs`. Two connections per
 * node: commands and publishes on one, subscriptions on the other (opened
 * with the Link). When Redis goes away each node keeps serving its own
 * users, calls that need Redis reject at once, and when it is back the Hub
 * re-asserts its nicks, rooms and lease (DESIGN.md "Redis down").
 */
export async function createRedisBackend(opts: RedisBackendOptions): Promise<Backend> {
  const prefix = opts.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const log = opts.log ?? SILENT_LOG;
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const health = new Health(opts.url, timing, log, prefix);
  const client = await health.connect(`chat-gateway:${opts.nodeId ?? 'node'}:cmd`);
  // Directory and Link share the command connection, so they share its batching too.
  const batch = new TurnBatch(client);
  const directory = new RedisDirectory(client, prefix, () => health.close(client), () => batch.command());
  const link = new RedisLink(client, prefix, health, log, batch);
  return { directory, link, state: () => health.state() };
}
