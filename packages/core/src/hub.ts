import { Address, MemoryBus, type Bus, type BusHandler } from './bus.js';
import { MemoryDirectory, type Directory, type RoomRecord, type UserRecord } from './directory.js';
import { fail, ok, type ErrorCode, type Result } from './errors.js';
import type { BusEvent, Visibility } from './events.js';
import { DEFAULT_NAME_POLICY, fold, isValidNick, isValidRoom, suggestFreeNick, type NamePolicy } from './names.js';
import { NOOP_OBSERVER, type Observer } from './observer.js';
import { SILENT_LOG, type Log } from './log.js';
import { safeLines } from './text.js';

/** What the Hub knows of a session: an address on the Bus and a delivery callback. */
export interface SessionPort {
  readonly id: string;
  readonly dialect: string;
  /** True when the dialect sends its own delivery receipts (WS_2017 chatr). */
  readonly receipts: boolean;
  /** True when the dialect shows users coming and going (WS_2017 nuser/cquit): it gets user.online/offline. */
  readonly presence: boolean;
  /** Remote IP, for WS_2017's "welcome back". */
  readonly address: string;
  deliver(event: BusEvent): void;
}

export interface HubOptions {
  directory?: Directory;
  bus?: Bus;
  policy?: NamePolicy;
  /** Rooms that always exist (DESIGN.md: `general` by default). */
  defaultRooms?: string[];
  textMax?: number;
  nodeId?: string;
  observer?: Observer;
  log?: Log;
}

interface Local {
  port: SessionPort;
  nick: string;
  handler: BusHandler;
  /** folded room name -> display name */
  rooms: Map<string, string>;
}

/**
 * The dialect-free core (DESIGN.md "Hub"): canonical commands with policy,
 * returning typed Results with canonical error codes; deliveries leave as Bus
 * events. It owns no socket.
 */
export class Hub {
  readonly directory: Directory;
  readonly bus: Bus;
  readonly policy: NamePolicy;
  readonly textMax: number;
  readonly defaultRooms: readonly string[];
  private readonly nodeId: string;
  private readonly observer: Observer;
  private readonly log: Log;
  private readonly local = new Map<string, Local>();
  // The in-process implementations answer synchronously: the message path skips two awaits with them.
  private readonly memDirectory?: MemoryDirectory;
  private readonly memBus?: MemoryBus;
  private seq = 0;

  constructor(opts: HubOptions = {}) {
    this.directory = opts.directory ?? new MemoryDirectory();
    this.bus = opts.bus ?? new MemoryBus();
    if (this.directory instanceof MemoryDirectory) this.memDirectory = this.directory;
    if (this.bus instanceof MemoryBus) this.memBus = this.bus;
    this.policy = opts.policy ?? DEFAULT_NAME_POLICY;
    this.textMax = opts.textMax ?? 4096;
    this.defaultRooms = Object.freeze([...(opts.defaultRooms ?? ['general'])]);
    this.nodeId = opts.nodeId ?? 'n1';
    this.observer = opts.observer ?? NOOP_OBSERVER;
    this.log = opts.log ?? SILENT_LOG;
  }

  /** Creates the config-named rooms; call once before serving. */
  async init(): Promise<void> {
    await this.directory.ensureRooms([...this.defaultRooms]);
  }

  /** The registered nick of a local session, if any. */
  nickOf(sessionId: string): string | undefined {
    return this.local.get(sessionId)?.nick;
  }

  /** True when a local session is in the named room. */
  inRoom(sessionId: string, room: string): boolean {
    return this.local.get(sessionId)?.rooms.has(fold(room)) ?? false;
  }

  /** Registers a nick for a session. NICK_TAKEN and NICK_INVALID carry a free, valid suggestion as detail. */
  async register(port: SessionPort, nick: string): Promise<Result<{ nick: string; welcomeBack: boolean }>> {
    if (this.local.has(port.id)) return this.err(port, 'ALREADY_REGISTERED');
    if (!isValidNick(nick, this.policy)) return this.err(port, 'NICK_INVALID', await this.suggest(nick, true));
    const last = await this.directory.lastAddress(nick);
    const rec: UserRecord = { nick, session: port.id, dialect: port.dialect, receipts: port.receipts, node: this.nodeId, address: port.address };
    if (!(await this.directory.claimNick(rec))) return this.err(port, 'NICK_TAKEN', await this.suggest(nick));
    const handler = guard(port, this.log);
    const entry: Local = { port, nick, handler, rooms: new Map() };
    this.local.set(port.id, entry);
    await this.bus.subscribe(Address.session(port.id), handler);
    await this.bus.publish(Address.everyone, { type: 'user.online', nick, session: port.id, dialect: port.dialect });
    if (port.presence) await this.bus.subscribe(Address.everyone, handler);
    await this.bus.subscribe(Address.renames, handler);
    return ok({ nick, welcomeBack: last !== undefined && last === port.address });
  }

