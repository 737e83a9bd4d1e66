import { encodeOnce, fold, Keepalive, pendingText, safeLines, SessionBase, type BusEvent, type ErrorCode, type EventOf, type PendingHint, type SessionContext } from '@chat-gateway/core';
import { encodeLine, Say, terminatorOf } from './encoder.js';
import type { WsFrame } from './framer.js';
import { greetingText, resolveOptions, type WsOptions } from './options.js';
import { Arrivals } from './known.js';
import { errorReply, type ReplyContext } from './replies.js';
import { takeArgs, unquote } from './tokenizer.js';

/** rev-a/rev-b "Session States", lifted from POP3. */
export type WsState = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

export const DIALECT_NAME = 'ws2017';

// Every keyword the gateway understands (rev-a, rev-b, DESIGN.md WS_2017). `quit` is
// rev-a 6.1's wording ("the client uses the quit command"); `+ok` carries `+OK cpong`/`+OK pong`.
const COMMANDS = new Set(['uname', 'cname', 'cgetu', 'chatm', 'chatr', 'ping', 'cping', 'pong', 'cpong', '+ok', 'cquit', 'quit']);
// DESIGN.md WS_2017: "commands other than uname/ping/cquit before uname" are refused. Pongs are
// answers, not commands: they are accepted (silently) in every state.
const BEFORE_UNAME = new Set(['uname', 'ping', 'cping', 'cquit', 'quit', 'pong', 'cpong', '+ok']);
const PONGS = new Set(['pong', 'cpong']);

/**
 * One WS_2017 connection: AUTHORIZATION until `uname` succeeds, TRANSACTION
 * until `cquit`, a ping timeout or shutdown, then UPDATE (goodbye, release,
 * close).
 *
 * Real clients crash on a `chatm` from a sender they were never told about
 * (DESIGN.md WS_2017), so the session knows whom this client was told about
 * (`nuser`, `+OK nuser`, a `cgetu` list, its own; known.ts keeps most of it
 * once per node) and announces an unknown sender with `nuser` before its
 * first message. `cquit` and renames are only ever said about nicks it
 * knows: a client is never told that someone it never heard of left.
 */
export class WsSession extends SessionBase<WsFrame, WsOptions, ReplyContext> {
  readonly dialect = DIALECT_NAME;
  /** WS_2017 clients answer chatm with chatr themselves: the Hub must not synthesize receipts for them. */
  readonly receipts = true;
  // DESIGN.md table: WS_2017 sees everyone come (`nuser`) and go (`cquit`).
  override readonly presence = true;
  private stateValue: WsState = 'AUTHORIZATION';
  private readonly opts: WsOptions;
  private readonly eol: string;
  /** encodeOnce keys: events are encoded once per line ending (and charset for texts). */
  private readonly key: string;
  private readonly textKey: string;
  private readonly arrivals: Arrivals;
  // Known (known.ts): arrivals after `since`, everyone listed by the last cgetu, itself (`self`,
  // folded), and `told` by name (made for the first: most clients are told of nobody by name).
  private since = 0;
  private listedAt = -1;
  private self?: string;
  private told?: Set<string>;
  private readonly keepalive: Keepalive;

  constructor(ctx: SessionContext<WsOptions>) {
    super(ctx);
    this.opts = resolveOptions(ctx.options);
    this.eol = terminatorOf(this.opts.lineEnding);
    this.key = `${DIALECT_NAME}:${this.opts.lineEnding}`;
    this.textKey = `${this.key}:${this.opts.charset}`;
    this.arrivals = Arrivals.of(ctx.hub);
    this.keepalive = new Keepalive(ctx.transport, this.opts.pingIntervalMs, this.opts.pingTimeoutMs, () => this.send(this.opts.pingCommand === 'ping' ? Say.ping : Say.cping), () => this.pingTimedOut());
  }

  /** The POP3-style state: AUTHORIZATION, TRANSACTION or UPDATE. */
  get state(): WsState {
    return this.stateValue;
  }

