import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StopRequests } from '../src/signals.js';
import { cleanEnv } from './run-cli.js';
import { configFile, parentOf, running, spawnServed, type Served } from './served.js';

// What a user starts is what a signal reaches: `npm start` and `npx chat-gateway serve` stop the
// gateway gracefully when the npm process gets SIGTERM or the terminal's Ctrl-C, and leave no
// gateway behind. npm 11 runs a script through `sh -c` and passes SIGTERM and SIGINT on to that
// shell only; dash neither forwards them nor execs the last command itself.

const GRACE_MS = 500;
const EXIT_WITHIN_MS = GRACE_MS + 2000 + 5000;
// npm must not ask the registry whether it is up to date: the test is about signals.
const NPM_ENV = cleanEnv({ npm_config_update_notifier: 'false', npm_config_fund: 'false' });

async function config(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  return configFile(t, ['log: { pretty: false }', 'admin: { host: 127.0.0.1, port: 0 }', `shutdown: { graceMs: ${GRACE_MS} }`, 'listeners:', '  - { dialect: psu, host: 127.0.0.1, port: 0 }']);
}

/** The gateway's pid, from its ready line (pino logs the pid on every line). */
async function gatewayPid(served: Served): Promise<number> {
  const ready = await served.waitFor('chat-gateway ready');
  assert.equal(typeof ready.pid, 'number');
  return ready.pid as number;
}

test('npm start: the gateway replaces npm\'s shell, so SIGTERM to npm stops it gracefully and npm exits 0', async (t) => {
  const served = spawnServed(t, 'npm', ['start', '--', '--config', await config(t)], { strict: false, env: NPM_ENV });
  const pid = await gatewayPid(served);
  assert.equal(parentOf(pid), served.child.pid, 'the gateway is npm\'s own child: no shell in between (`exec` in the start script)');
  served.child.kill('SIGTERM');
  assert.deepEqual(await served.exitWithin(EXIT_WITHIN_MS), { code: 0, signal: null });
  assert.ok(served.lines.some((l) => l.msg === 'signal received: shutting down' && l.signal === 'SIGTERM'));
  assert.equal(served.lines.at(-1)?.msg, 'bye');
  await served.stdoutClosed;
  assert.equal(running(pid), false, 'no gateway left behind');
});

test('npm start and Ctrl-C (SIGINT to the whole process group, which npm also passes on): one graceful shutdown, exit 0', async (t) => {
  // detached: npm leads a process group of its own, as a terminal's foreground job does.
  const served = spawnServed(t, 'npm', ['start', '--', '--config', await config(t)], { strict: false, env: NPM_ENV, detached: true });
  const pid = await gatewayPid(served);
  process.kill(-served.child.pid!, 'SIGINT');
  assert.deepEqual(await served.exitWithin(EXIT_WITHIN_MS), { code: 0, signal: null });
  const msgs = served.lines.map((l) => l.msg);
  assert.equal(msgs.filter((m) => m === 'signal received: shutting down').length, 1);
  assert.ok(!msgs.includes('second signal during shutdown: exiting now'), 'the second SIGINT is npm passing the first one on, not a reason to cut the goodbye short');
  assert.equal(msgs.at(-1), 'bye');
  await served.stdoutClosed;
  assert.equal(running(pid), false);
});

test('npx chat-gateway serve: SIGTERM to npx kills only its shell; the gateway sees its launcher go and shuts down gracefully', async (t) => {
  const served = spawnServed(t, 'npx', ['chat-gateway', 'serve', '--config', await config(t)], { strict: false, env: NPM_ENV });
  const pid = await gatewayPid(served);
  t.after(() => {
    if (running(pid)) process.kill(pid, 'SIGKILL');
  });
  assert.notEqual(parentOf(pid), served.child.pid, 'npx puts a shell between itself and the gateway');
  served.child.kill('SIGTERM');
  const gone = await served.logs.waitFor((l) => typeof l.launcher === 'number', 'launcher gone', EXIT_WITHIN_MS);
  assert.equal(gone.msg, 'npm, which started the gateway, is gone: shutting down');
  await served.logs.waitForMsg('bye', EXIT_WITHIN_MS);
  // stdout closes when its last holder, the gateway, has exited.
  await served.stdoutClosed;
  assert.equal(running(pid), false, 'no orphaned gateway holding the ports');
});

test('a stop signal within a second of the first is its echo; later, or after the launcher went, it forces the exit', () => {
  const sigint = { signal: 'SIGINT' as const };
  const a = new StopRequests();
  assert.equal(a.next(sigint, 0), 'stop');
  assert.equal(a.next(sigint, 5), 'echo', 'npm passing the Ctrl-C on, milliseconds later');
  assert.equal(a.next({ signal: 'SIGTERM' }, 999), 'echo');
  assert.equal(a.next(sigint, 1000), 'force', 'a person pressing Ctrl-C again');
  const b = new StopRequests();
  assert.equal(b.next({ launcherGone: 42 }, 0), 'stop');
  assert.equal(b.next(sigint, 10), 'echo');
});
