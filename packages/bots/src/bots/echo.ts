import type { BotDefinition } from '../bot.js';

/** `echo` (DESIGN.md "Interop bench"): a student alone can test a client's DMs, from every dialect. */
export const bot: BotDefinition = {
  name: 'echo',
  description: 'answers every direct message with the same text',
  create: (ctx) => ({
    direct: async (m) => {
      await ctx.say(m.from, m.text);
    },
  }),
};
