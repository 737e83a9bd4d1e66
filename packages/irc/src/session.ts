import {
  SessionBase,
  encodeOnce,
  isValidNick,
  Keepalive,
  pendingText,
  type BusEvent,
  type ErrorCode,
  type EventOf,
  type Hub,
  type PendingHint,
  type SessionContext,
} from '@chat-gateway/core';
import { COMMANDS } from './commands.js';
import type { CommandPort } from './port.js';
import { CRLF, encodeText, hostmask, param, plain } from './encoder.js';
import type { IrcFrame } from './framer.js';
import { resolveOptions, type IrcOptions } from './options.js';
import { errorReply, type ErrorArgs } from './replies.js';
import { motd, welcome, type Numeric } from './welcome.js';

/** The dialect's name, as config and hostmasks (`bob!bob@irc.<network>`) say it. */
export const DIALECT_NAME = 'irc';

/**
 * One IRC client connection (RFC 2812 3.1, DESIGN.md IRC). Registration
 * waits for both NICK and USER, and for `CAP END` once `CAP LS` opened a
 * negotiation; a refused nick (431/432/433) keeps the connection open for
 * another. Registered, it hands the channel and query commands to
 * commands.ts and shows the Hub's events as IRC messages from
 * `nick!nick@<dialect>.<network>`. Every error reply is one row of
 * replies.ts's ERROR_REPLIES.
 */
export class IrcSession extends SessionBase<IrcFrame, IrcOptions, ErrorArgs> implements CommandPort {
  readonly dialect = DIALECT_NAME;
  readonly receipts = false;
  readonly options: IrcOptions;
  /** Channels this session is in: folded name → display name (for `JOIN 0`, WHOIS, MODE). */
  readonly channels = new Map<string, string>();
  /** The AWAY text, while away. */
  away: string | undefined;
  private readonly keepalive: Keepalive;
  // Events are encoded once per network and server name, for every IRC member alike.
  private readonly encodeKey: string;
  private wantNick: string | undefined;
  private hasUser = false;
  /** Registered once (the welcome burst sent). */
  private welcomed = false;
  private capOpen = false;
  private lastHead?: { from: string; dialect: string; to: string; command: string; head: string };
  /** After QUIT, a ping timeout or an ERROR: nothing more is read or written. */
  private closed = false;

  constructor(ctx: SessionContext<IrcOptions>) {
    super(ctx);
    this.options = resolveOptions(ctx.options);
    this.encodeKey = `${DIALECT_NAME}:${this.options.network}:${this.options.serverName}`;
    const o = this.options;
    this.keepalive = new Keepalive(ctx.transport, o.pingIntervalMs, o.pingTimeoutMs, () => this.send(`PING :${o.serverName}`), () => this.pingTimedOut());
  }

  get hub(): Hub {
    return this.ctx.hub;
  }

  /** The nick numerics are addressed to: `*` before registration (RFC 2812 2.4 examples, "Modern IRC"). */
  get me(): string {
    return this.nick ?? '*';
  }

  /** DESIGN.md "Interop bench": bytes without a line end, said once in a server NOTICE. */
  incomplete(pending: PendingHint): void {
    this.send(`:${this.options.serverName} NOTICE ${this.me} :${pendingText(pending)}`);
  }

  /** This client's own hostmask. */
  get mask(): string {
    return hostmask(this.me, DIALECT_NAME, this.options.network);
  }

  /** A peer's hostmask (DESIGN.md IRC: `alice!alice@psu.chat-gateway`). */
  maskOf(nick: string, dialect: string): string {
    return hostmask(nick, dialect, this.options.network);
  }

  /** IRC has no greeting: a client speaks first (RFC 2812 3.1). */
  start(): void {}

  handle(frame: IrcFrame): void | Promise<void> {
    if (this.closed) return;
    // The line nearly every registered client sends most: straight to its command, no switch or table look-up.
    // `welcomed`, not the Hub's nick look-up per line: should the Hub have let the session go since,
    // it refuses the message itself (451, as below).
    if (frame.command === 'PRIVMSG' && this.welcomed) return COMMANDS.PRIVMSG!(this, frame);
    switch (frame.command) {
      case 'CAP':
        return this.cap(frame);
      case 'PASS':
        // DESIGN.md IRC: PASS is ignored; after registration it is one (RFC 2812 3.1.1: 462).
        return this.nick === undefined ? undefined : this.fail('ALREADY_REGISTERED', { command: 'PASS' });
      case 'NICK':
        return this.nickCommand(frame);
      case 'USER':
        return this.userCommand(frame);
      case 'PING':
        // RFC 2812 3.7.2; allowed before registration, as clients check the link early.
        if (frame.params.length === 0) return this.fail('BAD_ARGUMENTS', { command: 'PING' });
        return this.send(`:${this.options.serverName} PONG ${this.options.serverName} :${plain(frame.params.at(-1)!)}`);
      case 'PONG':
        return this.keepalive.pong();
      case 'QUIT':
        return this.quit(frame.params[0]);
    }
    const run = COMMANDS[frame.command];
    if (!run) return this.fail('UNKNOWN_COMMAND', { subject: param(frame.command) });
    // RFC 2812 3.3.2: a NOTICE is never answered, not even to say "register first".
    if (this.nick === undefined) return frame.command === 'NOTICE' ? undefined : this.fail('NOT_REGISTERED');
    return run(this, frame);
  }

