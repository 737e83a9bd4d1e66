import { existsSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dialect } from '@chat-gateway/core';

/**
 * Dialects are packages, found where they are installed (DESIGN.md "Shape":
 * adding a dialect means adding one package). A dialect package is named
 * `@chat-gateway/<anything>` or `chat-gateway-dialect-<anything>`, says
 * `"chat-gateway": { "dialect": "<its dialect name>" }` in its package.json,
 * and exports `dialect` (built with core's defineDialect) from its main entry.
 * Named in the manifest, a dialect is imported only when a listener uses it
 * (issue #16: a gateway does not hold code it does not serve); `"dialect": true`
 * works too, but then the package is imported at once to learn its name.
 */
export const DIALECT_MARKER = 'chat-gateway';
const SCOPE = '@chat-gateway';
const PREFIX = 'chat-gateway-dialect-';
// A dialect's name is its listeners' default name: it must pass the listener name pattern of the config schema.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** An installed package marked as a dialect, before anything of it is imported. */
export interface DialectPackage {
  /** The npm name, e.g. `@chat-gateway/psu`. */
  readonly name: string;
  /** Its folder, symlinks resolved (workspaces are links in node_modules). */
  readonly dir: string;
  /** Its package.json, parsed. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The dialect name its manifest gives (`"dialect": "<name>"`); undefined for `"dialect": true`. */
  readonly declared?: string;
}

/** A dialect package that cannot be used: what is wrong, naming the package. */
export class DialectLoadError extends Error {
  override readonly name = 'DialectLoadError';
}

export interface DiscoverOptions {
  /** node_modules folders to search, nearest first; default: the gateway's own resolution path. */
  paths?: readonly string[];
}

/**
 * The node_modules folders Node searches for a package imported from the
 * gateway, nearest first, up to the one the gateway itself is installed in
 * (the project's own): a folder further up belongs to something else, and a
 * stray dialect there (another checkout above this one) must not be served.
 */
export function gatewaySearchPaths(): string[] {
  // resolve.paths also lists CJS-only global folders (~/.node_modules...); import() never looks there.
  const all = (createRequire(import.meta.url).resolve.paths(SCOPE) ?? []).filter((p) => basename(p) === 'node_modules');
  const own = all.findIndex((p) => existsSync(join(p, SCOPE, 'gateway', 'package.json')));
  return own < 0 ? all : all.slice(0, own + 1);
}

let installedPackages: Promise<readonly DialectPackage[]> | undefined;
// Each package imported once, however many callers ask (the default search path only).
const imported = new Map<string, Promise<Dialect>>();

/**
 * Every dialect package on the search path, sorted by name. A package found in
 * a nearer node_modules hides one of the same name further up, as in Node's own resolution.
 */
export function findDialectPackages(opts: DiscoverOptions = {}): Promise<readonly DialectPackage[]> {
  if (opts.paths) return scan(opts.paths);
  installedPackages ??= scan(gatewaySearchPaths());
  return installedPackages;
}

/** Imports and checks every dialect package found, by dialect name (sorted); each imported once for the default search path. */
export function discoverDialects(opts: DiscoverOptions = {}): Promise<ReadonlyMap<string, Dialect>> {
  return loadDialects(undefined, opts);
}

/**
 * The installed dialects named in `names` (all when undefined), imported and
 * checked, by dialect name (sorted); a name nothing installed has is left
 * out (the config loader says so). A package marked `"dialect": true` is
 * imported whatever the names, to learn its own.
 */
export async function loadDialects(names?: Iterable<string>, opts: DiscoverOptions = {}): Promise<ReadonlyMap<string, Dialect>> {
  const wanted = names === undefined ? undefined : new Set(names);
  const packages = await claimed(opts);
  const byName = new Map<string, { dialect: Dialect; pkg: string }>();
  for (const pkg of packages) {
    if (wanted && pkg.declared !== undefined && !wanted.has(pkg.declared)) continue;
    const dialect = await importDialect(pkg, opts);
    if (wanted && !wanted.has(dialect.name)) continue;
    const other = byName.get(dialect.name);
    if (other) throw takenTwice(dialect.name, other.pkg, pkg.name);
    byName.set(dialect.name, { dialect, pkg: pkg.name });
  }
  return new Map([...byName.keys()].sort().map((n) => [n, byName.get(n)!.dialect]));
}

