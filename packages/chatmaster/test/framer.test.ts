import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { DEFAULT_LIMITS, type Limits } from '@chat-gateway/core';
import { testFramerFixtures } from '@chat-gateway/core/testing';
import { encode, PackageFramer, type Compression, type Inbound, type ServerPackage } from '@chat-gateway/chatmaster';
import { FRAMER_FIXTURES, framerWith, GZIP_HI, hex, pkgOf, runFramer, utf8, ZLIB_HI, type Pkg } from './fixtures.js';

const FORMATS: Compression[] = ['none', 'zlib', 'gzip'];
const PACKAGES: ServerPackage[] = [
  { type: 'message', data: { message: 'a}"{\\\n😀', username: 'ann', channel: 'general' } },
  { type: 'notification', data: { event_type: 'user_joined', username: 'ann', channel: 'general', parameters: { current_users: ['ann', 'bob'] } } },
  { type: 'session', data: { status: true, channels: [] } },
];

testFramerFixtures<Inbound, Pkg, Partial<Limits>>({
  title: 'ChatMaster framer',
  framer: framerWith,
  record: pkgOf,
  fixtures: FRAMER_FIXTURES,
  codec: {
    // The gateway's encoder in the format each package came in: what it sends must read back as sent.
    encoders: { encode: (p) => encode(p.value as ServerPackage, p.compression) },
    samples: Object.fromEntries(FORMATS.map((format) => [format, PACKAGES.map((value) => ({ value, compression: format }))])),
  },
});

describe('encode', () => {
  test('each package ends in \\n, in every format', () => {
    for (const format of FORMATS) {
      for (const p of PACKAGES) {
        const w = encode(p, format);
        assert.equal(typeof w === 'string' ? w.at(-1) : w.at(-1), typeof w === 'string' ? '\n' : 0x0a, format);
      }
    }
  });
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

describe('amplification (issue #12 items 1 and 2)', () => {
  test("zlib.compress(b'{}' * 400000): 799 bytes holding 400,000 packages are one error, and nothing is handed on", () => {
    const envelope = zlib.deflateSync('{}'.repeat(400_000));
    assert.ok(envelope.length < 1000, `${envelope.length} bytes`);
    const r = runFramer([Buffer.concat(Array.from({ length: 10 }, () => envelope))]);
    assert.equal(r.frames.length, 0);
    assert.deepEqual(r.out, Array.from({ length: 10 }, () => ({ fault: 'BAD_FRAME', fatal: false })));
    // Before: 4,000,000 frames out of 7,990 bytes; now ten inflations and ten two-byte scans.
  });

  test('what a compressed package inflated to is charged before it is decoded; refused, it is never parsed', () => {
    const pkg = { type: 'command', data: { command: 'channels' } };
    const z = zlib.deflateSync(JSON.stringify(pkg));
    const charged: number[] = [];
    const frames: Inbound[] = [];
    let allow = true;
    const sink = { frame: (f: Inbound) => frames.push(f), fault: () => assert.fail('no fault'), inflated: (n: number) => (charged.push(n), allow) };
    const f = new PackageFramer(DEFAULT_LIMITS);
    f.push(z, sink);
    allow = false;
    f.push(z, sink);
    assert.equal(frames.length, 1, 'the refused one is dropped undecoded');
    assert.equal(charged.length, 2);
    assert.ok(charged.every((n) => n >= JSON.stringify(pkg).length), `charged ${charged.join(', ')} bytes`);
    // Plain JSON costs no inflation.
    f.push(utf8(JSON.stringify(pkg)), sink);
    assert.equal(charged.length, 2);
  });

  test('a halted sink stops the framer between packages, mid-push, plain or compressed; the next push goes on', () => {
    const frames: unknown[] = [];
    let halted = false;
    const sink = {
      frame: (f: Inbound) => {
        frames.push(f.value);
        halted = true;
      },
      fault: () => {},
      get halted() {
        return halted;
      },
    };
    const f = new PackageFramer(DEFAULT_LIMITS);
    f.push(Buffer.concat([utf8('{"a":1}\n{"b":2}\n'), ZLIB_HI, utf8('\n{"c":3}\n')]), sink);
    // The package in hand when the halt comes still goes out (whether a `\n` followed it is known), nothing after it.
    assert.deepEqual(frames, [{ a: 1 }, { b: 2 }]);
    for (let i = 0; i < 3; i++) {
      halted = false;
      f.push(Buffer.alloc(0), sink);
    }
    assert.deepEqual(frames, [{ a: 1 }, { b: 2 }, { type: 'message', data: { message: 'hi' } }, { c: 3 }]);
  });
});
