import { Hub, MemoryDirectory, namePolicy, newNodeId, NO_LINK, NOOP_OBSERVER, type Backend, type Dialect, type Limits, type Log } from '@chat-gateway/core';
import { createRedisBackend } from '@chat-gateway/redis';
import type { BackendConfig, GatewayConfig } from './config/types.js';
import { ConnectionTable, Listener } from './listener.js';
import { discoverDialects } from './registry.js';
import { bindError } from './start-errors.js';
import type { GatewayMetrics, GatewayStatus, ListenerInfo, ListenerMetrics, RunningGateway } from './runtime-types.js';

const NOOP_LISTENER_METRICS: ListenerMetrics = { ...NOOP_OBSERVER, connectionOpened() {}, connectionClosed() {}, bytesIn() {}, bytesOut() {} };
const NOOP_METRICS: GatewayMetrics = { ...NOOP_OBSERVER, listener: () => NOOP_LISTENER_METRICS, watchBackend() {}, watchHub() {} };

/** The text every dialect's shutdown notice carries where it has room for one. */
export const SHUTDOWN_MESSAGE = 'Server shutting down.';

/** The back end a config names (DESIGN.md "Shape"): in-process, or Redis (resolves once Redis answered). */
export async function createBackend(config: BackendConfig, nodeId: string, log: Log): Promise<Backend> {
  if (config.type === 'memory') return { directory: new MemoryDirectory(), link: NO_LINK };
  return createRedisBackend({ url: config.url, keyPrefix: config.keyPrefix, nodeId, log: log.child({ component: 'redis' }) });
}

/**
 * Starts a gateway from a validated config: one Hub on the back end the
 * config names (or the one given, for tests), one TCP listener per
 * configured listener. Resolves once every port is bound; on a failure the
 * Hub and its back end are closed again.
 * Without `deps.dialects` it serves the dialects installed beside it (discoverDialects).
 */
export async function startGateway(
  config: GatewayConfig,
  deps: { log: Log; metrics?: GatewayMetrics; dialects?: ReadonlyMap<string, Dialect>; backend?: Backend },
): Promise<RunningGateway> {
  const dialects = deps.dialects ?? (await discoverDialects());
  const metrics = deps.metrics ?? NOOP_METRICS;
  const log = deps.log;
  // The node id is settled first: the back end names its connections after it.
  const nodeId = config.node.id ?? newNodeId();
  const hub = new Hub({
    backend: deps.backend ?? (await createBackend(config.backend, nodeId, log)),
    policy: namePolicy(config.names),
    defaultRooms: config.rooms.default,
    textMax: config.limits.textMax,
    nodeId,
    cluster: config.cluster,
    observer: metrics,
    log,
  });
  metrics.watchBackend(() => hub.backendState());
  metrics.watchHub(() => hub.localStats());
  try {
    await hub.start();
  } catch (err) {
    await hub.close();
    throw err;
  }
  log.info({ node: nodeId, backend: hub.backendState() }, 'node started');
  const coreLimits: Limits = config.limits;
  const table = new ConnectionTable(() => hub.newSessionId());
  const listeners: Listener[] = [];
  const infos: ListenerInfo[] = [];
  try {
    for (const lc of config.listeners) {
      const dialect = dialects.get(lc.dialect);
      if (!dialect) throw new Error(`listener ${lc.name}: dialect ${lc.dialect} is not installed`);
      const listener = new Listener({ config: lc, dialect, hub, limits: config.limits, coreLimits, metrics, log: log.child({ listener: lc.name }), table });
      listeners.push(listener);
      const avoid = [...config.listeners.map((l) => l.port), config.admin.port];
      infos.push(await listener.listen().catch((err: unknown) => Promise.reject(bindError(err, { listener: lc.name, host: lc.host, port: lc.port, avoid }) ?? err)));
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    await hub.close();
    throw err;
  }
  for (const info of infos) log.info({ listener: info.name, dialect: info.dialect, host: info.host, port: info.port }, 'listening');

  let stopping: Promise<void> | undefined;
  const gateway: RunningGateway = {
    hub,
    log,
    listeners: Object.freeze(infos),
    port(name: string): number {
      const info = infos.find((l) => l.name === name);
      if (!info) throw new Error(`no listener named ${name}`);
      return info.port;
    },
    async status(): Promise<GatewayStatus> {
      const base = { node: hub.nodeId, backend: hub.backendState(), listeners: [...infos], connections: table.all.size };
      const usersByDialect: Record<string, number> = {};
      for (const d of dialects.keys()) usersByDialect[d] = 0;
      try {
        for (const u of await hub.users()) usersByDialect[u.dialect] = (usersByDialect[u.dialect] ?? 0) + 1;
        const rooms = (await hub.rooms()).map((r) => ({ name: r.name, visibility: r.visibility, members: r.size }));
        return { ...base, usersByDialect, rooms };
      } catch (err) {
        // Users and rooms live in the back end: while it is away /status still answers, saying so (DESIGN.md "Redis down").
        log.debug({ err }, 'status without users and rooms: the back end is unreachable');
        return { ...base, usersByDialect, rooms: [], unavailable: 'users and rooms: the back end is unreachable' };
      }
    },
    shutdown(): Promise<void> {
      stopping ??= shutdown();
      return stopping;
    },
  };

  async function shutdown(): Promise<void> {
    log.info({ connections: table.all.size }, 'shutting down');
    // Stop accepting first, so nobody arrives after the goodbye.
    const closing = listeners.map((l) => l.close());
    const goodbyes = Promise.all([...table.all].map((c) => c.shutdown(SHUTDOWN_MESSAGE)));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), config.shutdown.graceMs)));
    const outcome = await Promise.race([goodbyes.then(() => 'done' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log.warn({ left: table.all.size }, 'shutdown grace period over: dropping the remaining connections');
      for (const c of table.all) c.destroy('shutdown: grace period over');
    }
    await Promise.all(closing);
    await hub.close();
    log.info({}, 'shut down');
  }

  return gateway;
}
