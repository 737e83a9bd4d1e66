import type { ErrorCode } from '@chat-gateway/core';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** What a finished scan produced: a whole value's bytes, or nothing (it broke a cap and was skipped). */
export type Scanned = { kind: 'value'; bytes: Buffer } | { kind: 'skipped' };

/** Reports a cap broken by the value being scanned (reported once, as soon as it is broken). */
export type CapFault = (code: ErrorCode, detail: string) => void;

/**
 * Finds where one JSON object or array ends in a byte stream, without
 * parsing it: it tracks nesting depth, strings and escapes only, so braces
 * inside strings and escaped quotes never end a package (DESIGN.md
 * ChatMaster: "split across reads anywhere"). Its state survives between
 * chunks; its buffer never holds more than `max` bytes.
 *
 * A value longer than `max` or nested deeper than `depthMax` is reported
 * once and then skipped to its end with the same bookkeeping, so the stream
 * stays in sync and memory stays bounded whatever the client sends.
 */
export class JsonScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(
    private readonly max: number,
    private readonly depthMax: number,
  ) {}

  /** True while a value has begun and not yet ended. */
  get inside(): boolean {
    return this.depth > 0;
  }

  /**
   * Scans `buf` from `from`; when not inside a value, buf[from] must be `{`
   * or `[`. Returns the index just past the value's end with what it held
   * (bytes valid until the caller returns), or undefined when the buffer
   * ended first (the bytes are kept).
   */
  scan(buf: Buffer, from: number, onCap: CapFault): { end: number; result: Scanned } | undefined {
    const n = buf.length;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    for (let i = from; i < n; i++) {
      const b = buf[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
        continue;
      }
      if (b === QUOTE) {
        inString = true;
      } else if (b === LBRACE || b === LBRACKET) {
        depth++;
        if (depth > this.depthMax && !this.skipping) this.skip(onCap, 'BAD_FRAME', `package nested deeper than ${this.depthMax} levels`);
      } else if (b === RBRACE || b === RBRACKET) {
        depth--;
        if (depth === 0) {
          this.depth = 0;
          this.inString = false;
          this.escaped = false;
          this.keep(buf, from, i + 1, onCap);
          return { end: i + 1, result: this.finish() };
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.keep(buf, from, n, onCap);
    return undefined;
  }

  private keep(buf: Buffer, from: number, to: number, onCap: CapFault): void {
    if (this.skipping || to <= from) return;
    if (this.size + (to - from) > this.max) {
      this.skip(onCap, 'FRAME_TOO_LARGE', `package longer than ${this.max} bytes`);
      return;
    }
    this.parts.push(buf.subarray(from, to));
    this.size += to - from;
  }

  private skip(onCap: CapFault, code: ErrorCode, detail: string): void {
    this.skipping = true;
    this.parts = [];
    this.size = 0;
    onCap(code, detail);
  }

  private finish(): Scanned {
    const parts = this.parts;
    const size = this.size;
    const skipped = this.skipping;
    this.parts = [];
    this.size = 0;
    this.skipping = false;
    if (skipped) return { kind: 'skipped' };
    // No copy: the caller decodes the bytes before the chunk they came from is released.
    return { kind: 'value', bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size) };
  }
}