/** Every installed dialect's name, sorted: from the manifests, importing only packages that do not name theirs. */
export async function installedDialectNames(opts: DiscoverOptions = {}): Promise<string[]> {
  const names = new Set<string>();
  for (const pkg of await claimed(opts)) names.add(pkg.declared ?? (await importDialect(pkg, opts)).name);
  return [...names].sort();
}

/** The dialect packages found; two that declare one name are an error before either is imported. */
async function claimed(opts: DiscoverOptions): Promise<readonly DialectPackage[]> {
  const packages = await findDialectPackages(opts);
  const seen = new Map<string, string>();
  for (const pkg of packages) {
    if (pkg.declared === undefined) continue;
    if (!NAME.test(pkg.declared)) throw new DialectLoadError(`${pkg.name}: "${DIALECT_MARKER}": { "dialect": ... } in its package.json must be true or the dialect's name (1-64 characters of A-Z a-z 0-9 _ -), got ${JSON.stringify(pkg.declared)}`);
    const other = seen.get(pkg.declared);
    if (other) throw takenTwice(pkg.declared, other, pkg.name);
    seen.set(pkg.declared, pkg.name);
  }
  return packages;
}

function takenTwice(name: string, first: string, second: string): DialectLoadError {
  return new DialectLoadError(`dialect name ${JSON.stringify(name)} is taken twice: by ${first} and by ${second}; rename one`);
}

function importDialect(pkg: DialectPackage, opts: DiscoverOptions): Promise<Dialect> {
  if (opts.paths) return importChecked(pkg);
  let p = imported.get(pkg.dir);
  if (!p) imported.set(pkg.dir, (p = importChecked(pkg)));
  return p;
}

async function importChecked(pkg: DialectPackage): Promise<Dialect> {
  const mod = await importDialectExport(pkg);
  if (!mod) throw new DialectLoadError(`${pkg.name}: is marked as a dialect but exports no main entry ("exports": { ".": ... } in its package.json)`);
  const dialect = checkDialect(mod.dialect, pkg.name);
  if (pkg.declared !== undefined && dialect.name !== pkg.declared) {
    throw new DialectLoadError(`${pkg.name}: its package.json names the dialect ${JSON.stringify(pkg.declared)} but it exports ${JSON.stringify(dialect.name)}; make them one`);
  }
  return dialect;
}

