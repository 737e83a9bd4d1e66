import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startTestGateway, WsClient } from '@chat-gateway/testkit';
import { GREETING } from './helpers.js';

// WS_2017 over WebSocket: one line per message, in and out; the keywords and replies are the same bytes as on TCP
// but for the CRLF, which a message does not need.
test('WS_2017 lines over WebSocket talk to a WS_2017 client on TCP', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'ws2017', options: { pingIntervalMs: 0 } }, { dialect: 'ws2017', name: 'web', transport: 'websocket', options: { pingIntervalMs: 0 } }] });
  t.after(() => tg.stop());
  const tcp = await connect(tg.port('ws2017'));
  t.after(() => tcp.destroy());
  await tcp.expectLine(GREETING);
  tcp.write('uname bob\r\n');
  await tcp.expectLine('+OK you are bob');
  const web = await WsClient.open(`ws://127.0.0.1:${tg.port('web')}/ws`);
  t.after(() => web.destroy());
  await web.expectText(GREETING);
  web.send('uname alice');
  await web.expectText('+OK you are alice');
  await tcp.expectLine('nuser alice');
  web.send('chatm alice bob hello over a websocket');
  await tcp.expectLine("chatm alice bob 'hello over a websocket'");
  await web.expectText("+OK 'message relayed'");
  tcp.write('chatr alice bob\r\n');
  await web.expectText('chatr alice bob');
  web.send(`uname ${'x'.repeat(9000)}`);
  assert.match(await web.nextText(), /^-ERR line too long/);
  assert.equal((await web.expectClosed()).code, 1009);
});
