import { eventually, type BackendFixture } from '@chat-gateway/core/conformance';
import type { Backend } from '@chat-gateway/core';
import { createRedisBackend, type ConnectionTiming } from '../src/index.js';
import type { RedisServer } from './redis-server.js';

export { RedisServer } from './redis-server.js';

let fixtures = 0;

/**
 * Back-end fixtures on one real redis-server (the conformance suite's
 * `make`): each fixture gets a fresh key prefix, so tests never see each
 * other's state, and an outage is the server killed and started again on
 * its port, with its data or without (`lost`).
 */
export function redisFixtures(server: RedisServer, timing: Partial<ConnectionTiming> = {}): () => Promise<BackendFixture> {
  return async () => {
    const keyPrefix = `cgt${process.pid}-${++fixtures}:`;
    const made: Backend[] = [];
    return {
      async backend() {
        const b = await createRedisBackend({ url: server.url, keyPrefix, timing });
        made.push(b);
        return b;
      },
      async outage(on, opts = {}) {
        if (!on) return server.restart(opts);
        const live = made.filter((b) => b.state!().up);
        await server.kill();
        // Nothing announces that a client saw its socket close: polled, so the case starts from "down" everywhere.
        await eventually(() => live.every((b) => !b.state!().up), 5000, 5);
      },
      async close() {
        await Promise.all(made.map(async (b) => (await b.link.close(), await b.directory.close())));
      },
    };
  };
}
