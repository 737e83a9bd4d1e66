import type { FrameSink, Framer, PendingHint } from './dialect.js';
import { visible } from './text.js';

export interface DelimitedOptions<F = string> {
  /** The one or two bytes that end a frame, e.g. CR and LF for line dialects, EOT for Sup. */
  terminators: readonly number[];
  /** Treat CR LF as one terminator, even when the LF comes in the next chunk. */
  crlf: boolean;
  /** Longest frame in bytes, terminator excluded. */
  max: number;
  /** Emit empty frames (between two terminators) instead of skipping them. */
  keepEmpty?: boolean;
  /** Turns a decoded frame into the dialect's frame; undefined drops it (a blank line, say). */
  parse?: (raw: string) => F | undefined;
}

const CR = 0x0d;
const LF = 0x0a;

const shared = new WeakMap<object, Map<number, DelimitedOptions<unknown>>>();

/**
 * A dialect's framing rules with a frame limit, one object per rules and
 * limit: every connection's framer shares it instead of holding its own
 * copy (issue #16: memory per idle connection). `rules` must be a constant.
 */
export function withMax<F>(rules: Readonly<Omit<DelimitedOptions<F>, 'max'>>, max: number): DelimitedOptions<F> {
  let byMax = shared.get(rules);
  if (!byMax) shared.set(rules, (byMax = new Map()));
  let opts = byMax.get(max) as DelimitedOptions<F> | undefined;
  if (!opts) byMax.set(max, (opts = Object.freeze({ ...rules, max })) as DelimitedOptions<unknown>);
  return opts;
}

/**
 * A framer for terminator-delimited text (WS_2017, PSU, Sup). Frames are
 * decoded as UTF-8 with invalid sequences replaced, never thrown. A frame
 * longer than `max` is reported once as FRAME_TOO_LARGE and skipped up to its
 * terminator, so the connection resynchronises and stays open; the buffer
 * never grows past `max` bytes. With `parse`, each frame is parsed before it
 * is handed on, so a dialect's framer is this class plus its parse function.
 */
export class DelimitedFramer<F = string> implements Framer<F> {
  // A frame split across chunks, its pieces so far; made on the first split (an idle connection holds none).
  private parts?: Buffer[];
  private size = 0;
  private skipping = false;
  private afterCR = false;
  // What a halted push left unread (the sink said stop): read first by the next push.
  private held?: Buffer;
  constructor(private readonly opts: DelimitedOptions<F>) {
    if (opts.terminators.length < 1 || opts.terminators.length > 2) throw new RangeError('a delimited framing has one or two terminators');
  }

