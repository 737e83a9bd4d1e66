import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING } from '@chat-gateway/testkit';
import { asUsage, parseTarget, targetArg, testingFor, UsageError } from '../src/bench-cli.js';

// `probe` and `client` share their command line: where to connect, which dialect, and mistakes said in one line.

test('a target is host:port, [v6]:port or a bare port on 127.0.0.1; anything else is a usage error', () => {
  assert.deepEqual(parseTarget('example.org:3000'), { host: 'example.org', port: 3000 });
  assert.deepEqual(parseTarget('[::1]:6667'), { host: '::1', port: 6667 });
  assert.deepEqual(parseTarget('9000'), { host: '127.0.0.1', port: 9000 });
  for (const bad of ['localhost', 'host:0', 'host:65536', 'host:12ab', ':', '']) assert.equal(parseTarget(bad), undefined, bad);
  assert.throws(() => targetArg('localhost'), (err: unknown) => err instanceof UsageError && err.message === 'expected host:port, got "localhost"');
});

test('an unknown dialect names the installed ones', async () => {
  const installed = DIALECT_TESTING.map((t) => t.dialect).join(', ');
  await assert.rejects(testingFor('xmpp', 'probe'), (err: unknown) => err instanceof UsageError && err.message === `unknown dialect "xmpp"; installed: ${installed}`);
  for (const t of DIALECT_TESTING) assert.equal(await testingFor(t.dialect, 'attach'), t);
});

test('a usage error is one line on stderr and exit code 1; other errors go on', async (t) => {
  const written: string[] = [];
  const write = process.stderr.write;
  const code = process.exitCode;
  t.after(() => {
    process.stderr.write = write;
    process.exitCode = code;
  });
  process.stderr.write = ((s: string) => (written.push(s), true)) as typeof process.stderr.write;
  await asUsage(async () => {
    throw new UsageError('expected host:port, got "x"');
  });
  assert.deepEqual([written, process.exitCode], [['chat-gateway: expected host:port, got "x"\n'], 1]);
  process.exitCode = code;
  await assert.rejects(asUsage(async () => Promise.reject(new Error('boom'))), /boom/);
});
