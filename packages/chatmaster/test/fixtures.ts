import { DEFAULT_LIMITS, type Limits } from '@chat-gateway/core';
import { emitted, fault, type Emitted, type FramerFixture } from '@chat-gateway/core/testing';
import { PackageFramer, type Compression, type Inbound } from '@chat-gateway/chatmaster';

/** A package as fixtures compare it: its value and the format it came in. */
export type Pkg = { value: unknown; compression: Compression };

/** What a framer emitted: a package or a fault. */
export type Out = Emitted<Pkg>;

/** Bytes from hex, spaces ignored. */
export const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
/** Bytes from an escaped string, UTF-8. */
export const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The framer with default limits but for `limits`. */
export const framerWith = (limits: Partial<Limits> = {}): PackageFramer => new PackageFramer({ ...DEFAULT_LIMITS, ...limits });

/** What a package frame is compared as. */
export const pkgOf = (f: Inbound): Pkg => ({ value: f.value, compression: f.compression });

/** Runs a framer over chunks and collects what it emitted, in order, and the frames themselves. */
export function runFramer(chunks: Uint8Array[], limits: Partial<Limits> = {}, framer = framerWith(limits)): { out: Out[]; frames: Inbound[] } {
  const frames: Inbound[] = [];
  const out = emitted(framer, chunks, (f: Inbound) => {
    frames.push(f);
    return pkgOf(f);
  });
  return { out, frames };
}

const plain = (value: unknown): Out => ({ value, compression: 'none' });

const LOGIN = { type: 'command', data: { command: 'login', parameters: { username: 'ann' } } };
const HI = { type: 'message', data: { message: 'hi' } };

/** zlib (78 9c) of the LOGIN package's JSON, as a client's zlib.compress makes it. */
export const ZLIB_LOGIN = hex(
  '789cab562aa92c4855b2524acecfcd4dcc4b51d2514a492c4954b2aa868b5829e5e4a767e629e92815241625e6a696a4161583e44b8b538bf21273419a13f3f2946a6b6b01f78e1a87',
);
/** gzip (1f 8b) of the same JSON, mtime zeroed. */
export const GZIP_LOGIN = hex(
  '1f8b0800000000000003ab562aa92c4855b2524acecfcd4dcc4b51d2514a492c4954b2aa868b5829e5e4a767e629e92815241625e6a696a4161583e44b8b538bf21273419a13f3f2946a6b6b014019b76b4d000000',
);
/** zlib of the HI package. */
export const ZLIB_HI = hex('789cab562aa92c4855b252ca4d2d2e4e4c4f55d2514a492c4954b2aa868b582965642ad5d602002ff30e16');
/** gzip of the HI package. */
export const GZIP_HI = hex('1f8b0800000000000003ab562aa92c4855b252ca4d2d2e4e4c4f55d2514a492c4954b2aa868b582965642ad5d60200375c02dc2a000000');

/** A gzip member with the optional FNAME and FCOMMENT header fields (RFC 1952 2.3.1), holding HI. */
export const GZIP_HI_NAMED = Buffer.concat([
  hex('1f8b 08 18 00000000 00 03'),
  utf8('hi.json\0a comment\0'),
  GZIP_HI.subarray(10),
]);

/**
 * The framer fixture table (GUIDE "FRAMER FIXTURE TABLE"): bytes ⇄ packages.
 * Each row runs whole, byte by byte, and split at every position, and must
 * give the same packages and faults every way.
 */