  push(chunk: Uint8Array, sink: FrameSink<F>): void {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.held) {
      buf = buf.length === 0 ? this.held : Buffer.concat([this.held, buf]);
      this.held = undefined;
    }
    let start = 0;
    const n = buf.length;
    const terms = this.opts.terminators;
    const t0 = terms[0]!;
    const t1 = terms.length > 1 ? terms[1]! : -1;
    // Next position of each terminator in this chunk: native indexOf scans, each byte at most once per
    // terminator. Locals, not an array kept on the framer: an idle connection holds none.
    let n0 = buf.indexOf(t0);
    let n1 = t1 < 0 ? -1 : buf.indexOf(t1);
    for (;;) {
      if (n0 >= 0 && n0 < start) n0 = buf.indexOf(t0, start);
      if (n1 >= 0 && n1 < start) n1 = buf.indexOf(t1, start);
      const i = n0 < 0 ? n1 : n1 < 0 || n0 < n1 ? n0 : n1;
      if (i < 0) break;
      const b = buf[i]!;
      if (this.afterCR && b === LF && i === start && this.size === 0 && !this.skipping) {
        // The LF of a CR LF pair whose CR ended the previous frame.
        this.afterCR = false;
        start = i + 1;
        continue;
      }
      // A CR LF within the chunk ends the frame in one step: its LF needs no second pass of the loop.
      const pair = b === CR && this.opts.crlf && i + 1 < n && buf[i + 1] === LF;
      this.afterCR = b === CR && this.opts.crlf && !pair;
      if (this.size === 0 && !this.skipping && i > start && i - start <= this.opts.max) {
        // A whole frame within this chunk (the usual case): decoded in place, no copy.
        this.emit(buf.toString('utf8', start, i), sink);
      } else {
        this.take(buf, start, i, sink);
        this.finish(sink);
      }
      start = pair ? i + 2 : i + 1;
      if (sink.halted) {
        // Stop between frames (DESIGN.md "Operating limits"): the rest waits for the next push.
        if (start < n) this.held = buf.subarray(start);
        return;
      }
    }
    if (start < n) {
      this.afterCR = false;
      this.take(buf, start, n, sink);
    }
  }

  private take(buf: Buffer, from: number, to: number, sink: FrameSink<F>): void {
    if (this.skipping || to <= from) return;
    const len = to - from;
    if (this.size + len > this.opts.max) {
      this.skipping = true;
      this.parts = undefined;
      this.size = 0;
      sink.fault('FRAME_TOO_LARGE', `frame longer than ${this.opts.max} bytes`, false);
      return;
    }
    (this.parts ??= []).push(buf.subarray(from, to));
    this.size += len;
  }

  private finish(sink: FrameSink<F>): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    const size = this.size;
    const parts = this.parts;
    this.parts = undefined;
    this.size = 0;
    if (size === 0 || !parts) {
      if (this.opts.keepEmpty) this.emit('', sink);
      return;
    }
    const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    this.emit(whole.toString('utf8'), sink);
  }

  private emit(raw: string, sink: FrameSink<F>): void {
    const parse = this.opts.parse;
    if (!parse) {
      sink.frame(raw as unknown as F);
      return;
    }
    const frame = parse(raw);
    if (frame !== undefined) sink.frame(frame);
  }
}

/** Encodes a string frame with its terminator, as one buffer for one write. */
export function encodeDelimited(text: string, terminator: string): Buffer {
  return Buffer.from(text + terminator, 'utf8');
}

/** What delimitedPending needs of a dialect's framing. */
export interface DelimitedPendingRules {
  /** Bytes that end a frame. */
  terminators: readonly number[];
  /** Bytes that alone make no frame (Sup's CR/LF "between messages"). */
  ignore?: readonly number[];
  /** What is missing, e.g. `no line end (\\r\\n)`; ` after <wait>` is added. */
  missing: string;
}

/**
 * A delimited dialect's pendingHint (DESIGN.md "Interop bench"): the bytes
 * after the last terminator in `received`, unless there are none (or only
 * `ignore` bytes), with what is missing and for how long.
 */
export function delimitedPending(received: Uint8Array, waitedMs: number, rules: DelimitedPendingRules): PendingHint | undefined {
  let last = -1;
  for (const t of rules.terminators) last = Math.max(last, received.lastIndexOf(t));
  const bytes = received.subarray(last + 1);
  const ignore = rules.ignore ?? [];
  if (bytes.every((b) => ignore.includes(b))) return undefined;
  return { bytes, hint: `${rules.missing} after ${formatWait(waitedMs)}` };
}

/** The pendingHint of a line dialect (CR, LF or CRLF end a line): what follows the last line end. */
export function linePending(received: Uint8Array, waitedMs: number): PendingHint | undefined {
  return delimitedPending(received, waitedMs, { terminators: [CR, LF], missing: 'no line end (\\r\\n)' });
}

/** A pending hint as one line a client may be sent: the hint, then the bytes as they were read (escaped, cut short: core visible). */
export function pendingText(p: PendingHint): string {
  return `${p.hint}: ${visible(Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('utf8'))}`;
}

/** A wait as a student reads it: `1 s`, `2.5 s`, `300 ms`. */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
