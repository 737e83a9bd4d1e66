import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startGateway } from '@chat-gateway/gateway';
import { connect, testConfig } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';

// --trace: every frame in and out, per connection, with control characters escaped.
test('trace level logs each frame in and out with controls escaped', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const log = pino({ level: 'trace' }, sink);
  const config = testConfig({ listeners: [{ dialect: 'echo' }], dialects: [echoDialect] });
  const gw = await startGateway(config, { log, dialects: new Map([['echo', echoDialect]]) });
  t.after(() => gw.shutdown());
  const c = await connect(gw.port('echo'));
  t.after(() => c.destroy());
  await c.expectLine('HELLO echo');
  c.write('FAST a\x04b\r\n');
  await c.expectLine('DONE a\x04b'); // the client splits at the CR the echo returns
  const frames = lines.filter((l) => l.msg === 'frame in' || l.msg === 'frame out');
  assert.deepEqual(
    frames.map((l) => [l.dir, l.frame]),
    [
      ['out', 'HELLO echo\\n'],
      ['in', 'FAST a\\x04b\\r'],
      ['out', 'DONE a\\x04b\\r\\n'],
    ],
  );
  assert.ok(frames.every((l) => typeof l.conn === 'string' && l.dialect === 'echo'), 'each line names its connection');
});

test('below trace level no frame is logged', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
  const gw = await startGateway(testConfig({ listeners: [{ dialect: 'echo' }], dialects: [echoDialect] }), {
    log: pino({ level: 'debug' }, sink),
    dialects: new Map([['echo', echoDialect]]),
  });
  t.after(() => gw.shutdown());
  const c = await connect(gw.port('echo'));
  t.after(() => c.destroy());
  await c.expectLine('HELLO echo');
  c.write('FAST x\n');
  await c.expectLine('DONE x');
  assert.equal(lines.some((l) => l.includes('"frame in"') || l.includes('"frame out"')), false);
  assert.ok(lines.some((l) => l.includes('connection opened')), 'debug lines are there, so the sink works');
});
