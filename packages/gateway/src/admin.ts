import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { Log } from '@chat-gateway/core';
import { pathOf, refuseUpgrade, sendPage, sendText, statusPage } from '@chat-gateway/web';
import { accessOf, sameOrigin } from './admin-auth.js';
import { TraceSocket } from './admin-trace.js';
import type { ReloadReport } from './reloader.js';
import type { RunningGateway } from './runtime-types.js';

export interface AdminServer {
  /** The bound port (the real one when asked for 0). */
  readonly port: number;
  /** From now on /healthz answers 503, so a load balancer stops sending clients. */
  markShuttingDown(): void;
  /** Stops the server; open keep-alive connections and trace watchers are closed. */
  close(): Promise<void>;
}

export interface AdminOptions {
  host: string;
  port: number;
  /** When set, every route but /healthz (and the data-free /status.html) needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Serves POST /reload (the CLI's `reload`); absent, the route answers 404. */
  reload?: () => Promise<ReloadReport>;
}

const ROUTES = new Set(['/healthz', '/metrics', '/status', '/status.html', '/trace', '/reload']);
// Routes a browser loads by navigation, which cannot carry a bearer header: the page holds no data, it asks for the token.
const OPEN_ROUTES = new Set(['/healthz', '/status.html']);

/**
 * The admin HTTP server (DESIGN.md "Operating": /healthz, /metrics in
 * Prometheus text, /status as JSON; "Security": the token). Read-only (GET
 * and HEAD) but for POST /reload, which re-reads the config file. /status.html is the teacher's status page, /trace its live
 * trace of one connection (WebSocket).
 */
export async function startAdmin(opts: AdminOptions, gw: RunningGateway, registry: Registry, log: Log): Promise<AdminServer> {
  let shuttingDown = false;
  const traces = new TraceSocket(gw.trace, log);
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log.error({ err, path: pathOf(req) }, 'admin request failed');
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug({ err: err.message }, 'admin upgrade socket error'));
    const refuse = (status: number, text: string) => refuseUpgrade(socket, status, text);
    if (pathOf(req) !== '/trace') return refuse(404, 'not found; the live trace is /trace?conn=<id>');
    if (!sameOrigin(req)) return refuse(403, 'the live trace is for the status page of this server only');
    if (accessOf(req, opts.token) === 'denied') return refuse(401, 'the admin token is needed: offer the subprotocol bearer.<token as base64url>, or send Authorization: Bearer <token>');
    traces.upgrade(req, socket, head, refuse);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (!ROUTES.has(path) || (path === '/reload' && !opts.reload)) return sendText(res, 404, `not found; try ${[...ROUTES].join(', ')}\n`);
    const method = path === '/reload' ? 'POST' : 'GET';
    if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) return sendText(res, 405, `method not allowed; use ${method}\n`, { Allow: method === 'GET' ? 'GET, HEAD' : 'POST' });
    const access = accessOf(req, opts.token);
    // A form on any site can POST to 127.0.0.1 without a token's header: only this server's pages, or no browser at all.
    if (path === '/reload' && !sameOrigin(req)) return sendText(res, 403, 'reload is for the command line (chat-gateway reload) or this server\'s own pages\n');
    if (access === 'denied' && !OPEN_ROUTES.has(path)) {
      return sendText(res, 401, 'the admin token is needed: send Authorization: Bearer <token>\n', { 'WWW-Authenticate': 'Bearer realm="chat-gateway admin"' });
    }
    switch (path) {
      case '/healthz':
        return shuttingDown ? sendText(res, 503, 'shutting down') : sendText(res, 200, 'ok');
      case '/metrics':
        return send(res, 200, registry.contentType, await registry.metrics());
      case '/status': {
        // Private rooms are named only to the teacher who holds the token (DESIGN.md "Security").
        const status = await gw.status({ privateRooms: access === 'token' });
        return send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify({ ...status, shuttingDown, tokenRequired: opts.token !== undefined })}\n`);
      }
      case '/status.html':
        return sendPage(req, res, statusPage);
      case '/reload': {
        req.resume();
        const report = await opts.reload!();
        return send(res, report.ok ? 200 : 409, 'application/json; charset=utf-8', `${JSON.stringify(report)}\n`);
      }
      case '/trace':
        return sendText(res, 426, 'the live trace is a WebSocket: /trace?conn=<id>\n', { Upgrade: 'websocket' });
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
  log.info({ host: opts.host, port, token: opts.token !== undefined }, 'admin listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    markShuttingDown() {
      shuttingDown = true;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        traces.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
