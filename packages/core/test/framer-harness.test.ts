import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedFramer, type Framer } from '@chat-gateway/core';
import { assertEveryChunking, chunkings, emitted, fault } from '@chat-gateway/core/testing';

// The harness every dialect's framer tests run on must catch the framer bugs it exists for.

const lines = () => new DelimitedFramer({ terminators: [0x0a], crlf: false, max: 8 });

/** A framer that forgets a partial line between pushes: right whole, wrong when split. */
function forgetful(): Framer<string> {
  return {
    push(chunk, sink) {
      const text = Buffer.from(chunk).toString('utf8');
      for (const line of text.split('\n').slice(0, -1)) if (line) sink.frame(line);
    },
  };
}

test('chunkings: whole, byte by byte, then every split in two', () => {
  const got = [...chunkings(Buffer.from('abc'))].map(([how, chunks]) => [how, chunks.map((c) => Buffer.from(c).toString())]);
  assert.deepEqual(got, [
    ['whole', ['abc']],
    ['byte by byte', ['a', 'b', 'c']],
    ['split at 1', ['a', 'bc']],
    ['split at 2', ['ab', 'c']],
  ]);
});

test('emitted records frames and faults in order, faults with their fatal flag', () => {
  assert.deepEqual(emitted(lines(), [Buffer.from('a\nxxxxxxxxxxxx\nb\n')]), ['a', fault('FRAME_TOO_LARGE'), 'b']);
  assert.deepEqual(emitted(lines(), [Buffer.from('a\n')], (f: string) => f.toUpperCase()), ['A']);
});

test('assertEveryChunking passes a sound framer and catches one that loses data across reads', () => {
  const bytes = Buffer.from('one\ntwo\n');
  assertEveryChunking(lines, bytes, ['one', 'two']);
  assert.throws(() => assertEveryChunking(forgetful, bytes, ['one', 'two']), (err: unknown) => {
    assert.ok(err instanceof assert.AssertionError);
    assert.equal(err.message.split('\n')[0], 'byte by byte');
    return true;
  });
  assert.throws(() => assertEveryChunking(lines, bytes, ['one']), /whole/);
});
