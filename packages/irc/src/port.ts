import { fold, type ErrorCode, type Hub, type MessageOptions, type Result, type Sent, type SessionPort, type UserRecord } from '@chat-gateway/core';
import type { IrcOptions } from './options.js';
import type { ErrorArgs } from './replies.js';
import type { Numeric } from './welcome.js';

/** What the commands need of their session (IrcSession implements it). */
export interface CommandPort extends SessionPort {
  readonly hub: Hub;
  readonly nick: string | undefined;
  /** The nick numerics are addressed to. */
  readonly me: string;
  /** This client's own hostmask. */
  readonly mask: string;
  readonly options: IrcOptions;
  readonly channels: Map<string, string>;
  away: string | undefined;
  maskOf(nick: string, dialect: string): string;
  directFar(to: string, text: string, reply: (r: Result<Sent>) => void, opts?: MessageOptions): boolean;
  numeric(code: string, params: readonly string[], text?: string): string;
  reply(numerics: readonly Numeric[]): void;
  write(lines: string): void;
  fail(code: ErrorCode, args?: ErrorArgs): void;
  motd(): void;
}

const ROOM = 0x23; /* # */
/** A `#channel` target (CHANTYPES=#). */
export const isChannel = (t: string): boolean => t.charCodeAt(0) === ROOM;
/** Comma-separated targets (RFC 2812 3.2.1, 3.3.1), empty ones dropped, each once (names compare case-insensitively). */
export function targets(list: string): string[] {
  if (list.indexOf(',') < 0) return list === '' ? [] : [list];
  const seen = new Set<string>();
  return list.split(',').filter((t) => t !== '' && !seen.has(fold(t)) && !!seen.add(fold(t)));
}

/** The realname shown for a user of any dialect in WHO and WHOIS: where they are. */
export const realname = (u: UserRecord): string => `${u.nick} on ${u.dialect}`;
/** A user's host part: the dialect they are on, under the network (DESIGN.md IRC). */
export const hostOf = (s: CommandPort, u: UserRecord): string => `${u.dialect}.${s.options.network}`;

/** A channel a client may see: public, or private with the client in it (DESIGN.md "Room"). */
export async function visibleRoom(s: CommandPort, name: string): Promise<{ name: string; private: boolean; persistent: boolean } | undefined> {
  const r = await s.hub.room(name);
  if (!r.ok) return undefined;
  const priv = r.value.visibility === 'private';
  if (priv && !s.channels.has(fold(r.value.name))) return undefined;
  return { name: r.value.name, private: priv, persistent: r.value.persistent };
}

