import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer, type ServerHandle, type Spawned } from './child.js';

/** The repository root (bench/servers/../..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The raw Node relay as a child process; it speaks the IRC subset on one port. */
export async function startRelayChild(): Promise<ServerHandle> {
  const s = spawnServer(process.execPath, ['--import', 'tsx', 'bench/servers/raw-relay.ts', '0'], {
    cwd: REPO_ROOT,
    timeoutMs: 20000,
    ready: (line) => line.startsWith('{"port"'),
  });
  const line = await s.ready;
  const port = (JSON.parse(line) as { port: number }).port;
  return { name: 'relay', pid: s.child.pid!, ports: { irc: port }, collectsGarbage: true, stop: () => s.stop() };
}

/**
 * The gateway's limits for the bench: flood control off and caps far above
 * the load (the issue: throughput, not throttling, is measured), no
 * registration timer; everything else as deployed, metrics included.
 */
export function benchGatewayConfig(dialects: string[]): Record<string, unknown> {
  return {
    node: { id: 'bench' },
    log: { level: 'info', pretty: false },
    admin: { enabled: false },
    rooms: { default: ['general'] },
    limits: {
      sendQueueMax: 64 * 1024 * 1024,
      registrationTimeoutMs: 0,
      maxConnections: 100000,
      maxConnectionsPerIp: 100000,
      flood: { enabled: false, burst: 1000000, ratePerSec: 1000000 },
    },
    shutdown: { graceMs: 2000 },
    listeners: dialects.map((dialect) => ({ dialect, host: '127.0.0.1', port: 0 })),
  };
}

/**
 * The gateway as deployed: `node packages/gateway/dist/bundle/cli.js serve --config
 * <generated yaml>` (compiled by `npm run build`, which `npm run bench` runs first) in its own process, so /proc shows its CPU
 * and RSS alone. Ports come from its `chat-gateway ready` log line. With
 * `node`: one node, of that id, of several on that Redis.
 */
export async function startGatewayChild(dialects: string[], extraArgs: string[] = [], node?: { id: string; redisUrl: string }): Promise<ServerHandle> {
  // One node of several on a Redis (DESIGN.md "Nodes and back ends"), else alone in memory as by default.
  const config = node ? { ...benchGatewayConfig(dialects), node: { id: node.id }, backend: { type: 'redis', url: node.redisUrl } } : benchGatewayConfig(dialects);
  const { spawned: s, dir, ports } = await spawnGateway(REPO_ROOT, config, extraArgs);
  return {
    name: 'gateway',
    pid: s.child.pid!,
    ports,
    collectsGarbage: true,
    async stop() {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A gateway child process started by spawnGateway: its process, its config's folder, and what its `ready` line said. */
export interface SpawnedGateway {
  spawned: Spawned;
  /** The temporary folder of its config file (the caller removes it once the child has stopped). */
  dir: string;
  /** Bound port per dialect. */
  ports: Record<string, number>;
  adminPort?: number;
}

/**
 * `node packages/gateway/dist/bundle/cli.js serve --config <config as JSON>` (an older build's dist/cli.js, or its sources through tsx where it has no build) of the checkout at
 * `root` (JSON is YAML: no YAML writer needed); resolves once its `chat-gateway ready` line came.
 */
export async function spawnGateway(root: string, config: Record<string, unknown>, nodeArgs: string[] = []): Promise<SpawnedGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-gateway-child-'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  // The compiled gateway, as deployed (issue #16); a baseline worktree may predate the bundle, or have no build and run its sources.
  const built = ['packages/gateway/dist/bundle/cli.js', 'packages/gateway/dist/cli.js'].find((f) => existsSync(join(root, f)));
  const entry = built ? [built] : ['--import', 'tsx', 'packages/gateway/src/cli.ts'];
  const spawned = spawnServer(process.execPath, [...nodeArgs, ...entry, 'serve', '--config', file], {
    cwd: root,
    timeoutMs: 60_000,
    ready: (line) => line.includes('"chat-gateway ready"'),
    // Its own shutdown is bounded (graceMs + 2 s); a CPU profile is written only on a clean exit.
    killAfterMs: 10_000,
  });
  let line: string;
  try {
    line = await spawned.ready;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const ready = JSON.parse(line) as { listeners: { dialect: string; port: number }[]; adminPort?: number };
  const ports: Record<string, number> = {};
  for (const l of ready.listeners) ports[l.dialect] = l.port;
  return { spawned, dir, ports, adminPort: ready.adminPort };
}
