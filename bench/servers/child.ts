import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A server the bench started as its own child process. */
export interface ServerHandle {
  /** relay | gateway | ngircd | inspircd */
  readonly name: string;
  readonly pid: number;
  /** Port per client protocol this server speaks: irc, psu, ws2017, sup, chatmaster. */
  readonly ports: Readonly<Record<string, number>>;
  /**
   * Several processes (the cross-node `cluster`): each gateway node with its
   * own ports, then the redis-server (no ports); `pid` and `ports` are the
   * first node's. Their CPU and RSS are measured one by one.
   */
  readonly nodes?: readonly { name: string; pid: number; ports: Readonly<Record<string, number>> }[];
  /** A garbage-collected runtime (Node): its idle RSS is read again once it has settled (proc.ts waitSettled). */
  readonly collectsGarbage?: boolean;
  stop(): Promise<void>;
}

export interface Spawned {
  child: ChildProcess;
  /** Resolves with the first stdout/stderr line `ready` accepts (its return value), rejects on exit or timeout. */
  ready: Promise<string>;
  /** Everything the child printed so far (last 64 KiB), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns a server and watches its output for a readiness line. The child is
 * killed (SIGTERM, then SIGKILL after `killAfterMs`, default 3 s) by stop(),
 * and on this process's exit.
 */
export function spawnServer(
  cmd: string,
  args: string[],
  opts: { cwd?: string; timeoutMs: number; ready: (line: string) => boolean; killAfterMs?: number },
): Spawned {
  const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exited = false;
  const exitedP = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const ready = new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${cmd}: not ready within ${opts.timeoutMs} ms\n${out.slice(-2000)}`)), opts.timeoutMs);
    const onData = (chunk: Buffer): void => {
      const s = chunk.toString('utf8');
      out = (out + s).slice(-65536);
      buf += s;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (opts.ready(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited (${code ?? signal}) before it was ready\n${out.slice(-2000)}`));
    });
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    output: () => out,
    async stop() {
      process.off('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 3000);
      await exitedP;
      clearTimeout(t);
    },
  };
}

/** Resolves once a TCP connect to 127.0.0.1:port succeeds (retrying every 50 ms), else rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free TCP port on 127.0.0.1 (for servers that cannot bind port 0 and report it). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
