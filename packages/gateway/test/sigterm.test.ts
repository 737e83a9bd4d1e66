import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { connect } from '@chat-gateway/testkit';
import type { LogLine } from './log-lines.js';
import { configFile, serveCli, type Served } from './served.js';

const GRACE_MS = 1000;
// The CLI's own bound is graceMs + 2 s; allow for a slow machine's start of node + tsx on top.
const EXIT_WITHIN_MS = GRACE_MS + 2000 + 3000;

async function serve(t: { after(fn: () => void | Promise<void>): void }): Promise<{ served: Served; file: string }> {
  const file = await configFile(t, [
    'log: { level: info, pretty: false }',
    'admin: { host: 127.0.0.1, port: 0 }',
    `shutdown: { graceMs: ${GRACE_MS} }`,
    'listeners:',
    // No keepalive: a cping landing mid-test would break "exactly the goodbye, then the close".
    '  - { name: ws, dialect: ws2017, host: 127.0.0.1, port: 0, options: { pingIntervalMs: 0 } }',
    '  - { name: psu, dialect: psu, host: 127.0.0.1, port: 0 }',
  ]);
  return { served: serveCli(t, file), file };
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
  const { served } = await serve(t);
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

test('SIGHUP never kills: the unchanged file reloads as a no-op, a broken one is refused; then SIGINT shuts down as SIGTERM does', async (t) => {
  const { served, file } = await serve(t);
  const ready = await served.waitFor('chat-gateway ready', 20_000);
  served.child.kill('SIGHUP');
  const same = await served.logs.waitFor((l) => l.by === 'SIGHUP' && l.level === 30, 'SIGHUP outcome');
  assert.equal(same.msg, 'config reloaded: nothing changed');
  assert.equal(same.config, file);
  // A broken edit is named, and the running gateway goes on serving (reload.test.ts: chat goes on too).
  await writeFile(file, 'listeners:\n  - { dialect: psu, port: 0, prot: 1 }\n');
  served.child.kill('SIGHUP');
  const invalid = await served.logs.waitFor((l) => l.by === 'SIGHUP' && l.level === 50, 'SIGHUP error');
  assert.match(invalid.msg, /^reload refused: the config file is invalid; the running config is kept/);
  const health = await fetch(`http://127.0.0.1:${ready.adminPort as number}/healthz`);
  assert.equal(health.status, 200, 'still serving after two SIGHUPs');
  await health.text();
  served.child.kill('SIGINT');
  const exit = await served.exitWithin(EXIT_WITHIN_MS);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(served.lines.some((l) => l.msg === 'signal received: shutting down' && l.signal === 'SIGINT'));
});

test('a port already in use: exit 1 and one line on stderr naming the listener and how to move it', async (t) => {
  // Hold a port, then ask the gateway for it.
  const net = await import('node:net');
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const served = serveCli(t, await configFile(t, ['log: { pretty: false }', 'admin: { enabled: false }', 'listeners:', `  - { name: sup, dialect: sup, host: 127.0.0.1, port: ${port} }`]));
  assert.equal((await served.exitWithin(20_000)).code, 1);
  assert.equal(served.stderr, `listener sup: port ${port} is already in use (EADDRINUSE); pick another with --port sup=${port + 1} or CHAT_GATEWAY_PORT_SUP\n`);
  assert.ok(!served.lines.some((l) => l.level >= 50), 'no error log with a stack trace: the one line says it all');
  // The admin port, the same way.
  const admin = serveCli(t, await configFile(t, ['log: { pretty: false }', `admin: { host: 127.0.0.1, port: ${port} }`, 'listeners:', '  - { dialect: sup, host: 127.0.0.1, port: 0 }']));
  assert.equal((await admin.exitWithin(20_000)).code, 1);
  assert.equal(admin.stderr, `admin server: port ${port} is already in use (EADDRINUSE); pick another with --admin-port ${port + 1} or CHAT_GATEWAY_ADMIN_PORT\n`);
});
