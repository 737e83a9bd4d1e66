import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BackendState, ErrorCode, LimitKind } from '@chat-gateway/core';
import type { GatewayMetrics } from './runtime-types.js';

const PREFIX = 'chat_gateway_';

/** Metric names, for tests and dashboards. */
export const METRIC_NAMES = Object.freeze({
  connections: `${PREFIX}connections`,
  connectionsOpened: `${PREFIX}connections_opened_total`,
  framesIn: `${PREFIX}frames_in_total`,
  framesOut: `${PREFIX}frames_out_total`,
  messagesRouted: `${PREFIX}messages_routed_total`,
  errors: `${PREFIX}errors_total`,
  limitHits: `${PREFIX}limit_hits_total`,
  backendUp: `${PREFIX}backend_up`,
  backendOutages: `${PREFIX}backend_outages_total`,
});

const LIMIT_KINDS: readonly LimitKind[] = ['frame_size', 'send_queue', 'registration_timeout', 'connections_total', 'connections_per_ip', 'flood', 'ping_timeout'];

export interface MetricsOptions {
  /** Dialects whose series start at zero, so dashboards see them before the first connection. */
  dialects?: Iterable<string>;
  /** Also collect prom-client's process metrics (CPU, memory, event loop); default true. */
  processMetrics?: boolean;
}

type Child = { inc(): void };
type GaugeChild = { inc(): void; dec(): void };

// A label child only shows up in /metrics once it has a value: give it 0.
function zeroed<C extends { inc(n?: number): void }>(child: C): C {
  child.inc(0);
  return child;
}

/**
 * The gateway's metrics on a fresh prom-client Registry (not the global one,
 * so several gateways can run in one test process). Label children are made
 * once per label value and cached: after the first call for a dialect or
 * code, a call is a Map lookup and an increment, allocating nothing.
 */
export function createMetrics(opts: MetricsOptions = {}): { metrics: GatewayMetrics; registry: Registry } {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const connections = new Gauge({ name: METRIC_NAMES.connections, help: 'Open client connections, by dialect.', labelNames: ['dialect'], registers });
  const opened = new Counter({ name: METRIC_NAMES.connectionsOpened, help: 'Client connections accepted, by dialect.', labelNames: ['dialect'], registers });
  // Per-frame and per-message counts are plain numbers, copied into prom-client at scrape
  // time: prom-client hashes labels on every inc(), which cost a third of the CPU of a room fan-out.
  const frames = new Map<string, { in: number; out: number }>();
  const routedCount = { direct: 0, room: 0 };
  const framesIn = new Counter({
    name: METRIC_NAMES.framesIn, help: 'Frames decoded from clients, by dialect.', labelNames: ['dialect'], registers,
    collect() {
      this.reset();
      for (const [d, n] of frames) this.labels(d).inc(n.in);
    },
  });
  const framesOut = new Counter({
    name: METRIC_NAMES.framesOut, help: 'Frames sent to clients, by dialect.', labelNames: ['dialect'], registers,
    collect() {
      this.reset();
      for (const [d, n] of frames) this.labels(d).inc(n.out);
    },
  });
  new Counter({
    name: METRIC_NAMES.messagesRouted, help: 'Messages routed by the hub, by kind (direct, room).', labelNames: ['kind'], registers,
    collect() {
      this.reset();
      this.labels('direct').inc(routedCount.direct);
      this.labels('room').inc(routedCount.room);
    },
  });
  const errors = new Counter({ name: METRIC_NAMES.errors, help: 'Errors replied to clients, by dialect and canonical code.', labelNames: ['dialect', 'code'], registers });
  const limits = new Counter({ name: METRIC_NAMES.limitHits, help: 'Operating limits hit, by kind.', labelNames: ['kind'], registers });
  // The back end keeps its own state (DESIGN.md "Redis down"); read at scrape time, like the counts above.
  let backend: (() => BackendState) | undefined;
  new Gauge({
    name: METRIC_NAMES.backendUp, help: 'Whether the back end is reachable (1) or not (0), by type.', labelNames: ['type'], registers,
    collect() {
      this.reset();
      const s = backend?.();
      if (s) this.labels(s.type).set(s.up ? 1 : 0);
    },
  });
  new Counter({
    name: METRIC_NAMES.backendOutages, help: 'Times the back end became unreachable since start, by type.', labelNames: ['type'], registers,
    collect() {
      this.reset();
      const s = backend?.();
      if (s) this.labels(s.type).inc(s.outages);
    },
  });

  const byDialect = <C>(make: (d: string) => C) => {
    const cache = new Map<string, C>();
    return (d: string): C => {
      let c = cache.get(d);
      if (c === undefined) cache.set(d, (c = make(d)));
      return c;
    };
  };
  const conn = byDialect<GaugeChild>((d) => zeroed(connections.labels(d)));
  const open = byDialect<Child>((d) => zeroed(opened.labels(d)));
  const frameCount = byDialect((d) => {
    const n = { in: 0, out: 0 };
    frames.set(d, n);
    return n;
  });
  const errorsOf = byDialect((d) => byDialect<Child>((code) => zeroed(errors.labels(d, code))));
  const limitOf = new Map<string, Child>(LIMIT_KINDS.map((k) => [k, zeroed(limits.labels(k))]));

  // Zero series up front: a counter that has never moved is still worth seeing.
  for (const d of opts.dialects ?? []) {
    conn(d);
    open(d);
    frameCount(d);
  }

  const metrics: GatewayMetrics = {
    connectionOpened(dialect: string) {
      conn(dialect).inc();
      open(dialect).inc();
    },
    connectionClosed(dialect: string) {
      conn(dialect).dec();
    },
    frameIn(dialect: string) {
      frameCount(dialect).in++;
    },
    frameOut(dialect: string) {
      frameCount(dialect).out++;
    },
    routed(kind: 'direct' | 'room') {
      routedCount[kind]++;
    },
    error(dialect: string, code: ErrorCode) {
      errorsOf(dialect)(code).inc();
    },
    watchBackend(state: () => BackendState) {
      backend = state;
    },
    limit(kind: LimitKind) {
      let c = limitOf.get(kind);
      if (c === undefined) limitOf.set(kind, (c = zeroed(limits.labels(kind))));
      c.inc();
    },
  };
  return { metrics, registry };
}
