import { runProgram, type Ran } from '@chat-gateway/core/testing';
import { fileURLToPath } from 'node:url';

export type { Ran } from '@chat-gateway/core/testing';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The compiled CLI, bundled, as `npm start` and the image run it: `npm test` builds first (pretest), and a
 * spawn without tsx costs half the start-up, which the suite pays for every process it starts.
 * Run `npm run build` before one test file alone that spawns it.
 */
export const CLI = fileURLToPath(new URL('../dist/bundle/cli.js', import.meta.url));

/** The environment for a spawned CLI: the caller's, minus any CHAT_GATEWAY_* that would change the result. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CHAT_GATEWAY_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `node ...args` in the repo root to completion; rejects when it takes longer than timeoutMs (and kills it). */
export function runNode(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<Ran> {
  return runProgram(process.execPath, args, { cwd: REPO, env: cleanEnv(env), timeoutMs });
}

/** Runs `node [...nodeArgs] dist/bundle/cli.js ...args` to completion, as runNode. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000, nodeArgs: string[] = []): Promise<Ran> {
  return runNode([...nodeArgs, CLI, ...args], env, timeoutMs);
}
