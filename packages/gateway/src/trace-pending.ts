import type { Dialect, ErrorCode, Framer, FrameSink, PendingHint } from '@chat-gateway/core';

/** What a PendingWatch needs of its connection. */
export interface PendingHost {
  /** A timer that dies with the connection; returns its cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** Bytes stayed without a frame end for the watch's time: every trace watcher gets them... */
  record(p: PendingHint): void;
  /** ...and the client is told, once per connection, where its dialect has a way to say it. */
  tell(p: PendingHint): void;
}

// The reads kept for the dialect to look at; of a longer unended frame the last bytes are kept.
const KEPT_MAX = 64 * 1024;

/**
 * Notices inbound bytes that end no frame for `ms` (DESIGN.md "Interop
 * bench": `login alice\n` to a Sup listener waits for an EOT that never
 * comes). It stands between a traced connection and its framer, so it knows
 * that a read ended a frame when the framer hands one on (or a fault) during
 * that read. It keeps the reads since the last one that ended a frame, that
 * one included, and when no frame ended for `ms` asks the dialect what of
 * them is still waiting. Reported once until a frame ends again; an idle
 * connection whose last read ended a frame costs one check, then nothing.
 * One per connection, kept while nobody traces it (reads then go straight to
 * the framer), so that the client is told once however often it is traced.
 */
export class PendingWatch<F> implements FrameSink<F> {
  private reads: Buffer[] = [];
  private size = 0;
  private framed = false;
  private reported = false;
  private told = false;
  /** False while nobody traces the connection: reads go straight to the framer, nothing is kept. */
  watching = true;
  private sink?: FrameSink<F>;
  private cancel?: () => void;

  constructor(
    private readonly framer: Framer<F>,
    private readonly dialect: Dialect,
    private readonly ms: number,
    private readonly host: PendingHost,
  ) {}

  /** Hands `chunk` to the framer, watching whether a frame ends in it. */
  push(chunk: Uint8Array, sink: FrameSink<F>): void {
    if (!this.watching) return this.framer.push(chunk, sink);
    this.sink = sink;
    this.framed = false;
    this.framer.push(chunk, this);
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.framed) {
      // What may be pending began in this read: the wait starts again.
      this.cancel?.();
      this.cancel = undefined;
      this.reads = [buf];
      this.size = buf.length;
      this.reported = false;
    } else {
      this.reads.push(buf);
      this.size += buf.length;
      this.trim();
    }
    if (!this.cancel && !this.reported) this.cancel = this.host.after(this.ms, this.check);
  }

  frame(frame: F): void {
    this.framed = true;
    this.sink?.frame(frame);
  }

  fault(code: ErrorCode, detail: string, fatal: boolean): void {
    this.framed = true;
    this.sink?.fault(code, detail, fatal);
  }

  /** The framer's charge for what it inflated goes to the real sink (flood control). */
  inflated(bytes: number): boolean {
    return this.sink?.inflated?.(bytes) ?? true;
  }

  /** The real sink's halt holds through the watch: a traced connection stops between frames too. */
  get halted(): boolean {
    return this.sink?.halted ?? false;
  }

  /** Stops watching (the connection closed, or nobody traces it any more) until `watching` is set again. */
  stop(): void {
    this.watching = false;
    this.cancel?.();
    this.cancel = undefined;
    this.reads = [];
    this.size = 0;
    this.reported = false;
  }

  private readonly check = (): void => {
    this.cancel = undefined;
    const p = this.dialect.pendingHint?.(this.reads.length === 1 ? this.reads[0]! : Buffer.concat(this.reads, this.size), this.ms);
    if (!p) return;
    this.reported = true;
    this.host.record(p);
    if (this.told) return;
    this.told = true;
    this.host.tell(p);
  };

  private trim(): void {
    while (this.size > KEPT_MAX && this.reads.length > 1) this.size -= this.reads.shift()!.length;
    if (this.size > KEPT_MAX) {
      this.reads = [this.reads[0]!.subarray(this.size - KEPT_MAX)];
      this.size = KEPT_MAX;
    }
  }
}
