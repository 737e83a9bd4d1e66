import { SILENT_LOG, type Backend, type Dialect, type Hub } from '@chat-gateway/core';
import { connect, WireClient } from '@chat-gateway/core/testing';
import { parsePrometheus, type PromText } from './prom.js';
import {
  createMetrics,
  discoverDialects,
  parseConfig,
  startAdmin,
  startGateway,
  type AdminServer,
  type GatewayConfig,
  type LimitsConfig,
  type ListenerTransport,
  type RunningGateway,
  type TraceConfig,
  type TraceOutput,
} from '@chat-gateway/gateway';
import { loadBots, type BotDefinition } from '@chat-gateway/bots';

/** A listener of a test gateway: port 0 on 127.0.0.1 and TCP unless it says otherwise. */
export interface TestListener {
  dialect: string;
  name?: string;
  options?: Record<string, unknown>;
  /** A fixed port, for a test that restarts a gateway where its clients reconnect. */
  port?: number;
  transport?: ListenerTransport;
  path?: string;
  cert?: string;
  key?: string;
  page?: boolean;
}

export interface TestGatewayOptions {
  listeners?: TestListener[];
  limits?: Partial<Omit<LimitsConfig, 'flood'>> & { flood?: Partial<LimitsConfig['flood']> };
  rooms?: string[];
  shutdownGraceMs?: number;
  /** Start the admin HTTP server on an ephemeral port (with `token`, the token it requires). */
  admin?: boolean | { token?: string };
  /** Extra dialects (tests of the connection layer bring a toy one). */
  dialects?: Dialect[];
  /** The node's back end (default in-process); several test gateways on one LoopCluster are one chat. */
  backend?: Backend;
  /** `backend: { type: redis }` through the config, as `serve` builds it (instead of `backend`). */
  redis?: { url: string; keyPrefix?: string };
  /** The node id (default `test`). */
  nodeId?: string;
  /** Cluster timing (ack timeout, heartbeat, node timeout). */
  cluster?: Partial<GatewayConfig['cluster']>;
  /**
   * How open() connects: over TCP (default), or in process through the
   * gateway's memory pipe, for session tests where a socket adds nothing.
   */
  clients?: 'tcp' | 'in-process';
  /** The interop trace (default off), and where it prints (default: kept by the test, see TestGateway.traced). */
  trace?: Partial<TraceConfig>;
  traceOutput?: TraceOutput;
  /** Bots to run (default none, so that the cross-dialect suites see no extra user), and extra bot definitions to take them from. */
  bots?: string[];
  botDefinitions?: BotDefinition[];
}

export interface TestGateway {
  gw: RunningGateway;
  hub: Hub;
  /** Bound port of a listener, by name (the dialect name unless given). */
  port(name: string): number;
  /** The admin server's port, when started with `admin`. */
  adminPort?: number;
  /**
   * An in-process client of a listener (no socket: the gateway's memory
   * pipe), for session tests where a socket adds nothing; destroyed with the
   * gateway's other clients when the test closes it.
   */
  pair(listener: string, remoteAddress?: string): WireClient;
  /** A client of a listener, as the gateway was started with (`clients`): TCP, or in process. */
  open(listener: string): Promise<WireClient>;
  /** What /metrics would serve, parsed (counters such as limit hits and frames in). */
  metrics(): Promise<PromText>;
  /** Graceful shutdown, as on SIGTERM. Safe to call twice. */
  stop(): Promise<void>;
}

// Found once per test process, before any test runs, so that testConfig can stay synchronous.
const INSTALLED = await discoverDialects();
const INSTALLED_BOTS = await loadBots();

function botRegistry(opts: TestGatewayOptions): ReadonlyMap<string, BotDefinition> {
  return new Map([...INSTALLED_BOTS, ...(opts.botDefinitions ?? []).map((b) => [b.name, b] as const)]);
}

function registry(opts: TestGatewayOptions): ReadonlyMap<string, Dialect> {
  if (!opts.dialects?.length) return INSTALLED;
  return new Map([...INSTALLED, ...opts.dialects.map((d) => [d.name, d] as const)]);
}

/**
 * A config file's contents for tests, before the loader: every listener on
 * port 0 of 127.0.0.1, silent logs, flood control and the per-IP cap off
 * unless a test asks (a gateway process gets it as its config file).
 */
export function rawTestConfig(opts: TestGatewayOptions = {}): Record<string, unknown> {
  const wanted: NonNullable<TestGatewayOptions['listeners']> = opts.listeners ?? [...INSTALLED.keys()].map((dialect) => ({ dialect }));
  return {
    node: { id: opts.nodeId ?? 'test' },
    ...(opts.cluster ? { cluster: opts.cluster } : {}),
    ...(opts.redis ? { backend: { type: 'redis', ...opts.redis } } : {}),
    log: { level: 'silent', pretty: false },
    admin: { enabled: opts.admin !== undefined && opts.admin !== false, host: '127.0.0.1', port: 0, ...(typeof opts.admin === 'object' && opts.admin.token !== undefined ? { token: opts.admin.token } : {}) },
    rooms: { default: opts.rooms ?? ['general'] },
    limits: {
      maxConnectionsPerIp: 100_000,
      ...opts.limits,
      flood: { enabled: false, ...opts.limits?.flood },
    },
    shutdown: { graceMs: opts.shutdownGraceMs ?? 2000 },
    ...(opts.trace ? { trace: opts.trace } : {}),
    ...(opts.bots ? { bots: opts.bots } : {}),
    listeners: wanted.map(({ port, ...l }) => ({ host: '127.0.0.1', port: port ?? 0, ...l })),
  };
}

/** The test config through the real loader (schema defaults, dialect option defaults, validation). */
export function testConfig(opts: TestGatewayOptions = {}): GatewayConfig {
  return parseConfig(rawTestConfig(opts), {}, { dialects: registry(opts), bots: [...botRegistry(opts).keys()], source: 'test config' });
}

/** Starts a real gateway on ephemeral ports (and its admin server when asked). */
export async function startTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const config = testConfig(opts);
  const { metrics, registry: promRegistry } = createMetrics({ processMetrics: false });
  const gw = await startGateway(config, { log: SILENT_LOG, metrics, dialects: registry(opts), backend: opts.backend, traceOutput: opts.traceOutput, bots: botRegistry(opts) });
  let admin: AdminServer | undefined;
  if (config.admin.enabled) admin = await startAdmin(config.admin, gw, promRegistry, SILENT_LOG);
  let stopped: Promise<void> | undefined;
  return {
    gw,
    hub: gw.hub,
    port: (name) => gw.port(name),
    adminPort: admin?.port,
    pair: (listener, remoteAddress) => new WireClient(gw.connectInProcess(listener, remoteAddress)),
    open: async (listener) => (opts.clients === 'in-process' ? new WireClient(gw.connectInProcess(listener)) : connect(gw.port(listener))),
    metrics: async () => parsePrometheus(await promRegistry.metrics()),
    stop: () =>
      (stopped ??= (async () => {
        admin?.markShuttingDown();
        await gw.shutdown();
        await admin?.close();
      })()),
  };
}
