import type { Observer } from './observer.js';

/**
 * One message in this many has its local delivery timed: two performance.now()
 * calls would be cheap enough for every message, but the histogram behind the
 * observer hashes its labels on every observation.
 */
export const DELIVERY_SAMPLE_EVERY = 64;

/**
 * Times every Nth local delivery of each kind of message for the
 * delivery-latency histogram, the first one included, so that a quiet server
 * shows data too.
 */
export class DeliverySampler {
  private readonly n = { direct: 0, room: 0 };

  constructor(private readonly observer: Observer) {}

  /** performance.now() when this delivery is sampled, else -1. */
  start(kind: 'direct' | 'room'): number {
    return this.n[kind]++ % DELIVERY_SAMPLE_EVERY === 0 ? performance.now() : -1;
  }

  /** Reports a sampled delivery begun at `t0`; a no-op for an unsampled one (-1). */
  stop(kind: 'direct' | 'room', t0: number): void {
    if (t0 >= 0) this.observer.delivered(kind, (performance.now() - t0) / 1000);
  }
}
