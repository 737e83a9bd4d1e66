import { isDeepStrictEqual } from 'node:util';
import { Hub, MemoryDirectory, namePolicy, newNodeId, NO_LINK, NOOP_OBSERVER, type Backend, type Dialect, type Log } from '@chat-gateway/core';
import { loadBots, startBots, type BotDefinition, type RunningBots } from '@chat-gateway/bots';
import type { BackendConfig, GatewayConfig } from './config/types.js';
import { StatusCounters } from './counters.js';
import type { Connection } from './connection.js';
import { ConnectionTable, Listener } from './listener.js';
import { ListenerSet } from './listener-set.js';
import { applyReload, ReloadRefused, type ReloadOutcome } from './reload.js';
import { installedDialectNames, loadDialects } from './registry.js';
import type { GatewayMetrics, GatewayStatus, ListenerMetrics, RunningGateway, StatusScope } from './runtime-types.js';
import type { TraceSource } from './trace.js';
import { startTracePrinter, stdoutTrace, type TraceOutput } from './trace-print.js';
import { MemoryPipe } from './transports/memory-pipe.js';

const NOOP_LISTENER_METRICS: ListenerMetrics = { ...NOOP_OBSERVER, connectionOpened() {}, connectionClosed() {}, bytesIn() {}, bytesOut() {} };
const NOOP_METRICS: GatewayMetrics = { ...NOOP_OBSERVER, listener: () => NOOP_LISTENER_METRICS, watchBackend() {}, watchHub() {} };

/** The text every dialect's shutdown notice carries where it has room for one. */
export const SHUTDOWN_MESSAGE = 'Server shutting down.';

/** The back end a config names (DESIGN.md "Shape"): in-process, or Redis (resolves once Redis answered). */
export async function createBackend(config: BackendConfig, nodeId: string, log: Log): Promise<Backend> {
  if (config.type === 'memory') return { directory: new MemoryDirectory(), link: NO_LINK };
  // Loaded only here: ioredis is ~15 MB of RSS that a gateway on the in-process back end never needs.
  const { createRedisBackend } = await import('@chat-gateway/redis');
  return createRedisBackend({ url: config.url, keyPrefix: config.keyPrefix, nodeId, log: log.child({ component: 'redis' }) });
}

/**
 * Starts a gateway from a validated config: one Hub on the back end the
 * config names (or the one given, for tests), one listener per configured
 * listener, each on its transport. Resolves once every port is bound; on a
 * failure the Hub and its back end are closed again.
 * Without `deps.dialects` it serves the dialects installed beside it, each
 * imported when a listener (at start or after a reload) uses it (loadDialects).
 */
