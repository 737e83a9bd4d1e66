import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { DEFAULT_LIMITS } from '@chat-gateway/core';
import { encode, PackageFramer, type Compression, type ServerPackage } from '@chat-gateway/chatmaster';
import { bytewise, FRAMER_FIXTURES, GZIP_HI, hex, runFramer, splits, utf8, ZLIB_HI } from './fixtures.js';

describe('framer fixture table', () => {
  for (const fx of FRAMER_FIXTURES) {
    test(`${fx.name}: whole`, () => {
      assert.deepEqual(runFramer([fx.bytes], fx.limits).out, fx.out);
    });
    test(`${fx.name}: byte by byte`, () => {
      assert.deepEqual(runFramer(bytewise(fx.bytes), fx.limits).out, fx.out);
    });
    test(`${fx.name}: split at every position`, () => {
      for (const [a, b, i] of splits(fx.bytes)) assert.deepEqual(runFramer([a, b], fx.limits).out, fx.out, `split at ${i}`);
    });
  }
});

describe('encode ⇄ framer round trip', () => {
  const packages: ServerPackage[] = [
    { type: 'message', data: { message: 'a}"{\\\n😀', username: 'ann', channel: 'general' } },
    { type: 'notification', data: { event_type: 'user_joined', username: 'ann', channel: 'general', parameters: { current_users: ['ann', 'bob'] } } },
    { type: 'session', data: { status: true, channels: [] } },
  ];
  for (const format of ['none', 'zlib', 'gzip'] as Compression[]) {
    test(`${format}: each package ends in \\n and reads back as sent, glued and split anywhere`, () => {
      const wires = packages.map((p) => encode(p, format));
      for (const w of wires) assert.equal(typeof w === 'string' ? w.at(-1) : w.at(-1), typeof w === 'string' ? '\n' : 0x0a);
      const bytes = Buffer.concat(wires.map((w) => (typeof w === 'string' ? utf8(w) : w)));
      const want = packages.map((value) => ({ value, compression: format }));
      assert.deepEqual(runFramer([bytes]).out, want);
      for (const [a, b, i] of splits(bytes)) assert.deepEqual(runFramer([a, b]).out, want, `split at ${i}`);
    });
  }
  test('plain encoding is one JSON text plus \\n, nothing else', () => {
    assert.equal(encode({ type: 'error', data: { error_type: 'parse', message: 'x' } }, 'none'), '{"type":"error","data":{"error_type":"parse","message":"x"}}\n');
  });
  test('compressed encodings start with their magic bytes and inflate with the standard library', () => {
    const pkg: ServerPackage = { type: 'request', data: { request: 'login' } };
    const z = encode(pkg, 'zlib') as Buffer;
    const g = encode(pkg, 'gzip') as Buffer;
    assert.equal(z[0], 0x78);
    assert.deepEqual([g[0], g[1]], [0x1f, 0x8b]);
    assert.deepEqual(JSON.parse(zlib.inflateSync(z.subarray(0, -1)).toString()), pkg);
    assert.deepEqual(JSON.parse(zlib.gunzipSync(g.subarray(0, -1)).toString()), pkg);
  });
});

describe('stream proof (`\\n` after a package)', () => {
  const stream = (chunks: Buffer[]) => runFramer(chunks).frames.map((f) => f.stream);
  test('a package with no \\n does not prove a stream', () => {
    assert.deepEqual(stream([utf8('{"a":1}'), utf8('{"a":2}')]), [false, false]);
  });
  test('\\n in the same read marks that package', () => {
    assert.deepEqual(stream([utf8('{"a":1}\n'), utf8('{"a":2}')]), [true, true]);
  });
  test('\\n in the next read marks the packages after it', () => {
    assert.deepEqual(stream([utf8('{"a":1}'), utf8('\n{"a":2}')]), [false, true]);
  });
  test('\\n before any package proves nothing', () => {
    assert.deepEqual(stream([utf8('\n\n{"a":1}'), utf8('{"a":2}')]), [false, false]);
  });
  test('\\n after a compressed package counts; one inside its content does not', () => {
    assert.deepEqual(stream([Buffer.concat([ZLIB_HI, utf8('\n')])]), [true]);
    assert.deepEqual(stream([hex('789c53e0520000 0097004b'), ZLIB_HI]), [false]);
  });
});

describe('compressed packages across reads', () => {
  test('many compressed packages in one read, then one split over three reads', () => {
    const glued = Buffer.concat([ZLIB_HI, GZIP_HI, ZLIB_HI, GZIP_HI]);
    const f = new PackageFramer(DEFAULT_LIMITS);
    const first = runFramer([glued.subarray(0, glued.length - 5)], {}, f).out;
    assert.equal(first.length, 3);
    const second = runFramer([glued.subarray(glued.length - 5, glued.length - 2), glued.subarray(glued.length - 2)], {}, f).out;
    assert.deepEqual(second, [{ value: { type: 'message', data: { message: 'hi' } }, compression: 'gzip' }]);
  });
  test('a checksum mismatch is fatal', () => {
    for (const good of [ZLIB_HI, GZIP_HI]) {
      const bad = Buffer.from(good);
      bad[bad.length - (good === ZLIB_HI ? 1 : 5)]! ^= 0xff;
      assert.deepEqual(runFramer([bad]).out, [{ fault: 'BAD_FRAME', fatal: true }]);
    }
  });
  test('a gzip ISIZE mismatch is fatal', () => {
    const bad = Buffer.from(GZIP_HI);
    bad[bad.length - 4]! ^= 0x01;
    assert.deepEqual(runFramer([bad]).out, [{ fault: 'BAD_FRAME', fatal: true }]);
  });
  test('after a fatal fault the framer reads nothing more', () => {
    const f = new PackageFramer(DEFAULT_LIMITS);
    const bad = Buffer.from(ZLIB_HI);
    bad[bad.length - 1]! ^= 0xff;
    assert.deepEqual(runFramer([bad, utf8('{"a":1}')], {}, f).out, [{ fault: 'BAD_FRAME', fatal: true }]);
  });
});
