import type { ChatDriver, DialectTesting } from '@chat-gateway/core/testing';
import { loadDialectTestings } from '@chat-gateway/gateway';
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

/**
 * Every installed dialect's testing module (the `testing` export of its
 * package's `./testing` entry: driver, contract rows, injection rules), by
 * dialect name. The cross-dialect suites take their dialect list from here,
 * so a dialect is tested everywhere by writing that module in its package.
 * Loaded once per test process, before any test is registered (last in this module:
 * the await runs its loader while later declarations are not yet initialized).
 */
export const DIALECT_TESTING: readonly DialectTesting[] = await loadDialectTestings();