  /** Replies with the error's row of ERROR_REPLIES, counted by SessionBase.error. */
  fail(code: ErrorCode, args: ErrorArgs = {}): void {
    this.error(code, args);
  }

  /** `:<server> <code> <me> <params...> [:<text>]` CR LF. */
  numeric(code: string, params: readonly string[], text?: string): string {
    let line = `:${this.options.serverName} ${code} ${this.me}`;
    for (const p of params) line += ` ${p}`;
    if (text !== undefined) line += ` :${text}`;
    return line + CRLF;
  }

  /** Writes one or several whole lines, in one write. */
  write(lines: string): void {
    if (lines.length > 0 && !this.closed) this.ctx.transport.write(lines);
  }

  /** Writes the numerics in one write. */
  reply(numerics: readonly Numeric[]): void {
    let out = '';
    for (const [code, params, text] of numerics) out += this.numeric(code, params, text);
    this.write(out);
  }

  /** The MOTD command (RFC 2812 3.4.1): the message of the day again, or `422`. */
  motd(): void {
    this.reply(motd(this.options));
  }

  /** DESIGN.md table, shutdown: `ERROR :Closing link (server shutting down)`, once. */
  shutdown(): void {
    this.sendError('SHUTTING_DOWN');
  }

  deliver(event: BusEvent): void {
    if (this.closed) return;
    const key = this.encodeKey;
    switch (event.type) {
      case 'message.direct':
        this.write(encodeText(this.directHead(event), event.text));
        return;
      case 'message.room':
        this.write(encodeOnce(event, key, () => encodeText(`:${this.maskOf(event.from, event.dialect)} ${event.notice ? 'NOTICE' : 'PRIVMSG'} #${event.room} :`, event.text)));
        return;
      case 'room.joined':
        this.write(encodeOnce(event, key, () => `:${this.maskOf(event.nick, event.dialect)} JOIN #${event.room}${CRLF}`));
        return;
      case 'room.left':
        this.write(encodeOnce(event, key, () => `:${this.maskOf(event.nick, event.dialect)} PART #${event.room}${CRLF}`));
        return;
      case 'user.offline':
        // The Hub's audience: members of the rooms the user was in, each once; one QUIT says it for all (RFC 2812 3.1.7).
        this.write(encodeOnce(event, key, () => `:${this.maskOf(event.nick, event.dialect)} QUIT :${plain(event.reason)}${CRLF}`));
        return;
      case 'user.renamed':
        this.write(encodeOnce(event, key, () => `:${this.maskOf(event.from, event.dialect)} NICK ${event.to}${CRLF}`));
        return;
      case 'room.visibility':
        // The event names no dialect for its actor: the server announces the change, as servers do for modes they set.
        this.write(encodeOnce(event, key, () => `:${this.options.serverName} MODE #${event.room} ${event.visibility === 'private' ? '+s' : '-s'}${CRLF}`));
        return;
      default:
        // user.online (IRC shows peers through channels), receipts: IRC has no words for them.
        return;
    }
  }

  /**
   * `:<mask> PRIVMSG <me> :` for a DM: a query is mostly one peer writing many times, so the last
   * head is kept and reused while sender, dialect, kind and own nick are the same.
   */
  private directHead(e: EventOf<'message.direct'>): string {
    const h = this.lastHead;
    const command = e.notice ? 'NOTICE' : 'PRIVMSG';
    if (h !== undefined && h.from === e.from && h.dialect === e.dialect && h.to === e.to && h.command === command) return h.head;
    const head = `:${this.maskOf(e.from, e.dialect)} ${command} ${e.to} :`;
    this.lastHead = { from: e.from, dialect: e.dialect, to: e.to, command, head };
    return head;
  }

  override async close(): Promise<void> {
    this.keepalive.stop();
    this.closed = true;
    await super.close();
  }

  // --- registration (RFC 2812 3.1, IRCv3 capability negotiation) ------------

