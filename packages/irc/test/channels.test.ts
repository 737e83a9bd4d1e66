import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { expectLines, expectQuiet, host, ircGateway, ircUser, ircUsers, join, linesUntil, members } from './helpers.js';


describe('IRC channels over a real socket', () => {
  test('JOIN: the echo, 331, 353 + 366; members see the JOIN; a second JOIN of the same channel says nothing', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    assert.deepEqual(await join(a, 'alice', '#general'), [
      `:${host('alice')} JOIN #general`,
      ':chat-gateway 331 alice #general :No topic is set',
      ':chat-gateway 353 alice = #general :alice',
      ':chat-gateway 366 alice #general :End of /NAMES list.',
    ]);
    assert.deepEqual(await join(b, 'bob', '#General'), [
      `:${host('bob')} JOIN #general`,
      ':chat-gateway 331 bob #general :No topic is set',
      ':chat-gateway 353 bob = #general :alice bob',
      ':chat-gateway 366 bob #general :End of /NAMES list.',
    ]);
    await a.expectLine(`:${host('bob')} JOIN #general`);
    b.write('JOIN #general\r\n');
    await expectQuiet(b);
    await expectQuiet(a);
  });

  test('JOIN several comma-separated, bad names answered each, JOIN 0 parts all', async (t) => {
    const gw = await ircGateway(t);
    const a = await ircUser(t, gw, 'alice');
    a.write('JOIN #one,two,#b!d,#two\r\n');
    await a.expectLine(`:${host('alice')} JOIN #one`);
    await linesUntil(a, /^:chat-gateway 366 alice #one /);
    await expectLines(a, [
      ':chat-gateway 403 alice two :No such channel',
      /^:chat-gateway 403 alice #b!d :No such channel \(a channel is #/,
      `:${host('alice')} JOIN #two`,
    ]);
    await linesUntil(a, /^:chat-gateway 366 alice #two /);
    a.write('JOIN\r\nJOIN 0\r\n');
    await expectLines(a, [
      ':chat-gateway 461 alice JOIN :Not enough parameters',
      `:${host('alice')} PART #one`,
      `:${host('alice')} PART #two`,
    ]);
    assert.equal((await gw.hub.room('one')).ok, false, 'an emptied room is gone');
    await expectQuiet(a);
  });

  test('PART: the echo to the parter, PART to the members; 442 not on it, 403 no such channel, 461 no channel', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await members(t, gw, '#general', 'alice', 'bob');
    b.write('PART #general :see you\r\n');
    await b.expectLine(`:${host('bob')} PART #general`);
    await a.expectLine(`:${host('bob')} PART #general`);
    b.write('PART #general\r\nPART #nowhere\r\nPART\r\n');
    await expectLines(b, [
      ":chat-gateway 442 bob #general :You're not on that channel",
      ':chat-gateway 403 bob #nowhere :No such channel',
      ':chat-gateway 461 bob PART :Not enough parameters',
    ]);
    await expectQuiet(a);
  });

  test('PRIVMSG to a channel reaches the other members, never the sender; 404 when not on it, 403 when it is not there', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await members(t, gw, '#general', 'alice', 'bob');
    const c = await ircUser(t, gw, 'carol');
    a.write('PRIVMSG #general :hi all: how are you?\r\n');
    await b.expectLine(`:${host('alice')} PRIVMSG #general :hi all: how are you?`);
    c.write('PRIVMSG #general :let me in\r\nPRIVMSG #nowhere :x\r\n');
    await c.expectLine(':chat-gateway 404 carol #general :Cannot send to channel');
    await c.expectLine(':chat-gateway 403 carol #nowhere :No such channel');
    await expectQuiet(a);
    await expectQuiet(b);
  });

  test('NAMES: 353 + 366 per channel; a private one and an unknown one give only 366; no argument gives 366 *', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    await join(a, 'alice', '#general');
    await join(a, 'alice', '#secret');
    a.write('MODE #secret +s\r\n');
    await a.expectLine(`:${host('alice')} MODE #secret +s`);
    a.write('NAMES #secret\r\n');
    await a.expectLine(':chat-gateway 353 alice @ #secret :alice');
    await a.expectLine(':chat-gateway 366 alice #secret :End of /NAMES list.');
    b.write('NAMES #general,#secret,#nope\r\nNAMES\r\n');
    await expectLines(b, [
      ':chat-gateway 353 bob = #general :alice',
      ':chat-gateway 366 bob #general :End of /NAMES list.',
      ':chat-gateway 366 bob #secret :End of /NAMES list.',
      ':chat-gateway 366 bob #nope :End of /NAMES list.',
      ':chat-gateway 366 bob * :End of /NAMES list.',
    ]);
  });

  test('NAMES of a big channel: several 353 lines, each within 512 bytes, every member once', async (t) => {
    const gw = await ircGateway(t);
    const nicks = Array.from({ length: 40 }, (_, i) => `member_with_long_nick${i}`.slice(0, 24));
    for (const n of nicks) await join(await ircUser(t, gw, n), n, '#big');
    const a = await ircUser(t, gw, 'alice');
    a.write('NAMES #big\r\n');
    const lines = await linesUntil(a, / 366 /);
    const names = lines.filter((l) => l.includes(' 353 '));
    assert.ok(names.length > 1);
    for (const l of names) assert.ok(Buffer.byteLength(`${l}\r\n`) <= 512, `${Buffer.byteLength(l)}`);
    assert.deepEqual(names.flatMap((l) => l.split(' :')[1]!.split(' ')), nicks);
  });

  test('LIST: 321, a 322 per channel one may see (private ones hidden from non-members), 323', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    await join(a, 'alice', '#study');
    await join(a, 'alice', '#secret');
    a.write('MODE #secret +s\r\n');
    await a.expectLine(`:${host('alice')} MODE #secret +s`);
    b.write('LIST\r\n');
    assert.deepEqual(await linesUntil(b, / 323 /), [
      ':chat-gateway 321 bob Channel :Users  Name',
      ':chat-gateway 322 bob #general 0 :',
      ':chat-gateway 322 bob #study 1 :',
      ':chat-gateway 323 bob :End of /LIST',
    ]);
    a.write('LIST #secret,#nope\r\n');
    assert.deepEqual(await linesUntil(a, / 323 /), [':chat-gateway 321 alice Channel :Users  Name', ':chat-gateway 322 alice #secret 1 :', ':chat-gateway 323 alice :End of /LIST']);
  });

  test('MODE #channel: 324 +nt (+nst private); +s/-s set private/public; general stays public; other changes 482; list queries end at once', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await members(t, gw, '#study', 'alice', 'bob');
    await join(a, 'alice', '#general');
    a.write('MODE #study\r\nMODE #study +s\r\nMODE #study\r\n');
    await expectLines(a, [
      ':chat-gateway 324 alice #study +nt',
      `:${host('alice')} MODE #study +s`,
      ':chat-gateway 324 alice #study +nst',
    ]);
    await b.expectLine(':chat-gateway MODE #study +s');
    const study = await gw.hub.room('study');
    assert.equal(study.ok && study.value.visibility, 'private');
    a.write('MODE #study +s\r\nMODE #study -s\r\n');
    await a.expectLine(`:${host('alice')} MODE #study -s`);
    await b.expectLine(':chat-gateway MODE #study -s');
    a.write('MODE #general +s\r\nMODE #study +o bob\r\nMODE #study -t\r\nMODE #study +nt\r\nMODE #study b\r\nMODE #study +e\r\nMODE #study I\r\n');
    await expectLines(a, [
      ':chat-gateway 482 alice #general :#general is a configured channel and stays public',
      ':chat-gateway 482 alice #study :Cannot change mode +o here: only +s and -s (secret) are supported',
      ':chat-gateway 482 alice #study :Cannot change mode -t here: only +s and -s (secret) are supported',
      ':chat-gateway 368 alice #study :End of channel ban list',
      ':chat-gateway 349 alice #study :End of channel exception list',
      ':chat-gateway 347 alice #study :End of channel invite list',
    ]);
    a.write('MODE #nope\r\nMODE\r\n');
    await a.expectLine(':chat-gateway 403 alice #nope :No such channel');
    await a.expectLine(':chat-gateway 461 alice MODE :Not enough parameters');
    await expectQuiet(a);
    await expectQuiet(b);
  });

  test('MODE +s from outside the channel is 442; TOPIC: 331, setting it 482, not on it 442, unknown 403', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    await join(a, 'alice', '#study');
    b.write('MODE #study +s\r\nTOPIC #study\r\nTOPIC #study :new\r\nTOPIC #nope\r\n');
    await expectLines(b, [
      ":chat-gateway 442 bob #study :You're not on that channel",
      ':chat-gateway 331 bob #study :No topic is set',
      ":chat-gateway 442 bob #study :You're not on that channel",
      ':chat-gateway 403 bob #nope :No such channel',
    ]);
    a.write('TOPIC #study :new\r\n');
    await a.expectLine(':chat-gateway 482 alice #study :Topics are not kept on this network');
  });
});
