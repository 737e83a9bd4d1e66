export { createRedisBackend, type RedisBackendOptions } from './backend.js';
export { checkRedisUrl, redactUrl, DEFAULT_KEY_PREFIX, DEFAULT_REDIS_URL, DEFAULT_TIMING, type ConnectionTiming } from './connection.js';
export { RedisDirectory } from './directory.js';
export { RedisLink, channelOf } from './link.js';
