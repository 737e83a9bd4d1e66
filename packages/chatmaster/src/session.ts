import { encodeOnce, fold, isValidRoom, pendingText, SessionBase, type BusEvent, type ErrorCode, type PendingHint, type Result, type SessionContext } from '@chat-gateway/core';
import type { Compression } from './compression.js';
import {
  channelList,
  directMessage,
  encode,
  errorPackage,
  loginRequest,
  roomMessage,
  serverShutdown,
  sessionAccepted,
  sessionRefused,
  userJoined,
  userLeft,
  userList,
  userRename,
  type ServerPackage,
} from './encoder.js';
import type { Inbound } from './framer.js';
import type { ChatMasterOptions } from './options.js';
import { Ordered } from './ordered.js';
import { Pacer } from './pacer.js';
import { ERROR_REPLIES } from './replies.js';
import { check } from './validate.js';

/** What ChatMaster's error table takes: the command that failed (error_type), the detail, and whether it refuses a login. */
interface ErrorArgs {
  errorType: string;
  detail?: string;
  /** A refused login is answered with `session` {status: false, reason}, not an `error` package. */
  login?: boolean;
  /** The connection closes right after: written at once, never behind held or paced packages. */
  urgent?: boolean;
}

/**
 * One ChatMaster 3000 connection (specs/chatmaster3000.md, DESIGN.md
 * ChatMaster). A user is in one channel at a time: `general` after login,
 * another after `join` (which leaves the current one first), none after
 * `leave`, until the next `join`. Replies are packages in the client's
 * format (compression option) at the client's pace (Pacer).
 */
export class ChatMasterSession extends SessionBase<Inbound, ChatMasterOptions, ErrorArgs> {
  readonly dialect = 'chatmaster';
  // No receipts in the protocol: the Hub synthesizes them for WS_2017 senders.
  readonly receipts = false;
  private channel: string | undefined;
  private latest: Compression = 'none';
  private compressed: 'zlib' | 'gzip' | undefined;
  private saidGoodbye = false;
  private readonly pacer: Pacer;
  private readonly out: Ordered;

  constructor(ctx: SessionContext<ChatMasterOptions>) {
    super(ctx);
    this.pacer = new Pacer(ctx.transport, ctx.options.paceMs, ctx.limits.sendQueueMax, () => this.overflow());
    this.out = new Ordered((frame) => this.pacer.send(frame));
  }

  /** The channel the user is in, if any. */
  get currentChannel(): string | undefined {
    return this.channel;
  }

  start(): void {
    this.send(loginRequest());
  }

  handle(frame: Inbound): void | Promise<void> {
    if (frame.stream) this.pacer.stream();
    this.latest = frame.compression;
    if (frame.compression !== 'none') this.compressed = frame.compression;
    const c = check(frame.value);
    if (!c.ok) return this.reject(c.errorType, c.code, c.detail);
    const p = c.pkg;
    if (p.kind === 'login') return this.login(p.username);
    if (this.nick === undefined) return this.reject(c.name, 'NOT_REGISTERED');
    switch (p.kind) {
      case 'message':
        return p.to !== undefined ? this.direct(p.to, p.text) : this.say(p.text);
      case 'rename':
        return this.rename(p.username);
      case 'join':
        return this.join(c.name, p.channel);
      case 'leave':
        return this.leave(c.name);
      case 'private':
      case 'public':
        return this.visibility(c.name, p.kind);
      case 'channels':
        return this.channels();
      case 'users':
        return this.users();
    }
  }

  override fault(code: ErrorCode, detail?: string, fatal = false): void {
    const reply = ERROR_REPLIES[code];
    this.error(code, { errorType: reply.errorType ?? 'parse', detail, urgent: reply.closes || fatal });
  }

  async shutdown(message: string): Promise<void> {
    if (this.saidGoodbye) return;
    this.saidGoodbye = true;
    this.send(serverShutdown(message));
    // The connection closes when this resolves: let held and paced packages out first (the gateway's grace period bounds it).
    await this.out.drained();
    await this.pacer.drained();
  }

