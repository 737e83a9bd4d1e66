import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, WsClient, type TestGateway } from '@chat-gateway/testkit';
import type { GatewayStatus } from '../src/runtime-types.js';
import { echoDialect } from './fixtures/echo-dialect.js';

// DESIGN.md "Security": the admin token; private rooms in /status; the live trace of one connection.
const TOKEN = 'teacher-token-1234';

async function gateway(t: { after(fn: () => unknown): void }, token?: string): Promise<{ tg: TestGateway; url: (p: string) => string }> {
  const tg = await startTestGateway({ dialects: [echoDialect], listeners: [{ dialect: 'echo' }], admin: token === undefined ? true : { token } });
  t.after(() => tg.stop());
  return { tg, url: (p) => `http://127.0.0.1:${tg.adminPort}${p}` };
}

async function get(url: string, token?: string): Promise<{ status: number; body: string; auth: string | null }> {
  const res = await fetch(url, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text(), auth: res.headers.get('www-authenticate') };
}

const bearer = (token: string) => `bearer.${Buffer.from(token).toString('base64url')}`;

test('with admin.token, every route but /healthz and the data-free status page needs the bearer token', async (t) => {
  const { url } = await gateway(t, TOKEN);
  assert.equal((await get(url('/healthz'))).status, 200);
  assert.equal((await get(url('/status.html'))).status, 200, 'the page itself holds no data: it asks for the token');
  for (const path of ['/status', '/metrics', '/trace']) {
    const denied = await get(url(path));
    assert.equal(denied.status, 401, path);
    assert.match(denied.auth ?? '', /^Bearer /);
    assert.equal((await get(url(path), 'wrong-token-0000')).status, 401, `${path} with a wrong token`);
  }
  assert.equal((await get(url('/status'), TOKEN)).status, 200);
  assert.equal((await get(url('/metrics'), TOKEN)).status, 200);
});

test('/status names private rooms only to a caller with the token, and lists users, clients, messages and errors', async (t) => {
  for (const token of [undefined, TOKEN]) {
    const { tg, url } = await gateway(t, token);
    const c = tg.pair('echo');
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    c.write('REG alice\nTHROW\n');
    await c.expectLine('OK alice');
    await c.expectLine('ERR INTERNAL');
    // A private room, made by a user straight on the Hub (the echo dialect has no rooms).
    const bob = { id: 'hub-bob', dialect: 'test', receipts: false, presence: false, address: '192.0.2.1', deliver() {} };
    assert.ok((await tg.hub.register(bob, 'bob')).ok);
    assert.ok((await tg.hub.join(bob, 'secret')).ok);
    assert.ok((await tg.hub.setVisibility(bob, 'secret', 'private')).ok);
    const s = JSON.parse((await get(url('/status'), token)).body) as GatewayStatus;
    const named = s.rooms.map((r) => r.name).sort();
    if (token === undefined) {
      assert.deepEqual(named, ['general'], 'no token configured: a private room is counted, never named');
      assert.equal(s.privateRooms, 1);
    } else {
      assert.deepEqual(named, ['general', 'secret']);
      assert.equal(s.privateRooms, 0);
    }
    assert.deepEqual(s.users, [{ nick: 'alice', dialect: 'echo', node: 'test' }, { nick: 'bob', dialect: 'test', node: 'test' }]);
    assert.deepEqual(s.clients.map((x) => [x.nick, x.listener, x.dialect, x.transport]), [['alice', 'echo', 'echo', 'memory']]);
    assert.deepEqual(s.errors.byCode, { INTERNAL: 1 });
    assert.deepEqual(s.errors.recent.map((e) => [e.dialect, e.code]), [['echo', 'INTERNAL']]);
    assert.deepEqual(s.messages, { direct: 0, room: 0 });
  }
});

test('/trace streams one connection: inbound bytes as read, outbound as written, controls escaped; the token rides as a subprotocol', async (t) => {
  const { tg, url } = await gateway(t, TOKEN);
  const c = tg.pair('echo');
  t.after(() => c.destroy());
  await c.expectLine('HELLO echo');
  const id = tg.gw.trace.connections()[0]!.id;
  const wsUrl = url(`/trace?conn=${encodeURIComponent(id)}`).replace('http:', 'ws:');
  await assert.rejects(WsClient.open(wsUrl, { protocols: ['chat-gateway.trace'] }), (e: { status?: number }) => e.status === 401);
  await assert.rejects(WsClient.open(url('/trace?conn=nope').replace('http:', 'ws:'), { protocols: ['chat-gateway.trace', bearer(TOKEN)] }), (e: { status?: number }) => e.status === 404);
  // Another site's page in the teacher's browser: a WebSocket is not held back by CORS, so the origin is checked.
  await assert.rejects(WsClient.open(wsUrl, { protocols: ['chat-gateway.trace', bearer(TOKEN)], origin: 'http://elsewhere.example' }), (e: { status?: number }) => e.status === 403);
  const watch = await WsClient.open(wsUrl, { protocols: ['chat-gateway.trace', bearer(TOKEN)] });
  t.after(() => watch.destroy());
  assert.equal(watch.ws.protocol, 'chat-gateway.trace', 'the server answers the trace protocol, never the token');
  assert.equal((await watch.nextJson()).type, 'hello');
  c.write('REG bob\n');
  await c.expectLine('OK bob');
  const inbound = await watch.nextJson();
  assert.deepEqual([inbound.type, inbound.dir, inbound.text, inbound.bytes], ['frame', 'in', 'REG bob\\n', 8]);
  const outbound = await watch.nextJson();
  assert.deepEqual([outbound.dir, outbound.text, outbound.nick], ['out', 'OK bob\\n', 'bob']);
  c.write('FAST a\x04b\r\n');
  await c.expectLine('DONE a\x04b');
  assert.equal((await watch.nextJson()).text, 'FAST a\\x04b\\r\\n', 'controls escaped as core escapeControls does');
  assert.equal((await watch.nextJson()).text, 'DONE a\\x04b\\r\\n');
  c.destroy();
  assert.equal((await watch.nextJson()).type, 'end');
  assert.equal((await watch.expectClosed()).code, 1000);
});

test('a trace subscription costs the connection nothing once it is gone, and ends with the connection', async (t) => {
  const { tg } = await gateway(t);
  const c = tg.pair('echo');
  t.after(() => c.destroy());
  await c.expectLine('HELLO echo');
  const id = tg.gw.trace.connections()[0]!.id;
  const seen: string[] = [];
  let ended = false;
  const stop = tg.gw.trace.subscribe(id, { record: (r) => seen.push(`${r.dir} ${Buffer.from(r.bytes).toString()}`), end: () => (ended = true) });
  assert.ok(stop);
  c.write('FAST 1\n');
  await c.expectLine('DONE 1');
  stop();
  c.write('FAST 2\n');
  await c.expectLine('DONE 2');
  assert.deepEqual(seen, ['in FAST 1\n', 'out DONE 1\n']);
  assert.equal(tg.gw.trace.subscribe('no-such-connection', { record() {}, end() {} }), undefined);
  tg.gw.trace.subscribe(id, { record() {}, end: () => (ended = true) });
  c.destroy();
  await c.expectClosed();
  await new Promise<void>((resolve) => {
    const check = () => (ended ? resolve() : setImmediate(check));
    check();
  });
});
