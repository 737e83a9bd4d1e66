import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { REPO_ROOT } from '../servers/local.js';
import { formatPart, PARTS, runSoak } from './soak.js';
import { SIZES } from './types.js';

const args = yargs(hideBin(process.argv))
  .scriptName('npm run soak --')
  .usage('$0 [options]\n\nThe attack suite of issue #12 against the gateway as a child process, on loopback: each part prints its figures and PASS/FAIL.')
  .option('quick', { type: 'boolean', default: false, describe: 'Smaller sizes: about a minute' })
  .option('sizes', { type: 'string', choices: ['full', 'quick', 'tiny', 'test'], describe: 'Sizes by name (test: the short run of npm test)' })
  .option('only', { type: 'string', describe: `Comma-separated parts: ${Object.keys(PARTS).join(',')}` })
  .option('seed', { type: 'number', describe: 'Seed of the fuzzer and of every nick (default: random, printed)' })
  .option('gateway-root', { type: 'string', describe: 'Attack the gateway of another checkout (e.g. an older commit, for "before" figures)' })
  .option('json', { type: 'string', describe: 'Also write the results as JSON to this file' })
  .example('$0 --quick', 'every part, small')
  .example('$0 --only amplify,slow', 'two parts at full size')
  .strict()
  .wrap(100)
  .help()
  .parseSync();

process.on('SIGINT', () => process.exit(130));
const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
const root = args['gateway-root'] ? resolve(args['gateway-root']) : REPO_ROOT;
const sizes = SIZES[(args.sizes as keyof typeof SIZES | undefined) ?? (args.quick ? 'quick' : 'full')];
const parts = args.only ? args.only.split(',').map((s) => s.trim()) : Object.keys(PARTS);
const t0 = performance.now();
const out = (s: string): void => void process.stdout.write(`${s}\n`);
out(`soak: ${sizes.name} sizes, seed ${seed}, gateway of ${root}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const results = await runSoak({ root, sizes, seed, parts, log: (s) => process.stderr.write(`${s}\n`), onPart: (r) => out(`\n${formatPart(r)}`) });
const failed = results.flatMap((r) => r.checks.filter((c) => !c.pass).map((c) => `${r.part}: ${c.name}`));
out(`\nsoak done in ${Math.round((performance.now() - t0) / 1000)} s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}: ${failed.length === 0 ? 'PASS' : `FAIL (${failed.join('; ')})`}`);
if (args.json) {
  mkdirSync(dirname(resolve(args.json)), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify({ seed, sizes: sizes.name, root, results }, null, 2)}\n`);
}
process.exit(failed.length === 0 ? 0 : 1);
