import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const READY = /Ready to accept connections/;
const IN_USE = /Address already in use/i;
const START_MS = 10_000;
const PORT_TRIES = 5;

/** A short-lived client of the server's own (snapshots, PING): no retries, errors are the caller's. */
function adminClient(port: number): Redis {
  const c = new Redis(port, { host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  c.on('error', () => {});
  return c;
}

/** Every server this process started, killed if the process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1: bound and closed (redis-server cannot take port 0). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * A real redis-server of its own for a test suite (the Debian package's
 * /usr/bin/redis-server, or the first on PATH): loopback only, a free port,
 * a temp dir, no automatic persistence. It can be killed and started again
 * on the same port, with its data or without (a restart without
 * persistence), to test a back end through an outage.
 */
export class RedisServer {
  private proc?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Starts a server on a free port; resolves once it answers PING. */
  static async start(): Promise<RedisServer> {
    const dir = await mkdtemp(join(tmpdir(), 'cgw-redis-'));
    let last: unknown;
    for (let i = 0; i < PORT_TRIES; i++) {
      const server = new RedisServer(await freePort(), dir);
      try {
        await server.launch();
        return server;
      } catch (err) {
        last = err;
        // Another process took the port between our probe and the server's bind: another port.
        if (!(err instanceof PortInUse)) break;
      }
    }
    await rm(dir, { recursive: true, force: true });
    throw last;
  }

  /** The running process's id (for /proc figures), undefined while it is stopped. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Stops the process as a crash would (SIGKILL), after a snapshot so that
   * `restart({ lost: false })` finds the data again.
   */
  async kill(): Promise<void> {
    if (!this.proc) return;
    await this.call('SAVE');
    await this.terminate('SIGKILL');
  }

  /** Runs one command on a connection of its own (CLIENT LIST, DBSIZE...), for tests outside this package. */
  async call(command: string, ...args: (string | number)[]): Promise<unknown> {
    const c = adminClient(this.port);
    try {
      await c.connect();
      return await c.call(command, ...args);
    } finally {
      c.disconnect();
    }
  }

  /** Freezes the process (SIGSTOP): connections stay open but nothing is answered, as a Redis host that vanished. */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  /** Thaws a paused server (SIGCONT). */
  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  /** Starts it again on the same port: with the snapshot, or without (`lost`, as a restart without persistence). */
  async restart(opts: { lost?: boolean } = {}): Promise<void> {
    if (this.proc) throw new Error('redis-server is still running');
    if (opts.lost) await rm(join(this.dir, 'dump.rdb'), { force: true });
    await this.launch();
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const p = this.proc;
    if (!p) return;
    p.kill(signal);
    // A paused process would keep a SIGTERM pending forever.
    p.kill('SIGCONT');
    await this.exited;
    this.proc = undefined;
  }

  private async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--dbfilename', 'dump.rdb', '--daemonize', 'no'];
    const p = spawn(process.env.REDIS_SERVER ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(p);
    this.proc = p;
    this.exited = new Promise((resolve) => p.once('exit', () => (running.delete(p), resolve())));
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${this.port} not ready within ${START_MS} ms:\n${out}`)), START_MS);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (READY.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      p.stdout!.on('data', onData);
      p.stderr!.on('data', onData);
      p.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(err.code === 'ENOENT' ? new Error('redis-server not found: install it (apt-get install -y redis-server) or set REDIS_SERVER') : err);
      });
      p.once('exit', (code) => {
        clearTimeout(timer);
        reject(IN_USE.test(out) ? new PortInUse(this.port) : new Error(`redis-server exited with ${code} before it was ready:\n${out}`));
      });
    });
    try {
      await ready;
      await this.ping();
    } catch (err) {
      await this.terminate('SIGKILL');
      throw err;
    }
  }

  /** The log line said ready; PING says it answers. */
  private async ping(): Promise<void> {
    if ((await this.call('PING')) !== 'PONG') throw new Error('redis-server did not answer PONG');
  }
}

class PortInUse extends Error {
  constructor(port: number) {
    super(`port ${port} is in use`);
  }
}
