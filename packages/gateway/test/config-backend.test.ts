import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig, type ConfigIssue, type ConfigOverrides } from '../src/config/load.js';
import { discoverDialects } from '../src/registry.js';
import { REPO, runCli } from './run-cli.js';

// `backend` (issue #11): memory by default, redis with a URL and a key prefix; the URL checked,
// CHAT_GATEWAY_REDIS_URL overriding it, and nothing given that would go unused.

const listeners = [{ dialect: 'ws2017', port: 1030 }];
const dialects = await discoverDialects();
const parse = (backend: unknown, o: ConfigOverrides = {}) => parseConfig({ ...(backend === undefined ? {} : { backend }), listeners }, o, { dialects });

function issues(backend: unknown, o: ConfigOverrides = {}): ConfigIssue[] {
  try {
    parse(backend, o);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return [...err.errors];
  }
  assert.fail('the config was accepted');
}

test('no backend is memory; redis gets the default URL and key prefix', () => {
  assert.deepEqual(parse(undefined).backend, { type: 'memory' });
  assert.deepEqual(parse({ type: 'redis' }).backend, { type: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 'chat-gateway:' });
  assert.deepEqual(parse({ type: 'redis', url: 'rediss://:pw@cache:6380/2', keyPrefix: 'class-a:' }).backend, { type: 'redis', url: 'rediss://:pw@cache:6380/2', keyPrefix: 'class-a:' });
});

test('a URL that is no Redis URL is an error naming the key and the form, password hidden', () => {
  assert.deepEqual(issues({ type: 'redis', url: 'http://:hunter2@cache:6379' }), [
    { path: 'backend.url', message: 'must be a Redis URL like redis://127.0.0.1:6379 (rediss:// for TLS, redis://:password@host:port/db); "http://:***@cache:6379" has scheme http; use redis:// (or rediss:// for TLS)' },
  ]);
  assert.deepEqual(issues({ type: 'redis', url: 'cache:6379/x' }).map((i) => i.path), ['backend.url']);
});

test('Redis keys under type memory would go unused: an error each, with the fix', () => {
  assert.deepEqual(issues({ url: 'redis://cache:6379', keyPrefix: 'x:' }), [
    { path: 'backend.url', message: 'is only used with `backend.type: redis`; set `type: redis` to share state through Redis, or remove `url`' },
    { path: 'backend.keyPrefix', message: 'is only used with `backend.type: redis`; set `type: redis` to share state through Redis, or remove `keyPrefix`' },
  ]);
});

test('the schema checks the type, the prefix and unknown keys', () => {
  assert.deepEqual(issues({ type: 'mongo' }), [{ path: 'backend.type', message: 'must be one of "memory", "redis", got "mongo"' }]);
  assert.deepEqual(issues({ type: 'redis', keyPrefix: 'a b' }), [{ path: 'backend.keyPrefix', message: 'must be 1-64 printable ASCII characters without spaces, e.g. chat-gateway:, got "a b"' }]);
  assert.deepEqual(issues({ type: 'redis', host: 'cache' }), [{ path: 'backend.host', message: 'unknown key `host`; allowed: type, url, keyPrefix' }]);
});

test('CHAT_GATEWAY_REDIS_URL overrides the file; a bad one, or one for a memory back end, is an error naming it', () => {
  const env = (url: string) => ({ env: { CHAT_GATEWAY_REDIS_URL: url } });
  assert.deepEqual(parse({ type: 'redis', url: 'redis://file:6379' }, env(' redis://env:6379 ')).backend, { type: 'redis', url: 'redis://env:6379', keyPrefix: 'chat-gateway:' });
  assert.deepEqual(parse({ type: 'redis' }, env('')).backend, parse({ type: 'redis' }).backend, 'empty counts as unset');
  assert.deepEqual(issues({ type: 'redis' }, env('localhost')), [
    { path: 'CHAT_GATEWAY_REDIS_URL', message: 'must be a Redis URL like redis://127.0.0.1:6379 (rediss:// for TLS, redis://:password@host:port/db); "localhost" is not a URL' },
  ]);
  assert.deepEqual(issues(undefined, env('redis://env:6379')), [
    { path: 'CHAT_GATEWAY_REDIS_URL', message: 'is set, but backend.type is memory; set `backend: { type: redis }` in the config file, or unset the variable' },
  ]);
});

test("config/README.md's backend table shows the loader's defaults", async () => {
  const text = await readFile(join(REPO, 'config/README.md'), 'utf8');
  const rows = [...text.matchAll(/^\| `backend\.(\w+)` \| `([^`]*)` \|/gm)].map(([, key, shown]) => [key, shown]);
  const memory = parse(undefined).backend;
  const redis = parse({ type: 'redis' }).backend as Record<string, string>;
  assert.deepEqual(rows, [['type', memory.type], ['url', redis.url], ['keyPrefix', redis.keyPrefix]]);
});

test('check-config names a Redis back end (password hidden) and refuses a bad URL; --help names the variable', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cgw-backend-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'redis.yaml');
  await writeFile(file, 'backend:\n  type: redis\n  url: redis://:secret@cache:6379/1\nadmin: { enabled: false }\nlisteners:\n  - { dialect: sup, port: 4000 }\n');
  const ok = await runCli(['check-config', file]);
  assert.equal(ok.stderr, '');
  assert.equal(ok.stdout, 'ok: 1 listener: sup (sup) 0.0.0.0:4000; admin off; backend redis redis://:***@cache:6379/1 prefix chat-gateway:\n');
  const bad = await runCli(['check-config', file], { CHAT_GATEWAY_REDIS_URL: 'redis://cache:6379/db' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^CHAT_GATEWAY_REDIS_URL: must be a Redis URL like redis:\/\/127\.0\.0\.1:6379 .*has path \/db;/m);
  const help = await runCli(['--help']);
  assert.match(help.stdout, /CHAT_GATEWAY_REDIS_URL/);
});
