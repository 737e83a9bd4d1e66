import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionPort } from '@chat-gateway/core';
import { connect, startTestGateway, type TestGateway, type WireClient } from '@chat-gateway/testkit';
import { loggedIn, STATUS, type SupClient } from './sup-client.js';

type T = { after(fn: () => unknown): void };

async function gateway(t: T): Promise<TestGateway> {
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }, { dialect: 'ws2017' }, { dialect: 'psu' }] });
  t.after(() => tg.stop());
  return tg;
}

/** A WS_2017 client past its greeting, registered as `nick` (DESIGN.md WS_2017). */
async function wsUser(t: T, tg: TestGateway, nick: string): Promise<WireClient> {
  const c = await connect(tg.port('ws2017'));
  t.after(() => c.destroy());
  await c.expectLine(/^\+OK /);
  c.write(`uname ${nick}\r\n`);
  await c.waitForLine(`+OK you are ${nick}`);
  return c;
}

/** A PSU client registered as `nick`; `watcher` (a Sup client) confirms it is online, PSU's replies being free-form. */
async function psuUser(t: T, tg: TestGateway, nick: string, watcher: SupClient): Promise<WireClient> {
  const c = await connect(tg.port('psu'));
  t.after(() => c.destroy());
  c.write(`:NICK ${nick}\r\n`);
  const deadline = Date.now() + 2000;
  for (;;) {
    watcher.send(`contact ${nick}`);
    if ((await watcher.next()) === STATUS.online) return c;
    assert.ok(Date.now() < deadline, `${nick} not online on PSU after 2 s`);
  }
}

describe('Sup with WS_2017 and PSU', () => {
  test('Sup ↔ WS_2017 DMs both ways; the WS sender gets the synthesized chatr', async (t) => {
    const tg = await gateway(t);
    const ws = await wsUser(t, tg, 'alice');
    const bob = await loggedIn(t, tg.port('sup'), 'bob');
    await ws.waitForLine('nuser bob');
    ws.write("chatm alice bob 'hello bob'\r\n");
    await bob.expect('recv alice hello bob');
    await ws.expectLine("+OK 'message relayed'");
    await ws.expectLine('chatr alice bob');
    await bob.ask('send alice hi alice', STATUS.ok);
    await ws.expectLine("chatm bob alice 'hi alice'");
    await bob.sentinel();
  });

  test('a Sup text with line breaks reaches WS_2017 as one chatm per line', async (t) => {
    const tg = await gateway(t);
    const ws = await wsUser(t, tg, 'alice');
    const bob = await loggedIn(t, tg.port('sup'), 'bob');
    await ws.waitForLine('nuser bob');
    await bob.ask('send alice one\r\ntwo\nthree', STATUS.ok);
    await ws.expectLine("chatm bob alice 'one'");
    await ws.expectLine("chatm bob alice 'two'");
    await ws.expectLine("chatm bob alice 'three'");
    ws.write('ping\r\n');
    await ws.expectLine('+OK pong');
  });

  test('Sup users in WS_2017 nuser/cgetu/cquit; WS and PSU users in Sup contacts and contact', async (t) => {
    const tg = await gateway(t);
    const ws = await wsUser(t, tg, 'alice');
    const bob = await loggedIn(t, tg.port('sup'), 'bob');
    await ws.expectLine('nuser bob');
    await psuUser(t, tg, 'carol', bob);
    await ws.waitForLine('nuser carol');
    ws.write('cgetu\r\n');
    await ws.expectLine('+OK cgetu alice bob carol');
    await bob.ask('get contacts', STATUS.ok);
    await bob.expect('contacts alice carol');
    await bob.ask('contact alice', STATUS.online);
    await bob.ask('contact Carol', STATUS.online);
    await bob.ask('quit bob', STATUS.ok);
    await ws.expectLine('cquit bob');
  });

  test('Sup ↔ PSU DMs both ways, multi-line texts one PSU line each', async (t) => {
    const tg = await gateway(t);
    const bob = await loggedIn(t, tg.port('sup'), 'bob');
    const carol = await psuUser(t, tg, 'carol', bob);
    carol.write(':PRIVMSG bob hi bob\r\n');
    await bob.expect('recv carol hi bob');
    carol.write(':PRIVMSG bob ::colon kept\r\n');
    await bob.expect('recv carol :colon kept');
    await bob.ask('send carol hello\ncarol', STATUS.ok);
    await carol.waitForLine('<bob> hello');
    await carol.expectLine('<bob> carol');
    await bob.sentinel();
  });

  test('EOT, NUL and non-ASCII from WS_2017 and PSU arrive as exactly one safe recv', async (t) => {
    const tg = await gateway(t);
    const ws = await wsUser(t, tg, 'alice');
    const bob = await loggedIn(t, tg.port('sup'), 'bob');
    const carol = await psuUser(t, tg, 'carol', bob);
    // U+2028 is a line break that line framers do not split on; Sup turns it into LF.
    ws.write("chatm alice bob 'a\x04b\x00c caf\u00e9 \u2603\u2028next'\r\n");
    await bob.expect('recv alice abc cafe ?\nnext');
    carol.write(':PRIVMSG bob x\x04\x04y\x00z \u00fcber\u2029end\r\n');
    await bob.expect('recv carol xyz uber\nend');
    await bob.sentinel();
  });

  test('CR, LF, EOT and NUL in a text from any dialect (Hub-level sender): one recv, no injected frame', async (t) => {
    const tg = await gateway(t);
    const bob = await loggedIn(t, tg.port('sup'), 'bob');
    const zed: SessionPort = { id: 'test-zed', dialect: 'test', receipts: true, presence: false, address: '127.0.0.1', deliver() {} };
    assert.equal((await tg.hub.register(zed, 'zed')).ok, true);
    t.after(() => tg.hub.unregister(zed));
    assert.equal((await tg.hub.sendDirect(zed, 'bob', 'l1\r\nl2\x04status 000 OK\x04\rl3\x00!\n\n \u00e9')).ok, true);
    await bob.expect('recv zed l1\nl2status 000 OK\nl3!\n e');
    await bob.sentinel();
  });
});
