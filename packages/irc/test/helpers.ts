import type { TestContext } from 'node:test';
import { connect, startTestGateway, type TestGateway, type TestGatewayOptions, type WireClient } from '@chat-gateway/testkit';

/** The source of every numeric with the default options. */
export const SERVER = 'chat-gateway';

/** A gateway with one IRC listener (plus whatever `opts` asks), stopped after the test. */
export async function ircGateway(t: TestContext, opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const gw = await startTestGateway({ listeners: [{ dialect: 'irc' }], ...opts });
  t.after(() => gw.stop());
  return gw;
}

/** A raw client on the IRC listener; destroyed after the test. */
export async function ircClient(t: TestContext, gw: TestGateway, listener = 'irc'): Promise<WireClient> {
  const c = await connect(gw.port(listener));
  t.after(() => c.destroy());
  return c;
}

/** Reads lines up to and including the one that matches; returns them all. */
export async function linesUntil(c: WireClient, last: RegExp, timeoutMs = 3000): Promise<string[]> {
  const out: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = await c.nextLine(Math.max(1, deadline - Date.now()));
    out.push(line);
    if (last.test(line)) return out;
  }
}

/** A client registered as `nick`, its registration burst read to its end (`376` or `422`). */
export async function ircUser(t: TestContext, gw: TestGateway, nick: string, listener = 'irc'): Promise<WireClient> {
  const c = await ircClient(t, gw, listener);
  c.write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
  await linesUntil(c, new RegExp(`^:${SERVER} (376|422) ${nick} `));
  return c;
}

/** JOIN, read to the end of its NAMES (`366`). */
export async function join(c: WireClient, nick: string, channel: string): Promise<string[]> {
  c.write(`JOIN ${channel}\r\n`);
  return linesUntil(c, new RegExp(`^:${SERVER} 366 ${nick} `));
}

let sentinelSeq = 0;

/** Proves nothing else arrived: a PING whose PONG must be the very next line. */
export async function expectQuiet(c: WireClient): Promise<void> {
  const token = `quiet-${++sentinelSeq}`;
  c.write(`PING :${token}\r\n`);
  await c.expectLine(`:${SERVER} PONG ${SERVER} :${token}`);
}

/** The numeric of a reply line. */
export const numericOf = (line: string): string | undefined => /^:\S+ (\d{3}) /.exec(line)?.[1];
