// What the gateway's config checks and logs need of Redis, without ioredis: a gateway on the
// in-process back end never loads the client (it costs ~15 MB of RSS at start).

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_KEY_PREFIX = 'chat-gateway:';

/**
 * Why a string is not a Redis URL ioredis can use, or undefined when it is:
 * `redis://` or `rediss://` (TLS), a host, an optional port and database
 * number (`redis://:password@host:6379/2`).
 */
export function checkRedisUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return `has scheme ${u.protocol.slice(0, -1)}; use redis:// (or rediss:// for TLS)`;
  if (u.hostname === '') return 'names no host';
  if (!/^(\/\d{0,2})?$/.test(u.pathname)) return `has path ${u.pathname}; only a database number may follow the host (/0 to /99)`;
  if (u.search !== '' || u.hash !== '') return 'has a query or fragment; put options in the config, not the URL';
  return undefined;
}

/** The URL as written, with any password replaced by `***`, for logs, errors and /status (works on a malformed URL too). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#]*@/i, '$1***@');
}
