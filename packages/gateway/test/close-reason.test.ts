import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { connect, testConfig } from '@chat-gateway/testkit';
import { startGateway } from '../src/gateway.js';
import { echoDialect } from './fixtures/echo-dialect.js';
import { LogLines } from './log-lines.js';

// `connection closed` says why, whoever closed: the session (quit), the connection layer
// (registration timeout, slow reader, shutdown) or the peer.
test('the connection closed log line carries its reason', async (t) => {
  const logs = new LogLines();
  const config = testConfig({ listeners: [{ dialect: 'echo' }], dialects: [echoDialect], limits: { registrationTimeoutMs: 1000, sendQueueMax: 64 * 1024 } });
  const gw = await startGateway(config, { log: pino({ level: 'debug' }, logs.stream()), dialects: new Map([['echo', echoDialect]]) });
  t.after(() => gw.shutdown());

  /** Connects, returns the client and its connection id (from the gateway's `connection opened` line). */
  let opened = 0;
  const open = async () => {
    const c = await connect(gw.port('echo'));
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    const n = ++opened;
    const line = await logs.waitFor((l) => l.msg === 'connection opened' && logs.lines.filter((x) => x.msg === 'connection opened').indexOf(l) === n - 1, `connection opened #${n}`);
    return { c, conn: line.conn as string };
  };
  const reason = async (conn: string) => (await logs.waitFor((l) => l.msg === 'connection closed' && l.conn === conn, `connection closed of ${conn}`)).reason;

  const quitter = await open();
  quitter.c.write('QUIT\n');
  await quitter.c.expectLine('BYE');
  assert.equal(await reason(quitter.conn), 'quit');

  const leaver = await open();
  leaver.c.socket.end();
  assert.equal(await reason(leaver.conn), 'peer closed');

  const dropper = await open();
  dropper.c.destroy();
  assert.match(String(await reason(dropper.conn)), /^peer closed/, 'a reset is a close too (its code in brackets)');

  const silent = await open();
  await silent.c.expectLine('ERR REGISTRATION_TIMEOUT', 5000);
  assert.equal(await reason(silent.conn), 'registration timeout');

  const slow = await open();
  slow.c.write('REG slow\n');
  await slow.c.expectLine('OK slow');
  slow.c.socket.pause();
  slow.c.write('SPAM 100000 4096\n');
  assert.equal(await reason(slow.conn), 'slow reader');

  const stayer = await open();
  stayer.c.write('REG stayer\n');
  await stayer.c.expectLine('OK stayer');
  await gw.shutdown();
  assert.equal(await reason(stayer.conn), 'shutdown');
});
