import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { connect } from '@chat-gateway/core/testing';
import { configFile, parentOf, spawnServed } from './served.js';
import { dirname as parentDir } from 'node:path';
import { REPO, cleanEnv, runNode } from './run-cli.js';

// DESIGN.md "Operating": `npm start` and the image run compiled JavaScript, one node process, no
// TypeScript compiler at run time. `npm run build` (npm ci's `prepare`, npm test's `pretest`) made
// dist/ and its bundle; this runs it as `npm start` does, with no tsx and no `source` condition, so a
// single TypeScript file reached at run time would fail the start.
const COMPILED_CLI = 'packages/gateway/dist/bundle/cli.js';

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

// Issue #16, memory at start: what a gateway of plain TCP listeners has no use for is never loaded.
// Written by a preload when the process exits: node's built-in modules and every CommonJS file
// required from node_modules (the bundle holds the gateway's own dependencies; ajv's compiler,
// required when a listener sets options, is not in it).
// ES modules are seen by a loader hook (it runs on its own thread: it appends each URL to a file).
const ESM_HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.LOADED_REPORT + '.esm', url + '\\n'); return next(url, context); }`;
const LOADED_REPORT = `import { createRequire, register } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(ESM_HOOKS)}`)});
const cache = createRequire(process.cwd() + '/').cache;
process.on('exit', () => writeFileSync(process.env.LOADED_REPORT, JSON.stringify({ builtins: process.moduleLoadList, files: Object.keys(cache), esm: readFileSync(process.env.LOADED_REPORT + '.esm', 'utf8').split('\\n') })));`;

/** Serves `listeners` (YAML lines) until a ChatMaster login is refused by its schema, stops, and says what was loaded. */
async function loadedBy(t: TestContext, listeners: string[]): Promise<{ builtins: string[]; files: string[]; esm: string[] }> {
  const file = await configFile(t, ['log: { pretty: false }', 'admin: { enabled: false }', 'listeners:', ...listeners]);
  const report = `${parentDir(file)}/loaded.json`;
  const env: NodeJS.ProcessEnv = { ...cleanEnv(), LOADED_REPORT: report };
  delete env.NODE_OPTIONS;
  const preload = `data:text/javascript,${encodeURIComponent(LOADED_REPORT)}`;
  const served = spawnServed(t, process.execPath, ['--import', preload, COMPILED_CLI, 'serve', '--config', file], { env });
  const ready = await served.waitFor('chat-gateway ready');
  // ChatMaster's package schemas are in use: its validators are the precompiled ones.
  const port = (ready.listeners as { dialect: string; port: number }[]).find((l) => l.dialect === 'chatmaster')!.port;
  const cm = await connect(port);
  t.after(() => cm.destroy());
  cm.write('{"type":"command","data":{"command":"login","parameters":{}}}\n');
  await cm.waitForLine(/"type":"error".*username/);
  served.child.kill('SIGTERM');
  assert.deepEqual(await served.exitWithin(10_000), { code: 0, signal: null });
  return JSON.parse(readFileSync(report, 'utf8')) as { builtins: string[]; files: string[]; esm: string[] };
}

const AJV = '/node_modules/ajv/';

test('serve with plain TCP listeners loads no schema compiler, terminal client, test runner, admin server or unused dialect', async (t) => {
  const plain = await loadedBy(t, ['  - { dialect: chatmaster, host: 127.0.0.1, port: 0 }', '  - { dialect: psu, host: 127.0.0.1, port: 0 }']);
  assert.ok(plain.builtins.includes('NativeModule net'), 'the report lists what was loaded');
  const packagesLoaded = new Set(plain.esm.map((u) => /\/packages\/([^/]+)\//.exec(u)?.[1]).filter(Boolean));
  for (const used of ['core', 'gateway', 'psu', 'chatmaster']) assert.ok(packagesLoaded.has(used), `${used} was not loaded: ${[...packagesLoaded].join(', ')}`);
  for (const unused of ['irc', 'sup', 'ws2017']) assert.ok(!packagesLoaded.has(unused), `${unused} was loaded though no listener uses it`);
  assert.ok(!plain.esm.some((u) => /\/dist\/bundle\/admin-/.test(u)), 'the admin server was loaded with admin off');
  // node:http and node:https (tls, crypto): prom-client's Pushgateway, left out of the bundle, and the web package's index; zlib: ChatMaster's, loaded by the first compressed package.
  for (const builtin of ['test', 'readline', 'http', 'https', 'tls', 'crypto', 'zlib']) assert.ok(!plain.builtins.includes(`NativeModule ${builtin}`), `node:${builtin} was loaded`);
  assert.deepEqual(plain.files.filter((f) => f.includes(AJV)), [], 'ajv was loaded');
  // A listener that sets options has them checked against its dialect's schema, compiled then.
  const withOptions = await loadedBy(t, ['  - { dialect: chatmaster, host: 127.0.0.1, port: 0 }', '  - { dialect: psu, host: 127.0.0.1, port: 0, options: { greeting: hello } }']);
  assert.ok(withOptions.files.some((f) => f.includes(AJV)), 'options were checked without ajv');
});

// `npm start` builds first (prestart): two nodes started at once build side by side while each may
// already be loading the bundle. Up to date, nothing is written; stale, every file is renamed into place.
test('the bundle build writes nothing when up to date, and builds racing each other never leave a half-written bundle', async () => {
  const bundle = `${REPO}${COMPILED_CLI}`;
  const before = statSync(bundle).mtimeMs;
  const build = () => runNode(['packages/gateway/build.mjs'], {}, 60_000);
  assert.equal((await build()).code, 0);
  assert.equal(statSync(bundle).mtimeMs, before, 'up to date: not rewritten');

  // An input newer than the bundle: the next builds make it again, three at once, while it is run.
  const input = `${REPO}packages/gateway/dist/version.js`;
  const now = new Date();
  utimesSync(input, now, now);
  const builds = Promise.all([build(), build(), build()]);
  const runs: Promise<{ code: number | null; stdout: string }>[] = [];
  for (let i = 0; i < 6; i++) runs.push(runNode([COMPILED_CLI, '--version']));
  for (const b of await builds) assert.equal(b.code, 0, b.stderr);
  for (const r of await Promise.all(runs)) assert.deepEqual([r.code, r.stdout.trim()], [0, JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')).version]);
  assert.ok(statSync(bundle).mtimeMs > before, 'stale: made again');
  assert.deepEqual(readdirSync(`${REPO}packages/gateway/dist/bundle`).filter((f) => f.endsWith('.tmp')), []);
});
