import type { Redis } from 'ioredis';
import { fold, type Directory, type LeaseState, type ReapedUser, type RoomRecord, type UserRecord, type Visibility } from '@chat-gateway/core';
import { SCRIPTS, type ScriptName } from './scripts.js';

type Script = (...args: (string | number)[]) => Promise<unknown>;
/** A room record as the scripts return it: name, visibility, persistent (0/1), size, then a script's own flags. */
type RoomReply = [string, Visibility, number, number, ...number[]];

/**
 * The Redis Directory (DESIGN.md "Nodes and back ends"): shared nicks,
 * rooms, members and node leases, every mutation one Lua script
 * (packages/redis/src/scripts.ts). Names are folded here with core's
 * `fold`, exactly as the in-process Directory folds them. A call rejects
 * at once when Redis is away (no offline queue): the Hub answers INTERNAL.
 */
export class RedisDirectory implements Directory {
  private readonly scripts: Record<ScriptName, Script>;

  /**
   * On a connected client of its own (the node's command connection);
   * `onClose` closes that connection, `batch` runs before each command
   * (TurnBatch: one socket write per turn).
   */
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly onClose: () => Promise<void>,
    private readonly batch: () => void = () => {},
  ) {
    const byName = client as unknown as Record<string, Script>;
    this.scripts = Object.fromEntries(
      Object.entries(SCRIPTS).map(([name, lua]) => {
        // ioredis runs a defined script by EVALSHA, and loads it again after a Redis restart (NOSCRIPT).
        client.defineCommand(`cg_${name}`, { numberOfKeys: 0, lua });
        // defineCommand adds a method ioredis's types cannot know of: looked up by name once, here.
        const run = byName[`cg_${name}`]!;
        return [name, (...args: (string | number)[]) => (this.batch(), run.call(client, prefix, ...args))];
      }),
    ) as Record<ScriptName, Script>;
  }

  async claimNick(user: UserRecord): Promise<boolean> {
    return (await this.scripts.claim(fold(user.nick), JSON.stringify(userRecord(user)), user.node, user.address)) === 1;
  }

  async renameNick(session: string, from: string, to: string): Promise<boolean> {
    return (await this.scripts.rename(session, fold(from), fold(to), to)) === 1;
  }

  async releaseNick(session: string, nick: string): Promise<string[]> {
    return (await this.scripts.releaseNick(session, fold(nick))) as string[];
  }

  async getUser(nick: string): Promise<UserRecord | undefined> {
    this.batch();
    const raw = await this.client.hget(this.key('users'), fold(nick));
    return raw === null ? undefined : parseUser(raw);
  }

  async listUsers(): Promise<UserRecord[]> {
    return ((await this.scripts.listUsers()) as string[]).map(parseUser);
  }

  async joinRoom(room: string, nick: string) {
    const r = (await this.scripts.join(fold(room), room, fold(nick), nick)) as RoomReply;
    return { room: roomRecord(r), created: r[4] === 1, already: r[5] === 1 };
  }

  async leaveRoom(room: string, nick: string) {
    const r = (await this.scripts.leave(fold(room), fold(nick))) as RoomReply | null;
    return r ? { room: roomRecord(r), deleted: r[4] === 1, wasMember: r[5] === 1 } : undefined;
  }

  async getRoom(room: string): Promise<RoomRecord | undefined> {
    const r = (await this.scripts.getRoom(fold(room))) as RoomReply | null;
    return r ? roomRecord(r) : undefined;
  }

  async members(room: string, limit = Infinity): Promise<string[]> {
    if (limit <= 0) return [];
    return (await this.scripts.members(fold(room), Number.isFinite(limit) ? Math.floor(limit) - 1 : -1)) as string[];
  }

  async listRooms(): Promise<RoomRecord[]> {
    return ((await this.scripts.listRooms()) as RoomReply[]).map(roomRecord);
  }

  async setVisibility(room: string, visibility: Visibility): Promise<RoomRecord | undefined> {
    const r = (await this.scripts.visibility(fold(room), visibility)) as RoomReply | null;
    return r ? roomRecord(r) : undefined;
  }

  async ensureRooms(names: string[]): Promise<void> {
    if (names.length > 0) await this.scripts.ensureRooms(...names.flatMap((n) => [fold(n), n]));
  }

  async lastAddress(nick: string): Promise<string | undefined> {
    this.batch();
    return (await this.client.hget(this.key('seen-addr'), fold(nick))) ?? undefined;
  }

  async renewLease(node: string, ttlMs: number): Promise<LeaseState> {
    return (await this.scripts.renewLease(node, Math.max(1, Math.round(ttlMs)))) as LeaseState;
  }

  async reapLapsed(): Promise<ReapedUser[]> {
    const reaped = (await this.scripts.reapLapsed()) as [string, ...string[]][];
    return reaped.map(([raw, ...rooms]) => ({ user: parseUser(raw), rooms }));
  }

  /** Closes this node's command connection (the Link publishes on it too, so the Hub closes the Link first). */
  async close(): Promise<void> {
    await this.onClose();
  }

  private key(name: string): string {
    return this.prefix + name;
  }
}

/** Only the record's own fields are stored: what a caller added stays out of shared state. */
function userRecord(u: UserRecord): UserRecord {
  return { nick: u.nick, session: u.session, dialect: u.dialect, receipts: u.receipts, node: u.node, address: u.address };
}

function parseUser(raw: string): UserRecord {
  return userRecord(JSON.parse(raw) as UserRecord);
}

function roomRecord(r: RoomReply): RoomRecord {
  return { name: r[0], visibility: r[1], persistent: r[2] === 1, size: r[3] };
}
