import { DEFAULT_CLUSTER, Requests, type ClusterOptions } from './cluster.js';
import { DirectMessages, now, type MessageOptions, type Routed, type Sent } from './direct.js';
import type { Directory, RoomRecord, UserRecord } from './directory.js';
import { BackendUnavailable, fail, ok, type Result } from './errors.js';
import type { BusEvent, Visibility } from './events.js';
import { NO_LINK, type Backend, type BackendState, type Link, type LinkMessage, type LinkReceiver } from './link.js';
import { DeliverySampler } from './delivery-sampler.js';
import { Liveness } from './liveness.js';
import { LocalSessions, type LocalSession, type LocalStats, type SessionPort } from './local.js';
import { SILENT_LOG, type Log } from './log.js';
import { MemoryDirectory } from './memory-directory.js';
import { DEFAULT_NAME_POLICY, fold, isValidNick, isValidRoom, suggestFreeNick, type NamePolicy } from './names.js';
import { newNodeId } from './node.js';
import { NOOP_OBSERVER, type Observer } from './observer.js';
import { frozen, type HubSettings } from './settings.js';
import { relayReceipt } from './receipts.js';
import { RoomMembership } from './room-membership.js';
import { hasSafeText } from './text.js';

export interface HubOptions {
  /** Directory and Link; default in-process (one node). */
  backend?: Backend;
  /** This node's id; random unless configured (DESIGN.md "Identity"). */
  nodeId?: string;
  policy?: NamePolicy;
  /** Rooms that always exist (DESIGN.md: `general` by default). */
  defaultRooms?: string[];
  textMax?: number;
  cluster?: Partial<ClusterOptions>;
  observer?: Observer;
  log?: Log;
}

export type { MessageOptions, Sent, Routed } from './direct.js';

/** The reply to give when the back end cannot be reached (DESIGN.md "Redis down"). */
export const DIRECTORY_DOWN = 'directory unavailable, try again';

/**
 * The dialect-free core (DESIGN.md "Hub"): canonical commands with policy,
 * returning typed Results with canonical error codes. It delivers to its own
 * node's sessions itself, synchronously, one code path whatever the back
 * end; only what is for another node leaves through the Link. It owns no socket.
 */
export class Hub implements LinkReceiver {
  readonly nodeId: string;
  private settings: Readonly<HubSettings>;
  readonly cluster: Readonly<ClusterOptions>;
  private readonly directory: Directory;
  private readonly link: Link;
  private readonly backend: Backend;
  private readonly observer: Observer;
  private readonly log: Log;
  private readonly local: LocalSessions;
  private readonly requests: Requests;
  private readonly liveness: Liveness;
  private readonly dms: DirectMessages;
  private readonly membership: RoomMembership;
  private seq = 0;
  private sessions = 0;

  constructor(opts: HubOptions = {}) {
    this.backend = opts.backend ?? { directory: new MemoryDirectory(), link: NO_LINK };
    this.directory = this.backend.directory;
    this.link = this.backend.link;
    this.nodeId = opts.nodeId ?? newNodeId();
    this.settings = frozen({ policy: opts.policy ?? DEFAULT_NAME_POLICY, textMax: opts.textMax ?? 4096, defaultRooms: opts.defaultRooms ?? ['general'] });
    this.cluster = Object.freeze({ ...DEFAULT_CLUSTER, ...opts.cluster });
    this.observer = opts.observer ?? NOOP_OBSERVER;
    this.log = opts.log ?? SILENT_LOG;
    this.local = new LocalSessions(this.log, new DeliverySampler(this.observer));
    this.requests = new Requests(this.nodeId, this.link, this.cluster.ackTimeoutMs);
    this.dms = new DirectMessages({
      node: this.nodeId,
      local: this.local,
      directory: this.directory,
      requests: this.requests,
      observer: this.observer,
      log: this.log,
      down: (err, op) => this.down(err, op),
      unanswered: { timeout: (to) => `no answer from ${to}'s node, try again`, down: DIRECTORY_DOWN },
    });
    this.membership = new RoomMembership({
      local: this.local,
      directory: this.directory,
      policy: () => this.policy,
      emit: (event) => this.emit(event),
      down: (err, op) => this.down(err, op),
    });
    this.liveness = new Liveness({
      node: this.nodeId,
      directory: this.directory,
      local: this.local,
      defaultRooms: () => this.defaultRooms,
      options: this.cluster,
      emit: (event) => this.emit(event),
      broadcast: (event) => this.link.send(undefined, { kind: 'event', from: this.nodeId, event }),
      log: this.log,
    });
  }

