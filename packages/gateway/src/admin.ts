import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Log } from '@chat-gateway/core';
import type { RunningGateway } from './runtime-types.js';

export interface AdminServer {
  /** The bound port (the real one when asked for 0). */
  readonly port: number;
  /** From now on /healthz answers 503, so a load balancer stops sending clients. */
  markShuttingDown(): void;
  /** Stops the server; open keep-alive connections are closed. */
  close(): Promise<void>;
}

/**
 * The admin HTTP server (DESIGN.md "Operating": /healthz, /metrics in
 * Prometheus text, /status as JSON). Read-only: GET (and HEAD) only.
 */
export async function startAdmin(opts: { host: string; port: number }, gw: RunningGateway, registry: Registry, log: Log): Promise<AdminServer> {
  let shuttingDown = false;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'admin request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    const route = ROUTES.has(path);
    if (!route) return send(res, 404, 'text/plain; charset=utf-8', `not found; try ${[...ROUTES].join(', ')}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed; use GET\n');
    }
    switch (path) {
      case '/healthz':
        return shuttingDown ? send(res, 503, 'text/plain; charset=utf-8', 'shutting down') : send(res, 200, 'text/plain; charset=utf-8', 'ok');
      case '/metrics':
        return send(res, 200, registry.contentType, await registry.metrics());
      case '/status':
        return send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify({ ...(await gw.status()), shuttingDown })}\n`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: opts.host, port }, 'admin listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    markShuttingDown() {
      shuttingDown = true;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

const ROUTES = new Set(['/healthz', '/metrics', '/status']);

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
