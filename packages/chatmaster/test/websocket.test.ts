import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { connect, startTestGateway, WsClient, type TestGateway } from '@chat-gateway/testkit';
import { command, message } from './helpers.js';

// ChatMaster over WebSocket (DESIGN.md "Transports and the browser"): one package per message, JSON in
// text messages without the `\n`, a compressed package in a binary one; the limits answered in packages.
async function web(t: { after(fn: () => unknown): void }, limits: Record<string, number> = {}): Promise<{ tg: TestGateway; open(): Promise<WsClient> }> {
  const tg = await startTestGateway({ listeners: [{ dialect: 'chatmaster', name: 'web', transport: 'websocket' }, { dialect: 'chatmaster' }], limits });
  t.after(() => tg.stop());
  return {
    tg,
    async open() {
      const c = await WsClient.open(`ws://127.0.0.1:${tg.port('web')}/ws`);
      t.after(() => c.destroy());
      assert.equal(await c.expectText('{"type":"request","data":{"request":"login"}}'), '{"type":"request","data":{"request":"login"}}');
      return c;
    },
  };
}

async function login(c: WsClient, name: string): Promise<void> {
  c.send(JSON.stringify(command('login', { username: name })));
  const s = await c.nextJson();
  assert.deepEqual([s.type, s.data.status], ['session', true]);
  assert.equal((await c.nextJson()).data.event_type, 'user_joined');
}

test('one package per text message both ways, no `\\n`; rooms and DMs with a TCP client; users lists every dialect', async (t) => {
  const { tg, open } = await web(t);
  const ann = await open();
  await login(ann, 'ann');
  const bob = await connect(tg.port('chatmaster'));
  t.after(() => bob.destroy());
  await bob.nextJson();
  bob.write(`${JSON.stringify(command('login', { username: 'bob' }))}\n`);
  await bob.nextJson();
  await bob.nextJson();
  assert.equal((await ann.nextJson()).data.username, 'bob', 'bob joined general');
  ann.send(JSON.stringify(message('hi room')));
  assert.deepEqual(await bob.nextJson(), { type: 'message', data: { message: 'hi room', username: 'ann', channel: 'general' } });
  bob.write(`${JSON.stringify(message('hi ann', 'ann'))}\n`);
  const dm = await ann.next();
  assert.equal(dm.binary, false);
  assert.equal(dm.data.toString(), '{"type":"message","data":{"message":"hi ann","username":"bob","direct":true}}');
  ann.send(JSON.stringify(command('users')));
  const list = await ann.nextJson();
  assert.equal(list.data.event_type, 'user_list');
  assert.deepEqual(list.data.users, [{ username: 'ann', dialect: 'chatmaster' }, { username: 'bob', dialect: 'chatmaster' }]);
  assert.deepEqual(list.data.parameters.users, list.data.users, 'both forms, like every notification');
});

test('a compressed package in a binary message gets a compressed reply in a binary message', async (t) => {
  const { open } = await web(t);
  const c = await open();
  c.send(zlib.deflateSync(JSON.stringify(command('login', { username: 'zed' }))));
  const reply = await c.next();
  assert.equal(reply.binary, true);
  assert.equal(JSON.parse(zlib.inflateSync(reply.data).toString()).data.status, true);
});

test('garbage costs an error package and the connection goes on; an oversize message gets its error, then the 1009 close', async (t) => {
  const { open } = await web(t, { packageMax: 1024 });
  const c = await open();
  c.send('hello?');
  const bad = await c.nextJson();
  assert.deepEqual([bad.type, bad.data.error_type], ['error', 'parse']);
  assert.match(bad.data.message, /^Package could not be read/);
  await login(c, 'ann');
  c.send(JSON.stringify(message('x'.repeat(5000))));
  const big = await c.nextJson();
  assert.deepEqual([big.type, big.data.error_type], ['error', 'parse']);
  assert.match(big.data.message, /^Package too large/);
  assert.equal((await c.expectClosed()).code, 1009);
});

test('the chat page is served at / of a ChatMaster WebSocket listener, told its WebSocket path', async (t) => {
  const { tg } = await web(t);
  const res = await fetch(`http://127.0.0.1:${tg.port('web')}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const html = await res.text();
  assert.match(html, /<meta name="chat-gateway-ws" content="\/ws">/);
  assert.match(html, /<script>/, 'one file: the bundle is inline');
});