  /** Creates the config-named rooms, opens the Link and takes the lease; call once before serving. */
  async start(): Promise<void> {
    await this.directory.ensureRooms([...this.defaultRooms]);
    await this.link.open(this.nodeId, this);
    await this.liveness.start();
  }

  // What reconfigure() changes, read where it is used.
  get policy(): NamePolicy { return this.settings.policy; } // prettier-ignore
  get textMax(): number { return this.settings.textMax; } // prettier-ignore
  get defaultRooms(): readonly string[] { return this.settings.defaultRooms; } // prettier-ignore

  /** A reloaded config's names, text limit and rooms, from the next command on; new default rooms are created first (throws when the back end cannot). */
  async reconfigure(next: HubSettings): Promise<void> {
    await this.directory.ensureRooms([...next.defaultRooms]);
    this.settings = frozen(next);
  }

  /** A new node-qualified session id (DESIGN.md "Identity"). */
  newSessionId(prefix = 'c'): string {
    return `${this.nodeId}/${prefix}${++this.sessions}`;
  }

  /** The back end's state, for /status. */
  backendState(): BackendState {
    return this.backend.state?.() ?? { type: 'memory', up: true, outages: 0 };
  }

  /** This node's registered users by dialect and the rooms with a member here (read at each metrics scrape). */
  localStats(): LocalStats {
    return this.local.stats();
  }

  /** The registered nick of a local session, if any. */
  nickOf(sessionId: string): string | undefined {
    return this.local.session(sessionId)?.nick;
  }

  /** True when a local session is in the named room. */
  inRoom(sessionId: string, room: string): boolean {
    return this.local.session(sessionId)?.rooms.has(fold(room)) ?? false;
  }

  /** Registers a nick for a session. NICK_TAKEN and NICK_INVALID carry a free, valid suggestion as detail. */
  async register(port: SessionPort, nick: string): Promise<Result<{ nick: string; welcomeBack: boolean }>> {
    if (this.local.session(port.id)) return fail('ALREADY_REGISTERED');
    if (!isValidNick(nick, this.policy)) return fail('NICK_INVALID', await this.suggest(nick, true));
    const rec: UserRecord = { nick, session: port.id, dialect: port.dialect, receipts: port.receipts, node: this.nodeId, address: port.address };
    let last: string | undefined;
    try {
      last = await this.directory.lastAddress(nick);
      if (!(await this.directory.claimNick(rec))) return fail('NICK_TAKEN', await this.suggest(nick));
    } catch (err) {
      return this.down(err, 'register');
    }
    this.local.add(port, nick);
    this.emit({ type: 'user.online', nick, session: port.id, dialect: port.dialect });
    return ok({ nick, welcomeBack: last !== undefined && last === port.address });
  }

  /** Renames a registered session; others learn it from `user.renamed`. */
  async rename(port: SessionPort, to: string): Promise<Result<{ from: string; to: string }>> {
    const s = this.local.session(port.id);
    if (!s) return fail('NOT_REGISTERED');
    const from = s.nick;
    if (from === to) return fail('NICK_UNCHANGED');
    if (!isValidNick(to, this.policy)) return fail('NICK_INVALID', await this.suggest(to, true));
    try {
      if (!(await this.directory.renameNick(port.id, from, to))) return fail('NICK_TAKEN', await this.suggest(to));
    } catch (err) {
      return this.down(err, 'rename');
    }
    this.local.rename(s, to);
    this.emit({ type: 'user.renamed', from, to, session: port.id, dialect: port.dialect, rooms: [...s.rooms.values()] });
    return ok({ from, to });
  }

  /**
   * Joins (and creates) a room; the other members get `room.joined`. The
   * session is a local member before the Directory answers, so a room
   * message another node sends the moment the join is stored still reaches it.
   */
  join(port: SessionPort, room: string): Promise<Result<{ room: string; created: boolean; already: boolean; size: number }>> {
    return this.membership.join(port, room);
  }

  /** Leaves a room; the remaining members get `room.left`. */
  part(port: SessionPort, room: string): Promise<Result<{ room: string; deleted: boolean; size: number }>> {
    return this.membership.part(port, room);
  }

