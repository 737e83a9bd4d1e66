import type { ChatDriver, DialectTesting } from '@chat-gateway/core/testing';
import { DialectLoadError, discoverDialects, findDialectPackages, importDialectExport } from '@chat-gateway/gateway';
/** Where a driver connects: a gateway's listeners by name (a TestGateway, a GatewayProcess). */
export interface Listeners {
  port(listener: string): number;
}

/** The testing module of one dialect; throws when the dialect has none. */
export function dialectTesting(dialect: string): DialectTesting {
  const t = DIALECT_TESTING.find((d) => d.dialect === dialect);
  if (!t) throw new Error(`no testing module for dialect ${dialect}; installed: ${DIALECT_TESTING.map((d) => d.dialect).join(', ')}`);
  return t;
}

/** Connects a driver of the dialect to the gateway's listener of that name. */
export function openDriver(tg: Listeners, dialect: string, listener = dialect): Promise<ChatDriver> {
  return dialectTesting(dialect).open(tg.port(listener));
}

/** Opens a driver and registers a nick, failing loudly when registration is refused. */
export async function onlineAs(tg: Listeners, dialect: string, nick: string): Promise<ChatDriver> {
  const d = await openDriver(tg, dialect);
  const r = await d.register(nick);
  if (!r.ok) throw new Error(`${dialect}: could not register ${nick}: ${r.raw}`);
  return d;
}

async function loadTestings(): Promise<DialectTesting[]> {
  const dialects = await discoverDialects();
  const found: DialectTesting[] = [];
  for (const pkg of await findDialectPackages()) {
    const mod = await importDialectExport(pkg, './testing');
    // A dialect package without ./testing is in no cross-dialect suite; test/boundaries.test.ts requires one.
    if (mod) found.push(checkTesting(mod.testing, pkg.name, dialects));
  }
  return found.sort((a, b) => (a.dialect < b.dialect ? -1 : 1));
}

const CONTRACT_FUNCTIONS = ['dm', 'dmOffline', 'online', 'offline', 'renamed', 'shutdown'] as const;
const INJECTION_FUNCTIONS = ['carriable', 'canonical', 'safe', 'name'] as const;

/** The `testing` export must be a whole DialectTesting for a dialect its package also exports. */
function checkTesting(value: unknown, pkg: string, dialects: ReadonlyMap<string, unknown>): DialectTesting {
  const t = (value ?? {}) as Partial<Record<keyof DialectTesting, unknown>>;
  const contract = (t.contract ?? {}) as Record<string, unknown>;
  const injection = (t.injection ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof t.dialect !== 'string' || !dialects.has(t.dialect)) problems.push(`dialect must name an installed dialect, got ${JSON.stringify(t.dialect)}`);
  if (typeof t.open !== 'function') problems.push('open must be a function');
  for (const f of CONTRACT_FUNCTIONS) if (typeof contract[f] !== 'function') problems.push(`contract.${f} must be a function`);
  for (const f of INJECTION_FUNCTIONS) if (typeof injection[f] !== 'function') problems.push(`injection.${f} must be a function`);
  for (const [where, listing] of [['contract.users', contract.users], ['contract.rooms.list', (contract.rooms as Record<string, unknown> | undefined)?.list]] as const) {
    const l = listing as { frames?: unknown; names?: unknown } | undefined;
    if (l && typeof l.frames !== 'function' && typeof l.names !== 'function') problems.push(`${where} needs frames() or names()`);
  }
  if (problems.length > 0) throw new DialectLoadError(`${pkg}: its ./testing \`testing\` export is not a DialectTesting: ${problems.join('; ')}`);
  return value as DialectTesting;
}

/**
 * Every installed dialect's testing module (the `testing` export of its
 * package's `./testing` entry: driver, contract rows, injection rules), by
 * dialect name. The cross-dialect suites take their dialect list from here,
 * so a dialect is tested everywhere by writing that module in its package.
 * Loaded once per test process, before any test is registered (last in this module:
 * the await runs its loader while later declarations are not yet initialized).
 */
export const DIALECT_TESTING: readonly DialectTesting[] = await loadTestings();
