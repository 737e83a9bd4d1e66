import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { slowReaderTail } from '@chat-gateway/testkit';
import { GOODBYE, GREETING, wsBench } from './helpers.js';

/** Deterministic garbage: every byte value but CR and LF, shuffled by an LCG. */
function garbage(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    do {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      out[i] = x >> 16;
    } while (out[i] === 0x0a || out[i] === 0x0d);
  }
  return out;
}

describe('WS_2017 session: bad input', () => {
  test('a 100 KB line: one reply, the connection survives, other clients are unaffected', async (t) => {
    const { open, quiet } = await wsBench(t);
    const b = await open('bob');
    const a = await open('alice');
    await b.expectLine('nuser alice');
    a.write(`chatm alice bob ${'x'.repeat(100 * 1024)}\r\nping\r\n`);
    await a.expectLine('-ERR line too long (limit 8192 bytes)');
    await a.expectLine('+OK pong');
    // Nothing of the oversize chatm reached bob, and he is served as usual.
    await quiet(b);
    a.write('chatm alice bob after\r\n');
    await a.expectLine("+OK 'message relayed'");
    await b.expectLine("chatm alice bob 'after'");
  });

  test('binary garbage: -ERR lines only, then normal service', async (t) => {
    const { open, quiet } = await wsBench(t);
    const a = await open('alice');
    a.write(Buffer.concat([garbage(4000), Buffer.from('\r\n')]));
    await a.expectLine('-ERR entered command does not exist');
    await quiet(a);
    // Garbage cut into many lines: every one is answered, none kills the session.
    const lines = garbage(3000, 11).toString('latin1').match(/.{1,50}/gs)!;
    a.write(Buffer.from(lines.join('\n') + '\n', 'latin1'));
    for (let i = 0; i < lines.length; i++) await a.expectLine(/^-ERR /);
    await quiet(a);
  });

  test('invalid UTF-8 as a keyword is an unknown command; NUL and controls too', async (t) => {
    const { open, quiet } = await wsBench(t);
    const a = await open();
    a.write(Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0x00, 0x0a, 0x04, 0x1b, 0x0d]));
    for (let i = 0; i < 3; i++) await a.expectLine('-ERR entered command does not exist');
    await quiet(a);
  });

  test('split and glued input: CR then LF in separate writes, several commands in one write', async (t) => {
    const { open, quiet } = await wsBench(t);
    const a = await open();
    a.write('una');
    a.write('me al');
    a.write('ice\r');
    await a.expectLine('+OK you are alice');
    a.write('\ncgetu\r\nping\rcping\n');
    await a.expectLine('+OK cgetu alice');
    await a.expectLine('+OK pong');
    await a.expectLine('+OK cpong');
    await quiet(a);
  });

  test('flood control: one `-ERR too many commands, slow down` a second for the frames over the bucket, the rest dropped', async (t) => {
    const { open } = await wsBench(t, {}, { limits: { flood: { enabled: true, burst: 3, ratePerSec: 0.001 } } });
    const a = await open();
    // The oversize line is a framer fault, which flood control lets through: its reply is the sentinel.
    a.write(`ping\r\nping\r\nping\r\nping\r\nping\r\n${'x'.repeat(9000)}\r\n`);
    for (const l of ['+OK pong', '+OK pong', '+OK pong', '-ERR too many commands, slow down', '-ERR line too long (limit 8192 bytes)']) await a.expectLine(l);
  });

  test('registration timeout: a reply, then the close', async (t) => {
    const { raw } = await wsBench(t, {}, { limits: { registrationTimeoutMs: 50 } });
    const a = await raw();
    await a.expectLine(GREETING);
    await a.expectLine('-ERR no uname in time, disconnecting', 3000);
    await a.expectClosed();
  });

  test('too many connections: a reply instead of the greeting, then the close', async (t) => {
    const { open, raw } = await wsBench(t, {}, { limits: { maxConnectionsPerIp: 1 } });
    const a = await open('alice');
    const b = await raw();
    await b.expectLine('-ERR too many connections, try again later');
    await b.expectClosed();
    a.write('ping\r\n');
    await a.expectLine('+OK pong');
  });

  test('a client that stops reading gets the queue-full line last, then the close (DESIGN.md "Operating limits")', async (t) => {
    const { tg } = await wsBench(t, {}, { limits: { sendQueueMax: 64 * 1024 } });
    const lines = (await slowReaderTail(tg, 'ws2017')).toString('utf8').split('\r\n');
    assert.deepEqual(lines.slice(-2), ['-ERR not reading fast enough, disconnecting', '']);
  });
});

