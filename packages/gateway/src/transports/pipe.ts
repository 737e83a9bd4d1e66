/** The transports a listener may have (DESIGN.md "Transports and the browser"); `memory` is the in-process one. */
export type TransportKind = 'tcp' | 'tls' | 'websocket' | 'memory';

/**
 * What a pipe tells its connection, as methods of one object (the
 * Connection itself): no closure per connection for them (issue #16).
 */
export interface PipeEvents {
  /** Bytes from the peer: a stream's chunk as read, or one whole message of a message transport. */
  pipeData(chunk: Buffer): void;
  /** A message transport refused an inbound message over its size limit; the pipe closes right after this returns. */
  pipeTooLarge(limit: number): void;
  /** A transport error (logged; `pipeClosed` follows). */
  pipeError(err: NodeJS.ErrnoException): void;
  /** Closed both ways; nothing arrives after this. */
  pipeClosed(): void;
}

/**
 * The connection layer's port to a transport: bytes or messages in and out,
 * flow control, close. A connection holds one and never a socket, so every
 * limit of the connection layer holds on every transport.
 */
export interface Pipe {
  readonly kind: TransportKind;
  /** True when each data chunk is one message and each write one message (WebSocket); false for byte streams. */
  readonly messages: boolean;
  /** The peer's IP, normalized (`::ffff:` cut), for the per-IP cap and "welcome back". */
  readonly remoteAddress: string;
  /** Bytes written but not yet taken by the peer or the kernel; counted against limits.sendQueueMax. */
  readonly buffered: number;
  /** True while reading is paused. */
  readonly paused: boolean;
  /** Starts reporting to `events`; nothing is reported before. */
  start(events: PipeEvents): void;
  /** Sends one chunk (a stream) or one message (a message transport). */
  write(chunk: string | Uint8Array): void;
  /** Closes once what was written has been sent, reading on (paused or not) so that the peer's close is seen. */
  end(): void;
  /** Closes at once, unsent bytes dropped. */
  destroy(): void;
  pause(): void;
  resume(): void;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so per-IP caps and "welcome back" see one address. */
export function normalizeAddress(addr: string | undefined): string {
  if (!addr) return 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}
