import { test } from 'node:test';
import { startTestGateway, WsClient } from '@chat-gateway/testkit';
import { loggedIn, STATUS } from './sup-client.js';

// Sup over WebSocket: one Sup message per WebSocket message, the EOT implied inbound and dropped outbound.
test('Sup messages over WebSocket reach a Sup client on TCP, and its replies come back one per message', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }, { dialect: 'sup', name: 'web', transport: 'websocket' }] });
  t.after(() => tg.stop());
  const bob = await loggedIn(t, tg.port('sup'), 'bob');
  const web = await WsClient.open(`ws://127.0.0.1:${tg.port('web')}/ws`);
  t.after(() => web.destroy());
  web.send('login alice');
  await web.expectText(STATUS.ok);
  web.send('send bob hi from the browser\x04');
  await bob.expect('recv alice hi from the browser');
  await web.expectText(STATUS.ok);
  bob.send('send alice hi back');
  await bob.expect(STATUS.ok);
  await web.expectText('recv bob hi back');
  web.send('get contacts');
  await web.expectText(STATUS.ok);
  await web.expectText('contacts bob');
});
