import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { connect, slowReaderTail } from '@chat-gateway/testkit';
import { expectQuiet, join, psuClient, psuGateway, psuUser, writeChunked } from './helpers.js';
import { hex } from './fixtures.js';

describe('PSU bad input over a real socket', () => {
  test('an oversize line gets one line, is skipped to its end, and the connection goes on', async (t) => {
    const gw = await psuGateway(t, { limits: { lineMax: 100 } });
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    a.write(`:PRIVMSG bob ${'x'.repeat(5000)}\r\n:PRIVMSG bob after\r\n`);
    await a.expectLine('Line too long (more than 100 bytes), ignored');
    await b.expectLine('<alice> after');
    await expectQuiet(a);
    await expectQuiet(b);
  });

  test('invalid UTF-8 is replaced, never a crash', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuClient(t, gw);
    a.write(Buffer.concat([Buffer.from(':NICK '), hex('ff fe c3'), Buffer.from('\r\n')]));
    await a.expectLine(/^\uFFFD\uFFFD\uFFFD: not a valid nick/);
    a.write(':NICK alice\r\n');
    await a.expectLine(/^alice: welcome!/);
    const b = await psuUser(t, gw, 'bob');
    a.write(Buffer.concat([Buffer.from(':PRIVMSG bob ok '), hex('80 e2 82'), Buffer.from(' end\r\n')]));
    await b.expectLine('<alice> ok \uFFFD\uFFFD end');
  });

  test('control bytes: shown escaped when echoed, dropped from texts, never a second line', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuClient(t, gw);
    a.write(hex('3a 4e 49 43 4b 20 61 00 1b 5b 32 4a 0d 0a')); // :NICK a NUL ESC [2J
    await a.expectLine('a\\x00\\x1b[2J: not a valid nick (use letters, digits, _ - . and start with a letter), choose another, e.g. NICK a2J');
    a.write(hex('00 4c 49 53 54 0d 0a')); // NUL LIST
    await a.expectLine(/^\\x00LIST: unknown command/);
    a.write(':NICK alice\r\n');
    await a.expectLine(/^alice: welcome!/);
    const b = await psuUser(t, gw, 'bob');
    a.write(hex('3a 50 52 49 56 4d 53 47 20 62 6f 62 20 68 00 69 07 0c 21 0d 0a')); // :PRIVMSG bob h NUL i BEL FF !
    await b.expectLine('<alice> hi!');
    a.write(hex('3a 50 52 49 56 4d 53 47 20 62 6f 62 20 01 02 0d 0a')); // text of controls only
    await a.expectLine(/^bob: message is empty or too long/);
    await expectQuiet(b);
  });

  test('invisible format characters are shown escaped in error lines: `:NICK al\\u200bice` (issue #12 item 10)', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuClient(t, gw);
    a.write(':NICK al\u200bice\r\n');
    await a.expectLine(/^al\\u200bice: not a valid nick /);
    a.write(':NICK alice\r\n');
    await a.expectLine(/^alice: welcome!/);
    a.write(':JOIN #gen\u202eeral\r\n:PRIVMSG b\ufeffob hi\r\n');
    await a.expectLine('#gen\\u202eeral: not a valid room name (#name: letters, digits, _ - .)');
    await a.expectLine('b\\ufeffob: no such nick');
    await expectQuiet(a);
  });

  test('a client that stops reading gets the queue-full line last, then the close (issue #12 item 6)', async (t) => {
    const gw = await psuGateway(t, { limits: { sendQueueMax: 64 * 1024 } });
    const lines = (await slowReaderTail(gw, 'psu')).toString('utf8').split('\r\n');
    assert.deepEqual(lines.slice(-2), ['Not reading fast enough, disconnecting', '']);
  });

  test('empty and blank lines get no reply', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    a.write('\r\n\n\r   \r\n\t\n:\r\n');
    await expectQuiet(a);
  });

  test('a whole session sent byte by byte, and again with one split at every position', async (t) => {
    const gw = await psuGateway(t);
    const b = await psuUser(t, gw, 'bob');
    await join(b, 'general');
    const script = Buffer.from(':NICK alice\r\nJOIN #general\n:PRIVMSG bob,#general :héllo 😀\r:QUIT\r\n');
    const a = await psuClient(t, gw);
    await writeChunked(a, script, 1);
    await a.expectLine(/^alice: welcome!/);
    await a.expectLine('#general: you have joined (2 members)');
    await a.expectLine('alice: goodbye');
    await a.expectClosed();
    await b.expectLine('alice has joined #general');
    await b.expectLine('<alice> héllo 😀');
    await b.expectLine('#general <alice> héllo 😀');
    await b.expectLine('alice has left #general');
    for (let i = 1; i < script.length; i += 7) {
      const c = await psuClient(t, gw);
      c.socket.write(script.subarray(0, i));
      await new Promise<void>((resolve) => setImmediate(resolve));
      c.socket.write(script.subarray(i));
      await c.expectLine(/^alice: welcome!/);
      await c.expectLine('#general: you have joined (2 members)');
      await c.expectLine('alice: goodbye');
      await c.expectClosed();
      await b.expectLine('alice has joined #general');
      await b.expectLine('<alice> héllo 😀');
      await b.expectLine('#general <alice> héllo 😀');
      await b.expectLine('alice has left #general');
    }
  });

  test('flood control: one slow-down line for the dropped lines, the rest dropped silently, and the connection stays', async (t) => {
    const gw = await psuGateway(t, { limits: { flood: { enabled: true, burst: 3, ratePerSec: 0.001 } } });
    const a = await psuClient(t, gw);
    // An oversize line is a framer fault, not a frame: flood control lets it through, so its reply is a sentinel.
    a.write(`:NICK alice\r\n:LIST\r\n:LIST\r\n:LIST\r\n:LIST\r\n${'x'.repeat(9000)}\r\n`);
    await a.expectLine(/^alice: welcome!/);
    await a.expectLine('#general: 0 members');
    await a.expectLine('End of LIST, 1 room');
    await a.expectLine('#general: 0 members');
    await a.expectLine('End of LIST, 1 room');
    await a.expectLine('Slow down: too many lines, that one was dropped');
    await a.expectLine('Line too long (more than 8192 bytes), ignored');
    assert.equal(a.closed, false);
  });

  test('200 :LIST in one write with the default flood control: the burst is answered, one slow-down line, the rest counted (issue #12 item 8)', async (t) => {
    const gw = await psuGateway(t, { limits: { flood: { enabled: true } } });
    const a = await psuUser(t, gw, 'alice');
    a.write(`${':LIST\r\n'.repeat(200)}${'x'.repeat(9000)}\r\n`);
    let lists = 0;
    let slowDowns = 0;
    for (;;) {
      const line = await a.nextLine();
      if (line === 'End of LIST, 1 room') lists++;
      else if (line.startsWith('Slow down')) slowDowns++;
      else if (line.startsWith('Line too long')) break;
      else assert.equal(line, '#general: 0 members');
    }
    // The bucket holds 50; the NICK took one, and a few milliseconds refill a fraction of one more.
    assert.ok(lists >= 49 && lists <= 51, `${lists} LISTs answered`);
    assert.equal(slowDowns, 1, 'one slow-down line, not one per dropped LIST');
    const dropped = (await gw.metrics()).value('chat_gateway_limit_hits_total', { kind: 'flood' });
    assert.equal(dropped, 200 - lists, 'every dropped LIST is counted');
  });

  test('no nick in time: a line, then the connection closes', async (t) => {
    const gw = await psuGateway(t, { limits: { registrationTimeoutMs: 150 } });
    const a = await psuClient(t, gw);
    await a.expectLine('No nick given in time, disconnecting', 3000);
    await a.expectClosed();
  });

  test('too many connections: a line, then the connection closes; the others keep working', async (t) => {
    const gw = await psuGateway(t, { limits: { maxConnections: 1 } });
    const a = await psuUser(t, gw, 'alice');
    const extra = await connect(gw.port('psu'));
    t.after(() => extra.destroy());
    await extra.expectLine('Too many connections, try again later');
    await extra.expectClosed();
    await expectQuiet(a);
  });

  test('one client sending garbage does not disturb another', async (t) => {
    const gw = await psuGateway(t, { limits: { lineMax: 64 } });
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    const junk = Buffer.alloc(20000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
    a.write(junk);
    a.destroy();
    b.write(':PRIVMSG bob still here\r\n');
    await b.expectLine('<bob> still here');
    await expectQuiet(b);
  });
});
