import type { WireClient } from './wire.js';

/** A frame a client received, in canonical terms: what the matrix asserts on. */
export type Seen =
  | { kind: 'dm'; from: string; text: string; raw: string }
  | { kind: 'room'; room: string; from: string; text: string; raw: string }
  | { kind: 'online'; nick: string; raw: string }
  | { kind: 'offline'; nick: string; room?: string; raw: string }
  | { kind: 'renamed'; from: string; to: string; raw: string }
  | { kind: 'joined'; room: string; nick: string; raw: string }
  | { kind: 'left'; room: string; nick: string; raw: string }
  | { kind: 'receipt'; from: string; to: string; raw: string }
  | { kind: 'visibility'; room: string; raw: string }
  | { kind: 'reply'; ok: boolean; raw: string; data?: unknown }
  | { kind: 'shutdown'; raw: string };

export type SeenKind = Seen['kind'];

/** A reply to a command: success or the dialect's error, with the raw frame for exact checks. */
export interface Reply {
  ok: boolean;
  raw: string;
  /** Further frames the command produced (NAMES lines, a contacts list...). */
  more?: string[];
}

/**
 * One chat client of any dialect, with the same verbs everywhere, so a
 * scenario is written once and run for every dialect or pair of dialects.
 * Verbs a dialect lacks (rooms on WS_2017 and Sup) throw; what a dialect
 * has is in its contract (DialectContract), so suites never call those.
 */
export interface ChatDriver {
  readonly dialect: string;
  readonly wire: WireClient;
  nick: string;
  /** How long a verb waits for its reply, ms. */
  replyTimeoutMs: number;
  register(nick: string): Promise<Reply>;
  dm(to: string, text: string): Promise<Reply>;
  /** A DM whose text is raw bytes (invalid UTF-8 included), framed as this dialect frames a DM. */
  dmBytes(to: string, text: Uint8Array): Promise<Reply>;
  roomSay(room: string, text: string): Promise<Reply>;
  join(room: string): Promise<Reply>;
  part(room: string): Promise<Reply>;
  rename(nick: string): Promise<Reply>;
  /** Sends the recipient's receipt for a DM from `from`, where clients of the dialect do (contract.receipts). */
  receipt?(from: string): void;
  /** Makes the room the driver is in private or public, where it can (contract.rooms.setsVisibility). */
  setVisibility?(which: 'private' | 'public'): Promise<Reply>;
  quit(): Promise<void>;
  /** The next frame received, parsed. */
  next(timeoutMs?: number): Promise<Seen>;
  /** Skips (and drops) frames until one of the kind matches. */
  waitFor<K extends SeenKind>(kind: K, match?: (s: Extract<Seen, { kind: K }>) => boolean, timeoutMs?: number): Promise<Extract<Seen, { kind: K }>>;
  /**
   * Set where the gateway is several nodes: resolves once traffic between
   * them has arrived, so that a sentinel proves nothing more is coming from
   * any node, not just from the client's own.
   */
  settle?: () => Promise<void>;
  /** A round trip that proves nothing else is queued: the very next frame must be the sentinel's reply. */
  sentinel(): Promise<void>;
  /** Reads and drops everything sent before now (a sentinel round trip); returns what it dropped. */
  drain(timeoutMs?: number): Promise<Seen[]>;
  close(): void;
}
