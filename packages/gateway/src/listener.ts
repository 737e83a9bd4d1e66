import type { Dialect, Hub, Limits, Log } from '@chat-gateway/core';
import type { LimitsConfig, ListenerConfig } from './config/types.js';
import { Connection, type ConnectionDeps } from './connection.js';
import { MessageMapper } from './message-framing.js';
import type { GatewayMetrics, ListenerInfo, ListenerMetrics } from './runtime-types.js';
import { createServer, type TransportServer } from './transports/servers.js';
import type { Pipe } from './transports/pipe.js';

/** Connection counts shared by every listener of one gateway, for the caps. */
export class ConnectionTable {
  readonly all = new Set<Connection>();
  private readonly perIp = new Map<string, number>();
  private readonly watchers = new Set<(conn: Connection) => void>();

  /** `nextId` names each new connection (node-qualified: the Hub's session ids). */
  constructor(readonly nextId: () => string) {}

  countFor(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /** Adds a connection before it starts, so that a watcher (the trace) sees it from its first byte. */
  add(conn: Connection): void {
    this.all.add(conn);
    this.perIp.set(conn.remoteAddress, this.countFor(conn.remoteAddress) + 1);
    for (const w of this.watchers) w(conn);
  }

  /** Calls `fn` with every connection added from now on; returns the function that stops it. */
  onAdd(fn: (conn: Connection) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  remove(conn: Connection): void {
    if (!this.all.delete(conn)) return;
    const n = this.countFor(conn.remoteAddress) - 1;
    if (n > 0) this.perIp.set(conn.remoteAddress, n);
    else this.perIp.delete(conn.remoteAddress);
  }

  /** An open connection by id. */
  find(id: string): Connection | undefined {
    for (const c of this.all) if (c.id === id) return c;
    return undefined;
  }
}

export interface ListenerDeps {
  config: ListenerConfig;
  dialect: Dialect;
  hub: Hub;
  limits: Readonly<LimitsConfig>;
  coreLimits: Readonly<Limits>;
  metrics: GatewayMetrics;
  log: Log;
  table: ConnectionTable;
  /** trace.pendingMs: traced bytes without a frame end for this long are reported. */
  pendingMs: number;
}

/**
 * One listener speaking one dialect over one transport (tcp, tls, websocket;
 * in-process connections come in through accept() too). The broker-side
 * objects never own its sockets.
 */
export class Listener {
  private server?: TransportServer;
  private mapper: MessageMapper;
  private deps: ListenerDeps;

  private readonly metrics: ListenerMetrics;
  private connectionDeps: Readonly<ConnectionDeps>;

  constructor(deps: ListenerDeps) {
    this.deps = deps;
    this.metrics = deps.metrics.listener(deps.config.name, deps.config.dialect);
    this.mapper = new MessageMapper(deps.dialect.messages, deps.coreLimits);
    this.connectionDeps = this.forConnections();
  }

  /** What every connection accepted from now on shares. */
  private forConnections(): Readonly<ConnectionDeps> {
    const { config, dialect, hub, limits, coreLimits, log, pendingMs, table } = this.deps;
    return Object.freeze({
      listener: config.name,
      dialect,
      options: config.options,
      hub,
      limits,
      coreLimits,
      metrics: this.metrics,
      log,
      pendingMs,
      onClosed: (c: Connection) => table.remove(c),
    });
  }

  /** Binds the port (0 picks a free one) and resolves with the bound address. */
  async listen(): Promise<ListenerInfo> {
    const { config } = this.deps;
    this.server = await createServer(config, {
      maxPayload: this.mapper.maxPayload,
      keepaliveMs: this.deps.limits.tcpKeepaliveMs,
      log: this.deps.log,
      accept: (pipe) => this.accept(pipe),
    });
    const port = await this.server.listen(config.port, config.host);
    return { name: config.name, dialect: config.dialect, host: config.host, port };
  }

  /** The URL clients use (tcp://, tls://, ws:// or wss://), for /status and the ready log line. */
  url(port: number): string {
    return this.server?.url(port) ?? `tcp://${this.deps.config.host}:${port}`;
  }

  /**
   * A reload's options and limits, for connections accepted from now on; the
   * bound port stays. Open connections keep the framer and session they began
   * with (the caller hands them the new limits: Connection.applyLimits).
   */
  retune(config: ListenerConfig, limits: Readonly<LimitsConfig>): void {
    this.deps = { ...this.deps, config, limits, coreLimits: limits };
    this.mapper = new MessageMapper(this.deps.dialect.messages, limits);
    this.connectionDeps = this.forConnections();
  }

  /** Stops accepting; existing connections are left to the caller. */
  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Takes a new connection on any transport: the caps are checked and answered in the dialect, then the session starts. */
  accept(pipe: Pipe): void {
    const { table, limits, metrics } = this.deps;
    const conn = new Connection(this.connectionDeps, table.nextId(), pipe, pipe.messages ? this.mapper : undefined);
    // Caps are checked before the connection counts, and answered in the dialect before the close.
    if (table.all.size >= limits.maxConnections) {
      metrics.limit('connections_total');
      conn.refuse('TOO_MANY_CONNECTIONS');
      return;
    }
    if (table.countFor(pipe.remoteAddress) >= limits.maxConnectionsPerIp) {
      metrics.limit('connections_per_ip');
      conn.refuse('TOO_MANY_CONNECTIONS');
      return;
    }
    table.add(conn);
    conn.open();
  }
}
