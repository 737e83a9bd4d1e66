import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode } from '@chat-gateway/core';
import { encodeMessage, SupFramer } from '@chat-gateway/sup';

type Out = string | { fault: ErrorCode };

const MAX = 32;

/** Runs a fresh framer over chunks and collects frames and faults in order. */
function run(chunks: Uint8Array[], max = MAX): Out[] {
  const framer = new SupFramer(max);
  const out: Out[] = [];
  const sink = { frame: (f: string) => out.push(f), fault: (code: ErrorCode) => out.push({ fault: code }) };
  for (const c of chunks) framer.push(c, sink);
  return out;
}
const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const bytes = (s: string) => Buffer.from(s, 'latin1');

/**
 * bytes ⇄ frames. `canonical` rows are exactly what encodeMessage() makes of
 * their single frame, so they drive encode and round trip as well as parse.
 */
const FIXTURES: { name: string; bytes: Buffer; frames: Out[]; canonical?: boolean }[] = [
  { name: 'login', bytes: bytes('login alice\x04'), frames: ['login alice'], canonical: true },
  { name: 'status reply', bytes: hex('73 74 61 74 75 73 20 30 30 30 20 4f 4b 04'), frames: ['status 000 OK'], canonical: true },
  { name: 'empty contacts keeps its space', bytes: bytes('contacts \x04'), frames: ['contacts '], canonical: true },
  { name: 'LF inside a text', bytes: bytes('send bob a\nb\x04'), frames: ['send bob a\nb'], canonical: true },
  { name: 'CRLF inside a text', bytes: bytes('send bob a\r\nb\r\nc\x04'), frames: ['send bob a\r\nb\r\nc'], canonical: true },
  { name: 'UTF-8 accepted', bytes: hex('73 65 6e 64 20 62 20 c3 a9 e2 82 ac 04'), frames: ['send b é€'], canonical: true },
  { name: 'several messages in one segment', bytes: bytes('login a\x04get contacts\x04contact b\x04'), frames: ['login a', 'get contacts', 'contact b'] },
  { name: 'CRLF between messages', bytes: bytes('login a\x04\r\nget contacts\x04\r\n'), frames: ['login a', 'get contacts'] },
  { name: 'LF and CR runs between messages', bytes: bytes('\n\n\rlogin a\x04\r\r\n\ncontact b\x04'), frames: ['login a', 'contact b'] },
  { name: 'trailing CR/LF before EOT dropped (netcat users)', bytes: bytes('login a\r\n\x04'), frames: ['login a'] },
  { name: 'only CR/LF before an EOT is no message', bytes: bytes('\r\n\x04login a\x04'), frames: ['login a'] },
  { name: 'empty messages (EOT EOT) skipped', bytes: bytes('\x04\x04login a\x04\x04'), frames: ['login a'] },
  { name: 'nothing before the EOT yet: no frame', bytes: bytes('login a'), frames: [] },
  { name: 'invalid UTF-8 replaced, never thrown', bytes: hex('73 65 6e 64 20 62 20 ff fe 61 04'), frames: ['send b \uFFFD\uFFFDa'] },
  { name: 'Latin-1 byte replaced', bytes: hex('6c 6f 67 69 6e 20 e9 04'), frames: ['login \uFFFD'] },
  { name: 'NUL and controls reach the session', bytes: hex('73 65 6e 64 20 62 20 00 01 1b 61 04'), frames: ['send b \u0000\u0001\u001ba'] },
  { name: 'exactly max bytes', bytes: bytes(`${'x'.repeat(MAX)}\x04`), frames: ['x'.repeat(MAX)], canonical: true },
  { name: 'max + 1: one fault, the rest skipped to its EOT', bytes: bytes(`${'x'.repeat(MAX + 1)}\x04ok\x04`), frames: [{ fault: 'FRAME_TOO_LARGE' }, 'ok'] },
  { name: 'oversize among good ones', bytes: bytes(`a b\x04${'y'.repeat(3 * MAX)}\x04c d\x04`), frames: ['a b', { fault: 'FRAME_TOO_LARGE' }, 'c d'] },
];

describe('Sup framer fixtures', () => {
  for (const fx of FIXTURES) {
    test(`${fx.name}: whole`, () => {
      assert.deepEqual(run([fx.bytes]), fx.frames);
    });
    test(`${fx.name}: byte by byte`, () => {
      assert.deepEqual(run([...fx.bytes].map((b) => Uint8Array.of(b))), fx.frames);
    });
    test(`${fx.name}: split at every position`, () => {
      for (let i = 1; i < fx.bytes.length; i++) {
        assert.deepEqual(run([fx.bytes.subarray(0, i), fx.bytes.subarray(i)]), fx.frames, `split at ${i}`);
      }
    });
    if (fx.canonical) {
      const frame = fx.frames[0] as string;
      test(`${fx.name}: encode`, () => {
        assert.deepEqual(encodeMessage(frame), fx.bytes);
      });
      test(`${fx.name}: round trip`, () => {
        assert.deepEqual(run([encodeMessage(frame)]), [frame]);
      });
    }
  }

  test('all fixtures glued into one stream give all frames in order', () => {
    const all = Buffer.concat(FIXTURES.filter((f) => f.frames.length > 0).map((f) => f.bytes));
    const want = FIXTURES.flatMap((f) => f.frames);
    assert.deepEqual(run([all]), want);
    assert.deepEqual(run([...all].map((b) => Uint8Array.of(b))), want);
  });
});

describe('Sup framer bounds', () => {
  test('an endless message is reported once and the buffer stays bounded', () => {
    const framer = new SupFramer(MAX);
    const out: Out[] = [];
    const sink = { frame: (f: string) => out.push(f), fault: (code: ErrorCode) => out.push({ fault: code }) };
    for (let i = 0; i < 1000; i++) framer.push(Buffer.alloc(1000, 0x61), sink);
    assert.deepEqual(out, [{ fault: 'FRAME_TOO_LARGE' }]);
    framer.push(bytes('\x04login z\x04'), sink);
    assert.deepEqual(out, [{ fault: 'FRAME_TOO_LARGE' }, 'login z']);
  });

  test('CR/LF between messages count towards the size limit like any byte', () => {
    assert.deepEqual(run([bytes(`${'\r\n'.repeat(MAX)}a\x04`)]), [{ fault: 'FRAME_TOO_LARGE' }]);
  });
});
