import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedFramer, SILENT_LOG, type Session } from '@chat-gateway/core';
import { Intake, type IntakeHost } from '../src/intake.js';
import { NONE } from '../src/none.js';
import { OrderedReplies } from '../src/replies.js';
import { SendQueue } from '../src/send-queue.js';
import type { ListenerMetrics } from '../src/runtime-types.js';
import type { Pipe } from '../src/transports/pipe.js';

// Issue #16, memory per idle connection: a connection's queues (frames in, frames out, deferred
// replies) hold the one shared empty list while they are empty, before their first use and after
// they drained, so 10,000 idle connections hold no arrays for them; and they work again after.
// The fields are private: these tests read them by name, as the memory is the point.

const field = (o: object, name: string): unknown => (o as Record<string, unknown>)[name];
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('a send queue holds the shared empty list until written, and again once flushed', async () => {
  const sent: string[] = [];
  const q = new SendQueue({
    pipe: { buffered: 0 } as Pipe,
    sendQueueMax: 1 << 20,
    heldBytes: () => 0,
    wroteBytes: () => {},
    send: (chunk) => sent.push(Buffer.from(chunk).toString()),
    overflow: () => assert.fail('under the limit'),
    writeFailed: (err) => assert.fail(String(err)),
  });
  assert.equal(field(q, 'out'), NONE);
  q.write('one\n');
  q.write('two\n');
  assert.notEqual(field(q, 'out'), NONE);
  await turn();
  assert.deepEqual(sent, ['one\ntwo\n']);
  assert.equal(field(q, 'out'), NONE, 'flushed: back to the shared list');
  q.write('three\n');
  await turn();
  assert.deepEqual(sent, ['one\ntwo\n', 'three\n']);
  q.write('dropped\n');
  q.clear();
  assert.equal(field(q, 'out'), NONE, 'cleared: back to the shared list');
  assert.equal(NONE.length, 0, 'nothing was ever pushed to the shared list');
});

test('deferred replies hold the shared empty lists until one is deferred, and again once all are written', async () => {
  const written: string[] = [];
  let drained = 0;
  const r = new OrderedReplies({ queueFrame: (f) => written.push(String(f)), replyFailed: (err) => assert.fail(String(err)), repliesDrained: () => drained++ });
  assert.equal(field(r, 'queue'), NONE);
  assert.equal(field(r, 'waiters'), NONE);
  for (let round = 1; round <= 2; round++) {
    const slot = r.add<string>((v) => written.push(v));
    assert.notEqual(field(r, 'queue'), NONE);
    assert.equal(r.hold(`after ${round}`), true);
    const below = r.below(1);
    assert.notEqual(field(r, 'waiters'), NONE);
    slot.resolve(`reply ${round}`);
    await below;
    assert.equal(field(r, 'queue'), NONE, `round ${round}: drained, back to the shared list`);
    assert.equal(field(r, 'waiters'), NONE);
    assert.equal(drained, round);
  }
  assert.deepEqual(written, ['reply 1', 'after 1', 'reply 2', 'after 2']);
});

test('an intake holds the shared empty list but while frames wait for the session', async () => {
  const handled: string[] = [];
  let release!: () => void;
  const session = {
    handle(frame: string): void | Promise<void> {
      handled.push(frame);
      // The first frame is answered later: the next ones wait in the inbound queue meanwhile.
      if (handled.length === 1) return new Promise<void>((resolve) => (release = resolve));
    },
    fault: () => assert.fail('no fault'),
  } as unknown as Session<unknown>;
  const host: IntakeHost = {
    session,
    pipe: { paused: false, pause() {}, resume() {} } as unknown as Pipe,
    reader: new DelimitedFramer({ terminators: [0x0a], crlf: false, max: 64 }),
    closing: false,
    metrics: { frameIn() {}, limit() {} } as unknown as ListenerMetrics,
    replies: { pending: 0, below: () => Promise.resolve() },
    log: SILENT_LOG,
    dialectName: 'test',
    tracing: false,
    describeFrame: String,
    end: () => assert.fail('not ended'),
  };
  const intake = new Intake(host, { enabled: false, burst: 1, ratePerSec: 1, decompressedBytesPerToken: 1024 });
  assert.equal(field(intake, 'inbound'), NONE);
  intake.push(Buffer.from('a\nb\nc\n'));
  assert.deepEqual(handled, ['a']);
  assert.notEqual(field(intake, 'inbound'), NONE, 'b and c wait');
  release();
  await intake.drained();
  assert.deepEqual(handled, ['a', 'b', 'c']);
  assert.equal(field(intake, 'inbound'), NONE, 'all handled: back to the shared list');
  intake.push(Buffer.from('d\n'));
  assert.deepEqual(handled, ['a', 'b', 'c', 'd']);
});
