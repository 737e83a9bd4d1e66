import { test, describe } from 'node:test';
import type { TestContext } from 'node:test';
import { connect, type TestGateway, type WireClient } from '@chat-gateway/testkit';
import { expectQuiet, join, psuGateway, psuUser } from './helpers.js';

/** A WS_2017 client registered as `name` (DESIGN.md WS_2017: greeting `+OK <text>`, `uname` → `+OK you are <name>`). */
async function wsUser(t: TestContext, gw: TestGateway, name: string): Promise<WireClient> {
  const c = await connect(gw.port('ws2017'));
  t.after(() => c.destroy());
  await c.expectLine(/^\+OK /);
  c.write(`uname ${name}\r\n`);
  await c.expectLine(`+OK you are ${name}`);
  return c;
}

const both = (t: TestContext) => psuGateway(t, { listeners: [{ dialect: 'psu' }, { dialect: 'ws2017' }] });

describe('PSU <-> WS_2017', () => {
  test('WS sees nuser for a PSU user, and a WS DM reaches PSU as <from> text', async (t) => {
    const gw = await both(t);
    const ws = await wsUser(t, gw, 'alice');
    const psu = await psuUser(t, gw, 'bob');
    await ws.expectLine('nuser bob');
    ws.write("chatm alice bob 'hi bob, from WS'\r\n");
    await ws.expectLine("+OK 'message relayed'");
    await psu.expectLine('<alice> hi bob, from WS');
    // PSU has no receipts: the gateway sends WS the chatr itself once PSU took the message.
    await ws.expectLine('chatr alice bob');
    await expectQuiet(psu);
  });

  test('a PSU DM reaches WS as chatm; the WS receipt never shows on PSU', async (t) => {
    const gw = await both(t);
    const ws = await wsUser(t, gw, 'alice');
    const psu = await psuUser(t, gw, 'bob');
    await ws.expectLine('nuser bob');
    psu.write(':PRIVMSG alice :hello alice, it\'s PSU\r\n');
    await ws.expectLine("chatm bob alice 'hello alice, it's PSU'");
    ws.write('chatr bob alice\r\n');
    await expectQuiet(psu);
  });

  test('a PSU rename and quit read as +OK nuser old new and cquit on WS', async (t) => {
    const gw = await both(t);
    const ws = await wsUser(t, gw, 'alice');
    const psu = await psuUser(t, gw, 'bob');
    await ws.expectLine('nuser bob');
    await join(psu, 'general');
    psu.write(':NICK robert\r\n');
    await psu.expectLine('bob is now known as robert');
    await ws.expectLine('+OK nuser bob robert');
    psu.write(':PRIVMSG alice after rename\r\n');
    await ws.expectLine("chatm robert alice 'after rename'");
    psu.destroy();
    await ws.expectLine('cquit robert');
  });

  test('a PSU user who is not there: -ERR to WS; a WS user who is not there: no such nick to PSU', async (t) => {
    const gw = await both(t);
    const ws = await wsUser(t, gw, 'alice');
    const psu = await psuUser(t, gw, 'bob');
    await ws.expectLine('nuser bob');
    psu.write(':PRIVMSG alice,ghost :one good, one bad\r\n');
    await psu.expectLine('ghost: no such nick');
    await ws.expectLine("chatm bob alice 'one good, one bad'");
    ws.write("chatm alice nobody 'x'\r\n");
    await ws.expectLine(/^-ERR chatm /);
    await expectQuiet(psu);
  });
});
