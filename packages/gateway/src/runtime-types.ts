import type { BackendState, Hub, LocalStats, Log, Observer } from '@chat-gateway/core';
import type { Duplex } from 'node:stream';
import type { GatewayConfig } from './config/types.js';
import type { RecentError } from './counters.js';
import type { ReloadOutcome } from './reload.js';
import type { TraceSource, TracedConnection } from './trace.js';
import type { TransportKind } from './transports/pipe.js';

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

/** How a client reaches a listener: its transport and URL (tcp://, tls://, ws://…/ws, wss://…). */
export interface Endpoint {
  name: string;
  transport: Exclude<TransportKind, 'memory'>;
  url: string;
  /** A WebSocket listener that serves the chat page at `/`. */
  page: boolean;
}

export interface GatewayStatus {
  node: string;
  backend: BackendState;
  listeners: ListenerInfo[];
  endpoints: Endpoint[];
  connections: number;
  usersByDialect: Record<string, number>;
  /** Everyone online, all nodes. */
  users: { nick: string; dialect: string; node: string }[];
  /** This node's open connections, for choosing one to trace. */
  clients: TracedConnection[];
  /** Public rooms, and private ones only when the caller may see them (DESIGN.md "Security"). */
  rooms: { name: string; visibility: string; members: number }[];
  /** What could not be read (the back end is down): then users and rooms are left empty. */
  unavailable?: string;
  /** Private rooms left out of `rooms`. */
  privateRooms: number;
  /** Messages routed since start, by kind: rates are the difference of two reads. */
  messages: { direct: number; room: number };
  /** Error replies since start by canonical code, and the latest ones (newest first). */
  errors: { byCode: Record<string, number>; recent: RecentError[] };
}

/** What a status read may show. */
export interface StatusScope {
  /** Name private rooms: only for a caller authorized by the admin token. */
  privateRooms: boolean;
}

/** A started gateway: what the CLI, the admin server and tests hold. */
export interface RunningGateway {
  readonly hub: Hub;
  readonly log: Log;
  readonly listeners: readonly ListenerInfo[];
  /** The config it runs: the one it started with, or the last reload's. */
  readonly config: GatewayConfig;
  /** Every connection's bytes in and out, per connection, for the live trace. */
  readonly trace: TraceSource;
  /** The bound port of a listener, by name. */
  port(name: string): number;
  /**
   * An in-process connection to a listener: the client's end of a memory
   * pipe, served by the same connection layer and session as a socket
   * (limits included), with no socket at all. `remoteAddress` is what the
   * per-IP cap sees (default 127.0.0.1).
   */
  connectInProcess(listener: string, remoteAddress?: string): Duplex;
  status(scope?: StatusScope): Promise<GatewayStatus>;
  /** Applies a validated config, all or nothing (DESIGN.md "Operating": SIGHUP); rejects with ReloadRefused, the running config kept. */
  reload(next: GatewayConfig): Promise<ReloadOutcome>;
  /** Stop accepting, tell every session in its dialect, flush, close; bounded by shutdown.graceMs. */
  shutdown(): Promise<void>;
}
