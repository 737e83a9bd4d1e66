import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayStatus } from '@chat-gateway/gateway';

/** The compiled CLI, bundled, as `npm start` runs it (`npm test` builds first), and the repository root it runs in. */
const CLI = fileURLToPath(new URL('../dist/bundle/cli.js', import.meta.resolve('@chat-gateway/gateway')));
const REPO = join(dirname(CLI), '../../../..');
const OUTPUT_MAX = 256 * 1024;
const READY_MS = 30_000;

/** Every process started here, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export interface GatewayProcessOptions {
  /** The config file's contents (written as JSON, which is YAML); `rawTestConfig` gives one. */
  config: Record<string, unknown>;
  /** Flags for node itself before the script (`--cpu-prof`...). */
  nodeArgs?: string[];
  /** Extra environment; the caller's CHAT_GATEWAY_* variables are never passed on. */
  env?: Record<string, string>;
}

/** What the `chat-gateway ready` log line says. */
interface ReadyLine {
  msg: string;
  listeners: { name: string; dialect: string; port: number }[];
  adminPort: number | null;
}

/**
 * A real `chat-gateway serve` process (the compiled CLI, as `npm start`
 * runs it) on a generated config file. Its bound ports come from its
 * `chat-gateway ready` log line, so the config must log at info or lower,
 * as JSON (`pretty: false`). Its output is kept (the last 256 KiB) for
 * failure messages; it is killed when this process exits.
 */
export class GatewayProcess {
  private out = '';
  private ended?: { code: number | null; signal: NodeJS.Signals | null };
  /** Resolves when the process has exited, however. */
  readonly exited: Promise<void>;
  private ports: Record<string, number> = {};
  /** The admin HTTP port, when the config enables it. */
  adminPort?: number;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly dir: string,
    /** The node id from the config, for messages. */
    readonly name: string,
  ) {
    running.add(proc);
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        running.delete(proc);
        this.ended = { code, signal };
        resolve();
      }),
    );
    for (const s of [proc.stdout!, proc.stderr!]) s.setEncoding('utf8').on('data', (chunk: string) => (this.out = (this.out + chunk).slice(-OUTPUT_MAX)));
  }

  /** Starts a gateway process; resolves once it logged `chat-gateway ready`, rejects (with its output) if it exits or times out first. */
  static async start(opts: GatewayProcessOptions): Promise<GatewayProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'cgw-node-'));
    const file = join(dir, 'gateway.yaml');
    await writeFile(file, `${JSON.stringify(opts.config, null, 2)}\n`);
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CHAT_GATEWAY_')) env[k] = v;
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, 'serve', '--config', file], {
      cwd: REPO,
      env: { ...env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const id = (opts.config.node as { id?: string } | undefined)?.id ?? 'gateway';
    const gp = new GatewayProcess(proc, dir, id);
    try {
      await gp.ready();
    } catch (err) {
      await gp.kill();
      throw err;
    }
    return gp;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** True until the process exited. */
  get alive(): boolean {
    return this.ended === undefined;
  }

  /** Bound port of a listener, by name (the dialect name unless the config named it). */
  port(listener: string): number {
    const p = this.ports[listener];
    if (p === undefined) throw new Error(`${this.name} has no listener ${listener}; it has ${Object.keys(this.ports).join(', ')}`);
    return p;
  }

  /** Everything it printed so far (the last 256 KiB). */
  output(): string {
    return this.out;
  }

  /** Its log lines at warn or above (JSON), for failure messages. */
  warnings(): string[] {
    return this.out.split('\n').filter((l) => /"level":(4|5|6)\d/.test(l));
  }

  /** GET /status on its admin port. */
  async status(): Promise<GatewayStatus> {
    if (this.adminPort === undefined) throw new Error(`${this.name} has no admin server`);
    const res = await fetch(`http://127.0.0.1:${this.adminPort}/status`);
    return (await res.json()) as GatewayStatus;
  }

  /** `kill -9`: no goodbye, no release; resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.proc.kill('SIGKILL');
    await this.exited;
    await rm(this.dir, { recursive: true, force: true });
  }

  /** SIGTERM, as `docker stop` sends it; SIGKILL after `graceMs`. Resolves with how it ended. */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.alive) this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    await rm(this.dir, { recursive: true, force: true });
    return this.ended!;
  }

  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => done(new Error(`${this.name}: no "chat-gateway ready" within ${READY_MS} ms`)), READY_MS);
      const onLine = (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (!line.includes('"chat-gateway ready"')) continue;
          const r = JSON.parse(line) as ReadyLine;
          this.ports = Object.fromEntries(r.listeners.map((l) => [l.name, l.port]));
          this.adminPort = r.adminPort ?? undefined;
          done();
        }
      };
      const onExit = () => done(new Error(`${this.name} exited (${this.ended?.code ?? this.ended?.signal}) before it was ready`));
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.proc.stdout!.off('data', onLine);
        this.proc.off('exit', onExit);
        if (err) reject(new Error(`${err.message}; its output:\n${this.out.slice(-4000)}`));
        else resolve();
      };
      this.proc.stdout!.on('data', onLine);
      this.proc.once('exit', onExit);
    });
  }
}
