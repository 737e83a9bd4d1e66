import type { TestGateway } from '../gateway.js';
import { ChatMasterDriver } from './chatmaster.js';
import { PsuDriver } from './psu.js';
import { SupDriver } from './sup.js';
import { Ws2017Driver } from './ws2017.js';
import type { ChatDriver } from '@chat-gateway/core/testing';

export type { ChatDriver, Reply, Seen, SeenKind } from '@chat-gateway/core/testing';
export { Ws2017Driver, SupDriver, PsuDriver, ChatMasterDriver };

const OPENERS: Record<string, (port: number) => Promise<ChatDriver>> = {
  ws2017: (p) => Ws2017Driver.open(p),
  psu: (p) => PsuDriver.open(p),
  sup: (p) => SupDriver.open(p),
  chatmaster: (p) => ChatMasterDriver.open(p),
};

/** Registers a driver factory for another dialect. */
export function addOpener(dialect: string, open: (port: number) => Promise<ChatDriver>): void {
  OPENERS[dialect] = open;
}

/** Connects a driver of the dialect to the test gateway's listener of that name. */
export async function openDriver(tg: TestGateway, dialect: string, listener = dialect): Promise<ChatDriver> {
  const open = OPENERS[dialect];
  if (!open) throw new Error(`no test driver for dialect ${dialect}`);
  return open(tg.port(listener));
}

/** Opens a driver and registers a nick, failing loudly when registration is refused. */
export async function onlineAs(tg: TestGateway, dialect: string, nick: string): Promise<ChatDriver> {
  const d = await openDriver(tg, dialect);
  const r = await d.register(nick);
  if (!r.ok) throw new Error(`${dialect}: could not register ${nick}: ${r.raw}`);
  return d;
}
