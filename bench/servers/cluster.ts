import { execFileSync } from 'node:child_process';
import { RedisServer } from '@chat-gateway/redis/testing';
import type { ServerHandle } from './child.js';
import { startGatewayChild } from './local.js';

/** True when a redis-server can be started here (the Debian package, or REDIS_SERVER). */
export function redisInstalled(): boolean {
  try {
    execFileSync(process.env.REDIS_SERVER ?? 'redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The cross-node server (DESIGN.md "Nodes and back ends"): a redis-server of
 * the bench's own (loopback, a free port, no persistence) and two gateway
 * processes on it, nodes `a` and `b`, each as `startGatewayChild` runs one.
 * Scenarios place senders on a and receivers on b; /proc figures are taken
 * for each of the three processes.
 */
export async function startClusterChild(dialects: string[], nodeArgs: (node: string) => string[] = () => []): Promise<ServerHandle> {
  const redis = await RedisServer.start();
  const nodes: ServerHandle[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.stop();
  };
  try {
    for (const id of ['a', 'b']) nodes.push(await startGatewayChild(dialects, nodeArgs(id), { id, redisUrl: redis.url }));
  } catch (err) {
    await stop();
    throw err;
  }
  const [a, b] = nodes as [ServerHandle, ServerHandle];
  return {
    name: 'cluster',
    pid: a.pid,
    ports: a.ports,
    nodes: [
      { name: 'a', pid: a.pid, ports: a.ports },
      { name: 'b', pid: b.pid, ports: b.ports },
      { name: 'redis', pid: redis.pid!, ports: {} },
    ],
    stop,
  };
}
