import type { TransportKind } from './transports/pipe.js';

/** One connection as a trace names it. */
export interface TracedConnection {
  id: string;
  listener: string;
  dialect: string;
  transport: TransportKind;
  remote: string;
  /** The nick once registered. */
  nick?: string;
}

/**
 * Bytes that crossed one connection: inbound exactly as read (terminators
 * included), outbound as written; or, as `pending`, inbound bytes that still
 * end no frame after `trace.pendingMs`, reported once with the dialect's hint.
 */
export interface TraceRecord extends TracedConnection {
  dir: 'in' | 'out' | 'pending';
  bytes: Uint8Array;
  /** Epoch milliseconds. */
  at: number;
  /** `pending` only: what the frame lacks, in the dialect's words (`no EOT (\x04) after 1 s`). */
  hint?: string;
}

/** Where a subscriber gets one connection's records. Called synchronously on the connection's path: keep it cheap, never throw. */
export interface TraceSink {
  record(r: TraceRecord): void;
  /** The connection closed: no more records. */
  end(): void;
}

/**
 * The per-connection trace source (DESIGN.md "Interop bench": a trace that
 * shows what was really sent). Costs nothing while nobody subscribes.
 */
export interface TraceSource {
  /** The connections open now. */
  connections(): TracedConnection[];
  /** Sends one connection's records to `sink` from now on; returns the unsubscribe function, or undefined when no such connection is open. */
  subscribe(connection: string, sink: TraceSink): (() => void) | undefined;
  /**
   * Offers every connection, those open now and each new one before its
   * first byte, to `choose`; the connections it gives a sink for are traced
   * to it. Returns the function that stops offering (subscriptions made stay).
   */
  watch(choose: (c: TracedConnection) => TraceSink | undefined): () => void;
}
