import { RedisServer } from '@chat-gateway/redis/testing';
import { GatewayProcess, rawTestConfig, type TestGatewayOptions } from '@chat-gateway/testkit';
import { Probes } from './probes.js';

/**
 * Cluster timing for tests: a lapsed node is reaped within about 1.7 s of a
 * `kill -9` (DESIGN.md "Liveness": nodeTimeoutMs plus a heartbeat), and an
 * unanswered DM is an error after 2 s, as by default.
 */
export const FAST_NODES = Object.freeze({ ackTimeoutMs: 2000, heartbeatMs: 200, nodeTimeoutMs: 1500 });

export interface ProcessClusterOptions {
  /** Gateway processes on the one Redis (default 3). */
  nodes?: number;
  cluster?: TestGatewayOptions['cluster'];
}

/**
 * Real `chat-gateway serve` processes on a real redis-server of their own
 * (DESIGN.md "Nodes and back ends"): every installed dialect on port 0 of
 * each node, the admin server on too, `backend: { type: redis }` through the
 * config file as a user writes it. Probe clients on every node (Probes) say
 * when the other nodes' traffic has arrived and when departures were shown.
 * A test wraps its body in `run`, so a failure carries the nodes' warnings.
 */
export class ProcessCluster {
  readonly probes: Probes;

  private constructor(
    readonly redis: RedisServer,
    readonly nodes: readonly GatewayProcess[],
  ) {
    this.probes = new Probes(nodes);
  }

  /** Starts the redis-server, then the nodes side by side, then the probes; on a failure everything started is stopped. */
  static async start(opts: ProcessClusterOptions = {}): Promise<ProcessCluster> {
    const redis = await RedisServer.start();
    const keyPrefix = `cgp${process.pid}:`;
    const started = await Promise.allSettled(
      Array.from({ length: opts.nodes ?? 3 }, (_, i) => GatewayProcess.start({ config: nodeConfig(`n${i + 1}`, redis.url, keyPrefix, opts.cluster ?? FAST_NODES) })),
    );
    const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    const cluster = new ProcessCluster(redis, nodes);
    try {
      if (failed) throw failed.reason;
      await cluster.probes.start();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** The nodes still running. */
  get live(): GatewayProcess[] {
    return this.nodes.filter((n) => n.alive);
  }

  /** Runs a test body; a failure's message gets every node's warnings and the exit of any node that died. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof Error) err.message += `\n${this.explain()}`;
      throw err;
    }
  }

  /** What the nodes said at warn level or above, for a failure message. */
  explain(): string {
    return this.nodes
      .map((n) => {
        // Cut: a warning's stack trace says little here, its message and time say enough.
        const lines = n.warnings().slice(-15).map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l));
        return `--- node ${n.name} (pid ${n.pid}${n.alive ? '' : ', exited'}): ${lines.length} recent warnings\n${lines.join('\n')}`;
      })
      .join('\n');
  }

  /** Closes the probes, stops every node (SIGTERM, as `docker stop`) and the redis-server. */
  async stop(): Promise<void> {
    this.probes.close();
    await Promise.all(this.nodes.map((n) => n.stop()));
    await this.redis.stop();
  }
}

/** One node's config file: every installed dialect on port 0, admin on port 0, Redis through `backend`, JSON logs at info (the ready line). */
function nodeConfig(id: string, url: string, keyPrefix: string, cluster: TestGatewayOptions['cluster']): Record<string, unknown> {
  return { ...rawTestConfig({ nodeId: id, redis: { url, keyPrefix }, cluster, admin: true }), log: { level: 'info', pretty: false } };
}
