import type { ErrorCode, LimitKind } from '@chat-gateway/core';
import type { GatewayMetrics, ListenerMetrics } from './runtime-types.js';

// Recent errors kept for /status: enough for a screen, bounded whatever the error rate.
const RECENT_MAX = 50;

/** An error reply as /status lists it. */
export interface RecentError {
  /** Epoch milliseconds. */
  at: number;
  dialect: string;
  code: ErrorCode;
}

/** What /status shows of the traffic: message totals (the page derives rates) and errors by canonical code. */
export interface TrafficCounts {
  messages: { direct: number; room: number };
  errors: { byCode: Record<string, number>; recent: RecentError[] };
}

/**
 * Counts for the status page beside the Prometheus metrics: it passes every
 * call on to `inner` (each listener's counters too, with their error() seen
 * here on the way) and keeps plain numbers and a bounded ring, so the hot
 * path allocates nothing but for an error reply.
 */
export class StatusCounters implements GatewayMetrics {
  private readonly messages = { direct: 0, room: 0 };
  private readonly byCode: Record<string, number> = {};
  private readonly recent: RecentError[] = [];

  constructor(private readonly inner: GatewayMetrics) {}

  listener(name: string, dialect: string): ListenerMetrics {
    const m = this.inner.listener(name, dialect);
    // The listener's own counters, but for error(), which /status also lists.
    const seen: ListenerMetrics = Object.create(m);
    seen.error = (d: string, code: ErrorCode) => {
      this.record(d, code);
      m.error(d, code);
    };
    return seen;
  }

  watchBackend(state: Parameters<GatewayMetrics['watchBackend']>[0]): void {
    this.inner.watchBackend(state);
  }

  watchHub(stats: Parameters<GatewayMetrics['watchHub']>[0]): void {
    this.inner.watchHub(stats);
  }

  frameIn(dialect: string): void {
    this.inner.frameIn(dialect);
  }

  frameOut(dialect: string): void {
    this.inner.frameOut(dialect);
  }

  routed(kind: 'direct' | 'room'): void {
    this.messages[kind]++;
    this.inner.routed(kind);
  }

  delivered(kind: 'direct' | 'room', seconds: number): void {
    this.inner.delivered(kind, seconds);
  }

  error(dialect: string, code: ErrorCode): void {
    this.record(dialect, code);
    this.inner.error(dialect, code);
  }

  limit(kind: LimitKind): void {
    this.inner.limit(kind);
  }

  /** A copy of the counts now, newest error first. */
  snapshot(): TrafficCounts {
    return { messages: { ...this.messages }, errors: { byCode: { ...this.byCode }, recent: [...this.recent].reverse() } };
  }

  private record(dialect: string, code: ErrorCode): void {
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    this.recent.push({ at: Date.now(), dialect, code });
    if (this.recent.length > RECENT_MAX) this.recent.shift();
  }
}
