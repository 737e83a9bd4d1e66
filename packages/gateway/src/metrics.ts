import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DELIVERY_SAMPLE_EVERY, type BackendState, type ErrorCode, type LimitKind, type LocalStats } from '@chat-gateway/core';
import type { GatewayMetrics, ListenerMetrics } from './runtime-types.js';
import { processMetrics } from './process-metrics.js';
import { gatewayVersion } from './version.js';

const PREFIX = 'chat_gateway_';

/** Metric names, for tests and dashboards (each one is described in config/README.md "Metrics"). */
export const METRIC_NAMES = Object.freeze({
  connections: `${PREFIX}connections`,
  connectionsOpened: `${PREFIX}connections_opened_total`,
  framesIn: `${PREFIX}frames_in_total`,
  framesOut: `${PREFIX}frames_out_total`,
  bytesIn: `${PREFIX}received_bytes_total`,
  bytesOut: `${PREFIX}sent_bytes_total`,
  messagesRouted: `${PREFIX}messages_routed_total`,
  delivery: `${PREFIX}delivery_duration_seconds`,
  errors: `${PREFIX}errors_total`,
  limitHits: `${PREFIX}limit_hits_total`,
  users: `${PREFIX}users`,
  rooms: `${PREFIX}rooms`,
  backendUp: `${PREFIX}backend_up`,
  backendOutages: `${PREFIX}backend_outages_total`,
  buildInfo: `${PREFIX}build_info`,
});

const LIMIT_KINDS: readonly LimitKind[] = ['frame_size', 'send_queue', 'registration_timeout', 'connections_total', 'connections_per_ip', 'flood', 'ping_timeout'];

// Local delivery is synchronous queueing into sessions: microseconds normally, milliseconds for a big room.
const DELIVERY_BUCKETS_SECONDS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

export interface MetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop); default true. */
  processMetrics?: boolean;
}

/** One listener's plain-number counts. */
interface ListenerCounts {
  readonly listener: string;
  readonly dialect: string;
  open: number;
  opened: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  readonly errors: Map<ErrorCode, number>;
}

type CountKey = 'open' | 'opened' | 'framesIn' | 'framesOut' | 'bytesIn' | 'bytesOut';

/**
 * The gateway's metrics on a fresh prom-client Registry (not the global one,
 * so several gateways can run in one test process). Everything the hot path
 * touches is a plain number, copied into prom-client when /metrics is
 * scraped: prom-client hashes labels on every inc(), which cost a third of
 * the CPU of a room fan-out. Only the sampled delivery latency calls it directly.
 */
