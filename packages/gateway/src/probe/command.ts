import type { Argv } from 'yargs';
import { asUsage, dialectAndTarget, targetArg, testingFor } from '../bench-cli.js';

interface ProbeArgs {
  dialect: string;
  target: string;
  json?: boolean;
  timeout: number;
}

/** `chat-gateway probe <dialect> <host:port>`: checks a server (DESIGN.md "Interop bench"); exit 1 on any failure. */
export const probeCommand = {
  command: 'probe <dialect> <target>',
  describe: 'Check a server (yours, or this gateway) against a dialect\'s spec: one line per check, exit 1 on a failure',
  builder: (y: Argv) =>
    dialectAndTarget(y, 'The dialect the server speaks')
      .option('json', { type: 'boolean', describe: 'One JSON document instead of lines' })
      .option('timeout', { type: 'number', default: 2000, describe: 'ms to wait for each reply' }),
  handler: (args: ProbeArgs): Promise<void> => asUsage(async () => {
    const target = targetArg(args.target);
    const testing = await testingFor(args.dialect, 'probe');
    // Imported here: the probe's modules (core's testing drivers) are no part of `serve`'s memory.
    const [{ runProbe }, { jsonReport, textReport }] = await Promise.all([import('./checks.js'), import('./report.js')]);
    const reports = await runProbe(testing, target, { timeoutMs: args.timeout });
    const shown = `${target.host}:${target.port}`;
    process.stdout.write(args.json ? jsonReport(testing.dialect, shown, reports) : textReport(testing.dialect, shown, reports));
    if (reports.some((r) => r.status === 'fail')) process.exitCode = 1;
  }),
};