  /** Makes a room public or private; members get `room.visibility`. */
  setVisibility(port: SessionPort, room: string, visibility: Visibility): Promise<Result<{ room: string }>> {
    return this.membership.setVisibility(port, room, visibility);
  }

  /**
   * Sends a direct message. Resolves ok only once the recipient's session
   * took it: at once on this node, from another node when it answers
   * (DESIGN.md "Acknowledgement"); no answer in time is an error, never an ack.
   */
  async sendDirect(port: SessionPort, to: string, text: string, opts?: MessageOptions): Promise<Result<Sent>> {
    return (await this.routeDirect(port, to, text, opts)).answer;
  }

  /**
   * sendDirect in two steps, for a session that goes on with its next frames
   * meanwhile (SessionBase.inOrder): resolves once the message is on its way
   * (delivered on this node, or handed to the Link, so what the session
   * sends next goes after it), with `answer`, what sendDirect resolves with.
   */
  async routeDirect(port: SessionPort, to: string, text: string, opts?: MessageOptions): Promise<Routed> {
    const s = this.sender(port, text);
    return 'ok' in s ? now(s) : this.dms.route(s.nick, port, this.nextId(), to, text, opts);
  }

  /**
   * sendDirect with no promise when its answer is known at once (the recipient is on this node, or
   * the call is refused); undefined when it must go to another node: then routeDirect.
   */
  directNow(port: SessionPort, to: string, text: string, opts?: MessageOptions): Result<Sent> | undefined {
    const s = this.sender(port, text);
    return 'ok' in s ? s : this.dms.near(s.nick, port, this.ids, to, text, opts);
  }

  /**
   * routeDirect with no promise for what directNow left (a recipient not on this node) when Routes
   * remembers the recipient's node. True: the message is on its way, its answer goes to `done` on
   * a later turn. A Result: the answer now (a refusal; `done` is never called). False: the
   * Directory must be asked, nothing was sent (then routeDirect).
   */
  routeNow(port: SessionPort, to: string, text: string, done: (r: Result<Sent>) => void, opts?: MessageOptions): Result<Sent> | boolean {
    const s = this.sender(port, text);
    return 'ok' in s ? s : this.dms.remembered(s.nick, port, this.ids, to, text, done, opts);
  }

  private readonly ids = (): string => this.nextId();

  /** The sender of a DM, or the refusal that comes before any routing: not registered, or no text to send. */
  private sender(port: SessionPort, text: string): LocalSession | Result<never> {
    const s = this.local.session(port.id);
    if (!s) return fail('NOT_REGISTERED');
    return this.textOk(text) ? s : fail('TEXT_INVALID');
  }

  /** Relays a recipient's receipt back to its sender, only for a message really received (receipts.ts). */
  receipt(port: SessionPort, sender: string): Promise<Result<{ to: string }>> {
    return relayReceipt({ node: this.nodeId, local: this.local, directory: this.directory, link: this.link, down: (err, op) => this.down(err, op), unreachable: DIRECTORY_DOWN }, port, sender);
  }

  /** Sends to every member of a room but the sender, in the order accepted, on every node. */
  async sendRoom(port: SessionPort, room: string, text: string, opts?: MessageOptions): Promise<Result<{ id: string; room: string }>> {
    const r = this.roomNow(port, room, text, opts);
    if (r) return r;
    try {
      return fail((await this.directory.getRoom(room)) ? 'NOT_IN_ROOM' : 'NO_SUCH_ROOM', room);
    } catch (err) {
      return this.down(err, 'sendRoom');
    }
  }

  /** sendRoom with no promise: undefined only when the sender is not in that room (which error it is needs the Directory). */
  roomNow(port: SessionPort, room: string, text: string, opts?: MessageOptions): Result<{ id: string; room: string }> | undefined {
    const s = this.local.session(port.id);
    if (!s) return fail('NOT_REGISTERED');
    const name = s.rooms.get(fold(room));
    if (name === undefined) return isValidRoom(room, this.policy) ? undefined : fail('ROOM_INVALID');
    if (!this.textOk(text)) return fail('TEXT_INVALID');
    const id = this.nextId();
    // Local members have it even when the Link is down; the sender still learns that others may not.
    const event: BusEvent = { type: 'message.room', id, from: s.nick, session: port.id, dialect: port.dialect, room: name, text };
    if (opts?.notice) event.notice = true;
    if (!this.emit(event, 'room')) return fail('INTERNAL', DIRECTORY_DOWN);
    this.observer.routed('room');
    return ok({ id, room: name });
  }

