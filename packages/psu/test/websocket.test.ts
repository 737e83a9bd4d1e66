import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startTestGateway, WsClient } from '@chat-gateway/testkit';
import { DEFAULT_GREETING } from '@chat-gateway/psu';

// PSU over WebSocket: one line per message, CRLF added inbound when missing and dropped outbound;
// a reply of several lines (NAMES) is several messages. PSU users on TCP and on WebSocket share rooms.
test('PSU lines over WebSocket, in one room with a PSU client on TCP', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'psu' }, { dialect: 'psu', name: 'psu-ws', transport: 'websocket', path: '/psu' }] });
  t.after(() => tg.stop());
  const web = await WsClient.open(`ws://127.0.0.1:${tg.port('psu-ws')}/psu`);
  t.after(() => web.destroy());
  await web.expectText(DEFAULT_GREETING);
  web.send(':NICK ann');
  await web.expectText(/^ann: welcome!/);
  web.send(':JOIN #general\r\n');
  await web.expectText(/^#general: /);
  const tcp = await connect(tg.port('psu'));
  t.after(() => tcp.destroy());
  await tcp.expectLine(DEFAULT_GREETING);
  tcp.write(':NICK bob\r\n:JOIN #general\r\n');
  await tcp.expectLine(/^bob: welcome!/);
  await tcp.expectLine(/^#general: /);
  await web.expectText('bob has joined #general');
  web.send(':NAMES #general');
  await web.expectText('#general: ann');
  await web.expectText('#general: bob');
  await web.expectText(/^#general: end of NAMES/);
  web.send(':PRIVMSG #general :hello from a browser');
  await tcp.expectLine('#general <ann> hello from a browser');
  tcp.write(':PRIVMSG ann :and back\r\n');
  await web.expectText('<bob> and back');
});

test('PSU over WebSocket: an oversize line gets its reply, then the close', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'psu', transport: 'websocket' }], limits: { lineMax: 128 } });
  t.after(() => tg.stop());
  const web = await WsClient.open(`ws://127.0.0.1:${tg.port('psu')}/ws`);
  t.after(() => web.destroy());
  await web.expectText(DEFAULT_GREETING);
  web.send(`:NICK ${'a'.repeat(500)}`);
  assert.match(await web.nextText(), /^Line too long/);
  assert.equal((await web.expectClosed()).code, 1009);
});
