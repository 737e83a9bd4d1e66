import { safeBlock } from '@chat-gateway/core';
import { compress, type Compression } from './compression.js';

/** A package the gateway sends (specs/chatmaster3000.md "Package Types"). */
export interface ServerPackage {
  type: 'request' | 'session' | 'message' | 'notification' | 'error';
  data: Record<string, unknown>;
}

/** One encoded package, ready for one write. */
export type Wire = string | Buffer;

const NL = Buffer.from('\n');

/**
 * A package as bytes: JSON (or its zlib/gzip stream), then `\n`, in one piece
 * for one write (DESIGN.md ChatMaster: "Send each package in its own write,
 * ended by `\n`").
 */
export function encode(pkg: ServerPackage, format: Compression): Wire {
  const json = JSON.stringify(pkg);
  if (format === 'none') return json + '\n';
  return Buffer.concat([compress(json, format), NL]);
}

/** `request` {request: "login"}: the first package on every connection. */
export function loginRequest(): ServerPackage {
  return { type: 'request', data: { request: 'login' } };
}

/** `session` after a good login: JSON true, not 1 (DESIGN.md: real clients test `is True`). */
export function sessionAccepted(username: string, channels: string[]): ServerPackage {
  return { type: 'session', data: { status: true, username, channels } };
}

/** `session` after a refused login; the connection stays open for another try. */
export function sessionRefused(reason: string): ServerPackage {
  return { type: 'session', data: { status: false, reason } };
}

/** A room message as its members see it (DESIGN.md cross-dialect table). */
export function roomMessage(from: string, room: string, text: string): ServerPackage {
  return { type: 'message', data: { message: safeBlock(text), username: from, channel: room } };
}

/** A direct message as its recipient sees it (DESIGN.md cross-dialect table). */
export function directMessage(from: string, text: string): ServerPackage {
  return { type: 'message', data: { message: safeBlock(text), username: from, direct: true } };
}

/**
 * A notification in both forms at once (DESIGN.md ChatMaster): the spec's
 * flat fields beside `event_type`, and the same fields nested under
 * `parameters`, where real clients read them.
 */
function notification(eventType: string, flat: Record<string, unknown>, extra: Record<string, unknown> = {}): ServerPackage {
  return { type: 'notification', data: { event_type: eventType, ...flat, parameters: { ...flat, ...extra } } };
}

/** `user_joined` {username, channel}, with `current_users` under parameters. */
export function userJoined(username: string, channel: string, members: string[]): ServerPackage {
  return notification('user_joined', { username, channel }, { current_users: members });
}

/** `user_left` {username, channel}, with `current_users` (those still there) under parameters. */
export function userLeft(username: string, channel: string, members: string[]): ServerPackage {
  return notification('user_left', { username, channel }, { current_users: members });
}

/** `user_rename` {old_username, new_username}. */
export function userRename(from: string, to: string): ServerPackage {
  return notification('user_rename', { old_username: from, new_username: to });
}

/**
 * `channel_list` {channels}: the rooms this user may see. As the answer to
 * `private`/`public` it also names the channel and its new visibility.
 */
export function channelList(channels: string[], change?: { channel: string; visibility: 'private' | 'public' }): ServerPackage {
  return notification('channel_list', change ? { channels, ...change } : { channels });
}

/** `user_list` {users: [{username, dialect}]}: the answer to the `users` extension command. */
export function userList(users: readonly { username: string; dialect: string }[]): ServerPackage {
  return notification('user_list', { users });
}

/** `server_shutdown` {message}. */
export function serverShutdown(message: string): ServerPackage {
  return notification('server_shutdown', { message });
}

/** `error` {error_type, message}: error_type is the command (or `message`), or "parse". */
export function errorPackage(errorType: string, message: string): ServerPackage {
  return { type: 'error', data: { error_type: errorType, message } };
}
