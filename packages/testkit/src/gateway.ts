import { SILENT_LOG, type Backend, type Dialect, type Hub } from '@chat-gateway/core';
import {
  createMetrics,
  discoverDialects,
  parseConfig,
  startAdmin,
  startGateway,
  type AdminServer,
  type GatewayConfig,
  type LimitsConfig,
  type RunningGateway,
} from '@chat-gateway/gateway';

export interface TestGatewayOptions {
  listeners?: { dialect: string; name?: string; options?: Record<string, unknown> }[];
  limits?: Partial<Omit<LimitsConfig, 'flood'>> & { flood?: Partial<LimitsConfig['flood']> };
  rooms?: string[];
  shutdownGraceMs?: number;
  /** Start the admin HTTP server on an ephemeral port. */
  admin?: boolean;
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
}

export interface TestGateway {
  gw: RunningGateway;
  hub: Hub;
  /** Bound port of a listener, by name (the dialect name unless given). */
  port(name: string): number;
  /** The admin server's port, when started with `admin: true`. */
  adminPort?: number;
  /** Graceful shutdown, as on SIGTERM. Safe to call twice. */
  stop(): Promise<void>;
}

// Found once per test process, before any test runs, so that testConfig can stay synchronous.
const INSTALLED = await discoverDialects();

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
    admin: { enabled: opts.admin ?? false, host: '127.0.0.1', port: 0 },
    rooms: { default: opts.rooms ?? ['general'] },
    limits: {
      maxConnectionsPerIp: 100_000,
      ...opts.limits,
      flood: { enabled: false, ...opts.limits?.flood },
    },
    shutdown: { graceMs: opts.shutdownGraceMs ?? 2000 },
    listeners: wanted.map((l) => ({ ...(l.name ? { name: l.name } : {}), dialect: l.dialect, host: '127.0.0.1', port: 0, ...(l.options ? { options: l.options } : {}) })),
  };
}

/** The test config through the real loader (schema defaults, dialect option defaults, validation). */
export function testConfig(opts: TestGatewayOptions = {}): GatewayConfig {
  return parseConfig(rawTestConfig(opts), {}, { dialects: registry(opts), source: 'test config' });
}

/** Starts a real gateway on ephemeral ports (and its admin server when asked). */
export async function startTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const config = testConfig(opts);
  const { metrics, registry: promRegistry } = createMetrics({ processMetrics: false });
  const gw = await startGateway(config, { log: SILENT_LOG, metrics, dialects: registry(opts), backend: opts.backend });
  let admin: AdminServer | undefined;
  if (config.admin.enabled) admin = await startAdmin(config.admin, gw, promRegistry, SILENT_LOG);
  let stopped: Promise<void> | undefined;
  return {
    gw,
    hub: gw.hub,
    port: (name) => gw.port(name),
    adminPort: admin?.port,
    stop: () =>
      (stopped ??= (async () => {
        admin?.markShuttingDown();
        await gw.shutdown();
        await admin?.close();
      })()),
  };
}