  /** rev-a/rev-b 1: "After the TCP connection is established ... the server sends a greeting". */
  start(): void {
    this.send(Say.greeting(greetingText(this.opts)));
  }

  /** Handles one command line; the connection layer waits for the returned promise before the next. */
  handle(frame: WsFrame): void | Promise<void> {
    if (this.stateValue === 'UPDATE') return;
    const k = frame.keyword;
    if (!COMMANDS.has(k)) return this.refuse('UNKNOWN_COMMAND');
    if (this.stateValue === 'AUTHORIZATION' && !BEFORE_UNAME.has(k)) return this.refuse('NOT_REGISTERED', k);
    switch (k) {
      case 'uname':
        return this.uname(frame);
      case 'cname':
        return this.rename('cname', frame);
      case 'cgetu':
        return this.cgetu();
      case 'chatm':
        return this.chatm(frame);
      case 'chatr':
        return this.chatr(frame);
      // rev-a 5.1 "c: ping / s: +OK pong"; cping is its rev-b twin. Arguments are ignored.
      case 'ping':
        return this.send(Say.pong);
      case 'cping':
        return this.send(Say.cpong);
      // DESIGN.md: `+OK cpong`, `cpong`, `+OK pong` and `pong` all answer a cping. No reply.
      case '+ok':
        if (PONGS.has(frame.args[0]?.toLowerCase() ?? '')) return this.keepalive.pong();
        return this.refuse('UNKNOWN_COMMAND');
      case 'pong':
      case 'cpong':
        return this.keepalive.pong();
      case 'cquit':
      case 'quit':
        return this.quit();
    }
  }


  /** DESIGN.md cross-dialect table, shutdown: `+OK terminating tasks and disconnecting`. */
  shutdown(_message: string): void {
    this.goodbye();
  }

  /** Turns a Bus event into the lines this client is owed (DESIGN.md cross-dialect table, WS_2017 column). */
  deliver(event: BusEvent): void {
    if (this.stateValue !== 'TRANSACTION') return;
    switch (event.type) {
      case 'user.online':
        this.arrivals.see(event);
        this.announce(event.nick, event);
        return;
      case 'user.offline':
        this.arrivals.see(event);
        if (this.knows(event.nick, event)) {
          this.write(encodeOnce(event, this.key, () => encodeLine(Say.cquit(event.nick), this.opts.lineEnding)));
        }
        this.told?.delete(fold(event.nick));
        return;
      case 'user.renamed':
        this.arrivals.see(event);
        this.renamed(event);
        return;
      case 'message.direct':
        return this.direct(event);
      case 'receipt':
        // rev-a 5.3: the server "relays a message to the sending client that the message was received".
        return this.send(Say.chatr(event.from, event.to));
      default:
        // Rooms (room.*, message.room): WS_2017 has none (DESIGN.md "Room messages ... WS_2017 and Sup have no rooms").
        return;
    }
  }

  /** DESIGN.md "Interop bench": bytes without a line end, said once as a `-ERR` line. */
  incomplete(pending: PendingHint): void {
    this.send(`-ERR ${pendingText(pending)}`);
  }

  /** Releases the nick; also stops the keepalive (the transport's timers die with it anyway). */
  override async close(): Promise<void> {
    this.keepalive.stop();
    this.leaveTransaction();
    this.stateValue = 'UPDATE';
    await super.close();
  }

  // --- commands -------------------------------------------------------------

  /** rev-a 4 / rev-b AUTHORIZATION: `uname <name>` registers; in TRANSACTION it renames (rev-b "Changing user name"). */
  private async uname(frame: WsFrame): Promise<void> {
    if (this.stateValue === 'TRANSACTION') return this.rename('uname', frame);
    const name = unquote(frame.rest);
    if (name === '') return this.refuse('BAD_ARGUMENTS', 'uname');
    const r = await this.registerNick(name);
    if (!r) return;
    if (!r.ok) return this.refuse(r.code, 'uname', r.detail);
    const nick = r.value.nick;
    this.stateValue = 'TRANSACTION';
    this.since = this.arrivals.enter();
    this.self = fold(nick);
    this.send(r.value.welcomeBack ? Say.welcomeBack(nick) : Say.youAre(nick));
    this.keepalive.start();
  }

