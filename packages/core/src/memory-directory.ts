import type { Directory, LeaseState, ReapedUser, RoomRecord, UserRecord } from './directory.js';
import type { Visibility } from './events.js';
import { fold } from './names.js';

// "Welcome back" memory: enough for a class, bounded for a server that runs for months.
const SEEN_MAX = 10_000;

interface RoomState {
  name: string;
  visibility: Visibility;
  persistent: boolean;
  /** folded nick -> display nick, in join order */
  members: Map<string, string>;
}

/**
 * The in-process Directory: plain maps, single-threaded, so every call is
 * atomic. Several Hubs may share one (the multi-node test back end); leases
 * then work as they would in Redis.
 */
export class MemoryDirectory implements Directory {
  private readonly users = new Map<string, UserRecord>();
  private readonly rooms = new Map<string, RoomState>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly seen = new Map<string, string>();
  private readonly leases = new Map<string, number>();
  private readonly reaped = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

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
    this.users.set(newKey, { ...rec, nick: to });
    this.remember(newKey, rec.address);
    const rooms = this.memberOf.get(oldKey);
    if (rooms) {
      this.memberOf.delete(oldKey);
      this.memberOf.set(newKey, rooms);
      for (const r of rooms) {
        const st = this.rooms.get(r);
        // Rebuilt so the new nick keeps the old one's place in join order.
        if (st) st.members = new Map([...st.members].map(([k, v]) => (k === oldKey ? [newKey, to] : [k, v])));
      }
    }
    return true;
  }

  async releaseNick(session: string, nick: string): Promise<string[]> {
    return this.release(session, fold(nick));
  }

  async getUser(nick: string): Promise<UserRecord | undefined> {
    const u = this.users.get(fold(nick));
    return u && { ...u };
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
    return { room: record(st), created, already };
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
    return { room: record(st), deleted, wasMember };
  }

  async getRoom(room: string) {
    const st = this.rooms.get(fold(room));
    return st && record(st);
  }

  async members(room: string, limit = Infinity): Promise<string[]> {
    const st = this.rooms.get(fold(room));
    if (!st) return [];
    const out: string[] = [];
    for (const v of st.members.values()) {
      if (out.length >= limit) break;
      out.push(v);
    }
    return out;
  }

  async listRooms() {
    return [...this.rooms.values()].map(record);
  }

  async setVisibility(room: string, visibility: Visibility) {
    const st = this.rooms.get(fold(room));
    if (!st) return undefined;
    st.visibility = visibility;
    return record(st);
  }

  async ensureRooms(names: string[]): Promise<void> {
    for (const name of names) {
      const key = fold(name);
      const st = this.rooms.get(key);
      if (st) st.persistent = true;
      else this.rooms.set(key, { name, visibility: 'public', persistent: true, members: new Map() });
    }
  }

  async lastAddress(nick: string): Promise<string | undefined> {
    return this.seen.get(fold(nick));
  }

  async renewLease(node: string, ttlMs: number): Promise<LeaseState> {
    const had = this.leases.has(node);
    this.leases.set(node, this.now() + ttlMs);
    if (this.reaped.delete(node)) return 'reaped';
    return had ? 'held' : 'new';
  }

  async reapLapsed(): Promise<ReapedUser[]> {
    const now = this.now();
    const out: ReapedUser[] = [];
    for (const [node, until] of this.leases) {
      if (until > now) continue;
      this.leases.delete(node);
      this.reaped.add(node);
      for (const [key, user] of this.users) {
        if (user.node !== node) continue;
        out.push({ user: { ...user }, rooms: this.release(user.session, key) });
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.users.clear();
    this.rooms.clear();
    this.memberOf.clear();
    this.leases.clear();
  }

  private release(session: string, key: string): string[] {
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

  /** Remembers who last held a nick, keeping only the most recent SEEN_MAX nicks. */
  private remember(key: string, address: string): void {
    this.seen.delete(key);
    this.seen.set(key, address);
    if (this.seen.size > SEEN_MAX) this.seen.delete(this.seen.keys().next().value!);
  }
}

function record(st: RoomState): RoomRecord {
  return { name: st.name, visibility: st.visibility, persistent: st.persistent, size: st.members.size };
}
