import { startTestGateway, type TestGateway, type TestGatewayOptions, type WireClient } from '@chat-gateway/testkit';
import type { BusEvent, SessionPort } from '@chat-gateway/core';

export const GREETING = '+OK WS_2017 chat-gateway ready';
export const GOODBYE = '+OK terminating tasks and disconnecting';

interface After {
  after(fn: () => void | Promise<void>): void;
}

export interface WsBench {
  tg: TestGateway;
  /** Opens a client, reads the greeting and, given a name, registers it (`+OK you are <name>`). */
  open(name?: string, listener?: string): Promise<WireClient>;
  /** Opens a client and reads nothing. */
  raw(listener?: string): Promise<WireClient>;
  /** A sentinel: `ping` must be answered by the very next line, proving nothing else arrived before it. */
  quiet(c: WireClient): Promise<void>;
}

/**
 * A gateway with one WS_2017 listener (keepalive off unless the test sets it:
 * a test must not race a cping), closed after the test with all its clients.
 */
export async function wsBench(
  t: After,
  options: Record<string, unknown> = {},
  extra: Omit<TestGatewayOptions, 'listeners'> & { listeners?: TestGatewayOptions['listeners'] } = {},
): Promise<WsBench> {
  const tg = await startTestGateway({ listeners: [{ dialect: 'ws2017', options: { pingIntervalMs: 0, ...options } }], ...extra });
  t.after(() => tg.stop());
  const raw = async (listener = 'ws2017') => {
    const c = await tg.open(listener);
    t.after(() => c.destroy());
    return c;
  };
  const open = async (name?: string, listener = 'ws2017') => {
    const c = await raw(listener);
    await c.expectLine(/^\+OK /);
    if (name !== undefined) {
      c.write(`uname ${name}\r\n`);
      await c.expectLine(`+OK you are ${name}`);
    }
    return c;
  };
  const quiet = async (c: WireClient) => {
    c.write('ping\r\n');
    await c.expectLine('+OK pong');
  };
  return { tg, open, raw, quiet };
}

/**
 * A user of some other dialect, straight on the Hub: what it is sent is
 * recorded. `receipts: false` like PSU, Sup and ChatMaster, so the Hub
 * synthesizes receipts for messages to it.
 */
export async function foreignUser(tg: TestGateway, nick: string): Promise<{ port: SessionPort; got: BusEvent[] }> {
  const got: BusEvent[] = [];
  const port: SessionPort = { id: `foreign-${nick}`, dialect: 'foreign', receipts: false, presence: false, address: '192.0.2.1', deliver: (e) => got.push(e) };
  const r = await tg.hub.register(port, nick);
  if (!r.ok) throw new Error(`could not register ${nick}: ${r.code}`);
  return { port, got };
}

/**
 * wsBench with in-process clients (TestGateway.pair, no socket): for the session's state machine,
 * where a socket adds nothing. session-limits.test.ts keeps real sockets for what crosses the wire.
 */
export function inProcessBench(t: After, options: Record<string, unknown> = {}, extra: Parameters<typeof wsBench>[2] = {}): Promise<WsBench> {
  return wsBench(t, options, { clients: 'in-process', ...extra });
}
