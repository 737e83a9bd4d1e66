import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foreignUser, inProcessBench as bench } from './helpers.js';

// TRANSACTION state: nuser/cquit broadcasts, renames, cgetu, chatm/chatr.
describe('WS_2017 session: users and renames', () => {
  test('nuser goes to the others on registration, never to the newcomer', async (t) => {
    const { open, quiet } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    await quiet(b);
    await quiet(a);
  });

  test('rename by uname (`+OK you are <new>`, DESIGN.md: clients learn their name only from it) and cname (`+OK name changed from <old> to <new>`), seen by others', async (t) => {
    const { open, quiet } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    b.write('uname robert\r\n');
    await b.expectLine('+OK you are robert');
    await a.expectLine('+OK nuser bob robert');
    b.write("cname 'bobby'\r\n");
    await b.expectLine('+OK name changed from robert to bobby');
    await a.expectLine('+OK nuser robert bobby');
    await quiet(b);
    a.write('cgetu\r\n');
    const list = (await a.expectLine(/^\+OK cgetu /)).split(' ').slice(2);
    assert.deepEqual(list.sort(), ['alice', 'bobby']);
  });

  test('rename errors: same name, taken, invalid, missing', async (t) => {
    const { open, quiet } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    b.write('uname bob\r\n');
    await b.expectLine('-ERR same username entered');
    b.write('cname bob\r\n');
    await b.expectLine('-ERR same username entered');
    b.write('uname alice\r\n');
    await b.expectLine('-ERR uname alice_');
    b.write('cname alice\r\n');
    await b.expectLine('-ERR cname alice_');
    b.write('cname b@d name\r\n');
    await b.expectLine('-ERR cname bdname');
    b.write('cname\r\n');
    await b.expectLine('-ERR cname is not a properly formatted command');
    // Nothing reached alice: no rename happened.
    await quiet(a);
  });

  test('cgetu lists everyone online, this client included', async (t) => {
    const { tg, open } = await bench(t);
    const a = await open('alice');
    await foreignUser(tg, 'carol');
    await a.expectLine('nuser carol');
    a.write('cgetu\r\n');
    const users = (await a.expectLine(/^\+OK cgetu /)).split(' ').slice(2);
    assert.deepEqual(users.sort(), ['alice', 'carol']);
  });

  test('departures: cquit, an abrupt disconnect and a half-close all give others `cquit <name>`', async (t) => {
    const { open } = await bench(t);
    const a = await open('alice');
    for (const [name, leave] of [['bob', 'destroy'], ['carol', 'end'], ['dave', 'cquit']] as const) {
      const c = await open(name);
      await a.expectLine(`nuser ${name}`);
      if (leave === 'cquit') c.write('cquit\r\n');
      else c[leave]();
      await a.expectLine(`cquit ${name}`);
    }
  });

  test('users of other dialects: nuser, +OK nuser on rename, cquit on departure', async (t) => {
    const { tg, open, quiet } = await bench(t);
    const a = await open('alice');
    const carol = await foreignUser(tg, 'carol');
    await a.expectLine('nuser carol');
    await tg.hub.rename(carol.port, 'caroline');
    await a.expectLine('+OK nuser carol caroline');
    await tg.hub.unregister(carol.port);
    await a.expectLine('cquit caroline');
    await quiet(a);
  });

  test('a client is never told about a departure or rename of someone it never heard of', async (t) => {
    const { tg, open, quiet } = await bench(t);
    const erin = await foreignUser(tg, 'erin');
    const dora = await foreignUser(tg, 'dora');
    const b = await open('bob');
    await tg.hub.unregister(erin.port);
    await quiet(b);
    // A stranger's rename is announced as the newcomer it is to this client.
    await tg.hub.rename(dora.port, 'dora2');
    await b.expectLine('nuser dora2');
    await tg.hub.unregister(dora.port);
    await b.expectLine('cquit dora2');
  });
});