  /** `CAP LS [302]`, `LIST`, `REQ`, `END`: no capability is offered, so every request is refused. */
  private cap(frame: IrcFrame): void | Promise<void> {
    const sub = frame.params[0]?.toUpperCase();
    const head = `:${this.options.serverName} CAP ${this.me}`;
    switch (sub) {
      case 'LS':
        // A negotiation holds registration until CAP END (IRCv3 "Capability negotiation").
        if (this.nick === undefined) this.capOpen = true;
        return this.send(`${head} LS :`);
      case 'LIST':
        return this.send(`${head} LIST :`);
      case 'REQ':
        if (this.nick === undefined) this.capOpen = true;
        return this.send(`${head} NAK :${plain(frame.params[1] ?? '')}`);
      case 'END':
        if (!this.capOpen) return;
        this.capOpen = false;
        return this.register();
      case undefined:
        return this.fail('BAD_ARGUMENTS', { command: 'CAP' });
      default:
        return this.fail('BAD_ARGUMENTS', { command: 'CAP', subject: param(frame.params[0]!) });
    }
  }

  private async nickCommand(frame: IrcFrame): Promise<void> {
    const wanted = frame.params[0] ?? '';
    if (wanted === '') return this.fail('BAD_ARGUMENTS', { command: 'NICK' });
    if (this.nick !== undefined) return this.rename(wanted);
    if (!isValidNick(wanted, this.hub.policy)) return this.fail('NICK_INVALID', { subject: param(wanted) });
    this.wantNick = wanted;
    if (this.ready()) return this.register();
    // Registration waits for USER or CAP END; a taken nick is said now, as servers do, so the client picks another.
    if (await this.hub.user(wanted)) {
      this.wantNick = undefined;
      this.fail('NICK_TAKEN', { subject: param(wanted) });
    }
  }

  private userCommand(frame: IrcFrame): void | Promise<void> {
    if (this.nick !== undefined) return this.fail('ALREADY_REGISTERED', { command: 'USER' });
    // RFC 2812 3.1.3: USER <user> <mode> <unused> <realname>. Hostmasks show the nick, so the rest is not kept.
    if (frame.params.length < 4) return this.fail('BAD_ARGUMENTS', { command: 'USER' });
    this.hasUser = true;
    return this.register();
  }

  private ready(): boolean {
    return this.nick === undefined && this.hasUser && !this.capOpen && this.wantNick !== undefined;
  }

  /** Completes registration once NICK, USER and any CAP negotiation are in: the nick is claimed, then the burst. */
  private async register(): Promise<void> {
    if (!this.ready()) return;
    const wanted = this.wantNick!;
    const r = await this.registerNick(wanted);
    if (!r) return;
    if (!r.ok) {
      this.wantNick = undefined;
      return this.fail(r.code, { subject: param(wanted) });
    }
    this.welcomed = true;
    this.reply(welcome(r.value.nick, this.mask, this.options, this.hub.policy));
    this.keepalive.start();
  }

  /** NICK once registered: the echo `:old!… NICK new` is the reply (RFC 2812 3.1.2); others get it from the Hub. */
  private async rename(wanted: string): Promise<void> {
    const before = this.mask;
    const r = await this.hub.rename(this, wanted);
    if (!r.ok) return r.code === 'NICK_UNCHANGED' ? undefined : this.fail(r.code, { subject: param(wanted) });
    this.send(`:${before} NICK ${r.value.to}`);
  }

  /** QUIT [:reason]: the others see `QUIT :Quit: <reason>` before the link closes (RFC 2812 3.1.7). */
  private async quit(text: string | undefined): Promise<void> {
    const said = text === undefined ? '' : plain(text, 200);
    const reason = said === '' ? 'Quit' : `Quit: ${said}`;
    this.keepalive.stop();
    await this.hub.unregister(this, reason);
    this.send(`ERROR :Closing link (${reason})`);
    this.closed = true;
    this.ctx.transport.end('quit');
  }

  private pingTimedOut(): void {
    if (this.closed) return;
    this.ctx.observer.limit('ping_timeout');
    this.error('PING_TIMEOUT');
    this.ctx.transport.end('ping timeout');
    // Release now, not when the dead peer finally lets the socket close: its channels learn at once.
    this.hub.unregister(this, 'Ping timeout').catch((err: unknown) => this.ctx.log.error({ err }, 'unregister after ping timeout failed'));
  }

  protected sendError(code: ErrorCode, args: ErrorArgs = {}): void {
    if (args.quiet || this.closed) return;
    const r = errorReply(code, args);
    if (r === undefined) return;
    if ('error' in r) {
      // RFC 2812 3.7.4 ERROR: the last thing the client reads before the server closes.
      this.send(`ERROR :${r.error}`);
      this.closed = true;
      this.keepalive.stop();
      return;
    }
    this.write(this.numeric(r.numeric, r.params, r.text));
  }

  private send(line: string): void {
    this.write(line + CRLF);
  }
}

