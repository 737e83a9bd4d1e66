import net from 'node:net';
import type { Dialect, Hub, Limits, Log } from '@chat-gateway/core';
import type { LimitsConfig, ListenerConfig } from './config/types.js';
import type { GatewayMetrics, ListenerInfo, ListenerMetrics } from './runtime-types.js';
import { Connection, normalizeAddress } from './connection.js';

/** Connection counts shared by every listener of one gateway, for the caps. */
export class ConnectionTable {
  readonly all = new Set<Connection>();
  private readonly perIp = new Map<string, number>();

  /** `nextId` names each new connection (node-qualified: the Hub's session ids). */
  constructor(readonly nextId: () => string) {}

  countFor(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  add(conn: Connection): void {
    this.all.add(conn);
    this.perIp.set(conn.remoteAddress, this.countFor(conn.remoteAddress) + 1);
  }

  remove(conn: Connection): void {
    if (!this.all.delete(conn)) return;
    const n = this.countFor(conn.remoteAddress) - 1;
    if (n > 0) this.perIp.set(conn.remoteAddress, n);
    else this.perIp.delete(conn.remoteAddress);
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
}

/** One TCP listener speaking one dialect. The broker-side objects never own its sockets. */
export class Listener {
  readonly server: net.Server;
  private info?: ListenerInfo;
  private readonly metrics: ListenerMetrics;

  constructor(private readonly deps: ListenerDeps) {
    this.metrics = deps.metrics.listener(deps.config.name, deps.config.dialect);
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Binds the port (0 picks a free one) and resolves with the bound address. */
  async listen(): Promise<ListenerInfo> {
    const { config } = this.deps;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(config.port, config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address() as net.AddressInfo;
    this.info = { name: config.name, dialect: config.dialect, host: config.host, port: addr.port };
    return this.info;
  }

  /** Stops accepting; existing connections are left to the caller. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const { table, limits, metrics } = this.deps;
    const conn = new Connection({
      id: table.nextId(),
      socket,
      dialect: this.deps.dialect,
      options: this.deps.config.options,
      hub: this.deps.hub,
      limits,
      coreLimits: this.deps.coreLimits,
      metrics: this.metrics,
      log: this.deps.log,
      onClosed: (c) => table.remove(c),
    });
    const ip = normalizeAddress(socket.remoteAddress);
    // Caps are checked before the connection counts, and answered in the dialect before the close.
    if (table.all.size >= limits.maxConnections) {
      metrics.limit('connections_total');
      conn.refuse('TOO_MANY_CONNECTIONS');
      return;
    }
    if (table.countFor(ip) >= limits.maxConnectionsPerIp) {
      metrics.limit('connections_per_ip');
      conn.refuse('TOO_MANY_CONNECTIONS');
      return;
    }
    table.add(conn);
    conn.open();
  }
}
