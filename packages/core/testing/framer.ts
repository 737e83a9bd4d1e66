import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorCode, Framer } from '@chat-gateway/core';

/** A fault as fixtures write it: the code, and whether the stream is given up. */
export interface FaultOut {
  fault: ErrorCode;
  fatal: boolean;
}

/** What a framer emitted, as fixtures write it: a frame (as the table records it) or a fault. */
export type Emitted<R> = R | FaultOut;

/** A fault row entry; most faults let the framer resync, so `fatal` defaults to false. */
export const fault = (code: ErrorCode, fatal = false): FaultOut => ({ fault: code, fatal });

/** One row of a dialect's framer fixture table: bytes ⇄ frames and faults. */
export interface FramerFixture<R, C = never> {
  name: string;
  bytes: Uint8Array;
  /** Everything the framer emits for these bytes, in order, however they are chunked. */
  out: readonly Emitted<R>[];
  /** This row's framer configuration (a smaller limit...); such rows are left out of the glued stream. */
  config?: C;
  /** The canonical encoder gives exactly these bytes back from the row's frames. */
  canonical?: boolean;
}

/** How a dialect's encoder meets its framer: what is encoded must read back as it was. */
export interface FramerCodec<R> {
  /** Encoders by name (line endings, compression formats): every one must round trip. */
  encoders: Readonly<Record<string, (frame: R) => string | Uint8Array>>;
  /** The encoder that `canonical` rows reproduce byte for byte; default: the first. */
  canonical?: string;
  /** What a round trip keeps of a frame (PSU keeps command and params, not the raw line); default: all of it. */
  kept?(frame: R): unknown;
  /** Further frames, by group: each group is encoded, glued into one stream, and read back split anywhere. */
  samples?: Readonly<Record<string, readonly R[]>>;
}

/** A dialect's framer and its fixture table, for testFramerFixtures. */
export interface FramerTable<F, R = F, C = never> {
  /** Prefixes the suite names, e.g. `PSU framer`. */
  title: string;
  /** A fresh framer; `config` is a row's own configuration, undefined for the default one. */
  framer(config?: C): Framer<F>;
  /** What a frame is compared as; default: the frame itself. */
  record?(frame: F): R;
  fixtures: readonly FramerFixture<R, C>[];
  codec?: FramerCodec<R>;
}

/** Pushes the chunks through the framer and returns what it emitted, in order. */
export function emitted<F, R = F>(framer: Framer<F>, chunks: readonly Uint8Array[], record: (frame: F) => R = (f) => f as unknown as R): Emitted<R>[] {
  const out: Emitted<R>[] = [];
  const sink = { frame: (f: F) => out.push(record(f)), fault: (code: ErrorCode, _detail: string, fatal: boolean) => out.push(fault(code, fatal)) };
  for (const c of chunks) framer.push(c, sink);
  return out;
}

