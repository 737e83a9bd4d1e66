import type { Socket } from 'node:net';
import { normalizeAddress, type Pipe, type PipeEvents } from './pipe.js';

/**
 * Nagle off (one write per turn already batches, README "hot path") and TCP keepalive on after
 * `keepaliveMs` idle (limits.tcpKeepaliveMs; 0 leaves it off): DESIGN.md "Operating limits",
 * "TCP keepalive on every socket, so a vanished peer loses its nick". Node sets the idle time;
 * the kernel's probe interval and count decide when a silent peer is declared dead
 * (config/README.md "Dead peers").
 */
export function tuneSocket(socket: Socket, keepaliveMs: number): void {
  socket.setNoDelay(true);
  // The kernel counts the idle time in whole seconds (TCP_KEEPIDLE), at least one.
  if (keepaliveMs > 0) socket.setKeepAlive(true, Math.max(1000, keepaliveMs));
}

// The socket's listeners are these three functions, shared by every socket: each finds its
// connection on the socket it is called on (node calls a listener with the emitter as `this`),
// so a connection costs no closures for them (issue #16: memory per idle connection).
const EVENTS = Symbol('chat-gateway pipe events');
type OwnedSocket = Socket & { [EVENTS]: PipeEvents };

function onData(this: OwnedSocket, chunk: Buffer): void {
  this[EVENTS].pipeData(chunk);
}

function onError(this: OwnedSocket, err: NodeJS.ErrnoException): void {
  this[EVENTS].pipeError(err);
}

function onClose(this: OwnedSocket): void {
  this[EVENTS].pipeClosed();
}

/** A byte-stream transport: a TCP socket, or a TLS socket (a net.Socket too) once its handshake is done. */
export class StreamPipe implements Pipe {
  readonly messages = false;
  readonly remoteAddress: string;

  constructor(private readonly socket: Socket, readonly kind: 'tcp' | 'tls', keepaliveMs: number) {
    this.remoteAddress = normalizeAddress(socket.remoteAddress);
    tuneSocket(socket, keepaliveMs);
  }

  get buffered(): number {
    return this.socket.writableLength;
  }

  get paused(): boolean {
    return this.socket.isPaused();
  }

  start(events: PipeEvents): void {
    const socket = this.socket as OwnedSocket;
    socket[EVENTS] = events;
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  }

  write(chunk: string | Uint8Array): void {
    this.socket.write(chunk);
  }

  end(): void {
    this.socket.end();
    // The peer's close comes after whatever it still sends: reading may have been paused (shutdown,
    // backpressure), and a paused socket never sees the close. What arrives is dropped by the connection, which is closing.
    this.socket.resume();
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
