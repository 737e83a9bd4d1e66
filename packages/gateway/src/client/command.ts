import type { Argv } from 'yargs';
import { asUsage, dialectAndTarget, targetArg, testingFor } from '../bench-cli.js';

interface ClientArgs {
  dialect: string;
  target: string;
  raw?: boolean;
  nick?: string;
}

/** `chat-gateway client <dialect> <host:port>`: an interactive terminal client for any dialect (DESIGN.md "Interop bench"). */
export const clientCommand = {
  command: 'client <dialect> <target>',
  describe: 'Chat on a server in any dialect from this terminal (/help inside for the commands)',
  builder: (y: Argv) =>
    dialectAndTarget(y, 'The dialect to speak')
      .option('raw', { type: 'boolean', describe: 'Show every read and write as bytes, controls escaped' })
      .option('nick', { type: 'string', requiresArg: true, describe: 'Register this nick at once' }),
  handler: (args: ClientArgs): Promise<void> =>
    asUsage(async () => {
      const target = targetArg(args.target);
      const testing = await testingFor(args.dialect, 'attach');
      // Imported here: the client's modules (readline, core's testing drivers) are no part of `serve`'s memory.
      const { runClient } = await import('./client.js');
      const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
      await runClient(testing, target, { raw: args.raw, nick: args.nick }, { input: process.stdin, output: process.stdout, terminal });
      // stdin stays open after the connection closed: nothing else keeps the process.
      process.exit(process.exitCode ?? 0);
    }),
};
