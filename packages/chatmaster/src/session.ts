import { encodeOnce, fold, isValidRoom, SessionBase, type BusEvent, type ErrorCode, type SessionContext } from '@chat-gateway/core';
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
  userRename,
  type ServerPackage,
} from './encoder.js';
import type { Inbound } from './framer.js';
import type { ChatMasterOptions } from './options.js';
import { Pacer } from './pacer.js';
import { ERROR_REPLIES } from './replies.js';
import { check } from './validate.js';

// Packages waiting for their pace, per client (DESIGN.md "per-connection send queue (1 MiB)").

/**
 * One ChatMaster 3000 connection (specs/chatmaster3000.md, DESIGN.md
 * ChatMaster). A user is in one channel at a time: `general` after login,
 * another after `join` (which leaves the current one first), none after
 * `leave`, until the next `join`. Replies are packages in the client's
 * format (compression option) at the client's pace (Pacer).
 */
export class ChatMasterSession extends SessionBase<Inbound, ChatMasterOptions> {
  readonly dialect = 'chatmaster';
  // No receipts in the protocol: the Hub synthesizes them for WS_2017 senders.
  readonly receipts = false;
  private channel: string | undefined;
  private latest: Compression = 'none';
  private compressed: 'zlib' | 'gzip' | undefined;
  private saidGoodbye = false;
  private readonly pacer: Pacer;

  constructor(ctx: SessionContext<ChatMasterOptions>) {
    super(ctx);
    this.pacer = new Pacer(ctx.transport, ctx.options.paceMs, ctx.limits.sendQueueMax, () => this.overflow());
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
    }
  }

  fault(code: ErrorCode, detail?: string, fatal = false): void {
    const reply = ERROR_REPLIES[code];
    const pkg = errorPackage(reply.errorType ?? 'parse', reply.text(detail));
    // The connection layer closes right after these: a paced error would never leave.
    if (reply.closes || fatal) this.pacer.urgent(encode(pkg, this.format()));
    else this.send(pkg);
  }

  async shutdown(message: string): Promise<void> {
    if (this.saidGoodbye) return;
    this.saidGoodbye = true;
    this.send(serverShutdown(message));
    // The connection closes when this resolves: let paced packages out first (the gateway's grace period bounds it).
    await this.pacer.drained();
  }

  deliver(event: BusEvent): void {
    switch (event.type) {
      case 'message.room':
        // Never echoed to the sender (specs/chatmaster3000.md "The Server").
        if (event.session !== this.id) this.shared(event, () => roomMessage(event.from, event.room, event.text));
        return;
      case 'message.direct':
        return this.shared(event, () => directMessage(event.from, event.text));
      case 'room.joined':
        if (event.session !== this.id) this.shared(event, () => userJoined(event.nick, event.room, event.members));
        return;
      case 'room.left':
        // Also how a user going offline shows (DESIGN.md: `user_left`, her channel); user.offline itself says nothing new.
        if (event.session !== this.id) this.shared(event, () => userLeft(event.nick, event.room, event.members));
        return;
      case 'user.renamed':
        // The renamer's own confirmation, and whoever shares a room with them (DESIGN.md table).
        if (event.session === this.id || event.rooms.some((r) => this.ctx.hub.inRoom(this.id, r))) {
          this.shared(event, () => userRename(event.from, event.to));
        }
        return;
      case 'shutdown':
        void this.shutdown(event.message);
        return;
      default:
        // user.online/offline, room.visibility (the actor got its reply), receipts: nothing to say.
        return;
    }
  }

  override async close(): Promise<void> {
    this.pacer.dispose();
    await super.close();
  }

  private async login(username: string): Promise<void> {
    if (this.nick !== undefined) return this.reject('login', 'ALREADY_REGISTERED');
    const r = await this.ctx.hub.register(this, username);
    if (!r.ok) return this.send(sessionRefused(ERROR_REPLIES[r.code].text(r.detail)));
    this.ctx.transport.registered();
    this.send(sessionAccepted(r.value.nick, await this.visibleChannels()));
    // After login the user is in `general` (DESIGN.md ChatMaster).
    const home = this.ctx.hub.defaultRooms.find((n) => fold(n) === 'general') ?? this.ctx.hub.defaultRooms[0];
    if (home !== undefined) await this.enter('login', home);
  }

  private async say(text: string): Promise<void> {
    // After `leave` there is no current channel until the next `join`.
    if (this.channel === undefined) return this.reject('message', 'NOT_IN_ROOM');
    const r = await this.ctx.hub.sendRoom(this, this.channel, text);
    if (!r.ok) this.error('message', r.code, r.detail);
  }

  private async direct(to: string, text: string): Promise<void> {
    // Silence on success: the protocol has no acknowledgement; failures get an error package.
    const r = await this.ctx.hub.sendDirect(this, to, text);
    if (!r.ok) this.error('message', r.code, r.detail);
  }

  private async rename(username: string): Promise<void> {
    // Success is confirmed by the user.renamed event every session gets (deliver).
    const r = await this.ctx.hub.rename(this, username);
    if (!r.ok) this.error('rename', r.code, r.detail);
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
    if (!r.ok) return this.error(name, r.code, r.detail);
    this.channel = r.value.room;
    this.send(userJoined(this.nick ?? '', r.value.room, r.value.members));
  }

  /** Leaves the current room and confirms with `user_left` about oneself. */
  private async exit(): Promise<void> {
    const room = this.channel!;
    this.channel = undefined;
    const r = await this.ctx.hub.part(this, room);
    if (r.ok) this.send(userLeft(this.nick ?? '', r.value.room, r.value.members));
  }

  private async visibility(name: string, visibility: 'private' | 'public'): Promise<void> {
    if (this.channel === undefined) return this.reject(name, 'NOT_IN_ROOM');
    if (visibility === 'private') {
      // Rooms named in config stay public: everyone is put in `general` and must be able to find it.
      const room = await this.ctx.hub.room(this.channel);
      if (room.ok && room.value.persistent) return this.reject(name, 'FORBIDDEN', `Channel ${room.value.name} cannot be set to private.`);
    }
    const r = await this.ctx.hub.setVisibility(this, this.channel, visibility);
    if (!r.ok) return this.error(name, r.code, r.detail);
    this.send(channelList(await this.visibleChannels(), { channel: r.value.room, visibility }));
  }

  private async channels(): Promise<void> {
    this.send(channelList(await this.visibleChannels()));
  }

  /** Public rooms and the private ones this user is in (DESIGN.md "Room"). */
  private async visibleChannels(): Promise<string[]> {
    return (await this.ctx.hub.rooms(this)).map((r) => r.name);
  }

  /** An error the session found itself: counted, then sent. (The Hub counts its own.) */
  private reject(errorType: string, code: ErrorCode, detail?: string): void {
    this.ctx.observer.error(this.dialect, code);
    this.error(errorType, code, detail);
  }

  private error(errorType: string, code: ErrorCode, detail?: string): void {
    this.send(errorPackage(errorType, ERROR_REPLIES[code].text(detail)));
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
    this.pacer.send(encode(pkg, this.format()));
  }

  /** An event's package, encoded once per format for every ChatMaster recipient (GUIDE hot path). */
  private shared(event: BusEvent, build: () => ServerPackage): void {
    const format = this.format();
    this.pacer.send(encodeOnce(event, `chatmaster:${format}`, () => encode(build(), format)));
  }

  private overflow(): void {
    this.ctx.observer.limit('send_queue');
    this.fault('SEND_QUEUE_FULL');
    this.ctx.transport.end('pace queue full');
  }
}
