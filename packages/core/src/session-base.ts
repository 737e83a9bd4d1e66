import type { ErrorCode, Result } from './errors.js';
import type { BusEvent } from './events.js';
import type { ReplySlot, Session, SessionContext } from './dialect.js';
import type { MessageOptions, Sent } from './direct.js';

/**
 * The part of a session every dialect shares: its identity as the Hub knows
 * it, registration with the connection-closing guard, the one place errors
 * are counted, and release on close. Dialects extend it and write the state
 * machine; `A` is what their error table takes besides the code.
 */
export abstract class SessionBase<F, O, A = undefined> implements Session<F> {
  readonly id: string;
  readonly address: string;
  abstract readonly dialect: string;
  abstract readonly receipts: boolean;
  /** Whether this dialect shows users coming and going (user.online/offline); most show it through rooms only. */
  readonly presence: boolean = false;

  constructor(protected readonly ctx: SessionContext<O>) {
    this.id = ctx.transport.id;
    this.address = ctx.transport.remoteAddress;
  }

  /** The registered nick, or undefined before registration. */
  get nick(): string | undefined {
    return this.ctx.hub.nickOf(this.id);
  }

  abstract start(): void;
  abstract handle(frame: F): void | Promise<void>;
  abstract shutdown(message: string): void | Promise<void>;
  abstract deliver(event: BusEvent): void;
  /** Writes the dialect's reply for a canonical error (its one error table). */
  protected abstract sendError(code: ErrorCode, args?: A): void;

  /** Replies to a framer or connection-layer fault; dialects whose replies need the detail override it. */
  fault(code: ErrorCode, _detail?: string, _fatal?: boolean): void {
    this.error(code);
  }

  /** Replies with the dialect's words for a canonical error and counts it: every error a client gets passes here once. */
  protected error(code: ErrorCode, args?: A): void {
    this.ctx.observer.error(this.dialect, code);
    this.sendError(code, args);
  }

  /**
   * Registers a nick through the Hub. When the connection went (or began
   * closing) while the Hub worked, the registration is undone and undefined
   * returned: close() may already have run and would never release it.
   * On success the connection layer's registration timer stops.
   */
  protected async registerNick(nick: string): Promise<Result<{ nick: string; welcomeBack: boolean }> | undefined> {
    const r = await this.ctx.hub.register(this, nick);
    if (!r.ok) return r;
    if (this.ctx.transport.closing) {
      await this.ctx.hub.unregister(this);
      return undefined;
    }
    this.ctx.transport.registered();
    return r;
  }

  /**
   * Replies once `answer` is in, in frame order; where the transport can
   * (Transport.defer) the connection goes on with later frames meanwhile,
   * so DMs waiting for other nodes' acknowledgements overlap instead of
   * queueing one behind the other.
   */
  protected inOrder<T>(answer: Promise<T>, reply: (value: T) => void): void | Promise<void> {
    const t = this.ctx.transport;
    if (!t.defer) return answer.then(reply);
    const slot = t.defer(reply);
    answer.then(
      (value) => slot.resolve(value),
      (err: unknown) => slot.reject(err),
    );
  }

  /**
   * A direct message directNow could not answer (its recipient is not on this node), sent at once
   * to the node Routes remembers, `reply` run with its answer in frame order (Transport.defer): no
   * promise, so later frames go on in this turn. False when it needs the Directory first, or the
   * transport cannot defer: nothing was sent, the caller takes Hub.routeDirect.
   */
  directFar(to: string, text: string, reply: (r: Result<Sent>) => void, opts?: MessageOptions): boolean {
    const t = this.ctx.transport;
    if (!t.defer) return false;
    let slot: ReplySlot<Result<Sent>> | undefined;
    // No promise on the way: the answer comes to the slot straight from the acknowledgement (never in this call).
    const r = this.ctx.hub.routeNow(this, to, text, (answer) => slot!.resolve(answer), opts);
    if (r === false) return false;
    if (r === true) slot = t.defer(reply);
    else reply(r);
    return true;
  }

  async close(): Promise<void> {
    await this.ctx.hub.unregister(this);
  }
}
