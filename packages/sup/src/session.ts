import { fold, SessionBase, type BusEvent, type Charset, type ErrorCode, type SessionContext } from '@chat-gateway/core';
import { parseCommand } from './commands.js';
import { encodeContacts, encodeRecv, encodeStatus } from './encoder.js';
import type { SupOptions } from './options.js';
import { STATUS_FOR_ERROR, type StatusCode } from './replies.js';

/**
 * One Sup connection (specs/sup.txt, DESIGN.md Sup). Every client message
 * gets exactly one status reply, written by exactly one path through
 * handle() (or fault() for what the framer or connection layer dropped).
 * No greeting: the first thing the client reads answers its first message.
 */
export class SupSession extends SessionBase<string, SupOptions> {
  readonly dialect = 'sup';
  // Sup has no receipts of its own: the Hub synthesizes WS_2017's chatr for a sender.
  readonly receipts = false;
  // specs/sup.txt: every client message gets one status, and clients match them by position.
  readonly answersEveryFrame = true;
  private readonly charset: Charset;
  private loggedIn = false;

  constructor(ctx: SessionContext<SupOptions>) {
    super(ctx);
    this.charset = ctx.options.charset;
  }

  start(): void {
    // No greeting (DESIGN.md Sup).
  }

  handle(msg: string): void | Promise<void> {
    const cmd = parseCommand(msg);
    // Before login only `login` is in order (specs/sup.txt "Login").
    if (!this.loggedIn && cmd.kind !== 'login') return this.error('NOT_REGISTERED');
    switch (cmd.kind) {
      case 'login':
        return this.login(cmd.user);
      case 'contacts':
        return this.contacts();
      case 'contact':
        return this.contact(cmd.user);
      case 'send':
        return this.send(cmd.to, cmd.text);
      case 'quit':
        return this.quit(cmd.user);
      case 'malformed':
        // trace only: a per-frame log line above trace would cost every client (GUIDE hot path).
        this.ctx.log.trace({ reason: cmd.reason }, 'malformed Sup message');
        return this.error('BAD_ARGUMENTS');
    }
  }

  shutdown(): void {
    // Sup has no goodbye message (DESIGN.md shutdown row): the connection layer
    // lets the message in hand finish and flushes its reply, then closes.
  }

  deliver(event: BusEvent): void {
    // Sup has no rooms and no presence messages: only DMs reach the client.
    if (event.type === 'message.direct') this.ctx.transport.write(encodeRecv(event.from, event.text, this.charset));
  }

  private async login(user: string): Promise<void> {
    if (this.loggedIn) return this.error('ALREADY_REGISTERED');
    const r = await this.registerNick(user);
    if (!r) return;
    if (!r.ok) return this.error(r.code);
    this.loggedIn = true;
    this.status('000');
  }

  private async contacts(): Promise<void> {
    const users = await this.ctx.hub.users();
    const others: string[] = [];
    for (const u of users) if (u.session !== this.id) others.push(u.nick);
    // Both in one event-loop turn, so they leave in one write, status first.
    this.status('000');
    this.ctx.transport.write(encodeContacts(others));
  }

  private async contact(user: string): Promise<void> {
    const rec = await this.ctx.hub.user(user);
    this.status(rec ? '001' : '103');
  }

  private async send(to: string, text: string): Promise<void> {
    // `000` only once the recipient's connection took the message; the next message need not wait for that.
    const { answer } = await this.ctx.hub.routeDirect(this, to, text);
    return this.inOrder(answer, (r) => (r.ok ? this.status('000') : this.error(r.code)));
  }

  private async quit(user: string): Promise<void> {
    const nick = this.nick;
    // Logging off someone else is not allowed: FORBIDDEN maps to 100.
    if (nick === undefined || fold(user) !== fold(nick)) return this.error('FORBIDDEN');
    // Offline before the reply, so that whoever asks next sees it.
    await this.ctx.hub.unregister(this, 'Quit');
    this.loggedIn = false;
    this.status('000');
    this.ctx.transport.end('quit');
  }

  protected sendError(code: ErrorCode): void {
    const status = STATUS_FOR_ERROR[code];
    // undefined: nothing to answer (a refusal or timeout at the connection level): the close says it all.
    if (status !== undefined) this.status(status);
  }

  private status(code: StatusCode): void {
    this.ctx.transport.write(encodeStatus(code));
  }
}