/** Imports one export of a dialect package (`.` or a subpath such as `./testing`); undefined when it has none. */
export async function importDialectExport(pkg: DialectPackage, subpath = '.'): Promise<Record<string, unknown> | undefined> {
  const target = exportTarget(pkg.manifest, subpath);
  if (target === undefined) return undefined;
  try {
    return (await import(pathToFileURL(join(pkg.dir, target)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new DialectLoadError(`${pkg.name}: cannot import ${subpath === '.' ? 'its main entry' : subpath} (${target}): ${(err as Error).message}`);
  }
}

async function scan(paths: readonly string[]): Promise<readonly DialectPackage[]> {
  const found = new Map<string, DialectPackage>();
  for (const nodeModules of paths) {
    for (const name of await candidates(nodeModules)) {
      if (found.has(name)) continue;
      const pkg = await readPackage(join(nodeModules, name));
      if (!pkg || pkg.name !== name) continue;
      // `"dialect": true`, or the dialect's name (checked when the packages are claimed).
      const m = mark(pkg.manifest);
      if (m === true) found.set(name, pkg);
      else if (typeof m === 'string') found.set(name, { ...pkg, declared: m });
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Package names in one node_modules folder that may be dialects. */
async function candidates(nodeModules: string): Promise<string[]> {
  const scoped = (await list(join(nodeModules, SCOPE))).map((n) => `${SCOPE}/${n}`);
  const prefixed = (await list(nodeModules)).filter((n) => n.startsWith(PREFIX));
  return [...scoped, ...prefixed];
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch {
    return []; // most folders on the path do not exist
  }
}

async function readPackage(dir: string): Promise<DialectPackage | undefined> {
  try {
    const real = await realpath(dir);
    const manifest = JSON.parse(await readFile(join(real, 'package.json'), 'utf8')) as Record<string, unknown>;
    return { name: String(manifest.name), dir: real, manifest };
  } catch {
    return undefined; // a broken link or a folder without a package.json is no package
  }
}

function mark(manifest: Readonly<Record<string, unknown>>): unknown {
  const m = manifest[DIALECT_MARKER];
  return typeof m === 'object' && m !== null ? (m as Record<string, unknown>).dialect : undefined;
}

const FUNCTIONS = ['createFramer', 'createSession', 'describe'] as const;

/** The `dialect` export must be a whole Dialect: the gateway calls all of it. */
export function checkDialect(value: unknown, pkg: string): Dialect {
  if (typeof value !== 'object' || value === null) {
    throw new DialectLoadError(`${pkg}: its main entry must export \`dialect\`, a Dialect built with defineDialect from @chat-gateway/core`);
  }
  const d = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d.name !== 'string' || !NAME.test(d.name)) problems.push(`name must be 1-64 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(d.name)}`);
  if (!Number.isInteger(d.defaultPort) || (d.defaultPort as number) < 1 || (d.defaultPort as number) > 65535) problems.push('defaultPort must be an integer between 1 and 65535');
  for (const key of ['optionsSchema', 'defaultOptions'] as const) if (typeof d[key] !== 'object' || d[key] === null) problems.push(`${key} must be an object`);
  for (const key of FUNCTIONS) if (typeof d[key] !== 'function') problems.push(`${key} must be a function`);
  if (problems.length > 0) throw new DialectLoadError(`${pkg}: its \`dialect\` export is not a Dialect: ${problems.join('; ')}`);
  return value as Dialect;
}

/** The file a package.json `exports` (or `main`) maps a subpath to, under the conditions this process resolves with. */
function exportTarget(manifest: Readonly<Record<string, unknown>>, subpath: string): string | undefined {
  const exp = manifest.exports;
  if (exp === undefined) return subpath === '.' ? (typeof manifest.main === 'string' ? manifest.main : 'index.js') : undefined;
  const sugar = typeof exp === 'string' || (typeof exp === 'object' && exp !== null && !Object.keys(exp).some((k) => k.startsWith('.')));
  return condition(sugar ? (subpath === '.' ? exp : undefined) : (exp as Record<string, unknown>)[subpath]);
}

/**
 * The conditions Node's own `import` matches here: its defaults plus every `--conditions`/`-C` given
 * to this process. Tests run with `--conditions=source` and so load a dialect's TypeScript (tsx), as
 * their own imports do; production matches `default`, the compiled JavaScript in dist/.
 */
export function activeConditions(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): ReadonlySet<string> {
  const set = new Set(['import', 'node', 'default']);
  const args = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = /^(?:--conditions|-C)=(.+)$/.exec(a);
    if (eq) set.add(eq[1]!);
    else if ((a === '--conditions' || a === '-C') && args[i + 1] !== undefined) set.add(args[++i]!);
  }
  return set;
}

let conditions: ReadonlySet<string> | undefined;

/** Node's rule: the first key of a conditions object, in the object's own order, that is active wins. */
function condition(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return undefined;
  conditions ??= activeConditions();
  for (const [key, target] of Object.entries(v as Record<string, unknown>)) {
    if (!conditions.has(key)) continue;
    const t = condition(target);
    if (t !== undefined) return t;
  }
  return undefined;
}