  /**
   * `uname <new>` in TRANSACTION → `+OK you are <new>` (DESIGN.md WS_2017: clients learn their
   * own name only from a reply that starts `+OK you are `); rev-a `cname <new>` →
   * `+OK name changed from <old> to <new>`.
   */
  private async rename(command: 'uname' | 'cname', frame: WsFrame): Promise<void> {
    const name = unquote(frame.rest);
    if (name === '') return this.refuse('BAD_ARGUMENTS', command);
    const r = await this.ctx.hub.rename(this, name);
    if (!r.ok) return this.refuse(r.code, command, r.detail);
    const { from, to } = r.value;
    this.self = fold(to);
    this.send(command === 'uname' ? Say.youAre(to) : Say.nameChanged(from, to));
  }

  /** rev-b "Get all user names": everyone online on every dialect, this client included. */
  private async cgetu(): Promise<void> {
    const users = await this.ctx.hub.users();
    const nicks = users.map((u) => u.nick);
    this.listedAt = this.arrivals.listed(nicks);
    this.send(Say.users(nicks));
  }

  /**
   * rev-a/rev-b "Chat": `chatm <sender> <recipient> <text>`, the text being the
   * rest of the line with one pair of enclosing quotes removed (DESIGN.md).
   * The sender must be this session's own name: no impersonation.
   */
  private async chatm(frame: WsFrame): Promise<void> {
    const { args, rest } = takeArgs(frame.rest, 2);
    if (args.length < 2 || rest === '') return this.refuse('BAD_ARGUMENTS', 'chatm');
    const [sender, recipient] = args as [string, string];
    const me = this.nick ?? '';
    if (fold(sender) !== fold(me)) return this.refuse('FORBIDDEN', 'chatm', `sender must be your own name (${me})`);
    // The reply waits for the recipient's node; the next line need not (SessionBase.inOrder).
    const { answer } = await this.ctx.hub.routeDirect(this, recipient, unquote(rest));
    return this.inOrder(answer, (r) => {
      if (!r.ok) return this.refuse(r.code, 'chatm', r.code === 'NO_SUCH_USER' ? recipient : r.detail);
      this.send(Say.relayed);
      // DESIGN.md WS_2017: a recipient on another dialect sends no chatr, so the gateway does, once it was handed over.
      if (r.value.receipt) this.send(Say.chatr(me, r.value.to));
    });
  }

  /**
   * rev-a/rev-b: the recipient "automatically sends back a message (with the
   * chatr command) to the server that then relays [it] to the sending client".
   * The recipient must be this session (nobody acknowledges for others). No
   * reply on success: clients send it unprompted and expect nothing back; a
   * sender who left meanwhile is not this client's problem.
   */
  private async chatr(frame: WsFrame): Promise<void> {
    const [sender, recipient] = frame.args;
    if (sender === undefined || recipient === undefined) return this.refuse('BAD_ARGUMENTS', 'chatr');
    const me = this.nick ?? '';
    if (fold(recipient) !== fold(me)) return this.refuse('FORBIDDEN', 'chatr', `recipient must be your own name (${me})`);
    const r = await this.ctx.hub.receipt(this, sender);
    if (!r.ok && r.code !== 'NO_SUCH_USER') this.refuse(r.code, 'chatr', r.detail);
  }

  /** rev-a/rev-b 6.1 Quit: goodbye, release the nick at once (others get `cquit`), close. */
  private async quit(): Promise<void> {
    this.goodbye();
    this.ctx.transport.end('quit');
    await this.ctx.hub.unregister(this, 'Quit');
  }

  // --- events ---------------------------------------------------------------

