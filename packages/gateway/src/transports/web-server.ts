import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { chatPage, pathOf, refuseUpgrade, sendPage, sendText } from '@chat-gateway/web';
import type { ListenerConfig } from '../config/types.js';
import type { ServerDeps, TransportServer } from './servers.js';
import { hostForUrl, listenOn } from './servers.js';
import { WebSocketPipe } from './websocket-pipe.js';

/** The path a WebSocket listener accepts upgrades on when its config names none. */
export const DEFAULT_WS_PATH = '/ws';

/**
 * A WebSocket listener: an HTTP (or HTTPS) server the listener owns, which
 * upgrades requests on `path` through ws (`noServer` + `handleUpgrade`) and
 * serves the browser chat page at `/` (DESIGN.md "Transports and the
 * browser"). Anything else is a 404; a bad upgrade is refused without a crash.
 */
export class WebServer implements TransportServer {
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly path: string;
  // HTTP connections not upgraded (page loads, a browser's spare preconnected sockets): closed with the listener.
  private readonly plain = new Set<Duplex>();

  constructor(private readonly config: ListenerConfig, creds: { cert: Buffer; key: Buffer } | undefined, private readonly deps: ServerDeps) {
    this.path = config.path ?? DEFAULT_WS_PATH;
    // No compression: a deflated message could inflate past what the dialect's limit means (ws checks maxPayload after inflating, but costs CPU first).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload, perMessageDeflate: false, clientTracking: false });
    this.wss.on('error', (err) => deps.log.debug({ err: err.message }, 'websocket server error'));
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      void this.request(req, res).catch((err: unknown) => {
        deps.log.error({ err }, 'web request failed');
        if (!res.headersSent) sendText(res, 500, 'internal error\n');
        else res.destroy();
      });
    };
    this.server = creds ? https.createServer({ ...creds }, handler) : http.createServer(handler);
    this.server.on('connection', (socket: Duplex) => {
      this.plain.add(socket);
      socket.once('close', () => this.plain.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => {
      this.plain.delete(socket);
      this.upgrade(req, socket, head);
    });
    this.server.on('clientError', (err, socket) => {
      deps.log.debug({ err: err.message }, 'bad HTTP request');
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  listen(port: number, host: string): Promise<number> {
    return listenOn(this.server, port, host);
  }

  url(port: number): string {
    return `${this.server instanceof https.Server ? 'wss' : 'ws'}://${hostForUrl(this.server, port)}${this.path}`;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive page loads and sockets a browser opened ahead of need would hold the close until their
    // timeouts (a minute); upgraded connections are the gateway's to say goodbye to.
    for (const socket of this.plain) socket.destroy();
    await closed;
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.deps.log.debug({ err: err.message }, 'upgrade socket error'));
    if (pathOf(req) !== this.path) return refuseUpgrade(socket, 404, `no WebSocket here; connect to ${this.path}`);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.deps.accept(new WebSocketPipe(ws, req, this.deps.maxPayload, this.deps.keepaliveMs)));
  }

  private async request(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed; use GET\n', { Allow: 'GET, HEAD' });
    if (path === this.path) return sendText(res, 426, `this is a WebSocket endpoint: open ws(s)://host${this.path}\n`, { Upgrade: 'websocket' });
    if (this.config.page && (path === '/' || path === '/index.html')) return sendPage(req, res, () => chatPage(this.path));
    return sendText(res, 404, this.config.page ? 'not found; the chat page is at /\n' : `not found; WebSocket clients connect to ${this.path}\n`);
  }
}
