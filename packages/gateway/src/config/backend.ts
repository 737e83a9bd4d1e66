import { checkRedisUrl, DEFAULT_KEY_PREFIX, DEFAULT_REDIS_URL, redactUrl } from '@chat-gateway/redis/url';
import type { ConfigIssue } from './errors.js';

/** The back-end section as the schema leaves it: the type, and the Redis keys only when given. */
export interface BackendSection {
  type: string;
  url?: string;
  keyPrefix?: string;
}

/** The issue for a URL that is no Redis URL (password hidden), or undefined when it is one. */
export function redisUrlIssue(path: string, url: string): ConfigIssue | undefined {
  const why = checkRedisUrl(url);
  if (why === undefined) return undefined;
  return { path, message: `must be a Redis URL like redis://127.0.0.1:6379 (rediss:// for TLS, redis://:password@host:port/db); ${JSON.stringify(redactUrl(url))} ${why}` };
}

/**
 * The back end's own rules, after the schema and the overrides: the Redis
 * keys belong to `type: redis` (a URL under `type: memory` would be silently
 * unused: it is an error instead, as an unknown key is), the URL must be one
 * ioredis takes, and absent Redis keys get their defaults.
 */
export function checkBackend(cfg: { backend: BackendSection }): ConfigIssue[] {
  const b = cfg.backend;
  if (b.type !== 'redis') {
    return (['url', 'keyPrefix'] as const)
      .filter((k) => b[k] !== undefined)
      .map((k) => ({ path: `backend.${k}`, message: `is only used with \`backend.type: redis\`; set \`type: redis\` to share state through Redis, or remove \`${k}\`` }));
  }
  b.url ??= DEFAULT_REDIS_URL;
  b.keyPrefix ??= DEFAULT_KEY_PREFIX;
  const issue = redisUrlIssue('backend.url', b.url);
  return issue ? [issue] : [];
}