  deliver(event: BusEvent): void {
    switch (event.type) {
      case 'message.room':
        return this.shared(event, () => roomMessage(event.from, event.room, event.text));
      case 'message.direct':
        return this.shared(event, () => directMessage(event.from, event.text));
      case 'room.joined':
        return this.withMembers(event, event.room, (members) => userJoined(event.nick, event.room, members));
      case 'room.left':
        return this.withMembers(event, event.room, (members) => userLeft(event.nick, event.room, members));
      case 'user.offline': {
        // DESIGN.md table: a user going offline is `user_left` for her channel, the one this user shares.
        const room = event.rooms.find((r) => this.channel !== undefined && fold(r) === fold(this.channel));
        if (room !== undefined) this.withMembers(event, room, (members) => userLeft(event.nick, room, members));
        return;
      }
      case 'user.renamed':
        // Only those who share a room get it (the Hub's audience); the renamer has its command's reply.
        return this.shared(event, () => userRename(event.from, event.to));
      default:
        // user.online, room.visibility (the actor got its reply), receipts: nothing to say.
        return;
    }
  }

  override async close(): Promise<void> {
    this.out.clear();
    this.pacer.dispose();
    await super.close();
  }

  private async login(username: string): Promise<void> {
    if (this.nick !== undefined) return this.reject('login', 'ALREADY_REGISTERED');
    const r = await this.registerNick(username);
    if (!r) return;
    if (!r.ok) return this.error(r.code, { errorType: 'login', detail: r.detail, login: true });
    this.send(sessionAccepted(r.value.nick, await this.visibleChannels()));
    // After login the user is in `general` (DESIGN.md ChatMaster).
    const home = this.ctx.hub.defaultRooms.find((n) => fold(n) === 'general') ?? this.ctx.hub.defaultRooms[0];
    if (home !== undefined) await this.enter('login', home);
  }

  private say(text: string): void | Promise<void> {
    // After `leave` there is no current channel until the next `join`.
    if (this.channel === undefined) return this.reject('message', 'NOT_IN_ROOM');
    // Answered at once (no promise) unless the Directory must say why not.
    const r = this.ctx.hub.roomNow(this, this.channel, text) ?? this.ctx.hub.sendRoom(this, this.channel, text);
    if (r instanceof Promise) return r.then((later) => this.refused(later));
    this.refused(r);
  }

  private refused(r: Result<unknown>): void {
    if (!r.ok) this.reject('message', r.code, r.detail);
  }

  private direct(to: string, text: string): void | Promise<void> {
    // A recipient on this node is answered at once, with no promise; an error package still keeps its place.
    const r = this.ctx.hub.directNow(this, to, text);
    if (r === undefined) return this.directLater(to, text);
    this.refused(r);
  }

  private async directLater(to: string, text: string): Promise<void> {
    // Silence on success: the protocol has no acknowledgement; failures get an error package, in order.
    const { answer } = await this.ctx.hub.routeDirect(this, to, text);
    return this.inOrder(answer, (r) => {
      if (!r.ok) this.reject('message', r.code, r.detail);
    });
  }

  private async rename(username: string): Promise<void> {
    const r = await this.ctx.hub.rename(this, username);
    if (!r.ok) return this.reject('rename', r.code, r.detail);
    this.send(userRename(r.value.from, r.value.to));
  }

  private async join(name: string, channel: string): Promise<void> {
    // Checked before leaving, so a bad name does not leave the user channel-less.
    if (!isValidRoom(channel, this.ctx.hub.policy)) return this.reject(name, 'ROOM_INVALID');
    if (this.channel !== undefined && fold(this.channel) !== fold(channel)) await this.exit();
    await this.enter(name, channel);
  }

  private async leave(name: string): Promise<void> {
    if (this.channel === undefined) return this.reject(name, 'NOT_IN_ROOM');
    await this.exit();
  }

  /** Joins a room and confirms with `user_joined` about oneself (the room's others get theirs from the Hub). */
  private async enter(name: string, room: string): Promise<void> {
    const r = await this.ctx.hub.join(this, room);
    if (!r.ok) return this.reject(name, r.code, r.detail);
    this.channel = r.value.room;
    this.send(userJoined(this.nick ?? '', r.value.room, await this.members(r.value.room)));
  }

