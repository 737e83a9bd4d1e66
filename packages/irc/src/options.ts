/** An IRC listener's options (config `listeners[].options`; packages/irc/README.md). */
export interface IrcOptions {
  /** The network's name: `005 NETWORK=`, the welcome line, and the host part of every hostmask (`alice!alice@psu.<network>`). */
  network: string;
  /** The server's name: the source of numerics and server PINGs (RFC 2812 2.3.1 `servername`). */
  serverName: string;
  /** The message of the day, one entry per line (`375`/`372`/`376`); empty sends `422` (RFC 2812 5.2). */
  motd: string[];
  /** Milliseconds between server `PING`s once registered; 0 disables the keepalive. */
  pingIntervalMs: number;
  /** Milliseconds a client has to answer a `PING` before `ERROR :Closing link (ping timeout)`; 0 never closes. */
  pingTimeoutMs: number;
}

const DAY_MS = 86_400_000;
// A host name: it is the host part of hostmasks and the source of numerics, one IRC parameter each.
const HOST = '^[A-Za-z0-9]([A-Za-z0-9.-]{0,62}[A-Za-z0-9])?$';

/** JSON Schema `properties` for the listener's `options` (validated by the gateway with ajv). */
export const IRC_OPTIONS_SCHEMA: Record<string, object> = {
  network: { type: 'string', pattern: HOST, expected: 'a host name such as chat-gateway', description: 'network name: 005 NETWORK= and the host part of hostmasks (<nick>!<nick>@<dialect>.<network>)' },
  serverName: { type: 'string', pattern: HOST, expected: 'a host name such as chat-gateway', description: 'server name: the source of numerics and PINGs' },
  motd: {
    type: 'array',
    maxItems: 100,
    items: { type: 'string', maxLength: 400, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
    description: 'message of the day, one string per line; empty: 422 (no MOTD)',
  },
  pingIntervalMs: { type: 'integer', minimum: 0, maximum: DAY_MS, description: 'ms between server PINGs once registered; 0 disables' },
  pingTimeoutMs: { type: 'integer', minimum: 0, maximum: DAY_MS, description: 'ms to answer a PING before the link is closed; 0 never closes' },
};

/** Defaults the gateway fills in for options a listener leaves out. */
export const IRC_DEFAULT_OPTIONS: Readonly<IrcOptions> = Object.freeze({
  network: 'chat-gateway',
  serverName: 'chat-gateway',
  motd: [],
  // As IRC servers do: a ping after a quiet minute, half a minute to answer it.
  pingIntervalMs: 60_000,
  pingTimeoutMs: 30_000,
});

/** Options with defaults filled in for anything absent (the gateway already does; tests and tools may not). */
export function resolveOptions(options: Partial<IrcOptions> | undefined): IrcOptions {
  return { ...IRC_DEFAULT_OPTIONS, ...options };
}
