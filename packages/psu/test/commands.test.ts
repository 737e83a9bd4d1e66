import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_GREETING } from '@chat-gateway/psu';
import { expectQuiet, join, psuClient, inProcessGateway as psuGateway, psuUser } from './helpers.js';

const ASK = 'Choose a nick first: NICK <nickname>';

describe('PSU commands over a real socket', () => {
  test('greeting, then NICK registers with a welcome line', async (t) => {
    const gw = await psuGateway(t);
    const c = await psuClient(t, gw, 'psu', null);
    await c.expectLine(DEFAULT_GREETING);
    c.write(':NICK alice\r\n');
    await c.expectLine('alice: welcome! Try LIST, JOIN #general, PRIVMSG <nick|#room> <text>, QUIT');
    assert.equal((await gw.hub.user('alice'))?.dialect, 'psu');
  });

  test('NAME is an alias of NICK, and a missing colon is fine', async (t) => {
    const gw = await psuGateway(t);
    const c = await psuClient(t, gw);
    c.write('NAME bob\n');
    await c.expectLine(/^bob: welcome!/);
  });

  test('an empty greeting option sends no greeting', async (t) => {
    const gw = await psuGateway(t, { listeners: [{ dialect: 'psu', options: { greeting: '' } }] });
    const c = await psuClient(t, gw, 'psu', null);
    c.write(':NICK quiet\r\n');
    await c.expectLine(/^quiet: welcome!/);
  });

  test('every command but NICK, NAME and QUIT asks for a nick first', async (t) => {
    const gw = await psuGateway(t);
    const c = await psuClient(t, gw);
    for (const line of [':JOIN #general', ':PART #general', ':NAMES #general', ':LIST', ':PRIVMSG bob hi']) {
      c.write(`${line}\r\n`);
      await c.expectLine(ASK);
    }
    c.write(':NICK carol\r\n');
    await c.expectLine(/^carol: welcome!/);
  });

  test('an unknown command gets a line naming it, before and after NICK', async (t) => {
    const gw = await psuGateway(t);
    const c = await psuClient(t, gw);
    c.write(':FROB x y\r\n');
    await c.expectLine(/^FROB: unknown command \(commands: NICK, JOIN/);
    c.write(':NICK dave\r\nwho\r\n');
    await c.expectLine(/^dave: welcome!/);
    await c.expectLine(/^WHO: unknown command/);
  });

  test('a taken nick keeps the connection open and asks again, with a free suggestion', async (t) => {
    const gw = await psuGateway(t);
    await psuUser(t, gw, 'alice');
    const c = await psuClient(t, gw);
    c.write(':NICK ALICE\r\n');
    await c.expectLine('ALICE: nick is already in use, choose another, e.g. NICK ALICE_');
    c.write(':LIST\r\n');
    await c.expectLine(ASK);
    c.write(':NICK alice2\r\n');
    await c.expectLine(/^alice2: welcome!/);
  });

  test('an invalid nick is refused with a valid suggestion', async (t) => {
    const gw = await psuGateway(t);
    const c = await psuClient(t, gw);
    c.write(':NICK 9lives\r\n');
    await c.expectLine(/^9lives: not a valid nick .*, e\.g\. NICK _9lives$/);
    c.write(':NICK #room\r\n');
    await c.expectLine(/^#room: not a valid nick .*, e\.g\. NICK room$/);
    c.write(':NICK\r\n');
    await c.expectLine('NICK: usage: NICK <nickname>');
    c.write(':NICK two words\r\n');
    await c.expectLine('NICK: usage: NICK <nickname>');
  });

  test('a second NICK renames; same nick and taken nick are refused', async (t) => {
    const gw = await psuGateway(t);
    await psuUser(t, gw, 'bob');
    const c = await psuUser(t, gw, 'alice');
    c.write(':NICK al\r\n');
    await c.expectLine('alice is now known as al');
    assert.ok(await gw.hub.user('al'));
    assert.equal(await gw.hub.user('alice'), undefined);
    c.write(':NICK al\r\n');
    await c.expectLine('al: that is already your nick');
    c.write(':NICK Bob\r\n');
    await c.expectLine('Bob: nick is already in use, choose another, e.g. NICK Bob_');
    c.write(':NAME Al\r\n');
    await c.expectLine('al is now known as Al');
    await expectQuiet(c);
  });

  test('JOIN creates, joins, or says already; PART leaves', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    a.write(':JOIN #party\r\n');
    await a.expectLine('#party: room created, you have joined');
    a.write(':JOIN #Party\r\n');
    await a.expectLine('#party: you are already in this room');
    a.write(':JOIN general\r\n');
    await a.expectLine('#general: you have joined (1 member)');
    const b = await psuUser(t, gw, 'bob');
    b.write(':JOIN #general\r\n');
    await b.expectLine('#general: you have joined (2 members)');
    b.write(':PART #general\r\n');
    await b.expectLine('#general: you have left');
    b.write(':PART #general\r\n');
    await b.expectLine('#general: you are not in this room (JOIN #general first)');
    b.write(':PART #nowhere\r\n');
    await b.expectLine('#nowhere: no such room');
    b.write(':JOIN #bad!name\r\n');
    await b.expectLine('#bad!name: not a valid room name (#name: letters, digits, _ - .)');
    b.write(':JOIN #\r\n');
    await b.expectLine('#: not a valid room name (#name: letters, digits, _ - .)');
    b.write(':JOIN #a #b\r\n:JOIN\r\n:PART\r\n');
    await b.expectLine('JOIN: usage: JOIN #room');
    await b.expectLine('JOIN: usage: JOIN #room');
    await b.expectLine('PART: usage: PART #room');
  });

  test('NAMES gives one line per member then an end line; LIST one line per room then an end line', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    await join(a, 'general');
    await join(b, 'general');
    await join(b, 'side');
    a.write(':NAMES #general\r\n');
    await a.expectLine('bob has joined #general');
    await a.expectLine('#general: alice');
    await a.expectLine('#general: bob');
    await a.expectLine('#general: end of NAMES, 2 members');
    a.write(':NAMES side\r\n');
    await a.expectLine('#side: bob');
    await a.expectLine('#side: end of NAMES, 1 member');
    a.write(':NAMES #nope\r\n:NAMES #no!pe\r\n:NAMES\r\n');
    await a.expectLine('#nope: no such room');
    await a.expectLine('#no!pe: not a valid room name (#name: letters, digits, _ - .)');
    await a.expectLine('NAMES: usage: NAMES #room');
    a.write(':LIST\r\n');
    await a.expectLine('#general: 2 members');
    await a.expectLine('#side: 1 member');
    await a.expectLine('End of LIST, 2 rooms');
    a.write(':LIST extra\r\n');
    await a.expectLine('LIST: usage: LIST');
  });

  test('PRIVMSG to a nick: the recipient sees <from> text, the sender nothing', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    a.write(':PRIVMSG bob :hello, bob: how are you?\r\n');
    await b.expectLine('<alice> hello, bob: how are you?');
    a.write(':PRIVMSG BOB ::-)\r\n');
    await b.expectLine('<alice> :-)');
    await expectQuiet(a);
    await expectQuiet(b);
  });

  test('PRIVMSG errors: no such nick, missing text, empty text, too long, no targets', async (t) => {
    const gw = await psuGateway(t, { limits: { textMax: 10 } });
    const a = await psuUser(t, gw, 'alice');
    await psuUser(t, gw, 'bob');
    a.write(':PRIVMSG ghost hi\r\n');
    await a.expectLine('ghost: no such nick');
    a.write(':PRIVMSG bob\r\n');
    await a.expectLine('PRIVMSG: usage: PRIVMSG <nick|#room>[,<nick|#room>...] <text>');
    a.write(':PRIVMSG bob :\r\n');
    await a.expectLine('bob: message is empty or too long (at most 10 characters)');
    a.write(':PRIVMSG bob 12345678901\r\n');
    await a.expectLine('bob: message is empty or too long (at most 10 characters)');
    a.write(':PRIVMSG ,, hi\r\n');
    await a.expectLine('PRIVMSG: usage: PRIVMSG <nick|#room>[,<nick|#room>...] <text>');
  });

  test('QUIT says goodbye and closes; before NICK too', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    a.write(':QUIT bye all\r\n');
    await a.expectLine('alice: goodbye');
    await a.expectClosed();
    assert.equal(await gw.hub.user('alice'), undefined);
    const c = await psuClient(t, gw);
    c.write('quit\r\n');
    await c.expectLine('Goodbye');
    await c.expectClosed();
  });

  test('a controlled shutdown sends "Server shutting down." to every PSU client, registered or not', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    const c = await psuClient(t, gw);
    await join(a, 'general');
    await join(b, 'general');
    await a.expectLine('bob has joined #general');
    await gw.stop();
    for (const x of [a, b, c]) {
      await x.expectLine('Server shutting down.');
      await x.expectClosed();
      assert.equal(x.received().length, 0, 'nothing after the shutdown line');
    }
  });
});
