import { SILENT_LOG, type Dialect, type Hub } from '@chat-gateway/core';
import { DIALECTS, startGateway, type GatewayConfig, type LimitsConfig, type RunningGateway } from '@chat-gateway/gateway';

export interface TestGatewayOptions {
  listeners?: { dialect: string; name?: string; options?: Record<string, unknown> }[];
  limits?: Partial<LimitsConfig>;
  rooms?: string[];
  shutdownGraceMs?: number;
  /** Extra dialects (tests of the connection layer bring a toy one). */
  dialects?: Dialect[];
}

export interface TestGateway {
  gw: RunningGateway;
  hub: Hub;
  /** Bound port of a listener, by name (the dialect name unless given). */
  port(name: string): number;
  /** Graceful shutdown, as on SIGTERM. Safe to call twice. */
  stop(): Promise<void>;
}

/** Limits for tests: the DESIGN.md defaults, but flood control off unless a test asks. */
export const TEST_LIMITS: Readonly<LimitsConfig> = Object.freeze({
  lineMax: 8192,
  packageMax: 65536,
  decompressedMax: 1048576,
  jsonDepthMax: 32,
  textMax: 4096,
  sendQueueMax: 1048576,
  registrationTimeoutMs: 30000,
  maxConnections: 10000,
  maxConnectionsPerIp: 10000,
  flood: Object.freeze({ enabled: false, burst: 50, ratePerSec: 20 }),
});

/** Builds a full config for tests: every listener on port 0 of 127.0.0.1. */
export function testConfig(opts: TestGatewayOptions = {}): GatewayConfig {
  const wanted: NonNullable<TestGatewayOptions['listeners']> = opts.listeners ?? [...DIALECTS.keys()].map((dialect) => ({ dialect }));
  const listeners = wanted.map((l) => {
    const dialect = registry(opts).get(l.dialect);
    if (!dialect) throw new Error(`dialect ${l.dialect} is not built`);
    return {
      name: l.name ?? l.dialect,
      dialect: l.dialect,
      host: '127.0.0.1',
      port: 0,
      options: { ...dialect.defaultOptions, ...(l.options ?? {}) },
    };
  });
  return {
    node: { id: 'test' },
    log: { level: 'silent', trace: false, pretty: false },
    admin: { enabled: false, host: '127.0.0.1', port: 0 },
    names: {},
    rooms: { default: opts.rooms ?? ['general'] },
    limits: { ...TEST_LIMITS, ...opts.limits, flood: { ...TEST_LIMITS.flood, ...opts.limits?.flood } },
    shutdown: { graceMs: opts.shutdownGraceMs ?? 2000 },
    listeners,
  };
}

function registry(opts: TestGatewayOptions): ReadonlyMap<string, Dialect> {
  if (!opts.dialects?.length) return DIALECTS;
  return new Map([...DIALECTS, ...opts.dialects.map((d) => [d.name, d] as const)]);
}

/** Starts a real gateway on ephemeral ports. */
export async function startTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const gw = await startGateway(testConfig(opts), { log: SILENT_LOG, dialects: registry(opts) });
  return {
    gw,
    hub: gw.hub,
    port: (name) => gw.port(name),
    stop: () => gw.shutdown(),
  };
}