  /** rev-b "As soon as the client has entered the user name, it is broadcasted to all other connected clients". */
  private announce(nick: string, event?: BusEvent): void {
    // Already told (a cgetu list that raced the registration): a second nuser would list it twice.
    if (this.knows(nick, event)) return;
    // Told with an arrival or a rename, Arrivals records it for every session; else by name.
    if (event) this.write(encodeOnce(event, this.key, () => encodeLine(Say.nuser(nick), this.opts.lineEnding)));
    else {
      this.tell(nick);
      this.send(Say.nuser(nick));
    }
  }

  /** True when this client was told about `nick` (and not since that it left); `during`: the presence event being handled. */
  private knows(nick: string, during?: BusEvent): boolean {
    const key = fold(nick);
    if (key === this.self || this.told?.has(key)) return true;
    const at = this.arrivals.arrival(key, during);
    return at !== undefined && (at > this.since || at <= this.listedAt);
  }

  /** Remembers that this client was told about `nick` by name (not with an event every session had). */
  private tell(nick: string): void {
    (this.told ??= new Set()).add(fold(nick));
  }

  /** Leaving TRANSACTION (a goodbye, a ping timeout, the close; called before the state changes): Arrivals stops counting this session. */
  private leaveTransaction(): void {
    if (this.stateValue === 'TRANSACTION') this.arrivals.leave();
  }

  /** rev-b: a rename "has to be sent to all other clients" as `+OK nuser <old> <new>`; a stranger's rename is a plain `nuser <new>`. */
  private renamed(event: EventOf<'user.renamed'>): void {
    if (this.knows(event.from, event)) {
      this.told?.delete(fold(event.from));
      this.write(encodeOnce(event, `${this.key}:r`, () => encodeLine(Say.nuserRenamed(event.from, event.to), this.opts.lineEnding)));
    } else {
      this.announce(event.to, event);
    }
  }

  /**
   * DESIGN.md WS_2017: a WS recipient gets `chatm <sender> <recipient>
   * '<text>'`, one line per line of the text (core safeLines: controls
   * dropped, charset applied, never empty), and only from a sender it was told
   * about: an unknown sender is announced with `nuser` first.
   */
  private direct(event: EventOf<'message.direct'>): void {
    const lines = encodeOnce(event, this.textKey, () =>
      safeLines(event.text, this.opts.charset).map((l) => encodeLine(Say.chatm(event.from, event.to, l), this.opts.lineEnding)),
    );
    if (lines.length === 0) return;
    if (!this.knows(event.from)) this.announce(event.from);
    for (const l of lines) this.write(l);
  }

  // --- output ---------------------------------------------------------------

  private pingTimedOut(): void {
    if (this.stateValue !== 'TRANSACTION') return;
    this.ctx.observer.limit('ping_timeout');
    this.error('PING_TIMEOUT');
    this.leaveTransaction();
    this.stateValue = 'UPDATE';
    this.ctx.transport.end('ping timeout');
    // Release now, not when the dead peer finally lets the socket close: others learn at once.
    this.ctx.hub.unregister(this, 'Ping timeout').catch((err: unknown) => this.ctx.log.error({ err }, 'unregister after ping timeout failed'));
  }

  /** Says goodbye once (cquit, shutdown) and enters UPDATE. */
  private goodbye(): void {
    if (this.stateValue === 'UPDATE') return;
    this.leaveTransaction();
    this.stateValue = 'UPDATE';
    this.keepalive.stop();
    this.send(Say.goodbye);
  }

  /** A negative reply for a command (counted by SessionBase.error). */
  private refuse(code: ErrorCode, command?: string, detail?: string): void {
    this.error(code, { command, detail });
  }

  protected sendError(code: ErrorCode, context: ReplyContext = {}): void {
    this.send(errorReply(code, { ...context, lineMax: this.ctx.limits.lineMax }));
  }

  /** Writes one line whole, in one write; never an empty one (DESIGN.md WS_2017). */
  private send(line: string): void {
    if (line.length === 0) return;
    this.ctx.transport.write(line + this.eol);
  }

  private write(encoded: string): void {
    if (encoded.length > 0) this.ctx.transport.write(encoded);
  }
}
