import type { ErrorCode, FrameSink, Framer, Limits } from '@chat-gateway/core';
import { CompressedPackage, sniff, type Compression } from './compression.js';
import { JsonScanner } from './splitter.js';

/** One inbound package as the session gets it: parsed, not yet validated. */
export interface Inbound {
  /** The parsed JSON value (validation is the session's job: it names the command in the error). */
  value: unknown;
  /** How the client sent it, for `compression: mirror`. */
  compression: Compression;
  /**
   * True once the client has ended a package with `\n`: proof that it reads a
   * stream, which lifts the pacing rule (DESIGN.md ChatMaster).
   */
  stream: boolean;
}

/** Ends the detail of every fatal fault: the client reads that the connection closes next. */
export const CLOSING = '; closing the connection';

const LF = 0x0a;

type Mode = 'top' | 'json' | 'compressed' | 'garbage';

/**
 * The ChatMaster framer (DESIGN.md ChatMaster): JSON packages back to back,
 * with or without whitespace between them, split anywhere, each either plain
 * or one zlib/gzip stream told apart by its first byte. Pure and synchronous.
 *
 * Faults: a package over packageMax or nested past jsonDepthMax, bytes that
 * are no package, a package that is no JSON, and a compressed package that
 * holds anything but exactly one package (DESIGN.md "Operating limits") cost
 * an `error` package and the stream goes on; a compressed package that is
 * corrupt, too long, or inflates past decompressedMax is fatal, since nothing
 * says where the next package starts (and a bomb must not get a second try).
 *
 * What it inflated is charged to the sink (flood control) before it is
 * decoded, and a halted sink stops it between packages, the rest kept for the
 * next push: work stops the moment the connection closes.
 */
export class PackageFramer implements Framer<Inbound> {
  private mode: Mode = 'top';
  private readonly json: JsonScanner;
  private zip?: CompressedPackage;
  private pending?: Inbound;
  private proof = false;
  private sawPackage = false;
  private dead = false;
  private sink?: FrameSink<Inbound>;
  // What a halted push left unread: read first by the next push.
  private held?: Buffer;

  constructor(private readonly limits: Readonly<Limits>) {
    this.json = new JsonScanner(limits.packageMax, limits.jsonDepthMax);
  }

  push(chunk: Uint8Array, sink: FrameSink<Inbound>): void {
    if (this.dead) return;
    this.sink = sink;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.held) {
      buf = buf.length === 0 ? this.held : Buffer.concat([this.held, buf]);
      this.held = undefined;
    }
    let i = 0;
    while (i < buf.length && !this.dead) {
      if (sink.halted) {
        // Between packages: the rest waits for the next push (or is dropped with the connection).
        this.held = buf.subarray(i);
        break;
      }
      switch (this.mode) {
        case 'top':
          i = this.top(buf, i);
          break;
        case 'json': {
          const got = this.json.scan(buf, i, this.capFault);
          if (!got) return this.flush();
          if (got.result.kind === 'value') this.parse(got.result.bytes);
          this.sawPackage = true;
          this.mode = 'top';
          i = got.end;
          break;
        }
        case 'garbage':
          i = this.garbage(buf, i);
          break;
        case 'compressed': {
          const r = this.zip!.push(i === 0 ? buf : buf.subarray(i));
          if (r.kind === 'more') return this.flush();
          this.mode = r.kind === 'not-compressed' ? 'garbage' : 'top';
          if (r.kind === 'fatal') {
            this.fault(r.code, r.detail + CLOSING, true);
            this.dead = true;
            return this.flush();
          }
          if (r.kind === 'not-compressed') this.fault('BAD_FRAME', 'expected a JSON package', false);
          else this.unpack(r.output, r.work, this.zip!.format);
          this.zip = undefined;
          buf = r.rest;
          i = 0;
          break;
        }
      }
    }
    this.flush();
  }

  /** Between packages: whitespace, then a package's first byte decides the mode. */
  private top(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === 0x20 || b === 0x09 || b === 0x0d) continue;
      if (b === LF) {
        // `\n` after a package: the client frames a stream (DESIGN.md ChatMaster pacing).
        if (this.sawPackage) {
          this.proof = true;
          if (this.pending) this.pending.stream = true;
        }
        continue;
      }
      if (b === 0x7b || b === 0x5b) {
        this.mode = 'json';
        return i;
      }
      const format = sniff(b);
      if (format === 'zlib' || format === 'gzip') {
        this.mode = 'compressed';
        this.zip = new CompressedPackage(format, this.limits.packageMax, this.limits.decompressedMax);
        return i;
      }
      this.fault('BAD_FRAME', 'expected a JSON package', false);
      this.mode = 'garbage';
      return i;
    }
    return i;
  }

  /** Skips what is no package up to a line end or a `{`, where a package may start again. */
  private garbage(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === LF || b === 0x7b) {
        this.mode = 'top';
        return i;
      }
    }
    return i;
  }

  private parse(bytes: Buffer, compression: Compression = 'none'): void {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.fault('BAD_FRAME', `not valid JSON: ${(err as Error).message}`, false);
      return;
    }
    this.complete(value, compression);
  }

  /**
   * One compressed package's content: exactly one JSON package, whitespace
   * around it allowed (DESIGN.md "Operating limits": one compressed envelope
   * holds exactly one package). Anything else is one BAD_FRAME, however many
   * packages it holds, and none of them is handed on. What was inflated is
   * charged first; over the flood limit the content is not even read.
   */
  private unpack(output: Buffer, work: number, format: 'zlib' | 'gzip'): void {
    this.sawPackage = true;
    if (this.sink?.inflated && !this.sink.inflated(work)) return;
    const start = skipSpace(output, 0);
    if (start === output.length) return this.fault('BAD_FRAME', 'compressed package holds no JSON package', false);
    const first = output[start]!;
    if (first !== 0x7b && first !== 0x5b) return this.fault('BAD_FRAME', 'compressed package holds no JSON package', false);
    // A fresh scanner per package: a broken one must not leak state into the next.
    const got = new JsonScanner(this.limits.decompressedMax, this.limits.jsonDepthMax).scan(output, start, this.capFault);
    if (!got) return this.fault('BAD_FRAME', 'compressed package ends inside a JSON value', false);
    if (skipSpace(output, got.end) < output.length) return this.fault('BAD_FRAME', 'a compressed package holds exactly one JSON package', false);
    if (got.result.kind === 'value') this.parse(got.result.bytes, format);
  }

  private complete(value: unknown, compression: Compression): void {
    this.flush();
    this.pending = { value, compression, stream: this.proof };
  }

  private readonly capFault = (code: ErrorCode, detail: string): void => this.fault(code, detail, false);

  private fault(code: ErrorCode, detail: string, fatal: boolean): void {
    // Keep order: a package finished before the fault goes out before it.
    this.flush();
    this.sink?.fault(code, detail, fatal);
  }

  /** Hands on the last package once it is known whether a `\n` followed it in the same read. */
  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.sink?.frame(p);
  }
}

/** The index of the first byte from `i` that is not JSON whitespace. */
function skipSpace(b: Buffer, i: number): number {
  while (i < b.length) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
  return i;
}
