import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { expectLines, expectQuiet, host, ircClient, ircGateway, ircUser, ircUsers, join, linesUntil, members } from './helpers.js';


describe('IRC messages and queries over a real socket', () => {
  test('PRIVMSG to nicks: several targets, each once; 401 for the missing one; 411, 412', async (t) => {
    const gw = await ircGateway(t);
    const [a, b, c] = await ircUsers(t, gw, 'alice', 'bob', 'carol');
    a.write('PRIVMSG bob,ghost,Carol,BOB :hi: you two\r\n');
    await b.expectLine(`:${host('alice')} PRIVMSG bob :hi: you two`);
    await c.expectLine(`:${host('alice')} PRIVMSG carol :hi: you two`);
    await a.expectLine(':chat-gateway 401 alice ghost :No such nick/channel');
    a.write('PRIVMSG\r\nPRIVMSG bob\r\nPRIVMSG bob :\r\nPRIVMSG bob :\u0001\r\n');
    await expectLines(a, [
      ':chat-gateway 411 alice :No recipient given (PRIVMSG)',
      ':chat-gateway 412 alice :No text to send',
      ':chat-gateway 412 alice :No text to send',
      ':chat-gateway 412 alice :No text to send',
    ]);
    for (const x of [a, b, c]) await expectQuiet(x);
  });

  test('NOTICE is delivered as NOTICE, to nicks and channels, and never answers, not even an error', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await members(t, gw, '#general', 'alice', 'bob');
    a.write('NOTICE bob :psst\r\nNOTICE #general :all\r\nNOTICE ghost :x\r\nNOTICE #nope :x\r\nNOTICE #study :x\r\nNOTICE\r\nNOTICE bob\r\nNOTICE bob :\r\n');
    await b.expectLine(`:${host('alice')} NOTICE bob :psst`);
    await b.expectLine(`:${host('alice')} NOTICE #general :all`);
    await expectQuiet(a);
    await expectQuiet(b);
  });

  test('a query head is right for each message: sender, PRIVMSG or NOTICE, and the recipient renamed', async (t) => {
    const gw = await ircGateway(t);
    const [a, b, c] = await ircUsers(t, gw, 'alice', 'bob', 'carol');
    a.write('PRIVMSG bob :one\r\nPRIVMSG bob :two\r\nNOTICE bob :three\r\nPRIVMSG bob :four\r\n');
    c.write('PRIVMSG bob :five\r\n');
    await expectLines(b, [`:${host('alice')} PRIVMSG bob :one`, `:${host('alice')} PRIVMSG bob :two`, `:${host('alice')} NOTICE bob :three`, `:${host('alice')} PRIVMSG bob :four`, `:${host('carol')} PRIVMSG bob :five`]);
    b.write('NICK bobby\r\n');
    await b.expectLine(`:${host('bob')} NICK bobby`);
    a.write('PRIVMSG bobby :six\r\n');
    await b.expectLine(`:${host('alice')} PRIVMSG bobby :six`);
  });

  test('CTCP ACTION (/me) arrives as words; formatting codes are dropped', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    a.write('PRIVMSG bob :\u0001ACTION waves\u0001\r\nPRIVMSG bob :\u0002bold\u0002 \u000304red\r\n');
    await b.expectLine(`:${host('alice')} PRIVMSG bob :* waves`);
    await b.expectLine(`:${host('alice')} PRIVMSG bob :bold 04red`);
  });

  test('NICK renames: the echo to the renamer, NICK to those sharing a channel; 432, 433; same nick: nothing', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await members(t, gw, '#general', 'alice', 'bob');
    const c = await ircUser(t, gw, 'carol');
    a.write('NICK al\r\n');
    await a.expectLine(`:${host('alice')} NICK al`);
    await b.expectLine(`:${host('alice')} NICK al`);
    a.write('NICK al\r\nNICK Bob\r\nNICK 1x\r\nNICK Al\r\n');
    await expectLines(a, [
      ':chat-gateway 433 al Bob :Nickname is already in use',
      ':chat-gateway 432 al 1x :Erroneous nickname',
      `:${host('al')} NICK Al`,
    ]);
    await b.expectLine(`:${host('al')} NICK Al`);
    for (const x of [a, b, c]) await expectQuiet(x);
  });

  test('WHO #channel and WHO nick: 352s then 315; the host shows the dialect', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    await join(a, 'alice', '#general');
    await join(b, 'bob', '#general');
    b.write('AWAY :lunch\r\n');
    await b.expectLine(':chat-gateway 306 bob :You have been marked as being away');
    a.write('WHO #general\r\nWHO bob\r\nWHO ghost\r\nWHO\r\n');
    assert.deepEqual(await linesUntil(a, / 315 alice \* /), [
      `:${host('bob')} JOIN #general`,
      ':chat-gateway 352 alice #general alice irc.chat-gateway chat-gateway alice H :0 alice on irc',
      ':chat-gateway 352 alice #general bob irc.chat-gateway chat-gateway bob H :0 bob on irc',
      ':chat-gateway 315 alice #general :End of WHO list',
      ':chat-gateway 352 alice * bob irc.chat-gateway chat-gateway bob H :0 bob on irc',
      ':chat-gateway 315 alice bob :End of WHO list',
      ':chat-gateway 315 alice ghost :End of WHO list',
      ':chat-gateway 315 alice * :End of WHO list',
    ]);
    b.write('WHO bob\r\n');
    await b.expectLine(':chat-gateway 352 bob * bob irc.chat-gateway chat-gateway bob G :0 bob on irc');
  });

  test('WHOIS: 311, 312 naming the dialect, 319 and 301 for oneself, 318; 401 then 318 for nobody; WHOWAS 406 + 369', async (t) => {
    const gw = await ircGateway(t);
    const a = await ircUser(t, gw, 'alice');
    await ircUser(t, gw, 'bob');
    a.write('WHOIS bob\r\nWHOIS ghost\r\nWHOIS\r\nWHOWAS ghost\r\n');
    assert.deepEqual(await linesUntil(a, / 369 /), [
      ':chat-gateway 311 alice bob bob irc.chat-gateway * :bob on irc',
      ':chat-gateway 312 alice bob chat-gateway :chat-gateway, irc dialect',
      ':chat-gateway 318 alice bob :End of /WHOIS list',
      ':chat-gateway 401 alice ghost :No such nick/channel',
      ':chat-gateway 318 alice ghost :End of /WHOIS list',
      ':chat-gateway 431 alice :No nickname given',
      ':chat-gateway 406 alice ghost :There was no such nickname',
      ':chat-gateway 369 alice ghost :End of WHOWAS',
    ]);
    await join(a, 'alice', '#general');
    a.write('AWAY :afk\r\nWHOIS chat-gateway ALICE\r\nAWAY\r\n');
    assert.deepEqual(await linesUntil(a, / 305 /), [
      ':chat-gateway 306 alice :You have been marked as being away',
      ':chat-gateway 311 alice alice alice irc.chat-gateway * :alice on irc',
      ':chat-gateway 319 alice alice :#general',
      ':chat-gateway 312 alice alice chat-gateway :chat-gateway, irc dialect',
      ':chat-gateway 301 alice alice :afk',
      ':chat-gateway 318 alice alice :End of /WHOIS list',
      ':chat-gateway 305 alice :You are no longer marked as being away',
    ]);
  });

  test('MODE nick: 221 +i for oneself (whatever is asked), 502 for another; ISON and USERHOST', async (t) => {
    const gw = await ircGateway(t);
    const a = await ircUser(t, gw, 'alice');
    await ircUser(t, gw, 'bob');
    a.write('MODE alice\r\nMODE Alice +i\r\nMODE bob\r\nISON bob ghost alice\r\nUSERHOST bob ghost\r\n');
    await expectLines(a, [
      ':chat-gateway 221 alice :+i',
      ':chat-gateway 221 alice :+i',
      ":chat-gateway 502 alice :Can't change mode for other users",
      ':chat-gateway 303 alice :bob alice',
      ':chat-gateway 302 alice :bob=+bob@irc.chat-gateway',
    ]);
  });

  test('PING is answered with PONG; an unknown command is 421; an over-long line is 417 and dropped, the next one read', async (t) => {
    const gw = await ircGateway(t);
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    a.write('PING chat-gateway\r\nPING :lag 123\r\nPING\r\nFROB\r\n');
    await expectLines(a, [
      ':chat-gateway PONG chat-gateway :chat-gateway',
      ':chat-gateway PONG chat-gateway :lag 123',
      ':chat-gateway 461 alice PING :Not enough parameters',
      ':chat-gateway 421 alice FROB :Unknown command',
    ]);
    a.write(`PRIVMSG bob :${'x'.repeat(600)}\r\nPRIVMSG bob :after\r\n`);
    await a.expectLine(':chat-gateway 417 alice :Input line was too long');
    await b.expectLine(`:${host('alice')} PRIVMSG bob :after`);
    await expectQuiet(a);
    await expectQuiet(b);
  });

  test('server keepalive: PING after the interval, a PONG keeps the link; no answer: ERROR (ping timeout), and the channels see a QUIT', async (t) => {
    const gw = await ircGateway(t, { listeners: [{ dialect: 'irc', options: { pingIntervalMs: 100, pingTimeoutMs: 300 } }] });
    const [a, b] = await ircUsers(t, gw, 'alice', 'bob');
    await join(a, 'alice', '#general');
    await join(b, 'bob', '#general');
    // alice answers every PING, bob none: bob's link is closed, alice's stays, and alice sees bob go.
    let pings = 0;
    for (;;) {
      const line = await a.nextLine(3000);
      if (line === 'PING :chat-gateway') {
        pings++;
        a.write(pings % 2 ? 'PONG :chat-gateway\r\n' : 'PONG chat-gateway\r\n');
      } else if (line === `:${host('bob')} QUIT :Ping timeout`) break;
      else assert.equal(line, `:${host('bob')} JOIN #general`);
    }
    assert.ok(pings >= 2, `${pings} pings answered before bob timed out`);
    await b.waitForLine('ERROR :Closing link (ping timeout)', 3000);
    await b.expectClosed();
    assert.equal(a.closed, false);
  });

  test('QUIT: those sharing a channel see QUIT with the reason, once however many channels; the quitter gets ERROR, then close', async (t) => {
    const gw = await ircGateway(t);
    const [a, b, c] = await ircUsers(t, gw, 'alice', 'bob', 'carol');
    for (const ch of ['#one', '#two']) {
      await join(a, 'alice', ch);
      await join(b, 'bob', ch);
      await a.expectLine(`:${host('bob')} JOIN ${ch}`);
    }
    b.write('QUIT :off to lunch\r\n');
    await b.expectLine('ERROR :Closing link (Quit: off to lunch)');
    await b.expectClosed();
    await a.expectLine(`:${host('bob')} QUIT :Quit: off to lunch`);
    await expectQuiet(a);
    await expectQuiet(c);
    assert.equal(await gw.hub.user('bob'), undefined);
  });

  test('shutdown: ERROR :Closing link (server shutting down) to every client, registered or not, then close', async (t) => {
    const gw = await ircGateway(t);
    const a = await ircUser(t, gw, 'alice');
    const c = await ircClient(t, gw);
    c.write('NICK x\r\n');
    await expectQuiet(c);
    await gw.stop();
    for (const x of [a, c]) {
      await x.expectLine('ERROR :Closing link (server shutting down)');
      await x.expectClosed();
      assert.equal(x.received().length, 0);
    }
  });

  test('flood control: a dropped line is 263, the connection stays', async (t) => {
    const gw = await ircGateway(t, { limits: { flood: { enabled: true, burst: 3, ratePerSec: 0.001 } } });
    const a = await ircClient(t, gw);
    a.write('NICK alice\r\nUSER a 0 * :A\r\nPING :1\r\nPING :2\r\n');
    await linesUntil(a, / 422 /);
    await a.expectLine(':chat-gateway PONG chat-gateway :1');
    await a.expectLine(':chat-gateway 263 alice * :Please wait a while and try again.');
    assert.equal(a.closed, false);
  });
});
