import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { nodeTooOld, satisfiesMinimum } from '../src/node-version.js';
import { REPO, runCli } from './run-cli.js';

test('a >=X.Y range: equal and newer versions pass, older ones do not', () => {
  assert.equal(satisfiesMinimum('20.15.0', '>=20.15'), true);
  assert.equal(satisfiesMinimum('v20.15.1', '>=20.15'), true);
  assert.equal(satisfiesMinimum('22.0.0', '>=20.15'), true);
  assert.equal(satisfiesMinimum('20.14.9', '>=20.15'), false);
  assert.equal(satisfiesMinimum('18.20.0', '>=20.15'), false);
  assert.equal(satisfiesMinimum('20.15.0', '>=20.15.1'), false);
  assert.throws(() => satisfiesMinimum('20.15.0', '^20.15'), /must be a >=X\.Y range/);
  assert.equal(nodeTooOld('20.20.2', '>=20.15'), undefined);
  assert.equal(nodeTooOld('20.11.1', '>=20.15'), 'chat-gateway needs Node.js 20.15 or newer (engines.node ">=20.15" in package.json); this is Node.js 20.11.1: install a newer one, e.g. the current 20 or 22 LTS');
});

test('every package.json says the same engines.node, and this Node.js satisfies it', async () => {
  const files = ['package.json', ...(await readdir(`${REPO}packages`)).map((p) => `packages/${p}/package.json`)];
  const ranges = await Promise.all(files.map(async (f) => (JSON.parse(await readFile(`${REPO}${f}`, 'utf8')) as { engines?: { node?: string } }).engines?.node));
  assert.deepEqual(new Set(ranges), new Set(['>=20.15']), JSON.stringify(Object.fromEntries(files.map((f, i) => [f, ranges[i]]))));
  assert.equal(nodeTooOld(), undefined);
});

test('the CLI refuses an older Node.js with one line naming both versions, and exit 1', async () => {
  // A preload that makes this Node.js say it is 20.11.0, as an old one would.
  const fake = `data:text/javascript,${encodeURIComponent('Object.defineProperty(process.versions, "node", { value: "20.11.0" });')}`;
  const r = await runCli(['check-config', 'config/gateway.yaml'], {}, 20_000, ['--import', fake]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'chat-gateway needs Node.js 20.15 or newer (engines.node ">=20.15" in package.json); this is Node.js 20.11.0: install a newer one, e.g. the current 20 or 22 LTS\n');
});
