import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { normalizeAddress, type Pipe, type PipeEvents } from './pipe.js';
import { tuneSocket } from './stream-pipe.js';

// RFC 6455 7.4.1: 1009 "message too big", sent by ws when a message exceeds maxPayload.
const TOO_BIG = 1009;

/**
 * A WebSocket connection (the `ws` library does the protocol): each message
 * in is one chunk, each write one message, text for strings and binary for
 * bytes. ws refuses a message over its maxPayload by closing with 1009; the
 * connection gets `tooLarge` first, so the client is told in its dialect
 * (DESIGN.md "Operating limits": a clear reply before any close).
 */
export class WebSocketPipe implements Pipe {
  readonly kind = 'websocket';
  readonly messages = true;
  readonly remoteAddress: string;
  private ending = false;

  constructor(private readonly ws: WebSocket, req: IncomingMessage, private readonly maxPayload: number, keepaliveMs: number) {
    this.remoteAddress = normalizeAddress(req.socket.remoteAddress);
    tuneSocket(req.socket, keepaliveMs);
  }

  get buffered(): number {
    // ws counts what its sender holds plus the socket's own buffer.
    return this.ws.bufferedAmount;
  }

  get paused(): boolean {
    return this.ws.isPaused;
  }

  start(events: PipeEvents): void {
    const ws = this.ws;
    // ws's receiver calls close(1009) and only then emits the error: hook the close, so the
    // dialect's reply is sent while the socket is still open, ahead of the close frame.
    const close = ws.close.bind(ws);
    ws.close = (code?: number, reason?: string | Buffer) => {
      if (code === TOO_BIG && !this.ending && ws.readyState === ws.OPEN) {
        this.ending = true;
        events.pipeTooLarge(this.maxPayload);
      }
      close(code, reason);
    };
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => events.pipeData(toBuffer(data)));
    ws.on('error', (err: Error) => events.pipeError(err));
    ws.on('close', () => events.pipeClosed());
  }

  write(chunk: string | Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(chunk, { binary: typeof chunk !== 'string' });
  }

  end(): void {
    this.ending = true;
    // The close handshake needs the peer's close frame read: reading may have been paused (shutdown, backpressure),
    // and what else arrives is dropped by the connection, which is closing.
    this.ws.resume();
    // A close frame after what is queued; ws destroys the socket when the peer answers (or the connection's end timer does).
    this.ws.close(1000);
  }

  destroy(): void {
    this.ending = true;
    this.ws.terminate();
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