describe('WS_2017 session: chatm and chatr', () => {
  test('chatm between two WS clients, bare and quoted with \' ’ ", and the chatr relayed to the sender', async (t) => {
    const { open, quiet } = await bench(t);
    const b = await open('bob');
    const a = await open('alice');
    await b.expectLine('nuser alice');
    const forms: [string, string][] = [
      ['chatm alice bob hello', 'hello'],
      ['chatm alice bob hello big world', 'hello big world'],
      ["chatm 'alice' 'bob' 'hi there'", 'hi there'],
      ['chatm ’alice’ ’bob’ ’curly quotes’', 'curly quotes'],
      ['chatm "alice" "bob" "double it\'s"', "double it's"],
      ["chatm alice bob 'it's fine'", "it's fine"],
      ["CHATM Alice BOB 'case'", 'case'],
    ];
    for (const [line, text] of forms) {
      a.write(`${line}\r\n`);
      await a.expectLine("+OK 'message relayed'");
      await b.expectLine(`chatm alice bob '${text}'`);
      b.write('chatr alice bob\r\n');
      await a.expectLine('chatr alice bob');
    }
    // chatr gets no reply of its own, and nothing else reached either side.
    await quiet(b);
    await quiet(a);
  });

  test('a sender the recipient was never told about is announced with nuser first, once', async (t) => {
    const { open, quiet } = await bench(t);
    const a = await open('alice');
    const b = await open('bob'); // bob registered after alice: he never heard of her
    await a.expectLine('nuser bob');
    a.write('chatm alice bob one\r\nchatm alice bob two\r\n');
    await b.expectLine('nuser alice');
    await b.expectLine("chatm alice bob 'one'");
    await b.expectLine("chatm alice bob 'two'");
    await quiet(b);
  });

  test('a cgetu list counts as being told: no nuser before the chatm', async (t) => {
    const { open } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    b.write('cgetu\r\n');
    await b.expectLine(/^\+OK cgetu /);
    a.write('chatm alice bob hi\r\n');
    await b.expectLine("chatm alice bob 'hi'");
  });

  test('no impersonation: the sender must be the session\'s own name', async (t) => {
    const { open, quiet } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    const c = await open('carol');
    await a.expectLine('nuser carol');
    await b.expectLine('nuser carol');
    a.write('chatm bob carol fake\r\n');
    await a.expectLine('-ERR chatm sender must be your own name (alice)');
    a.write("chatm 'bob' carol fake\r\n");
    await a.expectLine('-ERR chatm sender must be your own name (alice)');
    await quiet(c);
    await quiet(b);
  });

  test('chatr: only for oneself, well formed, only for a message received; a vanished sender is silently dropped', async (t) => {
    const { open, quiet } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    b.write('chatr alice carol\r\n');
    await b.expectLine('-ERR chatr recipient must be your own name (bob)');
    b.write('chatr alice\r\n');
    await b.expectLine('-ERR chatr is not a properly formatted command');
    // DESIGN.md "Security": a receipt is relayed only for a message this recipient really got from that sender.
    b.write('chatr alice bob\r\n');
    await b.expectLine('-ERR chatr no message from alice to acknowledge');
    b.write('chatr nobody bob\r\n');
    await b.expectLine('-ERR chatr no message from nobody to acknowledge');
    await quiet(a);
    const c = await open('carol');
    await b.expectLine('nuser carol');
    c.write("chatm carol bob 'hi'\r\n");
    await c.expectLine("+OK 'message relayed'");
    await b.expectLine("chatm carol bob 'hi'");
    c.write('cquit\r\n');
    await c.expectLine('+OK terminating tasks and disconnecting');
    await b.expectLine('cquit carol');
    b.write('chatr carol bob\r\n');
    await quiet(b);
  });

  test('DM to a user who is not online, and malformed chatm', async (t) => {
    const { open } = await bench(t);
    const a = await open('alice');
    a.write('chatm alice nobody hi\r\n');
    await a.expectLine('-ERR chatm nobody is not online');
    for (const line of ['chatm alice bob', 'chatm alice', 'chatm', "chatm 'alice'"]) {
      a.write(`${line}\r\n`);
      await a.expectLine('-ERR chatm is not a properly formatted command');
    }
    a.write("chatm alice alice ''\r\n");
    await a.expectLine('-ERR chatm message is empty or too long');
    a.write(`chatm alice alice ${'x'.repeat(5000)}\r\n`);
    await a.expectLine('-ERR chatm message is empty or too long');
  });

  test('controls in a WS text never reach the recipient; invalid UTF-8 arrives replaced', async (t) => {
    const { open } = await bench(t);
    const b = await open('bob');
    const a = await open('alice');
    await b.expectLine('nuser alice');
    a.write(Buffer.from("chatm alice bob 'a\x00b\x04c\x1bd\x7fe'\r\n", 'latin1'));
    await a.expectLine("+OK 'message relayed'");
    await b.expectLine("chatm alice bob 'abcde'");
    a.write(Buffer.concat([Buffer.from("chatm alice bob 'caf"), Buffer.from([0xe9, 0xff]), Buffer.from("'\r\n")]));
    await a.expectLine("+OK 'message relayed'");
    await b.expectLine("chatm alice bob 'caf\uFFFD\uFFFD'");
    a.write("chatm alice bob 'héllo 𝄞'\r\n");
    await a.expectLine("+OK 'message relayed'");
    await b.expectLine("chatm alice bob 'héllo 𝄞'");
  });

  test('to another dialect: relayed, then the Hub\'s synthesized `chatr <sender> <recipient>`', async (t) => {
    const { tg, open, quiet } = await bench(t);
    const a = await open('alice');
    const carol = await foreignUser(tg, 'carol');
    await a.expectLine('nuser carol');
    a.write("chatm alice carol 'hi carol'\r\n");
    await a.expectLine("+OK 'message relayed'");
    await a.expectLine('chatr alice carol');
    const dm = carol.got.find((e) => e.type === 'message.direct');
    assert.deepEqual(dm && { from: dm.from, to: dm.to, text: dm.text }, { from: 'alice', to: 'carol', text: 'hi carol' });
    await quiet(a);
  });

  test('from another dialect: one chatm per line, controls dropped, never an empty line', async (t) => {
    const { tg, open, quiet } = await bench(t);
    const carol = await foreignUser(tg, 'carol'); // before bob: bob was never told about her
    const b = await open('bob');
    const r = await tg.hub.sendDirect(carol.port, 'bob', 'line one\r\n\r\n  \nline\u0007 two\u2028three\x04');
    assert.ok(r.ok);
    await b.expectLine('nuser carol');
    await b.expectLine("chatm carol bob 'line one'");
    await b.expectLine("chatm carol bob 'line two'");
    await b.expectLine("chatm carol bob 'three'");
    await quiet(b);
    // bob's own client answers with chatr: relayed to carol's session as a receipt.
    b.write('chatr carol bob\r\n');
    await quiet(b);
    assert.ok(carol.got.some((e) => e.type === 'receipt' && e.from === 'carol' && e.to === 'bob'));
  });

  test('charset ascii: texts from others are transliterated', async (t) => {
    const { tg, open } = await bench(t, { charset: 'ascii' });
    const b = await open('bob');
    const carol = await foreignUser(tg, 'carol');
    await b.expectLine('nuser carol');
    await tg.hub.sendDirect(carol.port, 'bob', 'Grüße aus Köln – 5 € 日本');
    await b.expectLine("chatm carol bob 'Grusse aus Koln - 5 EUR ??'");
  });
});
