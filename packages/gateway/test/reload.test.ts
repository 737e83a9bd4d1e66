import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { onlineAs, type Listeners } from '@chat-gateway/testkit';
import type { LogLine } from './log-lines.js';
import { runCli } from './run-cli.js';
import { configFile, serveCli, type Served } from './served.js';

// DESIGN.md "Operating": SIGHUP reloads limits, log level and rooms at once; listeners added,
// removed or moved without dropping the others' connections; a bad file is refused, the old config kept.

const HEAD = ['log: { level: info, pretty: false }', 'admin: { host: 127.0.0.1, port: 0 }'];
const WS = '  - { name: ws2017, dialect: ws2017, host: 127.0.0.1, port: 0, options: { pingIntervalMs: 0 } }';

/** Ports as the gateway logged them: at start (`chat-gateway ready`), then each `listening` line of a reload. */
class Ports implements Listeners {
  constructor(private readonly served: Served) {}

  port(name: string): number {
    const line = this.served.lines.filter((l) => l.msg === 'listening' && l.listener === name).at(-1);
    assert.ok(line, `a listening line for ${name}`);
    return line.port as number;
  }
}

/** Waits for the outcome of reload number `n` (1-based) in the log: applied or refused. */
function nthReload(served: Served, n: number): Promise<LogLine> {
  const outcome = (l: LogLine) => l.msg.startsWith('config reloaded') || l.msg.startsWith('reload refused');
  return served.logs.waitFor((l) => outcome(l) && served.lines.filter(outcome).indexOf(l) === n - 1, `reload ${n}`);
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

test('SIGHUP: a listener added answers, a removed one says goodbye, limits and rooms apply, and everyone else stays connected; a bad file is refused while chat goes on', async (t) => {
  const file = await configFile(t, [...HEAD, 'listeners:', WS, '  - { name: psu, dialect: psu, host: 127.0.0.1, port: 0 }', '  - { name: old, dialect: psu, host: 127.0.0.1, port: 0 }']);
  const served = serveCli(t, file);
  const ready = await served.waitFor('chat-gateway ready');
  const ports = new Ports(served);
  const alice = await onlineAs(ports, 'ws2017', 'alice');
  const bob = await onlineAs(ports, 'psu', 'bob');
  const carol = await onlineAs({ port: () => ports.port('old') }, 'psu', 'carol');
  t.after(() => [alice, bob, carol].forEach((d) => d.close()));

  await writeFile(file, [...HEAD.map((l) => l.replace('level: info', 'level: debug')), 'rooms: { default: [general, lobby] }', 'limits: { textMax: 100 }', 'listeners:', WS, '  - { name: psu, dialect: psu, host: 127.0.0.1, port: 0 }', '  - { name: irc, dialect: irc, host: 127.0.0.1, port: 0 }', ''].join('\n'));
  served.child.kill('SIGHUP');
  const done = await nthReload(served, 1);
  assert.equal(done.msg, 'config reloaded', JSON.stringify(done));
  const changes = done.changes as string[];
  assert.deepEqual(changes.map((c) => c.replace(/\d+$/, 'N')), [
    'listener irc (irc) added on tcp://127.0.0.1:N',
    'listener old removed: its connections were told goodbye',
    'limits',
    'rooms',
    'log level debug',
  ]);
  assert.deepEqual(done.restartNeeded, []);

  // The removed listener's user hears PSU's goodbye, then the close; nobody else is touched.
  await carol.waitFor('shutdown');
  await carol.wire.expectClosed(5000);
  assert.equal((await alice.dm('bob', 'still here?')).ok, true);
  assert.equal((await bob.waitFor('dm')).text, 'still here?');

  // The new port answers, in its dialect, in the same chat; the new room exists; the new text limit holds.
  const dave = await onlineAs(ports, 'irc', 'dave');
  t.after(() => dave.close());
  assert.equal((await dave.dm('alice', 'hi from IRC')).ok, true);
  assert.equal((await alice.waitFor('dm')).text, 'hi from IRC');
  const status = (await (await fetch(`http://127.0.0.1:${ready.adminPort as number}/status`)).json()) as { rooms: { name: string }[] };
  assert.ok(status.rooms.some((room) => room.name === 'lobby'), 'the new default room exists');
  assert.equal((await alice.dm('bob', 'x'.repeat(101))).ok, false, 'textMax 100 applies at once');

  // A broken edit: refused whole and logged; the running config is kept and chat goes on.
  await writeFile(file, 'listeners:\n  - { dialect: psu, port: 0, prot: 1 }\n');
  served.child.kill('SIGHUP');
  const refused = await nthReload(served, 2);
  assert.equal(refused.msg, 'reload refused: the config file is invalid; the running config is kept');
  assert.deepEqual(refused.problems, ['listeners[0].prot: unknown key `prot`; did you mean `port`? allowed: name, dialect, host, port, transport, path, cert, key, page, options']);
  assert.equal((await bob.dm('dave', 'after the bad file')).ok, true);
  assert.equal((await dave.waitFor('dm')).text, 'after the bad file');
});

test('chat-gateway reload: a moved listener keeps its users and answers on the new port; a port in use refuses the whole reload', async (t) => {
  const file = await configFile(t, [...HEAD, 'listeners:', WS, '  - { name: psu, dialect: psu, host: 127.0.0.1, port: 0 }']);
  const served = serveCli(t, file);
  const ready = await served.waitFor('chat-gateway ready');
  const ports = new Ports(served);
  const before = ports.port('psu');
  const alice = await onlineAs(ports, 'ws2017', 'alice');
  const bob = await onlineAs(ports, 'psu', 'bob');
  t.after(() => [alice, bob].forEach((d) => d.close()));
  // The CLI finds the gateway through the admin port of the file; the test's gateway bound port 0, so name the real one.
  const admin = ['--admin-port', String(ready.adminPort)];

  const moved = await freePort();
  await writeFile(file, [...HEAD, 'listeners:', WS, `  - { name: psu, dialect: psu, host: 127.0.0.1, port: ${moved} }`, ''].join('\n'));
  const r = await runCli(['reload', '--config', file, ...admin]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `reloaded ${file}:\n  listener psu (psu) moved to tcp://127.0.0.1:${moved}; its open connections stay\n`);
  assert.equal(ports.port('psu'), moved);
  // bob's socket is on the old port and stays; a newcomer uses the new one; the old port is closed.
  assert.equal((await alice.dm('bob', 'you moved?')).ok, true);
  assert.equal((await bob.waitFor('dm')).text, 'you moved?');
  const erin = await onlineAs(ports, 'psu', 'erin');
  t.after(() => erin.close());
  assert.equal((await erin.dm('alice', 'new port')).ok, true);
  assert.equal((await alice.waitFor('dm')).text, 'new port');
  await assert.rejects(onlineAs({ port: () => before }, 'psu', 'late'), /ECONNREFUSED/);

  // A listener on a port someone holds: nothing of the file applies (not even its rooms), and POST /reload says why.
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const taken = (blocker.address() as net.AddressInfo).port;
  await writeFile(file, [...HEAD, 'rooms: { default: [general, annex] }', 'listeners:', WS, `  - { name: psu, dialect: psu, host: 127.0.0.1, port: ${moved} }`, `  - { name: sup, dialect: sup, host: 127.0.0.1, port: ${taken} }`, ''].join('\n'));
  const no = await fetch(`http://127.0.0.1:${ready.adminPort as number}/reload`, { method: 'POST' });
  assert.equal(no.status, 409);
  const report = (await no.json()) as { ok: boolean; error: string };
  assert.equal(report.ok, false);
  assert.match(report.error, new RegExp(`^listener sup: port ${taken} is already in use \\(EADDRINUSE\\)`));
  const status = (await (await fetch(`http://127.0.0.1:${ready.adminPort as number}/status`)).json()) as { listeners: { name: string }[]; rooms: { name: string }[] };
  assert.deepEqual(status.listeners.map((l) => l.name), ['ws2017', 'psu']);
  assert.ok(!status.rooms.some((room) => room.name === 'annex'), 'the refused file created no room');
  assert.equal((await bob.dm('erin', 'all fine')).ok, true);
  assert.equal((await erin.waitFor('dm')).text, 'all fine');
});
