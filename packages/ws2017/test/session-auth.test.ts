import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GOODBYE, GREETING, inProcessBench as bench } from './helpers.js';

// AUTHORIZATION state, registration forms of both revisions, keywords, errors, cquit.
describe('WS_2017 session: AUTHORIZATION', () => {
  test('greeting, then uname registers (rev-a "+OK you are <name>")', async (t) => {
    const { open, quiet } = await bench(t);
    const c = await open();
    c.write('uname alice\r\n');
    await c.expectLine('+OK you are alice');
    await quiet(c);
  });

  test('the greeting is `+OK <greeting option>`, default `+OK WS_2017 chat-gateway ready`', async (t) => {
    const custom = await bench(t, { greeting: 'hello from the test' });
    const c = await custom.raw();
    await c.expectLine('+OK hello from the test');
    const plain = await bench(t);
    const d = await plain.raw();
    await d.expectLine(GREETING);
  });

  test('keywords are case-insensitive; quoted names are unquoted', async (t) => {
    const { open } = await bench(t);
    const a = await open();
    a.write("UNAME 'alice'\r\n");
    await a.expectLine('+OK you are alice');
    const b = await open();
    b.write('UnAmE ’bob’\r\n');
    await b.expectLine('+OK you are bob');
    const c = await open();
    c.write('uname "carol"\r\n');
    await c.expectLine('+OK you are carol');
    for (const cmd of ['PING', 'Ping', 'pInG']) {
      c.write(`${cmd}\r\n`);
      await c.expectLine('+OK pong');
    }
    c.write('CPING\r\nCGETU\r\n');
    await c.expectLine('+OK cpong');
    await c.expectLine(/^\+OK cgetu /);
  });

  test('a name taken by a connected client: `-ERR uname <free suggestion>`, still in AUTHORIZATION', async (t) => {
    const { open } = await bench(t);
    await open('alice');
    const c = await open();
    c.write('uname alice\r\n');
    await c.expectLine('-ERR uname alice_');
    c.write('uname ALICE\r\n');
    await c.expectLine('-ERR uname ALICE_');
    c.write('cgetu\r\n');
    await c.expectLine('-ERR cgetu uname comes first');
    c.write('uname alice_\r\n');
    await c.expectLine('+OK you are alice_');
  });

  test('an invalid name: `-ERR uname <sanitized suggestion>`', async (t) => {
    const { open } = await bench(t);
    const c = await open();
    c.write('uname 9lives!\r\n');
    await c.expectLine('-ERR uname _9lives');
    c.write('uname alice smith\r\n');
    await c.expectLine('-ERR uname alicesmith');
    c.write(`uname ${'x'.repeat(40)}\r\n`);
    await c.expectLine(`-ERR uname ${'x'.repeat(24)}`);
    c.write("uname ''\r\n");
    await c.expectLine('-ERR uname is not a properly formatted command');
    c.write('uname\r\n');
    await c.expectLine('-ERR uname is not a properly formatted command');
  });

  test('rev-a "welcome back": the same name again from the address that last held it', async (t) => {
    const { open } = await bench(t);
    const a = await open('alice');
    a.write('cquit\r\n');
    await a.expectLine(GOODBYE);
    await a.expectClosed();
    const again = await open();
    again.write('uname alice\r\n');
    await again.expectLine('+OK welcome back alice');
  });

  test('commands other than uname/ping/cquit before uname: `-ERR <command> uname comes first`', async (t) => {
    const { open, quiet } = await bench(t);
    const c = await open();
    for (const cmd of ['cgetu', 'chatm a b hi', 'chatr a b', 'cname bob', 'CGETU']) {
      c.write(`${cmd}\r\n`);
      await c.expectLine(`-ERR ${cmd.split(' ')[0]!.toLowerCase()} uname comes first`);
    }
    c.write('ping\r\ncping\r\n');
    await c.expectLine('+OK pong');
    await c.expectLine('+OK cpong');
    // Pong answers are not commands: accepted silently in any state.
    c.write('pong\r\n+OK cpong\r\ncpong\r\n+OK pong\r\n');
    await quiet(c);
  });

  test('unknown keywords: `-ERR entered command does not exist`', async (t) => {
    const { open, quiet } = await bench(t);
    const c = await open('alice');
    for (const line of ['hello', 'unames alice', 'quitx', 'chat alice bob hi', '+OK', '+OK hello', '-ERR x', 'nuser bob', "'uname' x"]) {
      c.write(`${line}\r\n`);
      await c.expectLine('-ERR entered command does not exist');
    }
    await quiet(c);
  });

  test('empty and blank lines are ignored silently, in every line ending', async (t) => {
    const { open, quiet } = await bench(t);
    const c = await open();
    c.write('\r\n\r\n\n\r  \t \r\n\r');
    await quiet(c);
    c.write('uname alice\r\n\r\n');
    await c.expectLine('+OK you are alice');
    c.write('\n\n \r\n');
    await quiet(c);
  });

  test('client ping/cping: `+OK pong` / `+OK cpong`, arguments ignored', async (t) => {
    const { open } = await bench(t);
    const c = await open('alice');
    c.write('ping\r\ncping\r\nping extra words\r\ncping x\r\n');
    for (const l of ['+OK pong', '+OK cpong', '+OK pong', '+OK cpong']) await c.expectLine(l);
  });

  test('cquit: goodbye, then the server closes; others get `cquit <name>`', async (t) => {
    const { open } = await bench(t);
    const a = await open('alice');
    const b = await open('bob');
    await a.expectLine('nuser bob');
    b.write('CQUIT\r\n');
    await b.expectLine(GOODBYE);
    await b.expectClosed();
    await a.expectLine('cquit bob');
  });

  test('cquit before uname, and rev-a "quit", close too', async (t) => {
    const { open } = await bench(t);
    const a = await open();
    a.write('cquit\r\n');
    await a.expectLine(GOODBYE);
    await a.expectClosed();
    const b = await open('bob');
    b.write('quit\r\n');
    await b.expectLine(GOODBYE);
    await b.expectClosed();
  });

  test('lines after cquit in the same write are not answered', async (t) => {
    const { open } = await bench(t);
    const a = await open('alice');
    a.write('cquit\r\nping\r\ncgetu\r\n');
    await a.expectLine(GOODBYE);
    await a.expectClosed();
    assert.equal(a.received().length, 0);
  });
});