export async function startGateway(
  config: GatewayConfig,
  deps: { log: Log; metrics?: GatewayMetrics; dialects?: ReadonlyMap<string, Dialect>; backend?: Backend; traceOutput?: TraceOutput; bots?: ReadonlyMap<string, BotDefinition> },
): Promise<RunningGateway> {
  const dialects = new Map(deps.dialects ?? (await loadDialects(config.listeners.map((l) => l.dialect))));
  // /status counts every installed dialect, served here or not (users of another node's may be online).
  const installed = deps.dialects ? [...deps.dialects.keys()] : await installedDialectNames();
  const counters = new StatusCounters(deps.metrics ?? NOOP_METRICS);
  const metrics: GatewayMetrics = counters;
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
  const table = new ConnectionTable(() => hub.newSessionId());
  const trace: TraceSource = {
    connections: () => [...table.all].map((c) => c.describe()),
    subscribe: (id, sink) => table.find(id)?.tap(sink),
    watch: (choose) => {
      const offer = (c: Connection) => {
        const sink = choose(c.describe());
        if (sink) c.tap(sink);
      };
      for (const c of table.all) offer(c);
      return table.onAdd(offer);
    },
  };
  // Before the first listener binds, so that `--trace` sees every connection from its first byte.
  let stopTrace = config.trace.enabled ? startTracePrinter(trace, config.trace, deps.traceOutput ?? stdoutTrace()) : () => {};
  const listeners = new ListenerSet((lc, gc) => {
    const dialect = dialects.get(lc.dialect);
    if (!dialect) throw new Error(`listener ${lc.name}: dialect ${lc.dialect} is not installed`);
    return new Listener({ config: lc, dialect, hub, limits: gc.limits, coreLimits: gc.limits, metrics, log: log.child({ listener: lc.name }), table, pendingMs: gc.trace.pendingMs });
  });
  try {
    for (const lc of config.listeners) await listeners.open(lc, config);
  } catch (err) {
    stopTrace();
    await listeners.closeAll();
    await hub.close();
    throw err;
  }
  // Bots are users with no connection (DESIGN.md "Shape"); with several nodes the first to claim a bot's nick runs it.
  // One RunningBots per name, so that a reload starts and stops only the bots it adds or removes.
  const botDefinitions = deps.bots ?? (await loadBots());
  const bots = new Map<string, RunningBots>();
  const syncBots = async (c: GatewayConfig): Promise<void> => {
    for (const [name, running] of bots) if (!c.bots.includes(name)) await running.stop().then(() => bots.delete(name));
    for (const name of c.bots) if (!bots.has(name)) bots.set(name, await startBots([name], botDefinitions, { hub, log: log.child({ component: 'bots' }), retryMs: c.cluster.heartbeatMs }));
  };
  await syncBots(config);
  for (const b of listeners.all) log.info({ listener: b.info.name, dialect: b.info.dialect, host: b.info.host, port: b.info.port, url: b.endpoint.url }, 'listening');
  let current = config;
  let reloading: Promise<unknown> = Promise.resolve();

  let stopping: Promise<void> | undefined;
  const gateway: RunningGateway = {
    hub,
    log,
    get listeners() {
      return Object.freeze(listeners.infos);
    },
    get config() {
      return current;
    },
    trace,
    port(name: string): number {
      const b = listeners.get(name);
      if (!b) throw new Error(`no listener named ${name}`);
      return b.info.port;
    },
    connectInProcess(name: string, remoteAddress?: string) {
      const b = listeners.get(name);
      if (!b) throw new Error(`no listener named ${name}`);
      const pipe = new MemoryPipe(remoteAddress);
      b.listener.accept(pipe);
      return pipe.client;
    },
    reload(next: GatewayConfig): Promise<ReloadOutcome> {
      // One reload at a time: a second waits for the first and is diffed against what it left.
      const run = reloading.then(async () => {
        if (stopping) throw new ReloadRefused('the gateway is shutting down');
        if (!deps.dialects) for (const [name, d] of await loadDialects(next.listeners.map((l) => l.dialect))) dialects.set(name, d);
        const outcome = await applyReload({ current, listeners, table, hub, dialects, log }, next);
        // The bench's sections apply at once too (DESIGN.md "Operating": bots): the trace printed anew, bots added or removed.
        if (!isDeepStrictEqual(current.trace, next.trace)) {
          stopTrace();
          stopTrace = next.trace.enabled ? startTracePrinter(trace, next.trace, deps.traceOutput ?? stdoutTrace()) : () => {};
          outcome.changes.push('trace');
        }
        if (!isDeepStrictEqual(current.bots, next.bots)) {
          await syncBots(next);
          outcome.changes.push(`bots: ${next.bots.join(', ') || '(none)'}`);
        }
        current = next;
        return outcome;
      });
      reloading = run.catch(() => {});
      return run;
    },
    async status(scope: StatusScope = { privateRooms: false }): Promise<GatewayStatus> {
      const usersByDialect: Record<string, number> = {};
      for (const d of installed) usersByDialect[d] = 0;
      const base = {
        node: hub.nodeId,
        backend: hub.backendState(),
        listeners: listeners.infos,
        endpoints: listeners.endpoints,
        connections: table.all.size,
        clients: trace.connections(),
        ...counters.snapshot(),
      };
      try {
        const users = await hub.users();
        for (const u of users) usersByDialect[u.dialect] = (usersByDialect[u.dialect] ?? 0) + 1;
        const all = await hub.allRooms();
        // DESIGN.md "Security": /status never names a private room to someone outside it.
        const shown = all.filter((r) => scope.privateRooms || r.visibility === 'public');
        const rooms = shown.map((r) => ({ name: r.name, visibility: r.visibility, members: r.size }));
        const named = users.map((u) => ({ nick: u.nick, dialect: u.dialect, node: u.node })).sort((a, b) => (a.nick.toLowerCase() < b.nick.toLowerCase() ? -1 : 1));
        return { ...base, usersByDialect, users: named, rooms, privateRooms: all.length - shown.length };
      } catch (err) {
        // Users and rooms live in the back end: while it is away /status still answers, saying so (DESIGN.md "Redis down").
        log.debug({ err }, 'status without users and rooms: the back end is unreachable');
        return { ...base, usersByDialect, users: [], rooms: [], privateRooms: 0, unavailable: 'users and rooms: the back end is unreachable' };
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
    const closing = listeners.closeAll();
    const goodbyes = Promise.all([...table.all].map((c) => c.shutdown(SHUTDOWN_MESSAGE)));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), current.shutdown.graceMs)));
    const outcome = await Promise.race([goodbyes.then(() => 'done' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log.warn({ left: table.all.size }, 'shutdown grace period over: dropping the remaining connections');
      for (const c of table.all) c.destroy('shutdown: grace period over');
    }
    await closing;
    stopTrace();
    await Promise.all([...bots.values()].map((b) => b.stop()));
    await hub.close();
    log.info({}, 'shut down');
  }

  return gateway;
}
