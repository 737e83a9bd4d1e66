import { readFile } from 'node:fs/promises';
import net from 'node:net';
import type { Log } from '@chat-gateway/core';
import type { ListenerConfig } from '../config/types.js';
import type { Pipe } from './pipe.js';
import { StreamPipe } from './stream-pipe.js';

/** A bound server of one transport, handing each new connection to `accept` as a Pipe. */
export interface TransportServer {
  /** Binds; resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** The URL a client connects to. */
  url(port: number): string;
  /** Stops accepting (open connections are the caller's). */
  close(): Promise<void>;
}

export interface ServerDeps {
  /** The largest inbound WebSocket message (from the dialect's frame limit). */
  maxPayload: number;
  /** limits.tcpKeepaliveMs: TCP keepalive idle time on every accepted socket (0: off). */
  keepaliveMs: number;
  log: Log;
  accept(pipe: Pipe): void;
}

/** The PEM certificate and key a TLS or wss:// listener was configured with, read from their files. */
export async function readTlsFiles(config: ListenerConfig): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (config.cert === undefined || config.key === undefined) return undefined;
  const read = async (what: 'cert' | 'key', file: string) => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new Error(`listener ${config.name}: cannot read ${what} file ${file}: ${(err as Error).message}`);
    }
  };
  return { cert: await read('cert', config.cert), key: await read('key', config.key) };
}

/**
 * Creates the server a listener's transport needs (DESIGN.md "Transports and
 * the browser"). The WebSocket and TLS modules are imported by the first
 * listener that uses them: a gateway of plain TCP listeners never loads them
 * (issue #16: memory at start).
 */
export async function createServer(config: ListenerConfig, deps: ServerDeps): Promise<TransportServer> {
  const creds = await readTlsFiles(config);
  switch (config.transport) {
    case 'websocket': {
      const { WebServer } = await import('./web-server.js');
      return new WebServer(config, creds, deps);
    }
    case 'tls': {
      if (!creds) throw new Error(`listener ${config.name}: transport tls needs cert and key`);
      const tls = await import('node:tls');
      const server = tls.createServer({ ...creds }, (socket) => deps.accept(new StreamPipe(socket, 'tls', deps.keepaliveMs)));
      // A failed handshake costs that client only.
      server.on('tlsClientError', (err) => deps.log.debug({ err: err.message }, 'TLS handshake failed'));
      return new NetServer(server, 'tls');
    }
    default:
      return new NetServer(net.createServer({ noDelay: true }, (socket) => deps.accept(new StreamPipe(socket, 'tcp', deps.keepaliveMs))), 'tcp');
  }
}

/** A plain or TLS socket server. */
class NetServer implements TransportServer {
  constructor(private readonly server: net.Server, private readonly scheme: 'tcp' | 'tls') {}

  listen(port: number, host: string): Promise<number> {
    return listenOn(this.server, port, host);
  }

  url(port: number): string {
    return `${this.scheme}://${hostForUrl(this.server, port)}`;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Binds a server and resolves with its bound port. */
export async function listenOn(server: net.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

/** `host:port` as a URL spells it (IPv6 in brackets). */
export function hostForUrl(server: net.Server, port: number): string {
  const addr = server.address();
  const host = addr && typeof addr === 'object' ? addr.address : '127.0.0.1';
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
