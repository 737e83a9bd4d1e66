import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverDialects } from '../src/registry.js';
import { REPO, runCli, runNode } from './run-cli.js';

async function tmpFiles(t: { after(fn: () => Promise<void>): void }, files: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'cgw-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, `${name}.yaml`);
    await writeFile(paths[name], text);
  }
  return paths;
}

const BAD = `
admin:
  port: 8080
listeners:
  - dialect: nope
    port: 70000
    prot: tcp
`;

test('check-config on a bad file exits 1 and prints each problem on its own line, naming its path', async (t) => {
  const { bad } = await tmpFiles(t, { bad: BAD });
  const r = await runCli(['check-config', bad!]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines[0], `invalid config ${bad} (3 problems):`);
  assert.deepEqual(lines.slice(1).sort(), [
    `listeners[0].dialect: unknown dialect "nope"; must be one of the installed dialects: ${[...(await discoverDialects()).keys()].join(', ')}`,
    'listeners[0].port: must be an integer between 0 and 65535, got 70000',
    'listeners[0].prot: unknown key `prot`; did you mean `port`? allowed: name, dialect, host, port, transport, path, cert, key, page, options',
  ]);
});

test('check-config on a missing file exits 1 and says so', async () => {
  const r = await runCli(['check-config', '/nonexistent/gateway.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^\(file\): cannot read \/nonexistent\/gateway\.yaml: no such file/m);
});

test('check-config on a good file exits 0 and summarises the listeners', async (t) => {
  const { good } = await tmpFiles(t, {
    good: `listeners:\n  - dialect: ws2017\n    host: 127.0.0.1\n    port: 4000\n  - dialect: ws2017\n    port: 4001\n    options: { lineEnding: cr }\n  - dialect: psu\n    port: 4002\nadmin:\n  enabled: false\n`,
  });
  const r = await runCli(['check-config', good!]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'ok: 3 listeners: ws2017-4000 (ws2017) 127.0.0.1:4000, ws2017-4001 (ws2017) 0.0.0.0:4001, psu (psu) 0.0.0.0:4002; admin off\n');
});

test('check-config checks dialect options against the real dialect', async (t) => {
  const { bad } = await tmpFiles(t, { bad: 'listeners:\n  - dialect: ws2017\n    port: 4000\n    options: { lineEnding: crcr }\n' });
  const r = await runCli(['check-config', bad!]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^listeners\[0\]\.options\.lineEnding: must be one of "crlf", "cr", "lf", got "crcr"$/m);
});

test('check-config on the shipped config/gateway.yaml prints what config/README.md shows', async () => {
  const readme = await readFile(join(REPO, 'config/README.md'), 'utf8');
  const shown = /^ok: .*$/m.exec(readme)?.[0];
  assert.ok(shown, 'config/README.md shows the check-config output');
  assert.match(shown, /^ok: \d+ listeners: ws2017 \(ws2017\) 0\.0\.0\.0:1030, psu .*, sup .*, chatmaster .*, web \(chatmaster over websocket \/ws\) 0\.0\.0\.0:8081; admin 127\.0\.0\.1:8080$/);
  const r = await runCli(['check-config', 'config/gateway.yaml']);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${shown}\n`);
});

test('check-config applies env and flag overrides, flags last, and reports a bad one', async (t) => {
  const { good } = await tmpFiles(t, { good: 'listeners:\n  - dialect: psu\n    port: 4000\n' });
  const env = { CHAT_GATEWAY_PORT_PSU: '4100', CHAT_GATEWAY_ADMIN_PORT: '9100' };
  const r = await runCli(['check-config', good!, '--admin-port', '9200'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ok: 1 listener: psu (psu) 0.0.0.0:4100; admin 127.0.0.1:9200\n');
  const bad = await runCli(['check-config', good!, '--port', 'psu=99999']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^--port psu: must be an integer between 0 and 65535, got "99999"$/m);
});

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