  /** Everyone online, all dialects and nodes. Rejects with BackendUnavailable when the back end is away (so do the reads below). */
  async users(): Promise<UserRecord[]> {
    return this.read(() => this.directory.listUsers());
  }

  /** Looks up one online user. */
  async user(nick: string): Promise<UserRecord | undefined> {
    return this.read(() => this.directory.getUser(nick));
  }

  /** Rooms a session may see: public ones and private ones it is in. */
  async rooms(port?: SessionPort): Promise<RoomRecord[]> {
    const all = await this.read(() => this.directory.listRooms());
    const mine = port ? this.local.session(port.id)?.rooms : undefined;
    return all.filter((r) => r.visibility === 'public' || (mine?.has(fold(r.name)) ?? false));
  }

  /** Every room, private ones included: for the operator (the admin status with its token), never for a session. */
  async allRooms(): Promise<RoomRecord[]> {
    return this.directory.listRooms();
  }

  /** One room, or NO_SUCH_ROOM. */
  async room(name: string): Promise<Result<RoomRecord>> {
    const rec = await this.read(() => this.directory.getRoom(name));
    return rec ? ok(rec) : fail('NO_SUCH_ROOM', name);
  }

  /** A room's members in join order, at most `limit` (ChatMaster current_users). */
  async members(room: string, limit?: number): Promise<string[]> {
    return this.read(() => this.directory.members(room, limit));
  }

  /**
   * Drops a session: its nick is released, then everyone who saw it (presence,
   * its rooms' members, on every node) gets `user.offline`. Idempotent. When
   * the back end is down the release is retried later, and the departure is
   * still shown to this node's users.
   */
  async unregister(port: SessionPort, reason = 'Connection closed'): Promise<void> {
    const s = this.local.session(port.id);
    if (!s) return;
    const rooms = this.local.remove(s);
    await this.liveness.release(port.id, s.nick);
    const offline: BusEvent = { type: 'user.offline', nick: s.nick, session: port.id, dialect: port.dialect, rooms, reason };
    if (!this.emit(offline)) this.liveness.later(offline);
  }

  /** A message from another node. */
  receive(msg: LinkMessage): void {
    if (msg.kind === 'ack') return this.requests.settle(msg);
    this.dms.routes.observe(msg.event);
    const n = this.local.deliver(msg.event, msg.except);
    this.requests.answer(msg, n > 0);
  }

  /** The back end is back: re-assert this node's nicks, rooms and lease now. */
  resync(): void {
    this.dms.routes.clear();
    void this.liveness.beat();
  }

  /** Stops the node: heartbeats, open requests, the Link and the Directory. */
  async close(): Promise<void> {
    this.liveness.stop();
    this.requests.clear();
    await this.link.close();
    await this.directory.close();
  }

  /** Stops the node as `kill -9` would: no releases, no goodbyes; the others reap it (tests). */
  async halt(): Promise<void> {
    this.liveness.stop();
    this.requests.clear();
    await this.link.close();
  }

  /** Delivers on this node and sends to the others; false when the Link could not take it. `message`: time it as one (latency histogram). */
  private emit(event: BusEvent, message?: 'room'): boolean {
    this.dms.routes.observe(event);
    if (message) this.local.deliverMessage(event, message);
    else this.local.deliver(event);
    return this.link.send(undefined, { kind: 'event', from: this.nodeId, event });
  }

  private async read<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'directory read failed');
      throw new BackendUnavailable(DIRECTORY_DOWN);
    }
  }

  private down<T>(err: unknown, op: string): Result<T> {
    this.log.warn({ err, op }, 'directory call failed');
    return fail<T>('INTERNAL', DIRECTORY_DOWN);
  }

  private textOk(text: string): boolean {
    return text.length > 0 && text.length <= this.textMax && hasSafeText(text);
  }

  private async suggest(nick: string, includeBase = false): Promise<string> {
    try {
      return await suggestFreeNick(nick, async (c) => this.local.byNickname(c) !== undefined || (await this.directory.getUser(c)) !== undefined, this.policy, includeBase);
    } catch {
      return '';
    }
  }

  private nextId(): string {
    return `${this.nodeId}-${++this.seq}`;
  }
}
