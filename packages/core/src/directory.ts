import { fold } from './names.js';
import type { Visibility } from './events.js';

/** Who is online: one record per registered session, on any node. */
export interface UserRecord {
  nick: string;
  session: string;
  dialect: string;
  /** False when the user's dialect has no delivery receipts: the Hub synthesizes them. */
  receipts: boolean;
  node: string;
  address: string;
}

export interface RoomRecord {
  name: string;
  visibility: Visibility;
  /** Rooms named in config always exist; others die with their last member. */
  persistent: boolean;
  /** Member nicks, display form, in join order. */
  members: string[];
}

/**
 * Shared state: users and rooms. Every method is async so that a Redis
 * implementation can replace the in-process one; every mutating method is
 * atomic on its own (claimNick is the one cross-node uniqueness point).
 */
export interface Directory {
  /** Claims a nick for a session; false when another session holds it. */
  claimNick(user: UserRecord): Promise<boolean>;
  /** Moves a session's claim to a new nick, keeping room memberships; false when taken. */
  renameNick(session: string, from: string, to: string): Promise<boolean>;
  /** Drops a session's claim and its room memberships; returns the rooms it was in. */
  releaseNick(session: string, nick: string): Promise<string[]>;
  /** One online user; the result is read-only. */
  getUser(nick: string): Promise<Readonly<UserRecord> | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** Adds a member, creating the room when absent. */
  joinRoom(room: string, nick: string): Promise<{ room: RoomRecord; created: boolean; already: boolean }>;
  /** Removes a member, deleting a non-persistent room left empty; undefined when no such room. */
  leaveRoom(room: string, nick: string): Promise<{ room: RoomRecord; deleted: boolean; wasMember: boolean } | undefined>;
  getRoom(room: string): Promise<RoomRecord | undefined>;
  listRooms(): Promise<RoomRecord[]>;
  setVisibility(room: string, visibility: Visibility): Promise<RoomRecord | undefined>;
  /** Creates the config-named rooms (idempotent). */
  ensureRooms(names: string[]): Promise<void>;
  /** The address that last held a nick (WS_2017 rev-a "welcome back"). */
  lastAddress(nick: string): Promise<string | undefined>;
  close(): Promise<void>;
}

// "Welcome back" memory: enough for a class, bounded for a server that runs for months.
const SEEN_MAX = 10_000;

interface RoomState { name: string; visibility: Visibility; persistent: boolean; members: Map<string, string> }

/** In-process Directory: plain maps, single-threaded so every call is atomic. */
export class MemoryDirectory implements Directory {
  private readonly users = new Map<string, UserRecord>();
  private readonly rooms = new Map<string, RoomState>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly seen = new Map<string, string>();

  async claimNick(user: UserRecord): Promise<boolean> {
    const key = fold(user.nick);
    if (this.users.has(key)) return false;
    this.users.set(key, { ...user });
    this.remember(key, user.address);
    return true;
  }

  async renameNick(session: string, from: string, to: string): Promise<boolean> {
    const oldKey = fold(from);
    const newKey = fold(to);
    const rec = this.users.get(oldKey);
    if (!rec || rec.session !== session) return false;
    if (newKey !== oldKey && this.users.has(newKey)) return false;
    this.users.delete(oldKey);
    rec.nick = to;
    this.users.set(newKey, rec);
    this.remember(newKey, rec.address);
    const rooms = this.memberOf.get(oldKey);
    if (rooms) {
      this.memberOf.delete(oldKey);
      this.memberOf.set(newKey, rooms);
      for (const r of rooms) {
        const st = this.rooms.get(r);
        if (!st) continue;
        // Rebuild to keep join order with the new display nick in place.
        const entries = [...st.members].map(([k, v]) => (k === oldKey ? [newKey, to] : [k, v]) as [string, string]);
        st.members = new Map(entries);
      }
    }
    return true;
  }

  async releaseNick(session: string, nick: string): Promise<string[]> {
    const key = fold(nick);
    const rec = this.users.get(key);
    if (!rec || rec.session !== session) return [];
    this.users.delete(key);
    const left: string[] = [];
    for (const r of this.memberOf.get(key) ?? []) {
      const st = this.rooms.get(r);
      if (!st) continue;
      st.members.delete(key);
      left.push(st.name);
      if (st.members.size === 0 && !st.persistent) this.rooms.delete(r);
    }
    this.memberOf.delete(key);
    return left;
  }

  /** The stored record itself (no copy on the message path): callers treat it as read-only. */
  async getUser(nick: string): Promise<UserRecord | undefined> {
    return this.users.get(fold(nick));
  }

  /** getUser without a promise: the in-process message path. */
  getUserSync(nick: string): Readonly<UserRecord> | undefined {
    return this.users.get(fold(nick));
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  async joinRoom(room: string, nick: string) {
    const key = fold(room);
    let st = this.rooms.get(key);
    const created = !st;
    if (!st) {
      st = { name: room, visibility: 'public', persistent: false, members: new Map() };
      this.rooms.set(key, st);
    }
    const nk = fold(nick);
    const already = st.members.has(nk);
    if (!already) {
      st.members.set(nk, nick);
      let set = this.memberOf.get(nk);
      if (!set) this.memberOf.set(nk, (set = new Set()));
      set.add(key);
    }
    return { room: snapshot(st), created, already };
  }

  async leaveRoom(room: string, nick: string) {
    const key = fold(room);
    const st = this.rooms.get(key);
    if (!st) return undefined;
    const nk = fold(nick);
    const wasMember = st.members.delete(nk);
    this.memberOf.get(nk)?.delete(key);
    const deleted = st.members.size === 0 && !st.persistent;
    if (deleted) this.rooms.delete(key);
    return { room: snapshot(st), deleted, wasMember };
  }

  async getRoom(room: string) {
    const st = this.rooms.get(fold(room));
    return st && snapshot(st);
  }

  async listRooms() {
    return [...this.rooms.values()].map(snapshot);
  }

  async setVisibility(room: string, visibility: Visibility) {
    const st = this.rooms.get(fold(room));
    if (!st) return undefined;
    st.visibility = visibility;
    return snapshot(st);
  }

  async ensureRooms(names: string[]): Promise<void> {
    for (const name of names) {
      const key = fold(name);
      const st = this.rooms.get(key);
      if (st) st.persistent = true;
      else this.rooms.set(key, { name, visibility: 'public', persistent: true, members: new Map() });
    }
  }

  /** Remembers who last held a nick, keeping only the most recent SEEN_MAX nicks. */
  private remember(key: string, address: string): void {
    this.seen.delete(key);
    this.seen.set(key, address);
    if (this.seen.size > SEEN_MAX) this.seen.delete(this.seen.keys().next().value!);
  }

  async lastAddress(nick: string): Promise<string | undefined> {
    return this.seen.get(fold(nick));
  }

  async close(): Promise<void> {
    this.users.clear();
    this.rooms.clear();
    this.memberOf.clear();
  }
}

function snapshot(st: RoomState): RoomRecord {
  return { name: st.name, visibility: st.visibility, persistent: st.persistent, members: [...st.members.values()] };
}
