import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import type { ErrorCode } from '@chat-gateway/core';

// node:zlib is loaded by the first compressed package: most clients never send one, and loading it
// would cost every gateway with a ChatMaster listener about 1 MB of RSS at start (issue #16).
const requireBuiltin = createRequire(import.meta.url);
let zlibModule: typeof Zlib | undefined;
const zlib = (): typeof Zlib => (zlibModule ??= requireBuiltin('node:zlib') as typeof Zlib);
// zlib.constants.Z_SYNC_FLUSH (zlib.h), without loading zlib to read it.
const Z_SYNC_FLUSH = 2;

/** How a package travels: plain JSON, or one zlib (RFC 1950) or gzip (RFC 1952) stream. */
export type Compression = 'none' | 'zlib' | 'gzip';

/** What feeding a compressed package produced so far. */
export type Inflated =
  | { kind: 'more' }
  /** `work`: bytes inflated for this package over every try (what flood control charges). */
  | { kind: 'done'; output: Buffer; rest: Buffer; work: number }
  /** The first bytes only looked like a compressed package: `rest` is everything after the first byte. */
  | { kind: 'not-compressed'; rest: Buffer }
  | { kind: 'fatal'; code: ErrorCode; detail: string };

const RAW_OPTIONS = { finishFlush: Z_SYNC_FLUSH, info: true } as const;
// Re-inflation work allowed per package, in units of (packageMax + decompressedMax): see CompressedPackage.
const WORK_FACTOR = 16;

/** The format a package's first byte announces (DESIGN.md ChatMaster: "tell by its first bytes"). */
export function sniff(b: number): Compression {
  if (b === 0x78) return 'zlib';
  if (b === 0x1f) return 'gzip';
  return 'none';
}

/**
 * One compressed package arriving over any number of reads, inflated
 * synchronously with every cap enforced (DESIGN.md "Operating limits").
 *
 * Where does it end? The header and trailer are parsed here and the deflate
 * body is inflated raw with Z_SYNC_FLUSH, so incomplete input is no error and
 * `bytesWritten` says how much input the body used: zlib stops consuming at
 * the body's final block, so a package glued to the next one ends exactly
 * there. (Node's gunzip would instead read any trailing non-zero byte as a
 * second gzip member, which is why gzip is not left to it.) The checksum in
 * the trailer is then verified here.
 *
 * Node has no synchronous streaming inflate, so each read re-inflates the
 * package from its start. Output is capped by maxOutputLength on every try,
 * so a bomb is refused on the first read that holds enough of it; the total
 * work per package is capped too, so a package dribbled in byte by byte
 * cannot buy unbounded CPU.
 */
export class CompressedPackage {
  private parts: Buffer[] = [];
  private size = 0;
  private work = 0;
  private readonly workMax: number;

  constructor(
    readonly format: 'zlib' | 'gzip',
    private readonly packageMax: number,
    private readonly decompressedMax: number,
  ) {
    this.workMax = WORK_FACTOR * (packageMax + decompressedMax);
  }

