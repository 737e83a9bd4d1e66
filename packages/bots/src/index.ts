export { BOT_DIALECT, type BotBehaviour, type BotContext, type BotDefinition, type BotDeps, type BotMessage } from './bot.js';
export { SenderBudget, type Allowance } from './budget.js';
export { BotSession } from './session.js';
export { BUILTIN_BOTS_DIR, BotLoadError, loadBots, startBots, type RunningBots } from './registry.js';
