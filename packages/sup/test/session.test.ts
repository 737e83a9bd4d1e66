import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { loggedIn, STATUS, supClient, type Target } from './sup-client.js';

type T = { after(fn: () => unknown): void };

/**
 * A gateway with one Sup listener, stopped after the test. Its clients (`at`) connect in process
 * (TestGateway.pair): these are session tests, where a socket adds nothing; limits.test.ts keeps TCP.
 */
async function gateway(t: T, opts: TestGatewayOptions = {}): Promise<{ tg: TestGateway; at: Target }> {
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }], clients: 'in-process', ...opts });
  t.after(() => tg.stop());
  return { tg, at: () => tg.open('sup') };
}

describe('login', () => {
  test('no greeting: the first message a client reads answers its login', async (t) => {
    const { at } = await gateway(t);
    const a = await supClient(t, at);
    a.send('login alice');
    assert.equal(await a.next(), STATUS.ok);
    assert.equal(a.wire.received().length, 0);
    await a.sentinel();
  });

  test('taken name is 101 (case-insensitively), the connection stays and may try again', async (t) => {
    const { at } = await gateway(t);
    await loggedIn(t, at, 'alice');
    const b = await supClient(t, at);
    await b.ask('login alice', STATUS.taken);
    await b.ask('login ALICE', STATUS.taken);
    await b.ask('login bob', STATUS.ok);
    await b.ask('contact alice', STATUS.online);
  });

  test('invalid names are 102: Hub policy', async (t) => {
    const { at } = await gateway(t);
    const a = await supClient(t, at);
    for (const name of ['1abc', 'a b', 'alice ', 'é', 'x'.repeat(25), 'a#b', "o'neil"]) {
      await a.ask(`login ${name}`, STATUS.invalid);
    }
    await a.ask('login ok_name-1.x', STATUS.ok);
  });

  test('login with no name is malformed (100)', async (t) => {
    const { at } = await gateway(t);
    const a = await supClient(t, at);
    await a.ask('login', STATUS.malformed);
    await a.ask('login ', STATUS.malformed);
    await a.sentinel(false);
  });

  test('login twice is 100 and keeps the first name', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    await a.ask('login alice2', STATUS.malformed);
    await a.ask('login alice', STATUS.malformed);
    const b = await loggedIn(t, at, 'bob');
    await b.ask('contact alice', STATUS.online);
    await b.ask('contact alice2', STATUS.offline);
  });
});

describe('out of order and malformed', () => {
  test('anything before login but login is 100, one reply each, then login works', async (t) => {
    const { at } = await gateway(t);
    await loggedIn(t, at, 'bob');
    const a = await supClient(t, at);
    for (const msg of ['get contacts', 'contact bob', 'send bob hi', 'quit alice', 'quit', 'hello', 'recv bob x']) {
      await a.ask(msg, STATUS.malformed);
    }
    await a.ask('login alice', STATUS.ok);
    await a.sentinel();
  });

  test('unknown and malformed messages are 100 after login too, and the session carries on', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    for (const msg of ['hello', 'get', 'get users', 'get  contacts', 'contact', 'send bob', 'send', 'quit', 'status 000 OK', 'LOGIN\nalice']) {
      await a.ask(msg, STATUS.malformed);
    }
    await a.ask('get contacts', STATUS.ok);
    await a.expect('contacts ');
  });

  test('keywords are case-insensitive', async (t) => {
    const { at } = await gateway(t);
    const a = await supClient(t, at);
    await a.ask('LOGIN alice', STATUS.ok);
    await a.ask('Get Contacts', STATUS.ok);
    await a.expect('contacts ');
  });
});

describe('get contacts', () => {
  test('0, 1 and many others; never the asker; in order of login', async (t) => {
    // Login order is the in-process Directory's listing order, which the test gateway uses.
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    await a.ask('get contacts', STATUS.ok);
    await a.expect('contacts ');
    await loggedIn(t, at, 'bob');
    await a.ask('get contacts', STATUS.ok);
    await a.expect('contacts bob');
    await loggedIn(t, at, 'Carol');
    await loggedIn(t, at, 'dave');
    await a.ask('get contacts', STATUS.ok);
    await a.expect('contacts bob Carol dave');
    await a.sentinel();
  });

  test('a client that never logged in is not a contact', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const lurker = await supClient(t, at);
    await lurker.ask('contact alice', STATUS.malformed);
    await a.ask('get contacts', STATUS.ok);
    await a.expect('contacts ');
  });
});

