import type { Directory, RoomRecord } from './directory.js';
import { fail, ok, type Result } from './errors.js';
import type { BusEvent, Visibility } from './events.js';
import type { LocalSessions, SessionPort } from './local.js';
import { fold, isValidRoom, type NamePolicy } from './names.js';

/** What room membership needs of the Hub. */
export interface MembershipDeps {
  local: LocalSessions;
  directory: Directory;
  /** The name policy of the moment (a reload may change it). */
  policy(): NamePolicy;
  /** Delivers on this node and sends to the others. */
  emit(event: BusEvent): boolean;
  /** The reply when the back end is unreachable (logged once, by the Hub). */
  down(err: unknown, op: string): Result<never>;
}

/**
 * Joining, leaving and the visibility of rooms (DESIGN.md "Canonical model", Room): the
 * Directory holds the members of every node, the Hub's LocalSessions this
 * node's; each change is an event for the room's members.
 */
export class RoomMembership {
  constructor(private readonly deps: MembershipDeps) {}

  /**
   * Joins (and creates) a room; the session is a local member before the
   * Directory answers, so a room message another node sends the moment the
   * join is stored still reaches it.
   */
  async join(port: SessionPort, room: string): Promise<Result<{ room: string; created: boolean; already: boolean; size: number }>> {
    const s = this.deps.local.session(port.id);
    if (!s) return fail('NOT_REGISTERED');
    if (!isValidRoom(room, this.deps.policy())) return fail('ROOM_INVALID');
    const key = fold(room);
    const was = s.rooms.has(key);
    if (!was) this.deps.local.enter(s, room);
    let res: Awaited<ReturnType<Directory['joinRoom']>>;
    try {
      res = await this.deps.directory.joinRoom(room, s.nick);
    } catch (err) {
      if (!was) this.deps.local.leave(s, key);
      return this.deps.down(err, 'join');
    }
    const name = res.room.name;
    // The room's own spelling, as whoever created it wrote it.
    this.deps.local.nameRoom(s, key, name);
    if (!res.already) this.deps.emit({ type: 'room.joined', room: name, nick: s.nick, session: port.id, dialect: port.dialect });
    return ok({ room: name, created: res.created, already: res.already, size: res.room.size });
  }

  /** Leaves a room; the remaining members get `room.left`. */
  async part(port: SessionPort, room: string): Promise<Result<{ room: string; deleted: boolean; size: number }>> {
    const s = this.deps.local.session(port.id);
    if (!s) return fail('NOT_REGISTERED');
    if (!isValidRoom(room, this.deps.policy())) return fail('ROOM_INVALID');
    const key = fold(room);
    try {
      if (!s.rooms.has(key)) return fail((await this.deps.directory.getRoom(room)) ? 'NOT_IN_ROOM' : 'NO_SUCH_ROOM');
      const name = s.rooms.get(key)!;
      const res = await this.deps.directory.leaveRoom(name, s.nick);
      this.deps.local.leave(s, key);
      this.deps.emit({ type: 'room.left', room: name, nick: s.nick, session: port.id, dialect: port.dialect });
      return ok({ room: name, deleted: res?.deleted ?? false, size: res?.room.size ?? 0 });
    } catch (err) {
      return this.deps.down(err, 'part');
    }
  }

  /** Makes a room public or private; members get `room.visibility`. */
  async setVisibility(port: SessionPort, room: string, visibility: Visibility): Promise<Result<{ room: string }>> {
    const s = this.deps.local.session(port.id);
    if (!s) return fail('NOT_REGISTERED');
    if (!s.rooms.has(fold(room))) return fail('NOT_IN_ROOM');
    let rec: RoomRecord | undefined;
    try {
      rec = await this.deps.directory.setVisibility(room, visibility);
    } catch (err) {
      return this.deps.down(err, 'setVisibility');
    }
    if (!rec) return fail('NO_SUCH_ROOM');
    this.deps.emit({ type: 'room.visibility', room: rec.name, visibility, by: s.nick, session: port.id });
    return ok({ room: rec.name });
  }
}
