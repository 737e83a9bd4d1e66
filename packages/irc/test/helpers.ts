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

/** Several registered IRC users, one after the other, in the order named. */
export async function ircUsers<N extends string[]>(t: TestContext, gw: TestGateway, ...nicks: N): Promise<{ [K in keyof N]: WireClient }> {
  const users: WireClient[] = [];
  for (const nick of nicks) users.push(await ircUser(t, gw, nick));
  return users as { [K in keyof N]: WireClient };
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

/** The next lines, each equal to (or matching) its entry, in order. */
export async function expectLines(c: WireClient, expected: readonly (string | RegExp)[]): Promise<void> {
  for (const e of expected) await c.expectLine(e);
}

/** How IRC shows an IRC user: `nick!nick@irc.chat-gateway`. */
export const host = (nick: string): string => `${nick}!${nick}@irc.chat-gateway`;

/** Users registered and joined to `channel` in turn, each earlier one having read the later ones' JOIN. */
export async function members<N extends string[]>(t: TestContext, gw: TestGateway, channel: string, ...nicks: N): Promise<{ [K in keyof N]: WireClient }> {
  const joined: WireClient[] = [];
  for (const nick of nicks) {
    const c = await ircUser(t, gw, nick);
    await join(c, nick, channel);
    for (const m of joined) await m.expectLine(`:${host(nick)} JOIN ${channel}`);
    joined.push(c);
  }
  return joined as { [K in keyof N]: WireClient };
}
