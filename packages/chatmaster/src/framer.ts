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
 * are no package, and a package that is no JSON cost an `error` package and
 * the stream goes on; a compressed package that is corrupt, too long, or
 * inflates past decompressedMax is fatal, since nothing says where the next
 * package starts (and a bomb must not get a second try).
 */
export class PackageFramer implements Framer<Inbound> {
  private mode: Mode = 'top';
  private readonly json: JsonScanner;
  private zip?: CompressedPackage;
  private pending?: Inbound;
  private proof = false;
  private sawPackage = false;
  private dead = false;
  private emitted = 0;
  private sink?: FrameSink<Inbound>;

  /** `nested` is set for the framer that splits one compressed package's content: it accepts plain JSON only. */
  constructor(
    private readonly limits: Readonly<Limits>,
    private readonly nested?: 'zlib' | 'gzip',
  ) {
    this.json = new JsonScanner(nested ? limits.decompressedMax : limits.packageMax, limits.jsonDepthMax);
  }

  push(chunk: Uint8Array, sink: FrameSink<Inbound>): void {
    if (this.dead) return;
    this.sink = sink;
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    while (i < buf.length && !this.dead) {
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
          else this.unpack(r.output, this.zip!.format);
          this.zip = undefined;
          buf = r.rest;
          i = 0;
          break;
        }
      }
    }
    this.flush();
  }

  /**
   * For the nested framer: the compressed package's content has ended, so a
   * value still open is cut short. Returns whether anything (a package or a
   * fault) came out.
   */
  finish(): boolean {
    if (this.mode === 'json' && this.json.inside) this.fault('BAD_FRAME', 'compressed package ends inside a JSON value', false);
    this.flush();
    return this.emitted > 0;
  }

  /** Between packages: whitespace, then a package's first byte decides the mode. */
  private top(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === 0x20 || b === 0x09 || b === 0x0d) continue;
      if (b === LF) {
        // `\n` after a package: the client frames a stream (DESIGN.md ChatMaster pacing). Not inside a compressed package's content.
        if (this.sawPackage && !this.nested) {
          this.proof = true;
          if (this.pending) this.pending.stream = true;
        }
        continue;
      }
      if (b === 0x7b || b === 0x5b) {
        this.mode = 'json';
        return i;
      }
      const format = this.nested ? 'none' : sniff(b);
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

  private parse(bytes: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.fault('BAD_FRAME', `not valid JSON: ${(err as Error).message}`, false);
      return;
    }
    this.complete(value, this.nested ?? 'none');
  }

  /** Splits one compressed package's content: normally one package, but any number back to back is fine. */
  private unpack(output: Buffer, format: 'zlib' | 'gzip'): void {
    // A fresh framer per package: a broken one must not leak state into the next.
    const inner = new PackageFramer(this.limits, format);
    inner.push(output, {
      frame: (f) => this.complete(f.value, f.compression),
      fault: (code, detail, fatal) => this.fault(code, detail, fatal),
    });
    if (!inner.finish()) this.fault('BAD_FRAME', 'compressed package holds no JSON package', false);
    this.sawPackage = true;
  }

  private complete(value: unknown, compression: Compression): void {
    this.flush();
    this.pending = { value, compression, stream: this.proof };
  }

  private readonly capFault = (code: ErrorCode, detail: string): void => this.fault(code, detail, false);

  private fault(code: ErrorCode, detail: string, fatal: boolean): void {
    // Keep order: a package finished before the fault goes out before it.
    this.flush();
    this.emitted++;
    this.sink?.fault(code, detail, fatal);
  }

  /** Hands on the last package once it is known whether a `\n` followed it in the same read. */
  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.emitted++;
    this.sink?.frame(p);
  }
}
