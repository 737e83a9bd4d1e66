import { readdirSync, rmSync } from 'node:fs';
import type { Spawned } from '../servers/child.js';
import { spawnGateway } from '../servers/local.js';
import { sample } from '../servers/proc.js';

/** What the soak may change in the gateway's config (everything else is the default config). */
export interface SoakConfigOptions {
  /** Flood control as deployed (default) or off (the ChatMaster fan-out measurement only). */
  flood?: boolean;
  /** Extra `limits` keys (only those the gateway under test knows). */
  limits?: Record<string, unknown>;
  /** ChatMaster listener options. */
  chatmaster?: Record<string, unknown>;
}

/**
 * The soak's gateway config: the default config (config/gateway.yaml's limits, flood control on)
 * on loopback ports picked by the OS, admin on 127.0.0.1 for /status, and the per-IP cap raised,
 * since every attacker and canary comes from 127.0.0.1 (the cap itself is tested in `npm test`).
 */
export function soakConfig(opts: SoakConfigOptions = {}): Record<string, unknown> {
  return {
    node: { id: 'soak' },
    log: { level: 'info', pretty: false },
    admin: { enabled: true, host: '127.0.0.1', port: 0 },
    limits: {
      maxConnectionsPerIp: 100_000,
      maxConnections: 30_000,
      ...(opts.flood === false ? { flood: { enabled: false } } : {}),
      ...opts.limits,
    },
    shutdown: { graceMs: 5000 },
    listeners: ['ws2017', 'psu', 'sup', 'chatmaster', 'irc'].map((dialect) => ({
      dialect,
      host: '127.0.0.1',
      port: 0,
      ...(dialect === 'chatmaster' && opts.chatmaster ? { options: opts.chatmaster } : {}),
    })),
  };
}

/** What /status says about connections and users (the leak check compares two of these). */
export interface StatusCounts {
  connections: number;
  users: number;
  rooms: number;
}

/** The gateway under test as a child process: its ports, its /proc figures, its /status. */
export class SoakGateway {
  private constructor(
    private readonly spawned: Spawned,
    private readonly dir: string,
    readonly ports: Readonly<Record<string, number>>,
    readonly adminPort: number,
  ) {}

  /** Starts `packages/gateway/src/cli.ts serve` of the checkout at `root` with the soak config. */
  static async start(root: string, opts: SoakConfigOptions = {}): Promise<SoakGateway> {
    // SOAK_GATEWAY_NODE_ARGS: extra node flags for the gateway, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where it spends a part.
    const nodeArgs = (process.env.SOAK_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const g = await spawnGateway(root, soakConfig(opts), nodeArgs);
    const gw = new SoakGateway(g.spawned, g.dir, g.ports, g.adminPort!);
    // A process's first scrape compiles prom-client's collectors (about 40 ms, measured against 4 ms
    // for the next): made here, so that it is not a stall inside the first window a part measures.
    await gw.loopLag();
    return gw;
  }

  get pid(): number {
    return this.spawned.child.pid!;
  }

  /** False once the child has exited (a crash, unless stop() or a signal of ours ended it). */
  get alive(): boolean {
    return this.spawned.child.exitCode === null && this.spawned.child.signalCode === null;
  }

  /** The child's exit code, or undefined while it runs. */
  get exitCode(): number | null | undefined {
    return this.alive ? undefined : this.spawned.child.exitCode;
  }

  /** Resolves with the exit code once the child has exited. */
  exited(): Promise<number | null> {
    if (!this.alive) return Promise.resolve(this.spawned.child.exitCode);
    return new Promise((resolve) => this.spawned.child.once('exit', (code) => resolve(code)));
  }

  /** CPU time used so far (ms) and RSS (bytes), from /proc/<pid>. */
  proc(): { cpuMs: number; rss: number } {
    const s = sample(this.pid);
    return s ? { cpuMs: s.cpuMs, rss: s.rss } : { cpuMs: 0, rss: 0 };
  }

  /** Open file descriptors, from /proc/<pid>/fd. */
  fds(): number {
    try {
      return readdirSync(`/proc/${this.pid}/fd`).length;
    } catch {
      return -1;
    }
  }

  /** Connections, users and rooms as /status reports them. */
  async status(): Promise<StatusCounts> {
    const res = await fetch(`http://127.0.0.1:${this.adminPort}/status`);
    const s = (await res.json()) as { connections: number; users: unknown[]; rooms: unknown[] };
    return { connections: s.connections, users: s.users.length, rooms: s.rooms.length };
  }

  /**
   * The gateway's own worst event-loop delay since the last call, ms (prom-client's
   * nodejs_eventloop_lag_max_seconds, reset at each scrape): a stall of the gateway itself, apart
   * from what the machine's other load does to a round trip.
   */
  async loopLagMaxMs(): Promise<number> {
    return (await this.loopLag()).maxMs;
  }

  /** The gateway's event-loop delay since the last scrape (worst and p99, ms) and its CPU-seconds so far. */
  async loopLag(): Promise<{ maxMs: number; p99Ms: number; cpuS: number }> {
    const text = await (await fetch(`http://127.0.0.1:${this.adminPort}/metrics`)).text();
    const read = (name: string): number => {
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : -1;
    };
    return {
      maxMs: read('nodejs_eventloop_lag_max_seconds') * 1000,
      p99Ms: read('nodejs_eventloop_lag_p99_seconds') * 1000,
      cpuS: read('process_cpu_seconds_total'),
    };
  }

  /** The last lines the gateway printed (for a crash report). */
  output(): string {
    return this.spawned.output();
  }

  /** Sends a signal to the child (SIGTERM for the shutdown part). */
  signal(sig: NodeJS.Signals): void {
    this.spawned.child.kill(sig);
  }

  /** Stops the child (SIGTERM, then SIGKILL) and removes its config. */
  async stop(): Promise<void> {
    await this.spawned.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
