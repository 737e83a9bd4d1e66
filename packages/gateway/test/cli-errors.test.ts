import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingHint } from '../src/cli.js';
import { runCli } from './run-cli.js';

// The CLI's errors that name the fix (issue #17), apart from cli.test.ts so that neither file's
// spawned CLIs add up past the per-file test timeout on a busy machine.

test('a missing file is named, with the way to name another in the words of the command', async () => {
  const r = await runCli(['check-config', '/nonexistent/gateway.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^\(file\): cannot read \/nonexistent\/gateway\.yaml: no such file; name the file to check: chat-gateway check-config FILE$/m);
  // serve's hints, the same way (its missing-file path is loadConfig's, as check-config's above).
  assert.equal(missingHint('serve', 'my.yaml'), 'pass the config file with --config FILE');
  assert.equal(missingHint('serve', 'config/gateway.yaml'), `serve reads config/gateway.yaml from the working directory (${process.cwd()}) unless --config FILE names another`);
});

test('check-config names a host that cannot be bound here, and serve says the same before binding anything', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cgw-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.yaml');
  await writeFile(bad, 'admin: { enabled: false }\nlisteners:\n  - { dialect: psu, port: 4000, host: 999.1.1.1 }\n');
  const line = /^listeners\[0\]\.host: "999\.1\.1\.1" is not an IPv4 address .* does not resolve .*; use one of this machine's addresses \(.*\), 0\.0\.0\.0 for all of them, or a name that resolves to one$/m;
  const check = await runCli(['check-config', bad]);
  assert.equal(check.code, 1);
  assert.match(check.stderr, line);
  const serve = await runCli(['serve', '--config', bad]);
  assert.equal(serve.code, 1);
  assert.equal(serve.stderr, check.stderr, 'the same words from serve');
  assert.equal(serve.stdout, '', 'nothing started, nothing logged');
});
