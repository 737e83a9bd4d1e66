import type { BackendState, Hub, LocalStats, Log, Observer } from '@chat-gateway/core';

/**
 * One listener's counters, handed to its connections and their sessions as
 * their Observer: plain numbers bumped on the hot path, copied into
 * Prometheus at scrape time, labelled with the listener and its dialect.
 */
export interface ListenerMetrics extends Observer {
  connectionOpened(): void;
  connectionClosed(): void;
  /** Bytes read from a client socket. */
  bytesIn(n: number): void;
  /** Bytes handed to a client socket. */
  bytesOut(n: number): void;
}

/** Metrics the runtime reports beyond core's Observer (prom-client behind it). */
export interface GatewayMetrics extends Observer {
  /** The counters of one listener; the same object again for the same name, so its counts outlive a restart of the listener. */
  listener(name: string, dialect: string): ListenerMetrics;
  /** Where the back end's up/down state and outage count are read at each scrape. */
  watchBackend(state: () => BackendState): void;
  /** Where this node's users and rooms are read at each scrape. */
  watchHub(stats: () => LocalStats): void;
}

export interface ListenerInfo {
  name: string;
  dialect: string;
  host: string;
  /** The bound port (the real one when config said 0). */
  port: number;
}

export interface GatewayStatus {
  node: string;
  backend: BackendState;
  listeners: ListenerInfo[];
  connections: number;
  usersByDialect: Record<string, number>;
  rooms: { name: string; visibility: string; members: number }[];
  /** What could not be read (the back end is down): then users and rooms are left empty. */
  unavailable?: string;
}

/** A started gateway: what the CLI, the admin server and tests hold. */
export interface RunningGateway {
  readonly hub: Hub;
  readonly log: Log;
  readonly listeners: readonly ListenerInfo[];
  /** The bound port of a listener, by name. */
  port(name: string): number;
  status(): Promise<GatewayStatus>;
  /** Stop accepting, tell every session in its dialect, flush, close; bounded by shutdown.graceMs. */
  shutdown(): Promise<void>;
}
