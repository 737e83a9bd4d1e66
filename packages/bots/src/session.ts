import { fold, formatWait, type BusEvent, type SessionPort } from '@chat-gateway/core';
import { BOT_DIALECT, type BotBehaviour, type BotDefinition, type BotDeps } from './bot.js';
import { SenderBudget } from './budget.js';

// Answers per sender per window, and replies in flight at once: a DM loop gets bounded work.
const PER_WINDOW = 10;
const WINDOW_MS = 10_000;
const IN_FLIGHT_MAX = 64;

/**
 * A bot's user: a Hub session with no transport (DESIGN.md "Shape": bots,
 * no transport), whose deliver() calls the Hub. What every bot shares lives
 * here: registration (retried while the nick is held elsewhere: another
 * node's copy of the bot, or a user), the rules that keep bots from being
 * amplified (a per-sender budget, never another bot, never a notice or a
 * receipt), and answering on a later turn, after the sender's own reply.
 */
export class BotSession implements SessionPort {
  readonly id: string;
  readonly dialect = BOT_DIALECT;
  // No receipts of its own: a WS_2017 sender gets the gateway's chatr, as for any dialect without them.
  readonly receipts = false;
  readonly presence = false;
  readonly address = 'bot';
  private readonly behaviour: BotBehaviour;
  private readonly budget = new SenderBudget(PER_WINDOW, WINDOW_MS);
  private retry?: NodeJS.Timeout;
  private inFlight = 0;
  private online = false;
  private stopped = false;
  private waitingSaid = false;

  constructor(
    private readonly def: BotDefinition,
    private readonly deps: BotDeps,
  ) {
    this.id = deps.hub.newSessionId('b');
    this.behaviour = def.create({ nick: def.name, log: deps.log, say: (to, text) => this.say(to, text) });
  }

  /** True once the bot holds its nick on this node. */
  get registered(): boolean {
    return this.online;
  }

  /** Registers the nick; while another holds it, tries again every retryMs (DESIGN.md "Nodes": one winner). */
  async start(): Promise<void> {
    if (this.stopped || this.online) return;
    const r = await this.deps.hub.register(this, this.def.name);
    if (this.stopped) {
      if (r.ok) await this.deps.hub.unregister(this);
      return;
    }
    if (r.ok) {
      this.online = true;
      this.deps.log.info({}, 'bot online');
      return;
    }
    if (r.code === 'NICK_INVALID') {
      this.deps.log.error({}, 'bot name is not a valid nick under names.nickPattern: bot not started');
      return;
    }
    if (!this.waitingSaid) this.deps.log.info({ code: r.code, retryMs: this.deps.retryMs }, 'bot nick held elsewhere (another node runs it, or a user): trying again');
    this.waitingSaid = true;
    this.retry = setTimeout(() => void this.start(), this.deps.retryMs);
    this.retry.unref();
  }

  /** Releases the nick (other nodes' copies of the bot take it over). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.online) await this.deps.hub.unregister(this, 'Bot stopped');
    this.online = false;
  }

  deliver(event: BusEvent): void {
    // Receipts and everything else are never answered; a notice never is (RFC 2812 3.3.2), nor another bot (no loops).
    if (event.type !== 'message.direct' || event.notice || event.dialect === BOT_DIALECT) return;
    const allowance = this.budget.take(fold(event.from));
    if (allowance === 'drop' || this.inFlight >= IN_FLIGHT_MAX) return;
    const message = { from: event.from, dialect: event.dialect, text: event.text };
    this.inFlight++;
    // A later turn: the sender's own reply (`status 000 OK`, `+OK 'message relayed'`) goes out first.
    setImmediate(() => {
      const work = allowance === 'warn' ? this.say(message.from, this.warning()) : this.behaviour.direct(message);
      Promise.resolve(work)
        .catch((err: unknown) => this.deps.log.error({ err }, 'bot failed to answer'))
        .finally(() => this.inFlight--);
    });
  }

  private warning(): string {
    return `(${this.def.name} answers at most ${PER_WINDOW} messages every ${formatWait(WINDOW_MS)}; the rest are dropped)`;
  }

  private async say(to: string, text: string): Promise<boolean> {
    if (!this.online) return false;
    return (await this.deps.hub.sendDirect(this, to, text)).ok;
  }
}
