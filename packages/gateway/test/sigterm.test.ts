import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@chat-gateway/testkit';
import { spawnCli } from './run-cli.js';

const GRACE_MS = 1000;
// The CLI's own bound is graceMs + 2 s; allow for a slow machine's start of node + tsx on top.
const EXIT_WITHIN_MS = GRACE_MS + 2000 + 3000;

interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/** A running `chat-gateway serve`, its JSON log lines parsed as they arrive. */
class Served {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';
  private waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      const parts = (partial + s).split('\n');
      partial = parts.pop()!;
      for (const raw of parts) {
        if (raw.trim() === '') continue;
        const line = JSON.parse(raw) as LogLine; // every stdout line must be a JSON log line
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => (w.pred(line) ? (w.resolve(line), false) : true));
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The first log line with this msg, waiting up to timeoutMs. */
  waitFor(msg: string, timeoutMs: number): Promise<LogLine> {
    const seen = this.lines.find((l) => l.msg === msg);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${msg}" log line within ${timeoutMs} ms; stderr: ${this.stderr}; lines: ${JSON.stringify(this.lines)}`)), timeoutMs);
      const exitFirst = () => {
        clearTimeout(timer);
        reject(new Error(`exited before "${msg}"; stderr: ${this.stderr}`));
      };
      void this.exited.then(exitFirst);
      this.waiters.push({ pred: (l) => l.msg === msg, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }

  /** Resolves with the exit, or rejects if the process is still running after timeoutMs. */
  async exitWithin(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running ${timeoutMs} ms after the signal; stderr: ${this.stderr}`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function serve(t: { after(fn: () => void | Promise<void>): void }): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'cgw-sigterm-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'gateway.yaml');
  await writeFile(
    file,
    [
      'log: { level: info, pretty: false }',
      'admin: { host: 127.0.0.1, port: 0 }',
      `shutdown: { graceMs: ${GRACE_MS} }`,
      'listeners:',
      // No keepalive: a cping landing mid-test would break "exactly the goodbye, then the close".
      '  - { name: ws, dialect: ws2017, host: 127.0.0.1, port: 0, options: { pingIntervalMs: 0 } }',
      '  - { name: psu, dialect: psu, host: 127.0.0.1, port: 0 }',
      '',
    ].join('\n'),
  );
  const served = new Served(spawnCli(['serve', '--config', file]));
  t.after(() => {
    if (served.child.exitCode === null && served.child.signalCode === null) served.child.kill('SIGKILL');
  });
  return served;
}

/** The bound port of listener `name`, from the `chat-gateway ready` log line. */
function portOf(ready: LogLine, name: string): number {
  const listeners = ready.listeners as { name: string; dialect: string; port: number }[];
  const l = listeners.find((x) => x.name === name);
  assert.ok(l, `listener ${name} in ${JSON.stringify(listeners)}`);
  assert.ok(l.port > 0, 'the bound port is logged, not 0');
  return l.port;
}

test('SIGTERM: each client hears its dialect\'s goodbye, is disconnected, and the process exits 0 in bounded time', async (t) => {
  const served = await serve(t);
  const ready = await served.waitFor('chat-gateway ready', 20_000);
  assert.deepEqual((ready.listeners as { name: string; dialect: string }[]).map((l) => [l.name, l.dialect]), [['ws', 'ws2017'], ['psu', 'psu']]);
  assert.equal(typeof ready.adminPort, 'number');

  const health = await fetch(`http://127.0.0.1:${ready.adminPort as number}/healthz`);
  assert.equal(health.status, 200);
  await health.text();

  const ws = await connect(portOf(ready, 'ws'));
  t.after(() => ws.destroy());
  await ws.expectLine(/^\+OK /); // the greeting
  ws.write('uname alice\r\n');
  await ws.expectLine('+OK you are alice');
  assert.equal(ws.received().length, 0, 'nothing after the registration reply');

  const psu = await connect(portOf(ready, 'psu'));
  t.after(() => psu.destroy());
  await psu.nextLine(); // the greeting (a PSU option; its wording is the dialect's business)
  const status = (await (await fetch(`http://127.0.0.1:${ready.adminPort as number}/status`)).json()) as { connections: number };
  assert.equal(status.connections, 2, 'the gateway holds both client connections before the signal');

  const sent = Date.now();
  served.child.kill('SIGTERM');
  // DESIGN.md cross-dialect table, shutdown: WS_2017 `+OK terminating tasks and disconnecting`, PSU `Server shutting down.`
  await Promise.all([ws.expectClosed(EXIT_WITHIN_MS), psu.expectClosed(EXIT_WITHIN_MS)]);
  assert.equal(ws.received().toString('latin1'), '+OK terminating tasks and disconnecting\r\n', 'exactly the goodbye, once, before the close');
  await psu.expectLine('Server shutting down.');
  assert.equal(psu.received().length, 0, 'nothing after the shutdown line');
  const exit = await served.exitWithin(EXIT_WITHIN_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(Date.now() - sent < EXIT_WITHIN_MS);
  const msgs = served.lines.map((l) => l.msg);
  assert.ok(msgs.includes('signal received: shutting down'), 'the signal is logged');
  assert.equal(msgs.at(-1), 'bye', 'the last log line says the process is done');
});

test('SIGINT shuts down the same way', async (t) => {
  const served = await serve(t);
  await served.waitFor('chat-gateway ready', 20_000);
  served.child.kill('SIGINT');
  const exit = await served.exitWithin(EXIT_WITHIN_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(served.lines.some((l) => l.msg === 'signal received: shutting down' && l.signal === 'SIGINT'));
});

test('a port already in use fails the start with exit 1 and a fatal log line', async (t) => {
  // Hold a port, then ask the gateway for it.
  const net = await import('node:net');
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const dir = await mkdtemp(join(tmpdir(), 'cgw-sigterm-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'gateway.yaml');
  await writeFile(file, `log: { pretty: false }\nadmin: { enabled: false }\nlisteners:\n  - { dialect: ws2017, host: 127.0.0.1, port: ${port} }\n`);
  const served = new Served(spawnCli(['serve', '--config', file]));
  t.after(() => {
    if (served.child.exitCode === null) served.child.kill('SIGKILL');
  });
  const exit = await served.exitWithin(20_000);
  assert.equal(exit.code, 1);
  const fatal = served.lines.find((l) => l.level === 60);
  assert.ok(fatal, 'a fatal line is logged');
  assert.equal(fatal.msg, 'could not start the gateway');
  assert.match(JSON.stringify(fatal.err), /EADDRINUSE/);
});
