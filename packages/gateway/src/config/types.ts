import type { ClusterOptions, Limits } from '@chat-gateway/core';

/**
 * The validated, frozen gateway configuration. `config/gateway.schema.json`
 * is the source of truth for what a file may contain; this type mirrors it
 * after defaults are applied.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** How bytes reach a listener's connections (DESIGN.md "Transports and the browser"). */
export type ListenerTransport = 'tcp' | 'tls' | 'websocket';

export interface ListenerConfig {
  /** Unique name; defaults to the dialect name, or `<dialect>-<port>` when a dialect has several. */
  name: string;
  dialect: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  transport: ListenerTransport;
  /** WebSocket: the path upgrades are accepted on (default `/ws`). */
  path?: string;
  /** PEM certificate and key files: required for `tls`, optional (both or neither) for `websocket` (wss:// and https://). */
  cert?: string;
  key?: string;
  /** WebSocket: serve the browser chat page at `/` (default: when the listener speaks the page's dialect). */
  page?: boolean;
  /** Dialect-specific options, validated against the dialect's optionsSchema, defaults applied. */
  options: Record<string, unknown>;
}

export interface FloodConfig {
  enabled: boolean;
  /** Bucket size: frames a client may send at once. */
  burst: number;
  /** Refill rate, frames per second. */
  ratePerSec: number;
  /** Decompressed bytes that cost one more token (DESIGN.md "Operating limits": charged for decompressed bytes too). */
  decompressedBytesPerToken: number;
}

/** Core's Limits (what sessions and framers see) and what the connection layer adds. */
export interface LimitsConfig extends Limits {
  registrationTimeoutMs: number;
  /** TCP keepalive idle time on every socket, ms; 0 turns it off (DESIGN.md "Operating limits"). */
  tcpKeepaliveMs: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  flood: FloodConfig;
}

/** Where shared state lives (DESIGN.md "Nodes and back ends"); the loader fills in the Redis defaults. */
export type BackendConfig = { type: 'memory' } | { type: 'redis'; url: string; keyPrefix: string };

/** The interop trace (DESIGN.md "Interop bench"; config/README.md "trace"). */
export interface TraceConfig {
  /** Print it (`--trace`). */
  enabled: boolean;
  /** Traced bytes that end no frame for this long are reported once; 0: never. */
  pendingMs: number;
  format: 'auto' | 'text' | 'json';
  /** `nick=…`, `ip=…`, `listener=…`: several of one key, any; different keys, all. */
  filters: string[];
}

export interface GatewayConfig {
  /** `id` absent: a random one per process (DESIGN.md "Identity"). */
  node: { id?: string };
  cluster: ClusterOptions;
  backend: BackendConfig;
  log: { level: LogLevel; pretty: 'auto' | boolean };
  trace: TraceConfig;
  /** Built-in users by name (packages/bots), started on this node (DESIGN.md "Interop bench"). */
  bots: string[];
  /** `token`: every route but /healthz needs `Authorization: Bearer <token>` (DESIGN.md "Security"). */
  admin: { enabled: boolean; host: string; port: number; token?: string };
  names: { nickPattern?: string; nickMax?: number; roomPattern?: string; roomMax?: number };
  rooms: { default: string[] };
  limits: LimitsConfig;
  shutdown: { graceMs: number };
  listeners: ListenerConfig[];
}
