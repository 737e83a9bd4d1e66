import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLines, type LogLine } from './log-lines.js';
import { CLI, REPO, cleanEnv } from './run-cli.js';

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A running gateway process (or npm running one), its JSON log lines parsed as they arrive. */
export class Served {
  readonly logs: LogLines;
  readonly exited: Promise<Exit>;
  /** Resolves when stdout closed: every process holding it (npm, a shell, the gateway) is gone. */
  readonly stdoutClosed: Promise<void>;
  stderr = '';

  /** `strict`: every stdout line must be a JSON log line (false under npm, which prints a banner). */
  constructor(readonly child: ChildProcess, strict = true) {
    this.logs = new LogLines(strict);
    child.stdout!.setEncoding('utf8').on('data', (s: string) => this.logs.push(s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.stdoutClosed = new Promise((resolve) => child.stdout!.on('close', () => resolve()));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // No line can come once stdout closed (a gateway under npm may log on after npm exited).
    void this.stdoutClosed.then(() => this.logs.end(`stdout closed (exit: ${JSON.stringify({ code: child.exitCode, signal: child.signalCode })}); stderr: ${this.stderr}`));
  }

  get lines(): LogLine[] {
    return this.logs.lines;
  }

  /** The first log line with this msg, waiting up to timeoutMs. */
  waitFor(msg: string, timeoutMs = 20_000): Promise<LogLine> {
    return this.logs.waitForMsg(msg, timeoutMs);
  }

  /** Resolves with the exit, or rejects if the process is still running after timeoutMs. */
  async exitWithin(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Writes a config file in a fresh temporary folder (removed after the test). */
export async function configFile(t: { after(fn: () => Promise<void>): void }, lines: string[], name = 'gateway.yaml'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cgw-served-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Spawns `command args` in the repository with CHAT_GATEWAY_* cleared; killed
 * (its whole process group when detached) if still running after the test.
 */
export function spawnServed(t: { after(fn: () => void): void }, command: string, args: string[], opts: SpawnOptions & { strict?: boolean } = {}): Served {
  const child = spawn(command, args, { cwd: REPO, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const served = new Served(child, opts.strict ?? true);
  t.after(() => {
    if (served.child.exitCode !== null || served.child.signalCode !== null) return;
    if (opts.detached) process.kill(-child.pid!, 'SIGKILL');
    else child.kill('SIGKILL');
  });
  return served;
}

/** `chat-gateway serve --config file` run as `node dist/bundle/cli.js` (the build `npm test` makes first, as `npm start` runs it). */
export function serveCli(t: { after(fn: () => void): void }, file: string, extra: string[] = []): Served {
  return spawnServed(t, process.execPath, [CLI, 'serve', '--config', file, ...extra]);
}

/** True while a process exists and is not a zombie (ps would show it as Z; /proc says the same). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the command in brackets, is the state.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The parent of a running process, from /proc (what `ps -o ppid=` prints). */
export function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
