/** What a codec may do to the bench client it drives (login, join, keepalive, error counting). */
export interface ClientPort {
  readonly nick: string;
  /** True once logged in and joined: the traffic phase (unexpected replies count as errors). */
  readonly receiving: boolean;
  /** Writes raw protocol text (latin1/ASCII) to the server. */
  write(data: string): void;
  /** Registration confirmed by the server. */
  loggedIn(): void;
  /** Room membership confirmed by the server. */
  joined(): void;
  /** Login or join refused: the scenario aborts with this reason. */
  fail(reason: string): void;
  /** The server refused a message or command after login (counted as an error). */
  error(frame: string): void;
}

/**
 * One client protocol as the load generator speaks it: small encoders, and a
 * `control` handler for every frame that carries no bench message (greetings,
 * login replies, pings, acks, notices). Decoding delivered messages is shared:
 * the receiver scans each frame for the bench stamp (see payload.ts).
 */
export interface Codec {
  readonly name: string;
  /** The byte that ends each frame the server sends: `\n` (lines, JSON) or EOT (Sup). */
  readonly terminator: '\n' | '\x04';
  /** Called once connected: send what opens the session (or wait for a greeting). */
  start(c: ClientPort): void;
  /** A frame without a bench stamp, terminator stripped (a trailing CR too). */
  control(frame: string, c: ClientPort): void;
  /** Starts joining a room; the codec calls c.joined() when the server confirms. */
  join(room: string, c: ClientPort): void;
  /** One direct message, framed and terminated. */
  dm(from: string, to: string, text: string): string;
  /** One room message, framed and terminated. */
  room(from: string, room: string, text: string): string;
}
