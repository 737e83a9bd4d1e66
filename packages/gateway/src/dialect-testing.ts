import type { DialectTesting } from '@chat-gateway/core/testing';
import { DialectLoadError, discoverDialects, findDialectPackages, importDialectExport } from './registry.js';

const CONTRACT_FUNCTIONS = ['dm', 'dmOffline', 'online', 'offline', 'renamed', 'shutdown'] as const;
const INJECTION_FUNCTIONS = ['carriable', 'canonical', 'safe', 'name'] as const;

let installed: Promise<readonly DialectTesting[]> | undefined;

/**
 * Every installed dialect's testing module (the `testing` export of its
 * package's `./testing` entry: driver, contract rows, injection rules, probe
 * data), sorted by dialect. The cross-dialect suites, `chat-gateway probe` and
 * `chat-gateway client` take their dialects from here, never by name.
 */
export function loadDialectTestings(): Promise<readonly DialectTesting[]> {
  installed ??= load();
  return installed;
}

async function load(): Promise<readonly DialectTesting[]> {
  const dialects = await discoverDialects();
  const found: DialectTesting[] = [];
  for (const pkg of await findDialectPackages()) {
    const mod = await importDialectExport(pkg, './testing');
    // A dialect package without ./testing is in no cross-dialect suite; test/boundaries.test.ts requires one.
    if (mod) found.push(checkTesting(mod.testing, pkg.name, dialects));
  }
  return found.sort((a, b) => (a.dialect < b.dialect ? -1 : 1));
}

/** The `testing` export must be a whole DialectTesting for a dialect its package also exports. */
function checkTesting(value: unknown, pkg: string, dialects: ReadonlyMap<string, unknown>): DialectTesting {
  const t = (value ?? {}) as Partial<Record<keyof DialectTesting, unknown>>;
  const contract = (t.contract ?? {}) as Record<string, unknown>;
  const injection = (t.injection ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof t.dialect !== 'string' || !dialects.has(t.dialect)) problems.push(`dialect must name an installed dialect, got ${JSON.stringify(t.dialect)}`);
  if (typeof t.open !== 'function') problems.push('open must be a function');
  if (t.attach !== undefined && typeof t.attach !== 'function') problems.push('attach must be a function');
  for (const f of CONTRACT_FUNCTIONS) if (typeof contract[f] !== 'function') problems.push(`contract.${f} must be a function`);
  for (const f of INJECTION_FUNCTIONS) if (typeof injection[f] !== 'function') problems.push(`injection.${f} must be a function`);
  for (const [where, listing] of [['contract.users', contract.users], ['contract.rooms.list', (contract.rooms as Record<string, unknown> | undefined)?.list]] as const) {
    const l = listing as { frames?: unknown; names?: unknown } | undefined;
    if (l && typeof l.frames !== 'function' && typeof l.names !== 'function') problems.push(`${where} needs frames() or names()`);
  }
  if (problems.length > 0) throw new DialectLoadError(`${pkg}: its ./testing \`testing\` export is not a DialectTesting: ${problems.join('; ')}`);
  return value as DialectTesting;
}
