import { Canary } from './canary.js';
import { SoakGateway } from './gateway.js';
import { amplifyPart } from './parts/amplify.js';
import { bombsPart } from './parts/bombs.js';
import { churnPart } from './parts/churn.js';
import { fanoutPart } from './parts/fanout.js';
import { fuzzPart } from './parts/fuzz.js';
import { sigtermPart } from './parts/sigterm.js';
import { slowPart } from './parts/slow.js';
import { check, type PartContext, type PartResult, type Sizes } from './types.js';

/** The parts in run order (the SIGTERM part last: it brings its own gateway down). */
export const PARTS: Readonly<Record<string, (ctx: PartContext) => Promise<PartResult>>> = {
  fuzz: fuzzPart,
  amplify: amplifyPart,
  fanout: fanoutPart,
  slow: slowPart,
  bombs: bombsPart,
  churn: churnPart,
  sigterm: sigtermPart,
};

export interface SoakOptions {
  root: string;
  sizes: Sizes;
  seed: number;
  parts: string[];
  log(line: string): void;
  /** Called with each part's result as soon as it is done. */
  onPart?(r: PartResult): void;
}

/**
 * Runs the attack suite against one gateway child process (the SIGTERM part
 * starts its own): each part's figures and checks, and a last check that the
 * gateway survived them all.
 */
export async function runSoak(opts: SoakOptions): Promise<PartResult[]> {
  const gw = await SoakGateway.start(opts.root);
  const results: PartResult[] = [];
  let canary: Canary | undefined;
  try {
    canary = await Canary.open(gw.ports, String(opts.seed % 100000));
    const ctx: PartContext = { root: opts.root, gw, canary, sizes: opts.sizes, seed: opts.seed, log: opts.log };
    for (const name of opts.parts) {
      const part = PARTS[name];
      if (!part) throw new Error(`no soak part ${name}; parts: ${Object.keys(PARTS).join(', ')}`);
      if (!gw.alive && name !== 'sigterm') {
        results.push({ part: name, title: name, figures: {}, checks: [check('gateway alive before the part', false, 'the gateway exited in an earlier part')] });
        continue;
      }
      opts.log(`soak: ${name}...`);
      let r: PartResult;
      try {
        r = await part(ctx);
      } catch (err) {
        r = { part: name, title: name, figures: {}, checks: [check('part ran to its end', false, (err as Error).message)] };
      }
      results.push(r);
      opts.onPart?.(r);
    }
  } finally {
    canary?.close();
    const crashed = !gw.alive;
    await gw.stop();
    if (crashed) opts.log(`the gateway exited during the soak; its last output:\n${gw.output().slice(-3000)}`);
  }
  return results;
}

/** A part's figures and checks as text lines. */
export function formatPart(r: PartResult): string {
  const lines = [r.title];
  for (const [k, v] of Object.entries(r.figures)) lines.push(`  ${k}: ${v}`);
  for (const c of r.checks) lines.push(`  ${c.pass ? 'PASS' : 'FAIL'} ${c.name} (${c.detail})`);
  return lines.join('\n');
}
