import type { BackendState, Hub, Log, Observer } from '@chat-gateway/core';

/** Metrics the runtime reports beyond core's Observer (prom-client behind it). */
export interface GatewayMetrics extends Observer {
  connectionOpened(dialect: string): void;
  connectionClosed(dialect: string): void;
  /** Where the back end's up/down state and outage count are read at each scrape. */
  watchBackend(state: () => BackendState): void;
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
