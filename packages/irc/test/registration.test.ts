import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { connect, slowReaderTail } from '@chat-gateway/testkit';
import { SERVER, expectLines, expectQuiet, ircClient, ircGateway, ircUser, linesUntil, numericOf } from './helpers.js';

const END = /^:chat-gateway (376|422) /;

describe('IRC registration over a real socket', () => {
  test('NICK then USER: 001-005 with what clients need, then 422 without a MOTD', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('NICK alice\r\nUSER alice 0 * :Alice L\r\n');
    const burst = await linesUntil(c, END);
    assert.deepEqual(burst.map(numericOf), ['001', '002', '003', '004', '005', '422']);
    assert.equal(burst[0], ':chat-gateway 001 alice :Welcome to the chat-gateway IRC network, alice!alice@irc.chat-gateway');
    assert.match(burst[3]!, /^:chat-gateway 004 alice chat-gateway \S+ i nst$/);
    const isupport = burst[4]!.split(' ').slice(3, -5);
    for (const token of ['CHANTYPES=#', 'NICKLEN=24', 'CHANNELLEN=33', 'CASEMAPPING=ascii', 'NETWORK=chat-gateway']) assert.ok(isupport.includes(token), `${token} in ${burst[4]}`);
    assert.equal(burst[5], ':chat-gateway 422 alice :MOTD File is missing');
    assert.equal((await gw.hub.user('alice'))?.dialect, 'irc');
    await expectQuiet(c);
  });

  test('USER then NICK registers the same; PASS first is ignored', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('PASS secret\r\nUSER x 0 * :X\r\nNICK bob\r\n');
    assert.deepEqual((await linesUntil(c, END)).map(numericOf), ['001', '002', '003', '004', '005', '422']);
    await expectQuiet(c);
  });

  test('CAP LS 302 ... CAP END: no capabilities, and registration waits for CAP END', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('CAP LS 302\r\nNICK carol\r\nUSER carol 0 * :Carol\r\n');
    await c.expectLine(':chat-gateway CAP * LS :');
    // Not registered yet: the PING's PONG comes before any welcome.
    await expectQuiet(c);
    assert.equal(await gw.hub.user('carol'), undefined);
    c.write('CAP REQ :multi-prefix sasl\r\n');
    await c.expectLine(':chat-gateway CAP * NAK :multi-prefix sasl');
    c.write('CAP LIST\r\nCAP END\r\n');
    await c.expectLine(':chat-gateway CAP * LIST :');
    await c.expectLine(/^:chat-gateway 001 carol /);
    await linesUntil(c, END);
    c.write('CAP LS\r\nCAP FOO\r\nCAP\r\n');
    await expectLines(c, [
      ':chat-gateway CAP carol LS :',
      ':chat-gateway 410 carol FOO :Invalid CAP command',
      ':chat-gateway 461 carol CAP :Not enough parameters',
    ]);
    await expectQuiet(c);
  });

  test('nick errors keep the connection open: 431, 432, 433 (at NICK, and again when USER completes), then a good nick', async (t) => {
    const gw = await ircGateway(t);
    await ircUser(t, gw, 'taken');
    const c = await ircClient(t, gw);
    c.write('NICK\r\nNICK :\r\n');
    await c.expectLine(':chat-gateway 431 * :No nickname given');
    await c.expectLine(':chat-gateway 431 * :No nickname given');
    c.write('NICK 9lives\r\nNICK :a b\r\nNICK TAKEN\r\n');
    await expectLines(c, [
      ':chat-gateway 432 * 9lives :Erroneous nickname',
      ':chat-gateway 432 * a\\x20b :Erroneous nickname',
      ':chat-gateway 433 * TAKEN :Nickname is already in use',
    ]);
    c.write('USER d 0 * :D\r\n');
    await expectQuiet(c);
    c.write('NICK dave\r\n');
    await c.expectLine(/^:chat-gateway 001 dave :Welcome/);
    await linesUntil(c, END);
    await expectQuiet(c);
  });

  test('invisible format characters in an echoed nick or channel are shown escaped: NICK al\\u200bice (issue #12 item 10)', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('NICK al\u200bice\r\n');
    await c.expectLine(':chat-gateway 432 * al\\u200bice :Erroneous nickname');
    c.write('NICK alice\r\nUSER a 0 * :A\r\n');
    await linesUntil(c, END);
    c.write('JOIN #gen\u202eeral\r\nPRIVMSG b\ufeffob :hi\r\n');
    await expectLines(c, [
      ':chat-gateway 403 alice #gen\\u202eeral :No such channel (a channel is # and 1-32 of A-Z a-z 0-9 _ - .)',
      ':chat-gateway 401 alice b\\ufeffob :No such nick/channel',
    ]);
    await expectQuiet(c);
  });

  test('a nick taken between NICK and USER is 433 when registration completes; the next NICK registers', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('NICK erin\r\n');
    await expectQuiet(c);
    await ircUser(t, gw, 'erin');
    c.write('USER e 0 * :E\r\n');
    await c.expectLine(':chat-gateway 433 * erin :Nickname is already in use');
    c.write('NICK erin2\r\n');
    await c.expectLine(/^:chat-gateway 001 erin2 /);
  });

  test('451 before registration for every registered-only command, 421 for unknown ones, 461 for a short USER', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    for (const line of ['JOIN #general', 'PRIVMSG bob :hi', 'NAMES', 'LIST', 'WHO #general', 'WHOIS bob', 'MODE bob', 'AWAY :x', 'TOPIC #general']) {
      c.write(`${line}\r\n`);
      await c.expectLine(':chat-gateway 451 * :You have not registered');
    }
    // RFC 2812 3.3.2: NOTICE is never answered, not even before registration.
    c.write('NOTICE bob :hi\r\nFROB x\r\nUSER a b c\r\n');
    await c.expectLine(':chat-gateway 421 * FROB :Unknown command');
    await c.expectLine(':chat-gateway 461 * USER :Not enough parameters');
    await expectQuiet(c);
  });

  test('after registration: USER and PASS are 462', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircUser(t, gw, 'frank');
    c.write('USER f 0 * :F\r\nPASS x\r\n');
    await c.expectLine(':chat-gateway 462 frank :You may not reregister');
    await c.expectLine(':chat-gateway 462 frank :You may not reregister');
  });

  test('the MOTD from config: 375, one 372 per line, 376; and MOTD asks for it again', async (t) => {
    const gw = await ircGateway(t, { listeners: [{ dialect: 'irc', options: { motd: ['Hello, class.', '', 'Be nice.'], network: 'school', serverName: 'irc.school' } }] });
    const c = await ircClient(t, gw);
    c.write('NICK grace\r\nUSER g 0 * :G\r\n');
    const burst = await linesUntil(c, /^:irc\.school 376 /);
    assert.equal(burst[0], ':irc.school 001 grace :Welcome to the school IRC network, grace!grace@irc.school');
    assert.ok(burst[4]!.includes(' NETWORK=school '));
    assert.deepEqual(burst.slice(5), [
      ':irc.school 375 grace :- irc.school Message of the day - ',
      ':irc.school 372 grace :- Hello, class.',
      ':irc.school 372 grace :- ',
      ':irc.school 372 grace :- Be nice.',
      ':irc.school 376 grace :End of /MOTD command.',
    ]);
    c.write('MOTD\r\n');
    assert.equal((await linesUntil(c, /^:irc\.school 376 /)).length, 5);
  });

  test('no registration in time: ERROR, then the connection closes', async (t) => {
    const gw = await ircGateway(t, { limits: { registrationTimeoutMs: 150 } });
    const c = await ircClient(t, gw);
    c.write('NICK heidi\r\n');
    await c.expectLine('ERROR :Closing link (Registration timed out)', 3000);
    await c.expectClosed();
  });

  test('too many connections: ERROR, then close; the others go on', async (t) => {
    const gw = await ircGateway(t, { limits: { maxConnections: 1 } });
    const a = await ircUser(t, gw, 'ivan');
    const extra = await connect(gw.port('irc'));
    t.after(() => extra.destroy());
    await extra.expectLine('ERROR :Closing link (Too many connections)');
    await extra.expectClosed();
    await expectQuiet(a);
  });

  test('a client that stops reading: ERROR (SendQ exceeded) last, then the close (DESIGN.md "Operating limits")', async (t) => {
    const gw = await ircGateway(t, { limits: { sendQueueMax: 64 * 1024 } });
    const lines = (await slowReaderTail(gw, 'irc')).toString('utf8').split('\r\n');
    assert.deepEqual(lines.slice(-2), ['ERROR :Closing link (SendQ exceeded)', '']);
  });

  test('QUIT before registration: ERROR and close', async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('QUIT :bye\r\n');
    await c.expectLine('ERROR :Closing link (Quit: bye)');
    await c.expectClosed();
  });

  test(`every reply comes from the server name (${SERVER}) and is addressed to the client`, async (t) => {
    const gw = await ircGateway(t);
    const c = await ircClient(t, gw);
    c.write('NICK judy\r\nUSER j 0 * :J\r\n');
    for (const l of await linesUntil(c, END)) assert.match(l, /^:chat-gateway \d{3} judy /);
  });
});
