import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { DEFAULT_LIMITS } from '@chat-gateway/core';
import { CLOSING, PackageFramer, type Inbound } from '@chat-gateway/chatmaster';
import { runFramer, utf8 } from './fixtures.js';

/** 50 MB of zeros, deflated: about 50 KB, under packageMax, a decompression bomb. */
const BOMB_ZLIB = zlib.deflateSync(Buffer.alloc(50 * 1024 * 1024));
const BOMB_GZIP = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));

function collect(framer = new PackageFramer(DEFAULT_LIMITS)) {
  const frames: Inbound[] = [];
  const faults: { code: string; detail: string; fatal: boolean }[] = [];
  const sink = { frame: (f: Inbound) => frames.push(f), fault: (code: string, detail: string, fatal: boolean) => faults.push({ code, detail, fatal }) };
  return { framer, frames, faults, push: (b: Uint8Array) => framer.push(b, sink) };
}

describe('decompressedMax: decompression bombs', () => {
  for (const [name, bomb] of [['zlib', BOMB_ZLIB], ['gzip', BOMB_GZIP]] as const) {
    test(`${name} bomb in one read: one fatal FRAME_TOO_LARGE that says the connection closes`, () => {
      assert.ok(bomb.length < DEFAULT_LIMITS.packageMax, 'the bomb itself is small');
      const c = collect();
      c.push(Buffer.concat([bomb, utf8('{"a":1}')]));
      assert.equal(c.frames.length, 0);
      assert.equal(c.faults.length, 1);
      assert.equal(c.faults[0]!.code, 'FRAME_TOO_LARGE');
      assert.equal(c.faults[0]!.fatal, true);
      assert.ok(c.faults[0]!.detail.endsWith(CLOSING), c.faults[0]!.detail);
      assert.match(c.faults[0]!.detail, /inflates past 1048576 bytes/);
    });
    test(`${name} bomb over TCP-sized reads is refused as soon as enough of it arrived`, () => {
      const c = collect();
      let pushed = 0;
      for (let at = 0; at < bomb.length && c.faults.length === 0; at += 1460) {
        c.push(bomb.subarray(at, at + 1460));
        pushed++;
      }
      assert.deepEqual(c.faults.map((f) => [f.code, f.fatal]), [['FRAME_TOO_LARGE', true]]);
      assert.ok(pushed * 1460 < bomb.length, `refused after ${pushed} of ${Math.ceil(bomb.length / 1460)} reads`);
    });
  }
  test('memory stays bounded: heap and buffers grow by far less than the 50 MB the bomb holds', () => {
    globalThis.gc?.();
    const before = process.memoryUsage();
    for (let i = 0; i < 20; i++) collect().push(BOMB_ZLIB);
    const after = process.memoryUsage();
    const grown = after.arrayBuffers + after.heapUsed - (before.arrayBuffers + before.heapUsed);
    assert.ok(grown < 40 * 1024 * 1024, `grew ${grown} bytes over 20 bombs`);
  });
  test('exactly decompressedMax inflates; one byte more does not', () => {
    const limits = { decompressedMax: 1000 };
    const fits = `{"m":"${'x'.repeat(1000 - 8)}"}`;
    assert.equal(fits.length, 1000);
    assert.deepEqual(runFramer([zlib.deflateSync(fits)], limits).out, [{ value: { m: 'x'.repeat(992) }, compression: 'zlib' }]);
    assert.deepEqual(runFramer([zlib.deflateSync(fits + ' ')], limits).out, [{ fault: 'FRAME_TOO_LARGE', fatal: true }]);
  });
  test('a decompressed package may be larger than packageMax (its cap is decompressedMax)', () => {
    const big = { m: 'y'.repeat(200_000) };
    assert.deepEqual(runFramer([zlib.deflateSync(JSON.stringify(big))]).out, [{ value: big, compression: 'zlib' }]);
  });
  test('nesting past jsonDepthMax inside a compressed package: error, not fatal', () => {
    const deep = '['.repeat(40) + ']'.repeat(40);
    assert.deepEqual(runFramer([zlib.deflateSync(deep), utf8('{"a":1}')]).out, [{ fault: 'BAD_FRAME', fatal: false }, { value: { a: 1 }, compression: 'none' }]);
  });
});

describe('packageMax', () => {
  test('a compressed package longer than packageMax is fatal (nothing says where it ends)', () => {
    const noise = zlib.deflateSync(randomBytes(5000).toString('base64'));
    assert.ok(noise.length > 1024);
    assert.deepEqual(runFramer([noise], { packageMax: 1024 }).out, [{ fault: 'FRAME_TOO_LARGE', fatal: true }]);
    // ...also when it arrives a little at a time.
    const chunks = [];
    for (let i = 0; i < noise.length; i += 100) chunks.push(noise.subarray(i, i + 100));
    assert.deepEqual(runFramer(chunks, { packageMax: 1024 }).out, [{ fault: 'FRAME_TOO_LARGE', fatal: true }]);
  });
  test('a compressed package followed by more than packageMax of other packages in one read is fine', () => {
    const small = zlib.deflateSync('{"a":1}');
    const many = utf8('{"b":2}'.repeat(20));
    const out = runFramer([Buffer.concat([small, many])], { packageMax: 64 }).out;
    assert.equal(out.length, 21);
    assert.deepEqual(out[0], { value: { a: 1 }, compression: 'zlib' });
  });
  test('a 10 MB plain package in 10,000 reads: one error, the buffer stays small, the next package is read', () => {
    const c = collect();
    c.push(utf8('{"m":"'));
    const chunk = Buffer.alloc(1000, 0x61);
    for (let i = 0; i < 10_000; i++) c.push(chunk);
    c.push(utf8('"}{"ok":true}'));
    assert.deepEqual(c.faults.map((f) => [f.code, f.fatal]), [['FRAME_TOO_LARGE', false]]);
    assert.deepEqual(c.frames.map((f) => f.value), [{ ok: true }]);
  });
  test('a compressed package dribbled in tiny pieces cannot buy unbounded inflate work', () => {
    const limits = { packageMax: 4096, decompressedMax: 4096 };
    const noise = zlib.deflateSync(randomBytes(1500).toString('hex'), { level: 0 });
    assert.ok(noise.length < 4096);
    const out = runFramer([...noise].map((b) => Buffer.of(b)), limits).out;
    assert.deepEqual(out, [{ fault: 'FRAME_TOO_LARGE', fatal: true }]);
  });
});
