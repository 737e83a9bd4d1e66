import {
  SessionBase,
  encodeOnce,
  fold,
  isValidRoom,
  pendingText,
  visible,
  type BusEvent,
  type Charset,
  type ErrorCode,
  type PendingHint,
  type Result,
  type SessionContext,
} from '@chat-gateway/core';
import { encodeDirect, encodeLine, encodeRoomMessage } from './encoder.js';
import type { PsuFrame } from './framer.js';
import type { PsuOptions } from './options.js';
import { Lines, USAGE, errorLine, type ErrorArgs } from './replies.js';

/** A room argument: the spec writes `#name`; a bare `name` is taken too (JOIN, PART, NAMES). */
function roomArg(p: string): string {
  return p.charCodeAt(0) === 0x23 /* # */ ? p.slice(1) : p;
}

const ENCODE_KEYS: Readonly<Record<Charset, string>> = { utf8: 'psu:utf8', ascii: 'psu:ascii' };

/**
 * One PSU connection's state machine (specs/psu-chat.txt 4, DESIGN.md PSU).
 * Before NICK only NICK/NAME and QUIT work; a failed NICK keeps the
 * connection open and asks again (spec 2.2 "prompt for a new NICK"). Every
 * failure is one line from replies.ts's ERROR_REPLIES table.
 */
export class PsuSession extends SessionBase<PsuFrame, PsuOptions, ErrorArgs> {
  readonly dialect = 'psu';
  readonly receipts = false;
  private readonly charset: Charset;
  // Per dialect and charset: a room message is encoded once for all PSU members alike. One string
  // for all sessions, not one built per session (issue #16: memory per idle connection).
  private readonly encodeKey: string;
  private saidShutdown = false;

  constructor(ctx: SessionContext<PsuOptions>) {
    super(ctx);
    this.charset = ctx.options.charset === 'ascii' ? 'ascii' : 'utf8';
    this.encodeKey = ENCODE_KEYS[this.charset];
  }

  start(): void {
    if (this.ctx.options.greeting) this.send(this.ctx.options.greeting);
  }

  handle(frame: PsuFrame): void | Promise<void> {
    switch (frame.command) {
      case 'NICK':
      case 'NAME':
        return this.nickCommand(frame);
      case 'QUIT':
        return this.quit();
      case 'JOIN':
      case 'PART':
      case 'NAMES':
      case 'LIST':
      case 'PRIVMSG':
        break;
      default:
        return this.error('UNKNOWN_COMMAND', { subject: visible(frame.command) });
    }
    // DESIGN.md PSU: commands before NICK get a line asking for a nick.
    if (this.nick === undefined) return this.error('NOT_REGISTERED');
    switch (frame.command) {
      case 'JOIN':
        return this.join(frame);
      case 'PART':
        return this.part(frame);
      case 'NAMES':
        return this.names(frame);
      case 'LIST':
        return this.list(frame);
      default:
        return this.privmsg(frame);
    }
  }

  /** DESIGN.md "Interop bench": bytes without a line end, said once in a line of their own. */
  incomplete(pending: PendingHint): void {
    this.send(`Line not ended yet, ${pendingText(pending)}`);
  }

  override fault(code: ErrorCode, detail?: string): void {
    this.error(code, { max: code === 'FRAME_TOO_LARGE' ? this.ctx.limits.lineMax : undefined, detail: code === 'BAD_ARGUMENTS' ? detail : undefined });
  }

  shutdown(): void {
    // specs/psu-chat.txt 3.1: the fixed line, whatever words the gateway passes.
    if (this.saidShutdown) return;
    this.saidShutdown = true;
    this.send(Lines.shutdown());
  }