describe('WS_2017 over real sockets: what real clients do (issue #12 items 5 and 11)', () => {
  test('`chatr alice bob` from bob, whom alice never messaged, is refused and alice gets nothing; a real one is relayed once', async (t) => {
    const { open, quiet } = await wsBench(t);
    const alice = await open('alice');
    const bob = await open('bob');
    await alice.expectLine('nuser bob');
    bob.write('chatr alice bob\r\n');
    await bob.expectLine('-ERR chatr no message from alice to acknowledge');
    await quiet(alice);
    alice.write("chatm alice bob 'hi bob'\r\n");
    await alice.expectLine("+OK 'message relayed'");
    // Bob was never told about alice: she is announced before her first message (DESIGN.md WS_2017).
    await bob.expectLine('nuser alice');
    await bob.expectLine("chatm alice bob 'hi bob'");
    bob.write('chatr alice bob\r\nchatr alice bob\r\n');
    await alice.expectLine('chatr alice bob');
    await bob.expectLine('-ERR chatr no message from alice to acknowledge');
    await quiet(alice);
    await quiet(bob);
  });

  test('a client that renames with `uname` learns its name from `+OK you are`, and its messages flow under it both ways', async (t) => {
    const { open, quiet } = await wsBench(t);
    const alice = await open('alice');
    const bob = await open('bob');
    await alice.expectLine('nuser bob');
    bob.write('uname robert\r\n');
    await bob.expectLine('+OK you are robert');
    await alice.expectLine('+OK nuser bob robert');
    // A real client now names itself robert in what it sends.
    bob.write("chatm robert alice 'hello as robert'\r\n");
    await bob.expectLine("+OK 'message relayed'");
    await alice.expectLine("chatm robert alice 'hello as robert'");
    alice.write("chatm alice robert 'hi robert'\r\n");
    await alice.expectLine("+OK 'message relayed'");
    await bob.expectLine('nuser alice');
    await bob.expectLine("chatm alice robert 'hi robert'");
    bob.write('chatr alice robert\r\n');
    await alice.expectLine('chatr alice robert');
    await quiet(alice);
    await quiet(bob);
  });
});

describe('WS_2017 session: shutdown', () => {
  test('graceful shutdown: `+OK terminating tasks and disconnecting` to everyone, then the close', async (t) => {
    const { tg, open } = await wsBench(t);
    const a = await open('alice');
    const b = await open();
    await tg.stop();
    for (const c of [a, b]) {
      await c.expectLine(GOODBYE);
      await c.expectClosed();
    }
  });
});

describe('WS_2017 session: keepalive', () => {
  test('cping every interval; all four answer forms keep the session open', async (t) => {
    const { open } = await wsBench(t, { pingIntervalMs: 40, pingTimeoutMs: 150 });
    const a = await open('alice');
    for (const answer of ['+OK cpong', 'cpong', '+OK pong', 'pong', "+ok 'CPONG'"]) {
      await a.expectLine('cping', 2000);
      a.write(`${answer}\r\n`);
    }
    // Five answered rounds took well over pingTimeoutMs: had an answer not counted, the session would be gone.
    a.write('cgetu\r\n');
    await a.waitForLine('+OK cgetu alice');
    assert.equal(a.closed, false);
  });

  test('pingCommand: ping sends rev-a\'s `ping`, and `+OK pong` answers it', async (t) => {
    const { open } = await wsBench(t, { pingIntervalMs: 40, pingTimeoutMs: 150, pingCommand: 'ping', lineEnding: 'cr' });
    const a = await open('alice');
    for (let i = 0; i < 4; i++) {
      await a.expectLine('ping', 2000);
      a.write('+OK pong\r');
    }
    a.write('cgetu\r');
    await a.waitForLine('+OK cgetu alice');
    assert.equal(a.closed, false);
  });

  test('no answer within pingTimeoutMs closes the session; others get cquit', async (t) => {
    const { open, quiet } = await wsBench(t, {}, {
      listeners: [
        { dialect: 'ws2017', options: { pingIntervalMs: 30, pingTimeoutMs: 60 } },
        { dialect: 'ws2017', name: 'calm', options: { pingIntervalMs: 0 } },
      ],
    });
    const b = await open('bob', 'calm');
    const a = await open('alice');
    await b.expectLine('nuser alice');
    await a.expectLine('cping');
    await a.expectLine('-ERR no answer to cping in time, disconnecting');
    await a.expectClosed();
    await b.expectLine('cquit alice');
    await quiet(b);
  });

  test('no cping before uname', async (t) => {
    const { open, quiet } = await wsBench(t, { pingIntervalMs: 20, pingTimeoutMs: 20 });
    const a = await open();
    // Round trips for several intervals: each reply must come next, so no cping (nor timeout) slipped in.
    const deadline = Date.now() + 150;
    let rounds = 0;
    while (Date.now() < deadline || rounds < 5) {
      await quiet(a);
      rounds++;
    }
    a.write('uname alice\r\n');
    await a.expectLine('+OK you are alice');
    await a.expectLine('cping'); // and once registered, it is
  });
});

describe('WS_2017 session: lineEnding', () => {
  test('default crlf: every line ends in CR LF', async (t) => {
    const { raw } = await wsBench(t);
    const a = await raw();
    assert.equal((await a.readBytes(GREETING.length + 2)).toString(), `${GREETING}\r\n`);
    a.write('uname alice\r');
    assert.equal((await a.readBytes(19)).toString(), '+OK you are alice\r\n');
  });

  test('cr (rev-a clients): lines end in a bare CR, input still takes all three', async (t) => {
    const { raw } = await wsBench(t, { lineEnding: 'cr' });
    const a = await raw();
    assert.equal((await a.readBytes(GREETING.length + 1)).toString(), `${GREETING}\r`);
    a.write('uname alice\r\nping\nping\r');
    assert.equal((await a.readBytes(18 + 9 + 9)).toString(), '+OK you are alice\r+OK pong\r+OK pong\r');
    a.write('cquit\r');
    assert.equal((await a.readBytes(GOODBYE.length + 1)).toString(), `${GOODBYE}\r`);
    await a.expectClosed();
  });

  test('lf: lines end in a bare LF', async (t) => {
    const { raw } = await wsBench(t, { lineEnding: 'lf' });
    const a = await raw();
    assert.equal((await a.readBytes(GREETING.length + 1)).toString(), `${GREETING}\n`);
    a.write('ping\r\n');
    assert.equal((await a.readBytes(9)).toString(), '+OK pong\n');
  });
});
