import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BotDefinition, BotDeps } from './bot.js';
import { BotSession } from './session.js';

/** Where the built-in bots are: one file each, exporting `bot`. */
export const BUILTIN_BOTS_DIR = fileURLToPath(new URL('./bots/', import.meta.url));

const NAME = /^[a-z][a-z0-9_-]{0,23}$/;
// Sources under tsx, compiled files in a build; never declarations or tests.
const MODULE = /^[^.].*(?<!\.d)\.(ts|js)$/;

/** A bot file that cannot be used: what is wrong, naming the file. */
export class BotLoadError extends Error {
  override readonly name = 'BotLoadError';
}

let builtin: Promise<ReadonlyMap<string, BotDefinition>> | undefined;

/**
 * Every bot in `dirs` (default: the built-in ones), by name, sorted: each
 * file's `bot` export (DESIGN.md "Interop bench": a second bot is one more
 * file). Cached for the default folder.
 */
export function loadBots(opts: { dirs?: readonly string[] } = {}): Promise<ReadonlyMap<string, BotDefinition>> {
  if (opts.dirs) return load(opts.dirs);
  builtin ??= load([BUILTIN_BOTS_DIR]);
  return builtin;
}

async function load(dirs: readonly string[]): Promise<ReadonlyMap<string, BotDefinition>> {
  const byName = new Map<string, { def: BotDefinition; file: string }>();
  for (const dir of dirs) {
    for (const name of (await readdir(dir)).filter((f) => MODULE.test(f) && !f.includes('.test.')).sort()) {
      const file = join(dir, name);
      const def = checkBot((await import(pathToFileURL(file).href) as Record<string, unknown>).bot, file);
      const other = byName.get(def.name);
      if (other) throw new BotLoadError(`bot name ${JSON.stringify(def.name)} is taken twice: by ${other.file} and by ${file}`);
      byName.set(def.name, { def, file });
    }
  }
  return new Map([...byName.keys()].sort().map((n) => [n, byName.get(n)!.def]));
}

/** A bot file's `bot` export must be a whole BotDefinition. */
function checkBot(value: unknown, file: string): BotDefinition {
  const d = (value ?? {}) as Partial<Record<keyof BotDefinition, unknown>>;
  const problems: string[] = [];
  if (typeof d.name !== 'string' || !NAME.test(d.name)) problems.push(`name must be 1-24 of a-z 0-9 _ - starting with a letter, got ${JSON.stringify(d.name)}`);
  if (typeof d.description !== 'string') problems.push('description must be a string');
  if (typeof d.create !== 'function') problems.push('create must be a function');
  if (problems.length > 0) throw new BotLoadError(`${file}: its \`bot\` export is not a BotDefinition: ${problems.join('; ')}`);
  return value as BotDefinition;
}

/** The bots a gateway runs: started (each on its own schedule), stopped together. */
export interface RunningBots {
  readonly sessions: readonly BotSession[];
  /** Releases every bot's nick. */
  stop(): Promise<void>;
}

/**
 * Starts the named bots on this node. Each tries for its nick now and, while
 * another holds it (the same bot on another node, or a user), again every
 * retryMs: with several nodes exactly one runs each bot, and another takes
 * over once that node stops or is reaped.
 */
export async function startBots(names: readonly string[], bots: ReadonlyMap<string, BotDefinition>, deps: BotDeps): Promise<RunningBots> {
  const sessions = names.map((name) => {
    const def = bots.get(name);
    if (!def) throw new BotLoadError(`no bot named ${JSON.stringify(name)}; installed: ${[...bots.keys()].join(', ') || '(none)'}`);
    return new BotSession(def, { ...deps, log: deps.log.child({ bot: name }) });
  });
  await Promise.all(sessions.map((s) => s.start()));
  return { sessions, stop: async () => void (await Promise.all(sessions.map((s) => s.stop()))) };
}
