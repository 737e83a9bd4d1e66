import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '@chat-gateway/core';
import { CHAT_PAGE_DIALECT } from '@chat-gateway/web';
import { ConfigError, parseConfig } from '../src/config/load.js';
import { discoverDialects } from '../src/registry.js';
import { MessageMapper } from '../src/message-framing.js';
import { fakeDialect } from './fake-dialects.js';

const DIALECTS = new Map([...(await discoverDialects())]);
const OTHER = [...DIALECTS.keys()].find((d) => d !== CHAT_PAGE_DIALECT)!;
const parse = (listener: Record<string, unknown>) => parseConfig({ listeners: [{ port: 1, dialect: CHAT_PAGE_DIALECT, ...listener }] }, {}, { dialects: DIALECTS }).listeners[0]!;
const issue = (listener: Record<string, unknown>): string => {
  try {
    parse(listener);
  } catch (err) {
    if (err instanceof ConfigError) return err.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    throw err;
  }
  return 'no error';
};

describe('listener transports in the config (config/README.md "Transports")', () => {
  test('tcp is the default; websocket defaults to path /ws, and to the chat page on the page dialect only', () => {
    assert.equal(parse({}).transport, 'tcp');
    const web = parse({ transport: 'websocket' });
    assert.deepEqual([web.path, web.page], ['/ws', true]);
    const other = parse({ transport: 'websocket', dialect: OTHER, path: '/lines' });
    assert.deepEqual([other.path, other.page], ['/lines', false]);
  });

  test('each transport takes its own keys only, naming the key and the fix', () => {
    assert.match(issue({ transport: 'tls', cert: 'c.pem' }), /^listeners\[0\]\.key: transport tls needs both `cert` and `key`/);
    assert.match(issue({ transport: 'tls' }), /^listeners\[0\]\.cert: transport tls needs both/);
    assert.match(issue({ transport: 'websocket', key: 'k.pem' }), /^listeners\[0\]\.cert: wss:\/\/ needs both/);
    assert.match(issue({ cert: 'c.pem', key: 'k.pem' }), /listeners\[0\]\.cert: only a tls or websocket listener takes `cert`/);
    assert.match(issue({ path: '/ws' }), /^listeners\[0\]\.path: only a websocket listener takes `path`/);
    assert.match(issue({ transport: 'websocket', path: 'ws' }), /^listeners\[0\]\.path: must be a URL path starting with \//);
    assert.match(issue({ transport: 'websocket', dialect: OTHER, page: true }), new RegExp(`^listeners\\[0\\]\\.page: the chat page speaks ${CHAT_PAGE_DIALECT}`));
    assert.match(issue({ transport: 'udp' }), /^listeners\[0\]\.transport: must be one of "tcp", "tls", "websocket"/);
    assert.equal(issue({ transport: 'tls', cert: 'c.pem', key: 'k.pem' }), 'no error');
  });

  test('admin.token must be a real secret; the environment can set it and the admin address', () => {
    const cfg = (yaml: Record<string, unknown>, env: Record<string, string> = {}) => parseConfig({ listeners: [{ port: 1, dialect: OTHER }], ...yaml }, { env }, { dialects: DIALECTS });
    assert.throws(() => cfg({ admin: { token: 'short' } }), /admin\.token: must be at least 8 printable ASCII characters/);
    const c = cfg({}, { CHAT_GATEWAY_ADMIN_TOKEN: 'from-the-env-1', CHAT_GATEWAY_ADMIN_HOST: '0.0.0.0' });
    assert.deepEqual([c.admin.token, c.admin.host], ['from-the-env-1', '0.0.0.0']);
    assert.throws(() => cfg({}, { CHAT_GATEWAY_ADMIN_TOKEN: 'has space inside' }), /CHAT_GATEWAY_ADMIN_TOKEN: must be/);
  });
});

describe('MessageMapper: one frame per WebSocket message', () => {
  const lines = new MessageMapper({ ends: ['\r\n', '\r', '\n'], maxMessage: (l) => l.lineMax }, DEFAULT_LIMITS);
  const packages = new MessageMapper({ ends: ['\n'], wholeWrites: true, maxMessage: (l) => l.packageMax }, DEFAULT_LIMITS);

  test('inbound: the preferred terminator is added only when the message ends in none the framer accepts', () => {
    assert.equal(lines.inbound(Buffer.from('uname a')).toString(), 'uname a\r\n');
    for (const m of ['uname a\r\n', 'uname a\n', 'uname a\r']) assert.equal(lines.inbound(Buffer.from(m)).toString(), m);
    assert.equal(packages.inbound(Buffer.from('{}')).toString(), '{}\n');
  });

  test('outbound: one message per frame, terminators dropped (CRLF before CR); whole writes keep their inner bytes', () => {
    assert.deepEqual(lines.outbound('a\r\nb\r\n'), ['a', 'b']);
    assert.deepEqual(lines.outbound('a\rb\r'), ['a', 'b']);
    assert.deepEqual(lines.outbound(Buffer.from('x\n')).map((m) => Buffer.from(m).toString()), ['x']);
    const compressed = Buffer.from([0x78, 0x0a, 0x01, 0x0a]);
    assert.deepEqual(packages.outbound(compressed), [compressed.subarray(0, 3)]);
    assert.deepEqual(packages.outbound('{"a":1}\n'), ['{"a":1}']);
  });

  test('maxPayload is the frame limit plus room for the longest terminator; a dialect without framing passes bytes through', () => {
    assert.equal(lines.maxPayload, DEFAULT_LIMITS.lineMax + 2);
    const bare = new MessageMapper(fakeDialect('toy', 1).messages, DEFAULT_LIMITS);
    assert.equal(bare.inbound(Buffer.from('x')).toString(), 'x');
    assert.deepEqual(bare.outbound('x\r\n'), ['x\r\n']);
    assert.equal(bare.maxPayload, Math.max(DEFAULT_LIMITS.lineMax, DEFAULT_LIMITS.packageMax));
  });
});
