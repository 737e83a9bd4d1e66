import type { BackendState, Hub, Log, Observer } from '@chat-gateway/core';

/** Metrics the runtime reports beyond core's Observer (prom-client behind it). */
export interface GatewayMetrics extends Observer {
  connectionOpened(dialect: string): void;
  connectionClosed(dialect: string): void;
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
