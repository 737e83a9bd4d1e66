import type { OnlineUser } from './protocol.js';

/** One line of a conversation. */
export interface Line {
  at: number;
  kind: 'message' | 'mine' | 'event' | 'error';
  from?: string;
  text: string;
}

/** A room (`#name`) or a direct conversation with one user (`@nick`). */
export interface Conversation {
  key: string;
  kind: 'room' | 'direct';
  name: string;
  lines: Line[];
  unread: number;
}

// A conversation keeps its latest lines only: a busy room must not grow the page without bound.
const LINES_MAX = 500;

/** Conversation keys: rooms and nicks compare case-insensitively, as the gateway does (DESIGN.md "Canonical model"). */
export const roomKey = (name: string) => `#${name.toLowerCase()}`;
export const directKey = (nick: string) => `@${nick.toLowerCase()}`;

/** What the chat page knows: who I am, where I am, who is online, and every conversation. */
export class ChatState {
  nick = '';
  /** The channel I am in (a ChatMaster user is in one at a time), if any. */
  channel: string | undefined;
  rooms: string[] = [];
  users: OnlineUser[] = [];
  current = '';
  readonly conversations = new Map<string, Conversation>();

  /** The conversation for a key, made on first use. */
  conversation(kind: 'room' | 'direct', name: string): Conversation {
    const key = kind === 'room' ? roomKey(name) : directKey(name);
    let c = this.conversations.get(key);
    if (!c) this.conversations.set(key, (c = { key, kind, name, lines: [], unread: 0 }));
    return c;
  }

  /** Adds a line; counts it unread unless its conversation is on screen. */
  add(c: Conversation, line: Omit<Line, 'at'>): Line {
    const l = { at: Date.now(), ...line };
    c.lines.push(l);
    if (c.lines.length > LINES_MAX) c.lines.splice(0, c.lines.length - LINES_MAX);
    if (c.key !== this.current) c.unread++;
    return l;
  }

  /** A user's dialect, when they are in the user list. */
  dialectOf(nick: string): string | undefined {
    return this.users.find((u) => u.username.toLowerCase() === nick.toLowerCase())?.dialect;
  }

  /** Moves a direct conversation to a user's new name. */
  rename(from: string, to: string): void {
    const old = this.conversations.get(directKey(from));
    if (!old) return;
    this.conversations.delete(old.key);
    const moved = { ...old, key: directKey(to), name: to };
    this.conversations.set(moved.key, moved);
    if (this.current === old.key) this.current = moved.key;
  }
}