export const FRAMER_FIXTURES: FramerFixture<Pkg, Partial<Limits>>[] = [
  { name: 'one package, no terminator', bytes: utf8('{"type":"message","data":{"message":"hi"}}'), out: [plain(HI)] },
  { name: 'one package ended by \\n', bytes: utf8('{"type":"message","data":{"message":"hi"}}\n'), out: [plain(HI)] },
  { name: 'glued, no whitespace', bytes: utf8('{"a":1}{"b":2}{"c":3}'), out: [plain({ a: 1 }), plain({ b: 2 }), plain({ c: 3 })] },
  { name: 'whitespace and CRLF between and around', bytes: utf8(' \r\n\t{"a":1} \n\n {"b":2}\r\n  '), out: [plain({ a: 1 }), plain({ b: 2 })] },
  { name: 'key order does not matter', bytes: utf8('{"data":{"message":"hi"},"type":"message"}'), out: [plain(HI)] },
  { name: 'braces and brackets inside strings', bytes: utf8('{"m":"}}{{]["}{"n":"{"}'), out: [plain({ m: '}}{{][' }), plain({ n: '{' })] },
  { name: 'escaped quotes and backslashes', bytes: utf8('{"m":"a\\"}\\\\"}{"n":"\\\\\\""}'), out: [plain({ m: 'a"}\\' }), plain({ n: '\\"' })] },
  { name: 'unicode escapes and raw UTF-8', bytes: utf8('{"m":"\\u00e9 é 😀 \\ud83d\\ude00"}'), out: [plain({ m: 'é é 😀 😀' })] },
  { name: 'nested objects and arrays', bytes: utf8('{"a":[1,{"b":[[]]}],"c":{}}'), out: [plain({ a: [1, { b: [[]] }], c: {} })] },
  { name: 'a top-level array is a value (the schema refuses it later)', bytes: utf8('[1,2]{"a":1}'), out: [plain([1, 2]), plain({ a: 1 })] },
  { name: 'zlib package', bytes: ZLIB_LOGIN, out: [{ value: LOGIN, compression: 'zlib' }] },
  { name: 'gzip package', bytes: GZIP_LOGIN, out: [{ value: LOGIN, compression: 'gzip' }] },
  { name: 'gzip with FNAME and FCOMMENT', bytes: GZIP_HI_NAMED, out: [{ value: HI, compression: 'gzip' }] },
  { name: 'zlib, gzip, zlib glued', bytes: Buffer.concat([ZLIB_HI, GZIP_LOGIN, ZLIB_LOGIN]), out: [{ value: HI, compression: 'zlib' }, { value: LOGIN, compression: 'gzip' }, { value: LOGIN, compression: 'zlib' }] },
  { name: 'gzip, gzip glued (not one multi-member stream)', bytes: Buffer.concat([GZIP_HI, GZIP_LOGIN]), out: [{ value: HI, compression: 'gzip' }, { value: LOGIN, compression: 'gzip' }] },
  { name: 'compressed then plain, \\n between', bytes: Buffer.concat([GZIP_HI, utf8('\n{"a":1}\n'), ZLIB_HI, utf8('\n')]), out: [{ value: HI, compression: 'gzip' }, plain({ a: 1 }), { value: HI, compression: 'zlib' }] },
  { name: 'plain then compressed, glued', bytes: Buffer.concat([utf8('{"a":1}'), ZLIB_HI]), out: [plain({ a: 1 }), { value: HI, compression: 'zlib' }] },
  { name: 'not JSON inside balanced braces: error, then the next package', bytes: utf8('{abc}{"a":1}'), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  { name: 'garbage before a package is skipped to the {', bytes: utf8('hello {"a":1}'), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  { name: 'a garbage line is skipped to its end', bytes: utf8('hello world\n{"a":1}'), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  { name: 'stray closing brace', bytes: utf8('{"a":1}}\n{"b":2}'), out: [plain({ a: 1 }), fault('BAD_FRAME'), plain({ b: 2 })] },
  { name: 'x that is no zlib header is garbage, not fatal', bytes: utf8('xyz\n{"a":1}'), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  { name: '0x1f that is no gzip header is garbage, not fatal', bytes: hex('1f 41 0a 7b 7d'), out: [fault('BAD_FRAME'), plain({})] },
  { name: 'NUL bytes between packages', bytes: utf8('{"a":1}\0\0{"b":2}'), out: [plain({ a: 1 }), fault('BAD_FRAME'), plain({ b: 2 })] },
  { name: 'invalid UTF-8 in a string is replaced', bytes: Buffer.concat([utf8('{"m":"'), hex('ff fe'), utf8('"}')]), out: [plain({ m: '\uFFFD\uFFFD' })] },
  { name: 'raw newline inside a string is not JSON', bytes: utf8('{"m":"a\nb"}{"a":1}'), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  {
    name: 'package over packageMax: error, skipped to its end, stream goes on',
    bytes: utf8(`{"m":"${'x'.repeat(100)}"}{"a":1}`),
    config: { packageMax: 64 },
    out: [fault('FRAME_TOO_LARGE'), plain({ a: 1 })],
  },
  { name: 'exactly packageMax is fine', bytes: utf8(`{"m":"${'x'.repeat(56)}"}`), config: { packageMax: 64 }, out: [plain({ m: 'x'.repeat(56) })] },
  { name: 'packageMax + 1 is not', bytes: utf8(`{"m":"${'x'.repeat(57)}"}`), config: { packageMax: 64 }, out: [fault('FRAME_TOO_LARGE')] },
  {
    name: 'nesting past jsonDepthMax: error, skipped to its end',
    bytes: utf8('{"a":{"b":{"c":{"d":{}}}}}{"a":1}'),
    config: { jsonDepthMax: 4 },
    out: [fault('BAD_FRAME'), plain({ a: 1 })],
  },
  { name: 'nesting exactly jsonDepthMax is fine', bytes: utf8('{"a":{"b":{"c":[]}}}'), config: { jsonDepthMax: 4 }, out: [plain({ a: { b: { c: [] } } })] },
  { name: 'compressed empty content', bytes: hex('789c 0300 00000001'), out: [fault('BAD_FRAME')] },
  { name: 'compressed whitespace only', bytes: hex('789c 53e0520000 0097004b'), out: [fault('BAD_FRAME')] },
  // DESIGN.md "Operating limits": one compressed envelope holds exactly one package; more is one error, none of them read.
  { name: 'two packages inside one compressed package', bytes: Buffer.concat([hex('789c ab564a54b232ac55a8564a52b232aa0500 219c0433'), utf8('{"c":3}')]), out: [fault('BAD_FRAME'), plain({ c: 3 })] },
  { name: 'compressed content cut inside a value', bytes: Buffer.concat([hex('789c ab564a54b20200 0495015b'), utf8('{"a":1}')]), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  { name: 'compressed content that is no JSON', bytes: Buffer.concat([hex('789c cbcb2f480500 044e01b3'), utf8('{"a":1}')]), out: [fault('BAD_FRAME'), plain({ a: 1 })] },
  {
    name: 'corrupt zlib body is fatal; nothing after it is read',
    bytes: Buffer.concat([utf8('{"a":1}'), hex('789c ff ff ff ff ff ff ff ff'), utf8('{"b":2}')]),
    out: [plain({ a: 1 }), fault('BAD_FRAME', true)],
  },
];
