import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelimitedFramer, encodeDelimited, type ErrorCode } from '@chat-gateway/core';

type Out = string | { fault: ErrorCode };

/** Runs a framer over chunks and collects what it emits, faults included. */
function run(framer: DelimitedFramer, chunks: Uint8Array[]): Out[] {
  const out: Out[] = [];
  const sink = { frame: (f: string) => out.push(f), fault: (code: ErrorCode) => out.push({ fault: code }) };
  for (const c of chunks) framer.push(c, sink);
  return out;
}
const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const lines = () => new DelimitedFramer({ terminators: [0x0d, 0x0a], crlf: true, max: 16 });
const eot = () => new DelimitedFramer({ terminators: [0x04], crlf: false, max: 16 });

// bytes ⇄ frames, for parse and round trip.
const LINE_FIXTURES: { name: string; bytes: Buffer; frames: Out[] }[] = [
  { name: 'CRLF', bytes: hex('61 62 0d 0a'), frames: ['ab'] },
  { name: 'bare CR', bytes: hex('61 62 0d'), frames: ['ab'] },
  { name: 'bare LF', bytes: hex('61 62 0a'), frames: ['ab'] },
  { name: 'glued, mixed endings', bytes: hex('61 0d 0a 62 0a 63 0d'), frames: ['a', 'b', 'c'] },
  { name: 'CR CR is one frame and one empty (skipped)', bytes: hex('61 0d 0d 62 0a'), frames: ['a', 'b'] },
  { name: 'empty lines skipped', bytes: hex('0d 0a 0d 0a 0a 61 0a'), frames: ['a'] },
  { name: 'UTF-8', bytes: hex('c3 a9 e2 82 ac 0a'), frames: ['é€'] },
  { name: 'invalid UTF-8 replaced', bytes: hex('ff fe 61 0a'), frames: ['\uFFFD\uFFFDa'] },
  { name: 'NUL and controls pass through to the session', bytes: hex('00 01 04 0a'), frames: ['\u0000\u0001\u0004'] },
  { name: 'oversize skipped to its terminator', bytes: Buffer.from(`${'x'.repeat(40)}\r\nok\r\n`), frames: [{ fault: 'FRAME_TOO_LARGE' }, 'ok'] },
  { name: 'exactly max', bytes: Buffer.from(`${'x'.repeat(16)}\n`), frames: ['x'.repeat(16)] },
];

for (const fx of LINE_FIXTURES) {
  test(`line framer: ${fx.name}, whole`, () => {
    assert.deepEqual(run(lines(), [fx.bytes]), fx.frames);
  });
  test(`line framer: ${fx.name}, byte by byte`, () => {
    assert.deepEqual(run(lines(), [...fx.bytes].map((b) => Uint8Array.of(b))), fx.frames);
  });
  test(`line framer: ${fx.name}, split at every position`, () => {
    for (let i = 1; i < fx.bytes.length; i++) {
      assert.deepEqual(run(lines(), [fx.bytes.subarray(0, i), fx.bytes.subarray(i)]), fx.frames, `split at ${i}`);
    }
  });
}

test('encodeDelimited round-trips through the framer', () => {
  for (const text of ['hello', 'é€ 𝄞', 'a b c']) {
    assert.deepEqual(run(lines(), [encodeDelimited(text, '\r\n')]), [text]);
    assert.deepEqual(run(eot(), [encodeDelimited(text, '\x04')]), [text]);
  }
});

test('EOT framer keeps line breaks inside a frame', () => {
  assert.deepEqual(run(eot(), [hex('61 0d 0a 62 04 63 04')]), ['a\r\nb', 'c']);
});

test('the buffer never holds more than max bytes of an oversize frame', () => {
  const f = eot();
  const out = run(f, Array.from({ length: 1000 }, () => Buffer.alloc(1000, 0x61)));
  assert.deepEqual(out, [{ fault: 'FRAME_TOO_LARGE' }]);
  assert.deepEqual(run(f, [hex('04 62 04')]), ['b']);
});

test('a halted sink stops the framer between two frames, mid-push; the next push, an empty one too, goes on where it stopped', () => {
  const out: string[] = [];
  let halted = false;
  // Halts after each frame, as the connection does once its turn's budget is spent or it is closing.
  const sink = {
    frame: (f: string) => {
      out.push(f);
      halted = true;
    },
    fault: () => {},
    get halted() {
      return halted;
    },
  };
  const f = lines();
  f.push(Buffer.from('a\r\nb\r\nc'), sink);
  assert.deepEqual(out, ['a'], 'nothing after the halt is read');
  halted = false;
  f.push(Buffer.alloc(0), sink);
  assert.deepEqual(out, ['a', 'b']);
  halted = false;
  f.push(Buffer.from('\r\nd\r\n'), sink);
  assert.deepEqual(out, ['a', 'b', 'c'], 'what was kept comes first, then the new bytes');
  halted = false;
  f.push(Buffer.alloc(0), sink);
  assert.deepEqual(out, ['a', 'b', 'c', 'd']);
});

test('a framing has one or two terminators (push keeps each one\'s next position in a local)', () => {
  assert.throws(() => new DelimitedFramer({ terminators: [], crlf: false, max: 16 }), RangeError);
  assert.throws(() => new DelimitedFramer({ terminators: [0x0d, 0x0a, 0x04], crlf: false, max: 16 }), RangeError);
  // Whichever of the two comes first ends the frame, however the two interleave within one chunk.
  assert.deepEqual(run(new DelimitedFramer({ terminators: [0x04, 0x0a], crlf: false, max: 16 }), [hex('61 0a 62 04 63 04 64 0a 65 0a')]), ['a', 'b', 'c', 'd', 'e']);
});
