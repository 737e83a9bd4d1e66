import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode } from '@chat-gateway/core';
import { PsuFramer, encodeCommand, parseLine, type PsuFrame } from '@chat-gateway/psu';
import { FIXTURES, bytes, type Out } from './fixtures.js';

/** Runs a fresh framer over chunks and collects frames and faults in order. */
function run(chunks: Uint8Array[], max = 8192): Out[] {
  const framer = new PsuFramer(max);
  const out: Out[] = [];
  const sink = { frame: (fr: PsuFrame) => out.push(fr), fault: (code: ErrorCode) => out.push({ fault: code }) };
  for (const c of chunks) framer.push(c, sink);
  return out;
}

describe('PSU framer: fixture table', () => {
  for (const fx of FIXTURES) {
    test(`${fx.name}: whole`, () => {
      assert.deepEqual(run([fx.bytes], fx.max), fx.frames);
    });
    test(`${fx.name}: byte by byte`, () => {
      assert.deepEqual(run([...fx.bytes].map((b) => Uint8Array.of(b)), fx.max), fx.frames);
    });
    test(`${fx.name}: split at every position`, () => {
      for (let i = 1; i < fx.bytes.length; i++) {
        assert.deepEqual(run([fx.bytes.subarray(0, i), fx.bytes.subarray(i)], fx.max), fx.frames, `split at ${i}`);
      }
    });
  }
});

describe('PSU encodeCommand: fixture table', () => {
  for (const fx of FIXTURES) {
    const frames = fx.frames.filter((o): o is PsuFrame => !('fault' in o));
    if (fx.canonical) {
      test(`${fx.name}: encodes back to the same bytes`, () => {
        assert.equal(frames.length, 1);
        assert.deepEqual(encodeCommand(frames[0]!), fx.bytes);
      });
    }
    test(`${fx.name}: round trip parse(encode(frame)) keeps command and params`, () => {
      for (const fr of frames) {
        const again = run([encodeCommand(fr)]);
        assert.equal(again.length, 1);
        const g = again[0] as PsuFrame;
        assert.equal(g.command, fr.command);
        assert.deepEqual(g.params, fr.params);
      }
    });
  }
});

describe('PSU parseLine', () => {
  test('a line with no command word is no frame', () => {
    for (const raw of ['', ' ', '\t', ':', ' : ', '\t:\t']) assert.equal(parseLine(raw), undefined, JSON.stringify(raw));
  });

  test('only ASCII letters are upper-cased in the command', () => {
    assert.equal(parseLine(':privMsg b x')!.command, 'PRIVMSG');
    assert.equal(parseLine(':été')!.command, 'éTé');
  });

  test('texts that need the colon to survive a round trip get it', () => {
    for (const text of ['', ':', '::x', ' lead', '\tlead', 'trail ', 'a : b', 'plain']) {
      const line = encodeCommand({ command: 'PRIVMSG', params: ['bob', text] });
      assert.deepEqual(parseLine(line.toString('utf8').replace(/\r\n$/, ''))!.params, ['bob', text], JSON.stringify(text));
    }
  });

  test('the buffer never holds more than max bytes of an oversize line, and resyncs after it', () => {
    const framer = new PsuFramer(64);
    const out: Out[] = [];
    const sink = { frame: (fr: PsuFrame) => out.push(fr), fault: (code: ErrorCode) => out.push({ fault: code }) };
    for (let i = 0; i < 1000; i++) framer.push(Buffer.alloc(1000, 0x61), sink);
    assert.deepEqual(out, [{ fault: 'FRAME_TOO_LARGE' }]);
    framer.push(bytes('\r\n:LIST\r\n'), sink);
    assert.deepEqual(out.slice(1), [{ command: 'LIST', params: [], raw: ':LIST' }]);
  });
});