  /** Leaves the current room and confirms with `user_left` about oneself. */
  private async exit(): Promise<void> {
    const room = this.channel!;
    this.channel = undefined;
    const r = await this.ctx.hub.part(this, room);
    if (r.ok) this.send(userLeft(this.nick ?? '', r.value.room, await this.members(r.value.room)));
  }

  private async visibility(name: string, visibility: 'private' | 'public'): Promise<void> {
    if (this.channel === undefined) return this.reject(name, 'NOT_IN_ROOM');
    if (visibility === 'private') {
      // Rooms named in config stay public: everyone is put in `general` and must be able to find it.
      const room = await this.ctx.hub.room(this.channel);
      if (room.ok && room.value.persistent) return this.reject(name, 'FORBIDDEN', `Channel ${room.value.name} cannot be set to private.`);
    }
    const r = await this.ctx.hub.setVisibility(this, this.channel, visibility);
    if (!r.ok) return this.reject(name, r.code, r.detail);
    this.send(channelList(await this.visibleChannels(), { channel: r.value.room, visibility }));
  }

  private async channels(): Promise<void> {
    this.send(channelList(await this.visibleChannels()));
  }

  /** Everyone online on every dialect and node, with their dialect, by name; at most currentUsersMax of them, like current_users. */
  private async users(): Promise<void> {
    const all = await this.ctx.hub.users();
    const users = all
      .map((u) => ({ username: u.nick, dialect: u.dialect }))
      .sort((a, b) => (fold(a.username) < fold(b.username) ? -1 : 1))
      .slice(0, this.ctx.options.currentUsersMax);
    this.send(userList(users));
  }

  /** Public rooms and the private ones this user is in (DESIGN.md "Room"). */
  private async visibleChannels(): Promise<string[]> {
    return (await this.ctx.hub.rooms(this)).map((r) => r.name);
  }

  /** DESIGN.md "Interop bench": a package begun and not ended, said once in an `error` package (not counted: nothing failed yet). */
  incomplete(pending: PendingHint): void {
    this.send(errorPackage('parse', `Package not ended yet, ${pendingText(pending)}`));
  }

  /** An error reply to a command (counted by SessionBase.error). */
  private reject(errorType: string, code: ErrorCode, detail?: string): void {
    this.error(code, { errorType, detail });
  }

  protected sendError(code: ErrorCode, args: ErrorArgs = { errorType: 'parse' }): void {
    const text = ERROR_REPLIES[code].text(args.detail);
    const pkg = args.login ? sessionRefused(text) : errorPackage(args.errorType, text);
    if (!args.urgent) return this.send(pkg);
    // The connection layer closes right after these: a paced (or held) error would never leave.
    this.out.clear();
    this.pacer.urgent(encode(pkg, this.format()));
  }

  /** A room's members as current_users shows them: at most currentUsersMax names, none when the Directory is away. */
  private members(room: string): Promise<string[]> {
    return this.ctx.hub.members(room, this.ctx.options.currentUsersMax).catch(() => []);
  }

  /** The format replies go out in (options.compression). */
  private format(): Compression {
    switch (this.ctx.options.compression) {
      case 'never':
        return 'none';
      case 'always':
        return this.compressed ?? 'zlib';
      default:
        return this.latest;
    }
  }

  private send(pkg: ServerPackage): void {
    this.out.send(encode(pkg, this.format()));
  }

  /** An event's package, encoded once per format for every ChatMaster recipient (GUIDE hot path). */
  private shared(event: BusEvent, build: () => ServerPackage): void {
    const format = this.format();
    this.out.send(encodeOnce(event, `chatmaster:${format}`, () => encode(build(), format)));
  }

  /** Like shared, for a package that shows a room's members: one Directory read per event, whatever the recipients. */
  private withMembers(event: BusEvent, room: string, build: (members: string[]) => ServerPackage): void {
    const format = this.format();
    const key = `chatmaster:${format}:${this.ctx.options.currentUsersMax}:${fold(room)}`;
    this.out.sendLater(encodeOnce(event, key, () => this.members(room).then((m) => encode(build(m), format))));
  }

  private overflow(): void {
    this.ctx.observer.limit('send_queue');
    this.fault('SEND_QUEUE_FULL');
    this.ctx.transport.end('slow reader: pace queue full');
  }
}