export function createMetrics(opts: MetricsOptions = {}): { metrics: GatewayMetrics; registry: Registry } {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics ?? true) processMetrics(registry);

  const listeners = new Map<string, ListenerCounts>();
  const routedCount = { direct: 0, room: 0 };
  const limitCount = new Map<LimitKind, number>(LIMIT_KINDS.map((k) => [k, 0]));
  let backend: (() => BackendState) | undefined;
  let hubStats: (() => LocalStats) | undefined;

  /** A listener-labelled counter or gauge whose values are copied from the listener counts at scrape time. */
  const perListener = (Kind: typeof Counter | typeof Gauge, name: string, help: string, key: CountKey) =>
    new Kind({
      name, help, labelNames: ['listener', 'dialect'], registers,
      collect(this: Counter | Gauge) {
        this.reset();
        for (const c of listeners.values()) this.labels(c.listener, c.dialect).inc(c[key]);
      },
    });
  perListener(Gauge, METRIC_NAMES.connections, 'Open client connections, by listener and dialect.', 'open');
  perListener(Counter, METRIC_NAMES.connectionsOpened, 'Client connections accepted (refused ones included), by listener and dialect.', 'opened');
  perListener(Counter, METRIC_NAMES.framesIn, 'Frames decoded from clients, by listener and dialect.', 'framesIn');
  perListener(Counter, METRIC_NAMES.framesOut, 'Frames sent to clients, by listener and dialect.', 'framesOut');
  perListener(Counter, METRIC_NAMES.bytesIn, 'Bytes read from client sockets, by listener and dialect.', 'bytesIn');
  perListener(Counter, METRIC_NAMES.bytesOut, 'Bytes handed to client sockets, by listener and dialect.', 'bytesOut');
  new Counter({
    name: METRIC_NAMES.errors, help: 'Errors replied to clients, by listener, dialect and canonical code.', labelNames: ['listener', 'dialect', 'code'], registers,
    collect() {
      this.reset();
      for (const c of listeners.values()) for (const [code, n] of c.errors) this.labels(c.listener, c.dialect, code).inc(n);
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
  const delivery = new Histogram({
    name: METRIC_NAMES.delivery,
    help: `Seconds from the hub accepting a message to its recipients on this node having it in their send queues, by kind (direct, room); one message in ${DELIVERY_SAMPLE_EVERY} of each kind is timed.`,
    labelNames: ['kind'], buckets: DELIVERY_BUCKETS_SECONDS, registers,
  });
  const deliveryOf = { direct: delivery.labels('direct'), room: delivery.labels('room') };
  new Counter({
    name: METRIC_NAMES.limitHits, help: 'Operating limits hit, by kind.', labelNames: ['kind'], registers,
    collect() {
      this.reset();
      for (const [kind, n] of limitCount) this.labels(kind).inc(n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.users, help: 'Users registered on this node, by dialect (this node only: /status counts every node\'s).', labelNames: ['dialect'], registers,
    collect() {
      this.reset();
      const stats = hubStats?.();
      // Every served dialect shows, at 0 before its first user.
      for (const c of listeners.values()) this.labels(c.dialect).set(0);
      for (const [dialect, n] of stats?.usersByDialect ?? []) this.labels(dialect).set(n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.rooms, help: 'Rooms with at least one member on this node (this node only: /status lists every room).', registers,
    collect() {
      this.set(hubStats?.().rooms ?? 0);
    },
  });
  // The back end keeps its own state (DESIGN.md "Redis down"); read at scrape time, like the counts above.
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
  new Gauge({ name: METRIC_NAMES.buildInfo, help: 'Always 1; the labels say which gateway version runs on which Node.js.', labelNames: ['version', 'node'], registers })
    .labels(gatewayVersion(), process.versions.node)
    .set(1);

  const metrics: GatewayMetrics = {
    listener(name: string, dialect: string): ListenerMetrics {
      let c = listeners.get(name);
      if (c === undefined) {
        c = { listener: name, dialect, open: 0, opened: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, errors: new Map() };
        listeners.set(name, c);
      }
      return listenerMetrics(c, metrics);
    },
    frameIn() {},
    frameOut() {},
    routed(kind: 'direct' | 'room') {
      routedCount[kind]++;
    },
    delivered(kind: 'direct' | 'room', seconds: number) {
      deliveryOf[kind].observe(seconds);
    },
    // Errors are counted where a listener is known (its sessions); the hub itself replies to nobody.
    error() {},
    limit(kind: LimitKind) {
      limitCount.set(kind, (limitCount.get(kind) ?? 0) + 1);
    },
    watchBackend(state: () => BackendState) {
      backend = state;
    },
    watchHub(stats: () => LocalStats) {
      hubStats = stats;
    },
  };
  return { metrics, registry };
}

/** The Observer a listener's connections and sessions get: its own counts, the gateway's for the rest. */
function listenerMetrics(c: ListenerCounts, gateway: GatewayMetrics): ListenerMetrics {
  return {
    connectionOpened() {
      c.open++;
      c.opened++;
    },
    connectionClosed() {
      c.open--;
    },
    frameIn() {
      c.framesIn++;
    },
    frameOut() {
      c.framesOut++;
    },
    bytesIn(n: number) {
      c.bytesIn += n;
    },
    bytesOut(n: number) {
      c.bytesOut += n;
    },
    error(_dialect: string, code: ErrorCode) {
      c.errors.set(code, (c.errors.get(code) ?? 0) + 1);
    },
    routed: (kind) => gateway.routed(kind),
    delivered: (kind, seconds) => gateway.delivered(kind, seconds),
    limit: (kind) => gateway.limit(kind),
  };
}