describe('contact', () => {
  test('001 online, 103 offline, case-insensitive, self is online', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    await loggedIn(t, at, 'bob');
    await a.ask('contact bob', STATUS.online);
    await a.ask('contact BOB', STATUS.online);
    await a.ask('contact alice', STATUS.online);
    await a.ask('contact zed', STATUS.offline);
    await a.ask('contact not a name', STATUS.offline);
  });
});

describe('send', () => {
  test('recipient gets recv, sender 000 after it; nothing else on either side', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    await a.ask('send bob hello there  bob', STATUS.ok);
    await b.expect('recv alice hello there  bob');
    await b.sentinel();
    await a.sentinel();
    await b.ask('send ALICE back', STATUS.ok);
    await a.expect('recv bob back');
  });

  test('recipient not online is 104; an invalid name too', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    await a.ask('send bob hi', STATUS.notOnline);
    await a.ask('send b@d hi', STATUS.notOnline);
    const lurker = await supClient(t, at);
    await lurker.ask('send alice hi', STATUS.malformed);
    await a.sentinel();
  });

  test('empty, control-only and too long texts are 100', async (t) => {
    const { at } = await gateway(t, { limits: { textMax: 10 } });
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    await a.ask('send bob ', STATUS.malformed);
    await a.ask('send bob \x00\x01\x1b', STATUS.malformed);
    await a.ask('send bob \r\n \r\n', STATUS.malformed);
    await a.ask(`send bob ${'x'.repeat(11)}`, STATUS.malformed);
    await a.ask(`send bob ${'x'.repeat(10)}`, STATUS.ok);
    await b.expect(`recv alice ${'x'.repeat(10)}`);
    await b.sentinel();
  });

  test('a text with line breaks arrives as one recv, breaks as \\n', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    await a.ask('send bob line one\r\nline two\nline three\rfour', STATUS.ok);
    await b.expect('recv alice line one\nline two\nline three\nfour');
    await b.sentinel();
  });

  test('control bytes are dropped; invalid UTF-8 arrives as ? on an ascii listener', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    a.wire.write(Buffer.from('send bob a\x00b\x1bc\x7fd\x04', 'latin1'));
    await a.expect(STATUS.ok);
    await b.expect('recv alice abcd');
    a.wire.write(Buffer.concat([Buffer.from('send bob x'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('y\x04')]));
    await a.expect(STATUS.ok);
    await b.expect('recv alice x???y');
    a.wire.write(Buffer.from('login \xe9\x04', 'latin1'));
    await a.expect(STATUS.malformed); // already logged in
    await b.sentinel();
  });

  test('an EOT inside what a client meant as one text splits it: two messages, two replies', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    a.wire.write('send bob a\x04b\x04');
    await a.expect(STATUS.ok);
    await a.expect(STATUS.malformed);
    await b.expect('recv alice a');
    await b.sentinel();
    await a.sentinel();
  });

  test('UTF-8 from a Sup client: transliterated for ascii listeners, as sent for utf8 ones', async (t) => {
    const { tg, at } = await gateway(t, { listeners: [{ dialect: 'sup' }, { dialect: 'sup', name: 'sup8', options: { charset: 'utf8' } }] });
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    const c = await loggedIn(t, tg.port('sup8'), 'carol');
    await a.ask('send bob café ☃ — ok', STATUS.ok);
    await b.expect('recv alice cafe ? - ok');
    await a.ask('send carol café ☃ — ok', STATUS.ok);
    assert.equal(await c.nextUtf8(), 'recv alice café ☃ — ok');
    await c.sentinel();
  });

  test('sending to oneself works: the recv comes before the status', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    a.send('send alice note to self');
    await a.expect('recv alice note to self');
    await a.expect(STATUS.ok);
  });
});

