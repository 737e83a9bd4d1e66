import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, effectiveLevel, wantsPretty } from '../src/logging.js';

/** A destination that keeps what was written. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test('trace: true forces level trace; otherwise the level is the configured one', () => {
  assert.equal(effectiveLevel({ level: 'warn', trace: true, pretty: false }), 'trace');
  assert.equal(effectiveLevel({ level: 'warn', trace: false, pretty: false }), 'warn');
});

test('pretty: auto follows the terminal; true and false force it', () => {
  assert.equal(wantsPretty({ level: 'info', trace: false, pretty: 'auto' }, true), true);
  assert.equal(wantsPretty({ level: 'info', trace: false, pretty: 'auto' }, false), false);
  assert.equal(wantsPretty({ level: 'info', trace: false, pretty: true }, false), true);
  assert.equal(wantsPretty({ level: 'info', trace: false, pretty: false }, true), false);
});

test('JSON lines by default when not on a terminal, at the configured level', () => {
  const out = sink();
  const log = createLogger({ level: 'info', trace: false, pretty: 'auto' }, { destination: out.stream, isTty: false });
  log.debug({}, 'hidden');
  log.info({ port: 1030 }, 'listening');
  const lines = out.text().trim().split('\n');
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(line.msg, 'listening');
  assert.equal(line.port, 1030);
  assert.equal(line.level, 30);
  assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'an ISO 8601 time in UTC');
});

test('with trace on, frame logs at level trace come through', () => {
  const out = sink();
  const log = createLogger({ level: 'error', trace: true, pretty: false }, { destination: out.stream, isTty: false });
  assert.equal(log.isLevelEnabled('trace'), true);
  log.child({ conn: 'c1' }).trace({ dir: 'in', frame: 'login alice\\x04' }, 'frame in');
  const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
  assert.deepEqual([line.msg, line.conn, line.frame, line.level], ['frame in', 'c1', 'login alice\\x04', 10]);
});

test('pretty output is human-readable, not JSON', async () => {
  const out = sink();
  const log = createLogger({ level: 'info', trace: false, pretty: true }, { destination: out.stream, isTty: false });
  log.info({ port: 1030 }, 'listening');
  await new Promise((r) => setImmediate(r));
  const text = out.text();
  assert.match(text, /INFO.*listening/);
  assert.throws(() => JSON.parse(text));
});

test('pretty output keeps each record on one line, its fields inline', async () => {
  const out = sink();
  const log = createLogger({ level: 'info', trace: false, pretty: true }, { destination: out.stream, isTty: false });
  log.info({ listeners: [{ name: 'psu', port: 23456 }], adminPort: 8080 }, 'chat-gateway ready');
  log.warn({ reason: 'slow reader' }, 'connection closed');
  await new Promise((r) => setImmediate(r));
  const lines = out.text().trimEnd().split('\n');
  assert.equal(lines.length, 2, out.text());
  assert.match(lines[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: chat-gateway ready .*"listeners":\[\{"name":"psu","port":23456\}\].*"adminPort":8080/);
  assert.match(lines[1]!, /WARN: connection closed .*"reason":"slow reader"/);
});