/** The bytes one byte per chunk. */
export function bytewise(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

/** Every split of the bytes into two non-empty chunks, with the split position. */
export function* splits(bytes: Uint8Array): Generator<[Uint8Array, Uint8Array, number]> {
  for (let i = 1; i < bytes.length; i++) yield [bytes.subarray(0, i), bytes.subarray(i), i];
}

/** The ways a stream can arrive: whole, byte by byte, and split in two at every position. */
export function* chunkings(bytes: Uint8Array): Generator<[string, Uint8Array[]]> {
  yield ['whole', [bytes]];
  yield ['byte by byte', bytewise(bytes)];
  for (const [a, b, i] of splits(bytes)) yield [`split at ${i}`, [a, b]];
}

/** Asserts a fresh framer emits `want` (after `map`) for the bytes in every chunking. */
export function assertEveryChunking<F, R>(
  make: () => Framer<F>,
  bytes: Uint8Array,
  want: readonly unknown[],
  record?: (frame: F) => R,
  map: (o: Emitted<R>) => unknown = (o) => o,
): void {
  for (const [how, chunks] of chunkings(bytes)) assert.deepEqual(emitted(make(), chunks, record).map(map), want, how);
}

const isFault = (o: unknown): o is FaultOut => typeof o === 'object' && o !== null && 'fault' in o && 'fatal' in o;

/**
 * Registers the fixture suites of one framer: each row whole, byte by byte
 * and split at every position; the rows that share the default framer glued
 * back to back; and, with a codec, every row's frames encoded and read back,
 * canonical rows byte for byte.
 */
export function testFramerFixtures<F, R = F, C = never>(table: FramerTable<F, R, C>): void {
  const record = table.record;
  describe(`${table.title}: fixture table`, () => {
    for (const fx of table.fixtures) {
      const make = () => table.framer(fx.config);
      test(`${fx.name}: whole`, () => {
        assert.deepEqual(emitted(make(), [fx.bytes], record), fx.out);
      });
      test(`${fx.name}: byte by byte`, () => {
        assert.deepEqual(emitted(make(), bytewise(fx.bytes), record), fx.out);
      });
      test(`${fx.name}: split at every position`, () => {
        for (const [a, b, i] of splits(fx.bytes)) assert.deepEqual(emitted(make(), [a, b], record), fx.out, `split at ${i}`);
      });
    }
    // A row that emits nothing is an unfinished frame that would swallow the next row; after a fatal fault nothing is read.
    const glued = table.fixtures.filter((fx) => fx.config === undefined && fx.out.length > 0 && !fx.out.some((o) => isFault(o) && o.fatal));
    test(`${glued.length} rows glued back to back give all their frames in order, however chunked`, () => {
      assert.ok(glued.length >= 2, 'at least two rows to glue');
      assertEveryChunking(() => table.framer(), concat(glued.map((fx) => fx.bytes)), glued.flatMap((fx) => fx.out), record);
    });
  });
  if (table.codec) testCodec(table, table.codec);
}

function testCodec<F, R, C>(table: FramerTable<F, R, C>, codec: FramerCodec<R>): void {
  const record = table.record;
  const names = Object.keys(codec.encoders);
  const canonical = codec.encoders[codec.canonical ?? names[0]!]!;
  const kept = codec.kept ?? ((r: R) => r);
  const keep = (o: Emitted<R>) => (isFault(o) ? o : kept(o));
  const framesOf = (fx: FramerFixture<R, C>) => fx.out.filter((o): o is R => !isFault(o));
  describe(`${table.title}: encoding`, () => {
    for (const fx of table.fixtures) {
      if (fx.canonical) {
        test(`${fx.name}: encodes back to the same bytes`, () => {
          const frames = framesOf(fx);
          assert.ok(frames.length > 0, 'a canonical row has frames');
          assert.deepEqual(concat(frames.map((f) => bytesOf(canonical(f)))), Buffer.from(fx.bytes));
        });
      }
      test(`${fx.name}: round trip through ${names.length > 1 ? `each of ${names.join(', ')}` : 'the encoder'}`, () => {
        for (const name of names) {
          for (const frame of framesOf(fx)) {
            const back = emitted(table.framer(), [bytesOf(codec.encoders[name]!(frame))], record).map(keep);
            assert.deepEqual(back, [kept(frame)], name);
          }
        }
      });
    }
    for (const [group, frames] of Object.entries(codec.samples ?? {})) {
      test(`${group}: encoded, glued, and read back as sent, split anywhere`, () => {
        for (const name of names) {
          const bytes = concat(frames.map((f) => bytesOf(codec.encoders[name]!(f))));
          assertEveryChunking(() => table.framer(), bytes, frames.map(kept), record, keep);
        }
      });
    }
  });
}

function bytesOf(wire: string | Uint8Array): Buffer {
  return typeof wire === 'string' ? Buffer.from(wire, 'utf8') : Buffer.from(wire);
}

function concat(parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}
