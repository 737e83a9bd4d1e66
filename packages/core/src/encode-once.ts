import type { BusEvent } from './events.js';

// The Hub hands one event to all its local recipients before the next event,
// so remembering the encodings of the latest event alone is enough, and costs
// no allocation per event. An event seen again later is simply encoded again.
// A flat key/value list: a handful of keys per event at most, cheaper than a Map to reset.
let memoEvent: BusEvent | undefined;
let memoCount = 0;
const memoKeys: string[] = [];
const memoValues: unknown[] = [];

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
  for (let i = 0; i < memoCount; i++) if (memoKeys[i] === key) return memoValues[i] as T;
  const v = encode();
  memoKeys[memoCount] = key;
  memoValues[memoCount++] = v;
  return v;
}
