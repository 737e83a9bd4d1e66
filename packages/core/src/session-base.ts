import type { ErrorCode } from './errors.js';
import type { BusEvent } from './events.js';
import type { Session, SessionContext } from './dialect.js';

/**
 * The part of a session every dialect shares: its Bus identity, its nick as
 * the Hub knows it, and release on close. Dialects extend it and write the
 * state machine.
 */
export abstract class SessionBase<F, O> implements Session<F> {
  readonly id: string;
  readonly address: string;
  abstract readonly dialect: string;
  abstract readonly receipts: boolean;
  /** Whether this dialect shows users coming and going (user.online/offline); most show it through rooms only. */
  readonly presence: boolean = false;

  constructor(protected readonly ctx: SessionContext<O>) {
    this.id = ctx.transport.id;
    this.address = ctx.transport.remoteAddress;
  }

  /** The registered nick, or undefined before registration. */
  get nick(): string | undefined {
    return this.ctx.hub.nickOf(this.id);
  }

  abstract start(): void;
  abstract handle(frame: F): void | Promise<void>;
  abstract fault(code: ErrorCode, detail?: string, fatal?: boolean): void;
  abstract shutdown(message: string): void | Promise<void>;
  abstract deliver(event: BusEvent): void;

  async close(): Promise<void> {
    await this.ctx.hub.unregister(this);
  }
}

// The Bus hands one event to all its recipients before the next event, so
// remembering the encodings of the latest event alone is enough, and costs no
// allocation per event. An event seen again later is simply encoded again.
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
