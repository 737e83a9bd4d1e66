import type { Hub, Log } from '@chat-gateway/core';

/** The dialect every bot's user has: others see it (`echo!echo@bot.chat-gateway`), and bots never answer it. */
export const BOT_DIALECT = 'bot';

/** A direct message a bot may answer: never from another bot, never a notice, never a receipt (BotSession filters). */
export interface BotMessage {
  readonly from: string;
  /** The sender's dialect. */
  readonly dialect: string;
  readonly text: string;
}

/** What a bot may do: answer, as itself. */
export interface BotContext {
  /** The bot's nick (its name). */
  readonly nick: string;
  readonly log: Log;
  /** Sends `to` a direct message from the bot; false when it could not be delivered (they left, say). */
  say(to: string, text: string): Promise<boolean>;
}

/** What a running bot does with the messages it gets. */
export interface BotBehaviour {
  direct(message: BotMessage): void | Promise<void>;
}

/**
 * A bot (DESIGN.md "Interop bench": built-in users, a session with no
 * transport). One file in `src/bots/` exporting `bot` is one bot; config
 * `bots: [<name>]` starts it.
 */
export interface BotDefinition {
  /** Its nick and its name in `bots:` (lowercase letters, digits, `_`, `-`). */
  readonly name: string;
  /** One line saying what it does, for the docs and `check-config`. */
  readonly description: string;
  create(ctx: BotContext): BotBehaviour;
}

/** What startBots needs of the gateway. */
export interface BotDeps {
  hub: Hub;
  log: Log;
  /** How often a bot whose nick is held elsewhere (another node, a user) tries again (cluster.heartbeatMs). */
  retryMs: number;
}