  deliver(event: BusEvent): void {
    switch (event.type) {
      case 'message.direct':
        this.write(encodeOnce(event, this.encodeKey, () => encodeDirect(event.from, event.text, this.charset)));
        return;
      case 'message.room':
        this.write(encodeOnce(event, this.encodeKey, () => encodeRoomMessage(event.room, event.from, event.text, this.charset)));
        return;
      case 'room.joined':
        this.write(encodeOnce(event, this.encodeKey, () => encodeLine(Lines.joined(event.nick, event.room), this.charset)));
        return;
      case 'room.left':
        this.write(encodeOnce(event, this.encodeKey, () => encodeLine(Lines.left(event.nick, event.room), this.charset)));
        return;
      case 'user.offline':
        // QUIT and a broken connection read as leaving each shared room (spec 5: "in the same manner as if he had run the QUIT command").
        for (const room of event.rooms) if (this.ctx.hub.inRoom(this.id, room)) this.send(Lines.left(event.nick, room));
        return;
      case 'user.renamed':
        // Only users who share a room get it (the Hub's audience), once however many rooms they share.
        this.send(Lines.renamed(event.from, event.to));
        return;
      case 'room.visibility':
        this.send(Lines.visibility(event.room, event.visibility === 'private'));
        return;
      default:
        // user.online (PSU shows arrivals as room joins), receipts: PSU has no words for them.
        return;
    }
  }

  private async nickCommand(frame: PsuFrame): Promise<void> {
    if (frame.params.length !== 1) return this.error('BAD_ARGUMENTS', { subject: frame.command });
    const wanted = frame.params[0]!;
    if (this.nick === undefined) {
      const r = await this.registerNick(wanted);
      if (r && !r.ok) return this.failed(r, visible(wanted));
      if (r) this.send(Lines.welcome(r.value.nick));
      return;
    }
    // specs/psu-chat.txt 4.1 / DESIGN.md PSU: "a second NICK renames".
    const r = await this.ctx.hub.rename(this, wanted);
    if (!r.ok) return this.failed(r, visible(wanted));
    this.send(Lines.renamed(r.value.from, r.value.to));
  }

  private async join(frame: PsuFrame): Promise<void> {
    if (frame.params.length !== 1) return this.error('BAD_ARGUMENTS', { subject: 'JOIN' });
    const arg = frame.params[0]!;
    const r = await this.ctx.hub.join(this, roomArg(arg));
    if (!r.ok) return this.failed(r, `#${visible(roomArg(arg))}`);
    const v = r.value;
    if (v.already) this.send(Lines.alreadyIn(v.room));
    else if (v.created) this.send(Lines.created(v.room));
    else this.send(Lines.joinedSelf(v.room, v.size));
  }

  private async part(frame: PsuFrame): Promise<void> {
    if (frame.params.length !== 1) return this.error('BAD_ARGUMENTS', { subject: 'PART' });
    const arg = frame.params[0]!;
    const r = await this.ctx.hub.part(this, roomArg(arg));
    if (!r.ok) return this.failed(r, `#${visible(roomArg(arg))}`);
    this.send(Lines.partedSelf(r.value.room, r.value.deleted));
  }

  private async names(frame: PsuFrame): Promise<void> {
    if (frame.params.length !== 1) return this.error('BAD_ARGUMENTS', { subject: 'NAMES' });
    const hub = this.ctx.hub;
    const room = roomArg(frame.params[0]!);
    const shown = `#${visible(room)}`;
    if (!isValidRoom(room, hub.policy)) return this.error('ROOM_INVALID', { subject: shown });
    const r = await hub.room(room);
    // A private room is not there for a non-member (DESIGN.md: left out of lists for non-members).
    if (!r.ok || (r.value.visibility === 'private' && !hub.inRoom(this.id, r.value.name))) {
      return this.error('NO_SUCH_ROOM', { subject: shown });
    }
    const name = r.value.name;
    const members = await hub.members(name);
    let out = '';
    for (const m of members) out += encodeLine(Lines.namesMember(name, m), this.charset);
    this.write(out + encodeLine(Lines.namesEnd(name, members.length), this.charset));
  }

  private async list(frame: PsuFrame): Promise<void> {
    if (frame.params.length !== 0) return this.error('BAD_ARGUMENTS', { subject: 'LIST' });
    const rooms = await this.ctx.hub.rooms(this);
    let out = '';
    for (const r of rooms) out += encodeLine(Lines.listRoom(r.name, r.size, r.visibility === 'private'), this.charset);
    this.write(out + encodeLine(Lines.listEnd(rooms.length), this.charset));
  }