  /** Renames a registered session; others learn it from `user.renamed`. */
  async rename(port: SessionPort, to: string): Promise<Result<{ from: string; to: string }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    const from = entry.nick;
    if (from === to) return this.err(port, 'NICK_UNCHANGED');
    if (!isValidNick(to, this.policy)) return this.err(port, 'NICK_INVALID', await this.suggest(to, true));
    if (!(await this.directory.renameNick(port.id, from, to))) return this.err(port, 'NICK_TAKEN', await this.suggest(to));
    entry.nick = to;
    await this.bus.publish(Address.renames, { type: 'user.renamed', from, to, session: port.id, rooms: [...entry.rooms.values()] });
    return ok({ from, to });
  }

  /** Joins (and creates) a room; the other members get `room.joined`. */
  async join(port: SessionPort, room: string): Promise<Result<{ room: string; created: boolean; already: boolean; members: string[] }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    if (!isValidRoom(room, this.policy)) return this.err(port, 'ROOM_INVALID');
    const res = await this.directory.joinRoom(room, entry.nick);
    const name = res.room.name;
    if (!res.already) {
      await this.bus.publish(Address.room(fold(name)), { type: 'room.joined', room: name, nick: entry.nick, session: port.id, members: res.room.members });
      await this.bus.subscribe(Address.room(fold(name)), entry.handler);
      entry.rooms.set(fold(name), name);
    }
    return ok({ room: name, created: res.created, already: res.already, members: res.room.members });
  }

  /** Leaves a room; the remaining members get `room.left`. */
  async part(port: SessionPort, room: string): Promise<Result<{ room: string; deleted: boolean; members: string[] }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    if (!isValidRoom(room, this.policy)) return this.err(port, 'ROOM_INVALID');
    if (!entry.rooms.has(fold(room))) {
      return this.err(port, (await this.directory.getRoom(room)) ? 'NOT_IN_ROOM' : 'NO_SUCH_ROOM');
    }
    const res = await this.directory.leaveRoom(room, entry.nick);
    entry.rooms.delete(fold(room));
    await this.bus.unsubscribe(Address.room(fold(room)), entry.handler);
    if (!res) return this.err(port, 'NO_SUCH_ROOM');
    await this.bus.publish(Address.room(fold(res.room.name)), { type: 'room.left', room: res.room.name, nick: entry.nick, session: port.id, members: res.room.members, reason: 'part' });
    return ok({ room: res.room.name, deleted: res.deleted, members: res.room.members });
  }

  /** Makes a room public or private; members get `room.visibility`. */
  async setVisibility(port: SessionPort, room: string, visibility: Visibility): Promise<Result<{ room: string }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    if (!entry.rooms.has(fold(room))) return this.err(port, 'NOT_IN_ROOM');
    const rec = await this.directory.setVisibility(room, visibility);
    if (!rec) return this.err(port, 'NO_SUCH_ROOM');
    await this.bus.publish(Address.room(fold(rec.name)), { type: 'room.visibility', room: rec.name, visibility, by: entry.nick });
    return ok({ room: rec.name });
  }

  /**
   * Sends a direct message. Resolves ok only once the recipient's session (or
   * node) took it; when the sender's dialect has receipts and the recipient's
   * has none, the sender then gets a synthesized `receipt` (DESIGN.md WS_2017 chatr).
   */
  async sendDirect(port: SessionPort, to: string, text: string): Promise<Result<{ id: string; to: string; dialect: string }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    if (!this.textOk(text)) return this.err(port, 'TEXT_INVALID');
    const target = this.memDirectory ? this.memDirectory.getUserSync(to) : await this.directory.getUser(to);
    if (!target) return this.err(port, 'NO_SUCH_USER', to);
    const id = this.nextId();
    const event: BusEvent = { type: 'message.direct', id, from: entry.nick, to: target.nick, text };
    const address = Address.session(target.session);
    const n = this.memBus ? this.memBus.publishSync(address, event) : await this.bus.publish(address, event);
    if (n === 0) return this.err(port, 'NO_SUCH_USER', to);
    this.observer.routed('direct');
    // Only a sender whose dialect has receipts wants one; nobody else would read it.
    if (port.receipts && !target.receipts) {
      const receipt: BusEvent = { type: 'receipt', id, from: entry.nick, to: target.nick, synthesized: true };
      // After the sender's own reply to this command, which is written when this promise settles.
      setImmediate(() => void this.bus.publish(Address.session(port.id), receipt));
    }
    return ok({ id, to: target.nick, dialect: target.dialect });
  }

  /** Relays a recipient's receipt for a message from `sender` back to the sender. */
  async receipt(port: SessionPort, sender: string): Promise<Result<{ to: string }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    const target = await this.directory.getUser(sender);
    if (!target) return this.err(port, 'NO_SUCH_USER', sender);
    await this.bus.publish(Address.session(target.session), { type: 'receipt', id: '', from: target.nick, to: entry.nick, synthesized: false });
    return ok({ to: target.nick });
  }

  /** Sends to every member of a room but the sender, in the order accepted. */
  async sendRoom(port: SessionPort, room: string, text: string): Promise<Result<{ id: string; room: string }>> {
    const entry = this.local.get(port.id);
    if (!entry) return this.err(port, 'NOT_REGISTERED');
    const name = entry.rooms.get(fold(room));
    if (name === undefined) {
      if (!isValidRoom(room, this.policy)) return this.err(port, 'ROOM_INVALID');
      return this.err(port, (await this.directory.getRoom(room)) ? 'NOT_IN_ROOM' : 'NO_SUCH_ROOM', room);
    }
    if (!this.textOk(text)) return this.err(port, 'TEXT_INVALID');
    const id = this.nextId();
    const event: BusEvent = { type: 'message.room', id, from: entry.nick, session: port.id, room: name, text };
    if (this.memBus) this.memBus.publishSync(Address.room(fold(name)), event);
    else await this.bus.publish(Address.room(fold(name)), event);
    this.observer.routed('room');
    return ok({ id, room: name });
  }

  /** Everyone online, all dialects and nodes. */
  async users(): Promise<UserRecord[]> {
    return this.directory.listUsers();
  }

  /** Looks up one online user. */
  async user(nick: string): Promise<UserRecord | undefined> {
    return this.directory.getUser(nick);
  }

  /** Rooms a session may see: public ones and private ones it is in. */
  async rooms(port?: SessionPort): Promise<RoomRecord[]> {
    const all = await this.directory.listRooms();
    const mine = port ? this.local.get(port.id)?.rooms : undefined;
    return all.filter((r) => r.visibility === 'public' || (mine?.has(fold(r.name)) ?? false));
  }

  /** One room, or NO_SUCH_ROOM. */
  async room(name: string): Promise<Result<RoomRecord>> {
    const rec = await this.directory.getRoom(name);
    return rec ? ok(rec) : fail('NO_SUCH_ROOM', name);
  }

  /** Drops a session: it leaves its rooms (`room.left`, reason quit) and goes offline. Idempotent. */
  async unregister(port: SessionPort): Promise<void> {
    const entry = this.local.get(port.id);
    if (!entry) return;
    this.local.delete(port.id);
    if (port.presence) await this.bus.unsubscribe(Address.everyone, entry.handler);
    await this.bus.unsubscribe(Address.renames, entry.handler);
    await this.bus.unsubscribe(Address.session(port.id), entry.handler);
    for (const key of entry.rooms.keys()) await this.bus.unsubscribe(Address.room(key), entry.handler);
    const rooms = await this.directory.releaseNick(port.id, entry.nick);
    for (const room of rooms) {
      const rec = await this.directory.getRoom(room);
      await this.bus.publish(Address.room(fold(room)), { type: 'room.left', room, nick: entry.nick, session: port.id, members: rec?.members ?? [], reason: 'quit' });
    }
    await this.bus.publish(Address.everyone, { type: 'user.offline', nick: entry.nick, session: port.id, dialect: port.dialect, rooms });
  }

  /** Closes the Bus and Directory. */
  async close(): Promise<void> {
    await this.bus.close();
    await this.directory.close();
  }

  private textOk(text: string): boolean {
    return text.length > 0 && text.length <= this.textMax && safeLines(text).length > 0;
  }

  private async suggest(nick: string, includeBase = false): Promise<string> {
    return suggestFreeNick(nick, async (c) => (await this.directory.getUser(c)) !== undefined, this.policy, includeBase);
  }

  private nextId(): string {
    return `${this.nodeId}-${++this.seq}`;
  }

  private err<T>(port: SessionPort, code: ErrorCode, detail?: string): Result<T> {
    this.observer.error(port.dialect, code);
    return fail<T>(code, detail);
  }
}

/** One session's failure to handle an event must not stop delivery to the others. */
function guard(port: SessionPort, log: Log): BusHandler {
  return (event) => {
    try {
      port.deliver(event);
    } catch (err) {
      log.error({ err, session: port.id, event: event.type }, 'session failed to handle an event');
    }
  };
}
