import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from '@chat-gateway/core/testing';
import { configFile, parentOf, spawnServed } from './served.js';
import { REPO, cleanEnv } from './run-cli.js';

// DESIGN.md "Operating": `npm start` and the image run compiled JavaScript, one node process, no
// TypeScript compiler at run time. `npm run build` (npm ci's `prepare`, npm test's `pretest`) made
// dist/; this runs it as `npm start` does, with no tsx and no `source` condition, so a single
// TypeScript file reached at run time would fail the start.
const COMPILED_CLI = 'packages/gateway/dist/cli.js';

/** The pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return parentOf(Number(d)) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

test('the compiled CLI serves a dialect in one node process, with no tsx and no TypeScript', async (t) => {
  assert.ok(existsSync(`${REPO}${COMPILED_CLI}`), `${COMPILED_CLI} is missing: run npm run build`);
  const file = await configFile(t, ['log: { pretty: false }', 'admin: { enabled: false }', 'listeners:', '  - { dialect: psu, host: 127.0.0.1, port: 0 }']);
  const env = cleanEnv();
  delete env.NODE_OPTIONS; // nothing of the test runner's loaders may reach it
  const served = spawnServed(t, process.execPath, [COMPILED_CLI, 'serve', '--config', file], { env });
  const ready = await served.waitFor('chat-gateway ready');
  const pid = served.child.pid!;
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  assert.deepEqual(argv.slice(1), [COMPILED_CLI, 'serve', '--config', file], 'node runs the compiled file itself, no loader flags');
  assert.deepEqual(childrenOf(pid), [], 'one process: no wrapper, no compiler service');

  const port = (ready.listeners as { dialect: string; port: number }[]).find((l) => l.dialect === 'psu')!.port;
  const [alice, bob] = await Promise.all([connect(port), connect(port)]);
  t.after(() => {
    alice.destroy();
    bob.destroy();
  });
  alice.write('NICK alice\r\n');
  bob.write('NICK bob\r\n');
  await Promise.all([alice.waitForLine(/alice/), bob.waitForLine(/bob/)]);
  alice.write('PRIVMSG bob :compiled\r\n');
  await bob.waitForLine('<alice> compiled');
  served.child.kill('SIGTERM');
  assert.deepEqual(await served.exitWithin(10_000), { code: 0, signal: null });
});
