import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sample } from '../servers/proc.js';

/** A message between the soak and one of its attacker processes. */
export type WorkerMessage = { type: string; [k: string]: unknown };

/** What an attacker role gets in its process: its arguments, and a way to talk to the soak. */
export interface RoleContext<A> {
  args: A;
  /** Sends a message to the soak. */
  send(msg: WorkerMessage): void;
  /** The next message from the soak. */
  next(): Promise<WorkerMessage>;
}

/** An attacker role: runs in its own process and resolves with its figures. */
export type Role<A = any, R = any> = (ctx: RoleContext<A>) => Promise<R>;

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

let inProcess = false;
/**
 * Runs attacker roles in this process from now on, not one child process each: the short soak of
 * `npm test` (test/soak.test.ts), where starting a process per attacker would be most of its time.
 * The attackers then share the canary's event loop, so its latency says little there.
 */
export function attackersInProcess(on: boolean): void {
  inProcess = on;
}

/** Where a role runs: a child process (bench/soak/worker.ts), or this process (attackersInProcess). */
interface RoleHost {
  send(msg: WorkerMessage): void;
  kill(): void;
  /** The child process's id; undefined for a role run in this process. */
  readonly pid?: number;
}

/**
 * One attacker process (the soak splits attackers over processes where one
 * would saturate, so the gateway, not the attacker, is what is measured).
 * `onMessage` sees what the role sends; `done` resolves with its result.
 */
export class AttackerProcess<R = unknown> {
  private readonly host: RoleHost;
  readonly done: Promise<R>;

  constructor(role: string, args: unknown, onMessage: (msg: WorkerMessage, reply: (m: WorkerMessage) => void) => void = () => {}) {
    let host!: RoleHost;
    this.done = new Promise<R>((resolve, reject) => {
      const receive = (m: WorkerMessage): void => {
        if (m.type === 'result') resolve(m.result as R);
        else if (m.type === 'failed') reject(new Error(`attacker ${role}: ${String(m.error)}`));
        else onMessage(m, (reply) => this.send(reply));
      };
      host = inProcess ? localRole(role, args, receive) : childRole(role, args, receive, () => reject(new Error(`attacker ${role} exited without a result`)));
    });
    this.host = host;
    this.done.catch(() => {});
  }

  send(msg: WorkerMessage): void {
    this.host.send(msg);
  }

  /** Ends the process at once (its sockets close with it); in this process the role has ended by itself. */
  kill(): void {
    this.host.kill();
  }

  /** CPU time the attacker's process used so far (ms), from /proc; undefined for a role run in this process. */
  cpuMs(): number | undefined {
    return this.host.pid === undefined ? undefined : sample(this.host.pid)?.cpuMs;
  }
}

/** A role in a child process of its own. */
function childRole(role: string, args: unknown, receive: (m: WorkerMessage) => void, exited: () => void): RoleHost {
  const child = fork(WORKER, [], { execArgv: ['--conditions=source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.on('message', receive);
  child.once('exit', () => {
    process.off('exit', kill);
    exited();
  });
  const host: RoleHost = { send: (m) => void (child.connected && child.send(m)), kill, pid: child.pid };
  host.send({ type: 'start', role, args });
  return host;
}

/** A role run in this process, with the same messages as a child's. */
function localRole(role: string, args: unknown, receive: (m: WorkerMessage) => void): RoleHost {
  const inbox: WorkerMessage[] = [];
  const waiting: ((m: WorkerMessage) => void)[] = [];
  const next = (): Promise<WorkerMessage> => {
    const queued = inbox.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
  };
  // Imported here: the roles' modules import this one.
  void import('./roles.js').then(async ({ ROLES }) => {
    const run = ROLES[role];
    if (!run) return receive({ type: 'failed', error: `no role ${role}` });
    try {
      receive({ type: 'result', result: await run({ args, send: receive, next }) });
    } catch (err) {
      receive({ type: 'failed', error: (err as Error).stack ?? String(err) });
    }
  });
  return {
    send: (m) => {
      const w = waiting.shift();
      if (w) w(m);
      else inbox.push(m);
    },
    kill: () => {},
  };
}

/** Runs one attacker role per argument set in its own process and waits for all of them. */
export async function runAttackers<R>(role: string, argSets: unknown[], onMessage?: (msg: WorkerMessage, reply: (m: WorkerMessage) => void) => void): Promise<R[]> {
  const procs = argSets.map((a) => new AttackerProcess<R>(role, a, onMessage));
  try {
    return await Promise.all(procs.map((p) => p.done));
  } finally {
    for (const p of procs) p.kill();
  }
}
