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

/** Bytes that crossed one connection: inbound exactly as read (terminators included), outbound as written. */
export interface TraceRecord extends TracedConnection {
  dir: 'in' | 'out';
  bytes: Uint8Array;
  /** Epoch milliseconds. */
  at: number;
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
}
