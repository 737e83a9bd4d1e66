import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli, runNode } from './run-cli.js';

// The CLI as a whole: help, flags, the bin launcher (check-config.test.ts has check-config).

test('--help lists serve and check-config, the flags and examples', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^ {2}chat-gateway serve\s+Start every listener/m);
  assert.match(r.stdout, /^ {2}chat-gateway check-config <file>\s+Validate a config file/m);
  for (const flag of ['--config', '--log-level', '--trace', '--admin-port', '--port']) assert.match(r.stdout, new RegExp(`^\\s+${flag}\\s`, 'm'), flag);
  assert.match(r.stdout, /^Examples:$/m);
  assert.match(r.stdout, /CHAT_GATEWAY_PORT_<LISTENER>/);
});

test('an unknown flag is refused', async () => {
  const r = await runCli(['check-config', 'config/gateway.yaml', '--prot', '1']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Unknown arguments?: prot/);
});

test('the bin launcher runs the same CLI', async () => {
  const bin = fileURLToPath(new URL('../bin/chat-gateway.js', import.meta.url));
  const r = await runNode([bin, 'check-config', '--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^chat-gateway check-config <file>$/m);
});