  /** Adds the bytes of one read (all of them: where the package ends is not known yet) and tries to finish. */
  push(chunk: Buffer): Inflated {
    if (chunk.length > 0) {
      this.parts.push(chunk);
      this.size += chunk.length;
    }
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.size)];
    const all = this.parts[0] ?? Buffer.alloc(0);
    const header = this.format === 'zlib' ? zlibHeader(all) : gzipHeader(all);
    if (header === 'bad') return { kind: 'not-compressed', rest: all.subarray(1) };
    if (header === 'more') return this.size >= this.packageMax ? tooLong(this.packageMax) : { kind: 'more' };
    return this.inflate(all, header);
  }

  private inflate(all: Buffer, bodyStart: number): Inflated {
    const avail = all.subarray(bodyStart, Math.min(all.length, this.packageMax));
    let output: Buffer;
    let used: number;
    try {
      const r = zlib().inflateRawSync(avail, { ...RAW_OPTIONS, maxOutputLength: this.decompressedMax }) as unknown as InflateInfo;
      output = r.buffer;
      used = r.engine.bytesWritten;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        return { kind: 'fatal', code: 'FRAME_TOO_LARGE', detail: `compressed package inflates past ${this.decompressedMax} bytes` };
      }
      return { kind: 'fatal', code: 'BAD_FRAME', detail: `corrupt ${this.format} data (${(err as Error).message})` };
    }
    this.work += avail.length + output.length;
    if (used >= avail.length) {
      // The body (or, at the size cap, the package) has not ended yet.
      if (bodyStart + avail.length >= this.packageMax) return tooLong(this.packageMax);
      if (this.work > this.workMax) {
        return { kind: 'fatal', code: 'FRAME_TOO_LARGE', detail: `compressed package sent in too many small pieces` };
      }
      return { kind: 'more' };
    }
    const trailerAt = bodyStart + used;
    const end = trailerAt + (this.format === 'zlib' ? 4 : 8);
    if (end > this.packageMax) return tooLong(this.packageMax);
    if (all.length < end) return { kind: 'more' };
    if (!this.checksumOk(all, trailerAt, output)) {
      return { kind: 'fatal', code: 'BAD_FRAME', detail: `corrupt ${this.format} data (checksum mismatch)` };
    }
    this.parts = [];
    this.size = 0;
    return { kind: 'done', output, rest: all.subarray(end), work: this.work };
  }

  private checksumOk(all: Buffer, at: number, output: Buffer): boolean {
    if (this.format === 'zlib') return all.readUInt32BE(at) === adler32(output);
    return all.readUInt32LE(at) === zlib().crc32(output) && all.readUInt32LE(at + 4) === output.length % 0x1_0000_0000;
  }
}

interface InflateInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

function tooLong(max: number): Inflated {
  return { kind: 'fatal', code: 'FRAME_TOO_LARGE', detail: `compressed package longer than ${max} bytes` };
}

/** RFC 1950 header: its length (2), 'more' when incomplete, 'bad' when these are not zlib bytes. */
export function zlibHeader(b: Buffer): number | 'more' | 'bad' {
  if (b.length < 2) return 'more';
  const cmf = b[0]!;
  const flg = b[1]!;
  // CM 8 (deflate), window ≤ 32K, check bits, and no preset dictionary (nobody could know it).
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 0x20) !== 0) return 'bad';
  return 2;
}

/** RFC 1952 header with its optional fields: its length, 'more' when incomplete, 'bad' when not gzip. */
export function gzipHeader(b: Buffer): number | 'more' | 'bad' {
  if (b.length >= 2 && b[1] !== 0x8b) return 'bad';
  if (b.length >= 3 && b[2] !== 8) return 'bad';
  if (b.length >= 4 && (b[3]! & 0xe0) !== 0) return 'bad';
  if (b.length < 10) return 'more';
  const flg = b[3]!;
  let at = 10;
  if (flg & 0x04) {
    // FEXTRA: a two-byte length, then that many bytes.
    if (b.length < at + 2) return 'more';
    at += 2 + b.readUInt16LE(at);
  }
  for (const bit of [0x08, 0x10]) {
    // FNAME, FCOMMENT: zero-terminated.
    if (!(flg & bit)) continue;
    const z = b.indexOf(0, at);
    if (z < 0) return 'more';
    at = z + 1;
  }
  if (flg & 0x02) at += 2; // FHCRC
  return b.length < at ? 'more' : at;
}

/** Adler-32 (RFC 1950 §9), the zlib trailer's checksum. */
export function adler32(buf: Uint8Array): number {
  let a = 1;
  let b = 0;
  const n = buf.length;
  // 5552 is the longest run before b could overflow 2^32 (zlib's NMAX).
  for (let i = 0; i < n; ) {
    const end = Math.min(i + 5552, n);
    for (; i < end; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Compresses one outbound package in the given format. */
export function compress(json: string, format: 'zlib' | 'gzip'): Buffer {
  return format === 'zlib' ? zlib().deflateSync(json) : zlib().gzipSync(json);
}
