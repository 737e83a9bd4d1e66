import type { Argv } from 'yargs';
import { asUsage, parseTarget, testingFor, UsageError } from '../bench-cli.js';
import { runProbe } from './checks.js';
import { jsonReport, textReport } from './report.js';

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
    y
      .positional('dialect', { type: 'string', demandOption: true, describe: 'The dialect the server speaks' })
      .positional('target', { type: 'string', demandOption: true, describe: 'host:port (a bare port means 127.0.0.1)' })
      .option('json', { type: 'boolean', describe: 'One JSON document instead of lines' })
      .option('timeout', { type: 'number', default: 2000, describe: 'ms to wait for each reply' }),
  handler: (args: ProbeArgs): Promise<void> => asUsage(async () => {
    const target = parseTarget(args.target);
    if (!target) throw new UsageError(`expected host:port, got ${JSON.stringify(args.target)}`);
    const testing = await testingFor(args.dialect, 'probe');
    const reports = await runProbe(testing, target, { timeoutMs: args.timeout });
    const shown = `${target.host}:${target.port}`;
    process.stdout.write(args.json ? jsonReport(testing.dialect, shown, reports) : textReport(testing.dialect, shown, reports));
    if (reports.some((r) => r.status === 'fail')) process.exitCode = 1;
  }),
};
