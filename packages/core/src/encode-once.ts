import type { BusEvent } from './events.js';

// The Hub hands one event to all its local recipients before the next event,
// so remembering the encodings of the latest event alone is enough, and costs
// no allocation per event. An event seen again later is simply encoded again.
// A flat key/value list: a handful of keys per event at most, cheaper than a Map to reset.
let memoEvent: BusEvent | undefined;
let memoCount = 0;
const memoKeys: string[] = [];
const memoValues: unknown[] = [];
const memoShared: boolean[] = [];

/**
 * Encodes an event once per key (dialect plus options) and reuses the bytes
 * for every recipient session of that kind: a room message is encoded once
 * per dialect, not once per member.
 */
export function encodeOnce<T>(event: BusEvent, key: string, encode: () => T): T {
  if (event !== memoEvent) {
    memoEvent = event;
    memoCount = 0;
  }
  for (let i = 0; i < memoCount; i++) {
    if (memoKeys[i] !== key) continue;
    const v = memoValues[i];
    // Its second recipient makes it shared; later ones need no look-up.
    if (!memoShared[i] && typeof v === 'string') share(v);
    memoShared[i] = true;
    return v as T;
  }
  const v = encode();
  memoKeys[memoCount] = key;
  memoShared[memoCount] = false;
  memoValues[memoCount++] = v;
  return v;
}

// A string encoding handed to a second recipient is shared: its UTF-8 bytes are made once, when a
// connection first writes it (the turn's flush), and copied for the others rather than encoded per
// connection (the encoding was the largest item of a room fan-out's profile). A cache, small (a big
// Map cost more than it saved): dropped whole past SHARED_MAX entries, and by the writer once a
// turn's frames are written (forgetShared), so a turn without fan-out looks nothing up: a look-up
// hashes the whole frame. A frame written after that is simply encoded per connection.
const shared = new Map<string, Uint8Array | null>();
const SHARED_MAX = 512;

function share(frame: string): void {
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(frame, null);
}

/** The UTF-8 bytes of a frame encodeOnce gave to several recipients (made once), or undefined for any other string. */
export function sharedBytes(frame: string): Uint8Array | undefined {
  if (shared.size === 0) return undefined;
  const b = shared.get(frame);
  if (b !== null) return b;
  const made = Buffer.from(frame, 'utf8');
  shared.set(frame, made);
  return made;
}

/** True when some shared frame may be asked for: with none, a writer need not look each frame up. */
export function anyShared(): boolean {
  return shared.size > 0;
}

/** Forgets every shared frame: the writer calls it once the turn's frames are written. */
export function forgetShared(): void {
  if (shared.size > 0) shared.clear();
}
