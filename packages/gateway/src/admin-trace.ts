import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { escapeControls, type Log } from '@chat-gateway/core';
import { TRACE_PROTOCOL } from '@chat-gateway/web';
import type { TraceRecord, TraceSource } from './trace.js';

// A watcher that reads slower than the traced client talks loses records, never slows the client (DESIGN.md "Operating limits").
const WATCHER_BUFFER_MAX = 1 << 20;

/** One trace record as the status page shows it: the bytes as UTF-8 with controls escaped (`\r`, `\n`, `\x04`). */
export interface TraceLine {
  type: 'frame';
  /** `pending`: inbound bytes that ended no frame in time, with the dialect's `hint`. */
  dir: 'in' | 'out' | 'pending';
  hint?: string;
  at: number;
  nick?: string;
  bytes: number;
  text: string;
  /** Records dropped before this one because the watcher read too slowly. */
  dropped?: number;
}

/**
 * The live trace of one connection over a WebSocket (`/trace?conn=<id>` on
 * the admin server): `hello` with who the connection is, one `frame` per
 * read or write, `end` when it closes.
 */
export class TraceSocket {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: true,
    perMessageDeflate: false,
    maxPayload: 1024,
    // Answer with our protocol, never echo the bearer one (it holds the token).
    handleProtocols: (offered) => (offered.has(TRACE_PROTOCOL) ? TRACE_PROTOCOL : false),
  });

  constructor(private readonly source: TraceSource, private readonly log: Log) {}

  /** Upgrades a request already authorized; a connection that is not open is a 404. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, refuse: (status: number, text: string) => void): void {
    const id = new URL(req.url ?? '/', 'http://admin').searchParams.get('conn') ?? '';
    const who = this.source.connections().find((c) => c.id === id);
    if (!who) return refuse(404, `no open connection ${JSON.stringify(id)}; /status lists them under clients`);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.watch(ws, id));
  }

  /** Closes every watcher. */
  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private watch(ws: WebSocket, id: string): void {
    let dropped = 0;
    const who = this.source.connections().find((c) => c.id === id);
    ws.send(JSON.stringify({ type: 'hello', connection: who }));
    const unsubscribe = this.source.subscribe(id, {
      record: (r: TraceRecord) => {
        if (ws.bufferedAmount > WATCHER_BUFFER_MAX) {
          dropped++;
          return;
        }
        ws.send(JSON.stringify(line(r, dropped)));
        dropped = 0;
      },
      end: () => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'end' }));
        ws.close(1000, 'connection closed');
      },
    });
    if (!unsubscribe) {
      ws.send(JSON.stringify({ type: 'end' }));
      ws.close(1000, 'connection closed');
      return;
    }
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'trace watcher error'));
    ws.on('close', () => unsubscribe());
  }
}

function line(r: TraceRecord, dropped: number): TraceLine {
  const out: TraceLine = { type: 'frame', dir: r.dir, at: r.at, bytes: r.bytes.length, text: escapeControls(Buffer.from(r.bytes).toString('utf8')) };
  if (r.nick !== undefined) out.nick = r.nick;
  if (r.hint !== undefined) out.hint = r.hint;
  if (dropped > 0) out.dropped = dropped;
  return out;
}