  /**
   * PRIVMSG: every target is tried in turn, each failure gets its own line
   * and does not stop the others (spec 4.6). Success is silent, as in IRC:
   * the sender already sees what they typed (README.md "Choices").
   */
  private privmsg(frame: PsuFrame): void | Promise<void> {
    if (frame.params.length !== 2) return this.error('BAD_ARGUMENTS', { subject: 'PRIVMSG' });
    const [targetList, text] = frame.params as [string, string];
    // A local recipient or a room the sender is in is answered at once: no promise, the next frame
    // goes on in the same turn. An error line written now still queues behind any reply deferred before.
    if (targetList.length > 0 && targetList.indexOf(',') < 0) {
      const r = this.sendNow(targetList, text);
      if (r === undefined) return this.far(targetList, text) ? undefined : this.privmsgLater([targetList], text);
      if (!r.ok) this.failed(r, visible(targetList));
      return;
    }
    // `bob,,Bob` reaches bob once (nicks and rooms compare case-insensitively).
    const targets: string[] = [];
    const seen = new Set<string>();
    for (const t of targetList.split(',')) {
      const key = fold(t);
      if (t.length === 0 || seen.has(key)) continue;
      seen.add(key);
      targets.push(t);
    }
    if (targets.length === 0) return this.error('BAD_ARGUMENTS', { subject: 'PRIVMSG' });
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const r = this.sendNow(t, text);
      if (r === undefined) {
        if (this.far(t, text)) continue;
        return this.privmsgLater(targets.slice(i), text);
      }
      if (!r.ok) this.failed(r, visible(t));
    }
  }

  /** A nick of another node that the Hub knows where to find: sent now, its error (if any) in order later. */
  private far(target: string, text: string): boolean {
    return target.charCodeAt(0) !== 0x23 /* # */ && this.directFar(target, text, (r) => {
      if (!r.ok) this.failed(r, visible(target));
    });
  }

  /** The Hub's answer to one target when it has one at once; undefined when it needs the Directory or another node. */
  private sendNow(target: string, text: string): Result<unknown> | undefined {
    const hub = this.ctx.hub;
    return target.charCodeAt(0) === 0x23 /* # */ ? hub.roomNow(this, target.slice(1), text) : hub.directNow(this, target, text);
  }

  /** PRIVMSG to targets whose answer needs the Directory or another node, in order. */
  private async privmsgLater(targets: string[], text: string): Promise<void> {
    const hub = this.ctx.hub;
    for (const t of targets) {
      const isRoom = t.charCodeAt(0) === 0x23; /* # */
      let answer: Promise<Result<unknown>>;
      try {
        // A nick's answer may wait for its node: the next target and line go on meanwhile, errors keep their place.
        answer = isRoom ? Promise.resolve(await hub.sendRoom(this, t.slice(1), text)) : (await hub.routeDirect(this, t, text)).answer;
      } catch (err) {
        this.ctx.log.error({ err, target: t }, 'PRIVMSG target failed');
        answer = Promise.resolve({ ok: false, code: 'INTERNAL' });
      }
      await this.inOrder(answer, (r) => {
        if (!r.ok) this.failed(r, visible(t));
      });
    }
  }

  private async quit(): Promise<void> {
    const nick = this.nick;
    // Leave rooms now, so members see "has left" before the socket closes (spec 5).
    await this.ctx.hub.unregister(this, 'Quit');
    this.send(Lines.goodbye(nick));
    this.ctx.transport.end('quit');
  }

  private failed(r: { code: ErrorCode; detail?: string }, subject: string): void {
    const args: ErrorArgs = { subject };
    if (r.code === 'NICK_TAKEN' || r.code === 'NICK_INVALID') args.detail = r.detail;
    if (r.code === 'TEXT_INVALID') args.max = this.ctx.hub.textMax;
    this.error(r.code, args);
  }

  protected sendError(code: ErrorCode, args: ErrorArgs = {}): void {
    if (code === 'BAD_ARGUMENTS' && args.subject && !args.detail) args.detail = USAGE[args.subject];
    this.send(errorLine(code, args));
  }

  private send(line: string): void {
    this.ctx.transport.write(encodeLine(line, this.charset));
  }

  private write(frame: string): void {
    if (frame.length > 0) this.ctx.transport.write(frame);
  }
}
