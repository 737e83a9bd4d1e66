import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

/**
 * One attacker process (the soak splits attackers over processes where one
 * would saturate, so the gateway, not the attacker, is what is measured).
 * `onMessage` sees what the role sends; `done` resolves with its result.
 */
export class AttackerProcess<R = unknown> {
  private readonly child: ChildProcess;
  readonly done: Promise<R>;

  constructor(role: string, args: unknown, onMessage: (msg: WorkerMessage, reply: (m: WorkerMessage) => void) => void = () => {}) {
    this.child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const kill = (): void => void this.child.kill('SIGKILL');
    process.once('exit', kill);
    this.done = new Promise<R>((resolve, reject) => {
      this.child.on('message', (m: WorkerMessage) => {
        if (m.type === 'result') resolve(m.result as R);
        else if (m.type === 'failed') reject(new Error(`attacker ${role}: ${String(m.error)}`));
        else onMessage(m, (reply) => this.send(reply));
      });
      this.child.once('exit', (code) => {
        process.off('exit', kill);
        reject(new Error(`attacker ${role} exited (${code}) without a result`));
      });
    });
    this.done.catch(() => {});
    this.send({ type: 'start', role, args });
  }

  send(msg: WorkerMessage): void {
    if (this.child.connected) this.child.send(msg);
  }

  /** Ends the process at once (its sockets close with it). */
  kill(): void {
    this.child.kill('SIGKILL');
  }
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
