import type { Socket } from 'node:net';
import { normalizeAddress, type Pipe, type PipeEvents } from './pipe.js';

// DESIGN.md "Operating limits": TCP keepalive on every socket, so a vanished peer loses its nick.
export const KEEPALIVE_MS = 30_000;

/** Nagle off and keepalive on: one write per turn already batches (README "hot path"), and dead peers are noticed. */
export function tuneSocket(socket: Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, KEEPALIVE_MS);
}

/** A byte-stream transport: a TCP socket, or a TLS socket (a net.Socket too) once its handshake is done. */
export class StreamPipe implements Pipe {
  readonly messages = false;
  readonly remoteAddress: string;

  constructor(private readonly socket: Socket, readonly kind: 'tcp' | 'tls') {
    this.remoteAddress = normalizeAddress(socket.remoteAddress);
    tuneSocket(socket);
  }

  get buffered(): number {
    return this.socket.writableLength;
  }

  get paused(): boolean {
    return this.socket.isPaused();
  }

  start(events: PipeEvents): void {
    this.socket.on('data', events.data);
    this.socket.on('error', events.error);
    this.socket.on('close', () => events.closed());
  }

  write(chunk: string | Uint8Array): void {
    this.socket.write(chunk);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}
