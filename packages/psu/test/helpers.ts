import type { TestContext } from 'node:test';
import type { BusEvent, SessionPort } from '@chat-gateway/core';
import { startTestGateway, type TestGateway, type TestGatewayOptions, type WireClient } from '@chat-gateway/testkit';
import { DEFAULT_GREETING } from '@chat-gateway/psu';

/** A gateway with one PSU listener (plus whatever `opts` asks), stopped after the test. */
export async function psuGateway(t: TestContext, opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const gw = await startTestGateway({ listeners: [{ dialect: 'psu' }], ...opts });
  t.after(() => gw.stop());
  return gw;
}

/**
 * psuGateway whose clients (psuClient, psuUser) connect in process (TestGateway.pair, no socket): for
 * the session's commands and replies, where a socket adds nothing. bad-input.test.ts keeps TCP.
 */
export function inProcessGateway(t: TestContext, opts: TestGatewayOptions = {}): Promise<TestGateway> {
  return psuGateway(t, { clients: 'in-process', ...opts });
}

/** A raw client on the PSU listener, greeting read; destroyed after the test. */
export async function psuClient(t: TestContext, gw: TestGateway, listener = 'psu', greeting: string | null = DEFAULT_GREETING): Promise<WireClient> {
  const c = await gw.open(listener);
  t.after(() => c.destroy());
  if (greeting !== null) await c.expectLine(greeting);
  return c;
}

/** A client registered as `nick` (the welcome line read). */
export async function psuUser(t: TestContext, gw: TestGateway, nick: string, listener = 'psu'): Promise<WireClient> {
  const c = await psuClient(t, gw, listener);
  c.write(`:NICK ${nick}\r\n`);
  await c.expectLine(new RegExp(`^${nick}: welcome!`));
  return c;
}

/** Joins a room and reads the JOIN reply. */
export async function join(c: WireClient, room: string): Promise<string> {
  c.write(`:JOIN #${room}\r\n`);
  return c.expectLine(new RegExp(`^#${room}: (room created|you have joined|you are already)`));
}

let sentinelSeq = 0;

/**
 * Proves nothing else arrived: sends a NAMES for a room that does not exist
 * and requires its reply to be the very next line.
 */
export async function expectQuiet(c: WireClient): Promise<void> {
  const room = `zz-sentinel-${++sentinelSeq}`;
  c.write(`:NAMES #${room}\r\n`);
  await c.expectLine(`#${room}: no such room`);
}

/** A user on the Hub with no socket (a stand-in for another dialect's session): records what it is delivered. */
export async function hubUser(gw: TestGateway, nick: string): Promise<{ port: SessionPort; events: BusEvent[] }> {
  const events: BusEvent[] = [];
  const port: SessionPort = { id: `hubuser-${nick}`, dialect: 'test', receipts: true, presence: false, address: '192.0.2.1', deliver: (e) => events.push(e) };
  const r = await gw.hub.register(port, nick);
  if (!r.ok) throw new Error(`register ${nick}: ${r.code}`);
  return { port, events };
}

/** Writes bytes in pieces of `size` bytes, one socket write each. */
export async function writeChunked(c: WireClient, data: Buffer, size: number): Promise<void> {
  for (let i = 0; i < data.length; i += size) {
    await new Promise<void>((resolve, reject) => c.socket.write(data.subarray(i, i + size), (err) => (err ? reject(err) : resolve())));
  }
}
