import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedFramer, type Dialect, type FrameSink } from '@chat-gateway/core';
import { PendingWatch } from '../src/trace-pending.js';

// A traced connection's reads go through the pending watch: the intake's halt (DESIGN.md
// "Operating limits": a connection closing, or its turn's work spent) and its charge for inflated
// bytes must reach the framer through it, or tracing a flooder would switch both off.

const host = { after: () => () => {}, record() {}, tell() {} };
const dialect = {} as Dialect;

test('the watch passes the sink\'s halt on: the framer stops between frames, the rest waits for the next push', () => {
  const frames: string[] = [];
  const sink: FrameSink<string> = {
    frame: (f) => void frames.push(f),
    fault: () => assert.fail('no fault'),
    get halted() {
      return frames.length >= 1;
    },
  };
  const watch = new PendingWatch(new DelimitedFramer({ terminators: [0x0a], crlf: false, max: 100 }), dialect, 1000, host);
  watch.push(Buffer.from('a\nb\nc\n'), sink);
  assert.deepEqual(frames, ['a']);
});

test('the watch passes the charge for inflated bytes on, and its refusal back', () => {
  const charged: number[] = [];
  const sink: FrameSink<string> = { frame() {}, fault() {}, inflated: (n) => (charged.push(n), false) };
  const watch = new PendingWatch(new DelimitedFramer<string>({ terminators: [0x0a], crlf: false, max: 100 }), dialect, 1000, host);
  // What a compressed framer does mid-push: ask the sink it was given (here the watch) to charge.
  const inner: FrameSink<string> = watch;
  watch.push(Buffer.alloc(0), sink);
  assert.equal(inner.inflated?.(4096), false);
  assert.deepEqual(charged, [4096]);
});