describe('quit', () => {
  test('quit <own name>: 000, then close; the user is offline at once', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    a.send('quit ALICE');
    await a.expect(STATUS.ok);
    await a.wire.expectClosed();
    assert.equal(a.wire.received().length, 0);
    await b.ask('contact alice', STATUS.offline);
    await b.ask('send alice hi', STATUS.notOnline);
    const again = await loggedIn(t, at, 'alice');
    await again.sentinel();
  });

  test("quit with another user's name is 100 and nothing happens", async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    await a.ask('quit bob', STATUS.malformed);
    await a.ask('quit alice bob', STATUS.malformed);
    await a.ask('contact bob', STATUS.online);
    await b.ask('contact alice', STATUS.online);
    assert.equal(a.wire.closed, false);
  });

  test('messages after quit in the same write get no reply', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    a.wire.write('quit alice\x04get contacts\x04');
    await a.expect(STATUS.ok);
    await a.wire.expectClosed();
    assert.equal(a.wire.received().length, 0);
  });
});

describe('framing over the socket', () => {
  test('several messages in one write: one reply each, in order', async (t) => {
    const { at } = await gateway(t);
    await loggedIn(t, at, 'bob');
    const a = await supClient(t, at);
    a.wire.write('login alice\x04get contacts\x04contact bob\x04contact zed\x04send bob x\x04send zed x\x04bogus\x04');
    for (const want of [STATUS.ok, STATUS.ok, 'contacts bob', STATUS.online, STATUS.offline, STATUS.ok, STATUS.notOnline, STATUS.malformed]) {
      await a.expect(want);
    }
    await a.sentinel();
  });

  test('CR/LF between messages and before EOT are ignored; a bare EOT gets no reply', async (t) => {
    const { at } = await gateway(t);
    const a = await supClient(t, at);
    a.wire.write('\r\nlogin alice\r\n\x04\r\n\x04\x04\nget contacts\x04\r\n');
    await a.expect(STATUS.ok);
    await a.expect(STATUS.ok);
    await a.expect('contacts ');
    await a.sentinel();
  });

  test('a message written byte by byte', async (t) => {
    const { at } = await gateway(t);
    const a = await supClient(t, at);
    for (const b of Buffer.from('login alice\x04')) a.wire.write(Uint8Array.of(b));
    await a.expect(STATUS.ok);
  });

  test('an oversize message gets exactly one 100 and the connection resynchronises', async (t) => {
    const { at } = await gateway(t, { limits: { lineMax: 64 } });
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    a.wire.write(`send bob ${'x'.repeat(200)}\x04`);
    await a.expect(STATUS.malformed);
    await a.sentinel();
    a.wire.write(`send bob ${'y'.repeat(64 - 9)}\x04`);
    await a.expect(STATUS.ok);
    await b.expect(`recv alice ${'y'.repeat(55)}`);
    // Sent in pieces, with more than one limit's worth before the EOT: still one reply.
    for (let i = 0; i < 10; i++) a.wire.write('z'.repeat(100));
    a.wire.write('\x04contact bob\x04');
    await a.expect(STATUS.malformed);
    await a.expect(STATUS.online);
    await b.sentinel();
  });
});

describe('failures', () => {
  test('a failure inside the gateway is 200, and the session carries on', async (t) => {
    const { tg, at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const users = tg.hub.users;
    tg.hub.users = async () => {
      throw new Error('directory down');
    };
    await a.ask('get contacts', STATUS.internal);
    tg.hub.users = users;
    await a.ask('get contacts', STATUS.ok);
    await a.expect('contacts ');
  });

  test('an abrupt disconnect takes the user offline and the others are served', async (t) => {
    const { at } = await gateway(t);
    const a = await loggedIn(t, at, 'alice');
    const b = await loggedIn(t, at, 'bob');
    a.wire.write('send bob half a mess');
    a.wire.destroy();
    // Wait for the close to reach the Hub: ask until alice is offline (bounded).
    const deadline = Date.now() + 2000;
    for (;;) {
      b.send('contact alice');
      const got = await b.next();
      if (got === STATUS.offline) break;
      assert.equal(got, STATUS.online);
      assert.ok(Date.now() < deadline, 'alice still online 2 s after her connection dropped');
    }
    await b.ask('send alice hi', STATUS.notOnline);
    await loggedIn(t, at, 'alice');
  });
});
