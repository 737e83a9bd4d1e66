import { anyShared, sharedBytes } from '@chat-gateway/core';

// What a connection writes in one turn, as one Buffer. A frame core's encodeOnce gave to several
// recipients has its bytes made once (core sharedBytes) and copied here; the rest are joined and
// encoded once per turn.

/** One turn's frames for one connection, in order, as one Buffer (one write). */
export function frameBytes(out: readonly (string | Uint8Array)[]): Uint8Array {
  if (out.length === 1) {
    const f = out[0]!;
    return typeof f === 'string' ? (sharedBytes(f) ?? Buffer.from(f, 'utf8')) : f;
  }
  let strings = true;
  for (const f of out) if (typeof f !== 'string') strings = false;
  // Nothing shared: one join and one encoding beats a Buffer per frame.
  if (strings && !anyShared()) return Buffer.from((out as string[]).join(''), 'utf8');
  const parts: Uint8Array[] = new Array(out.length);
  for (let i = 0; i < out.length; i++) {
    const f = out[i]!;
    parts[i] = typeof f === 'string' ? (sharedBytes(f) ?? Buffer.from(f, 'utf8')) : f;
  }
  return Buffer.concat(parts);
}

/** The UTF-8 size of the string frames among `out` (a pass over each: called only when a limit may be near). */
export function stringBytes(out: readonly (string | Uint8Array)[]): number {
  let n = 0;
  for (const f of out) if (typeof f === 'string') n += Buffer.byteLength(f);
  return n;
}

/** The UTF-8 size of one frame. */
export function byteLengthOf(frame: string | Uint8Array): number {
  return typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
}
