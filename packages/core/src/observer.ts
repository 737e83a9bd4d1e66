import type { ErrorCode } from './errors.js';

/**
 * Counters the runtime exports as metrics. Core and dialects call it; the
 * gateway implements it with prom-client. Calls take no label objects so the
 * hot path allocates nothing.
 */
export interface Observer {
  frameIn(dialect: string): void;
  frameOut(dialect: string): void;
  routed(kind: 'direct' | 'room'): void;
  /** A sampled local delivery: seconds from the Hub accepting a message to this node's recipients' sessions having it. */
  delivered(kind: 'direct' | 'room', seconds: number): void;
  error(dialect: string, code: ErrorCode): void;
  limit(kind: 'frame_size' | 'send_queue' | 'registration_timeout' | 'connections_total' | 'connections_per_ip' | 'flood' | 'ping_timeout'): void;
}

export type LimitKind = Parameters<Observer['limit']>[0];

/** An Observer that counts nothing. */
export const NOOP_OBSERVER: Observer = Object.freeze({
  frameIn() {}, frameOut() {}, routed() {}, delivered() {}, error() {}, limit() {},
});
