import { connect, type WireClient } from '@chat-gateway/testkit';

/** Where a client connects: a TCP port, or a function that opens a client (an in-process one, say). */
export type Target = number | (() => Promise<WireClient>);

/** A Sup test client over a real socket: writes messages + EOT, reads EOT-ended frames. */
export class SupClient {
  constructor(readonly wire: WireClient) {}

  /** Writes one message, EOT added. */
  send(msg: string): void {
    this.wire.write(`${msg}\x04`);
  }

  /** The next message, as text (latin1 shows every byte as sent; use nextUtf8 for UTF-8). */
  async next(timeoutMs?: number): Promise<string> {
    return (await this.wire.nextDelimited(0x04, timeoutMs)).toString('latin1');
  }

  /** The next message decoded as UTF-8. */
  async nextUtf8(timeoutMs?: number): Promise<string> {
    return (await this.wire.nextDelimited(0x04, timeoutMs)).toString('utf8');
  }

  /** The next message must equal `want`. */
  async expect(want: string, timeoutMs?: number): Promise<void> {
    const got = await this.next(timeoutMs);
    if (got !== want) throw new Error(`expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }

  /** Sends a message and expects exactly this reply next. */
  async ask(msg: string, want: string): Promise<void> {
    this.send(msg);
    await this.expect(want);
  }

  /**
   * Proves nothing else was queued before it: `contact <nobody>` must be
   * answered by the very next message (GUIDE: sentinel).
   */
  async sentinel(loggedIn = true): Promise<void> {
    await this.ask('contact sentinel-nobody', loggedIn ? STATUS.offline : STATUS.malformed);
  }
}

export const STATUS = {
  ok: 'status 000 OK',
  online: 'status 001 Online',
  malformed: 'status 100 Malformed Message',
  taken: 'status 101 Username Taken',
  invalid: 'status 102 Username Invalid',
  offline: 'status 103 Offline',
  notOnline: 'status 104 Messaged User Not Online',
  internal: 'status 200 Internal Error',
} as const;

/** Connects a Sup client; `t.after` closes it. */
export async function supClient(t: { after(fn: () => unknown): void }, at: Target): Promise<SupClient> {
  const wire = typeof at === 'number' ? await connect(at) : await at();
  t.after(() => wire.destroy());
  return new SupClient(wire);
}

/** Connects and logs in. */
export async function loggedIn(t: { after(fn: () => unknown): void }, at: Target, nick: string): Promise<SupClient> {
  const c = await supClient(t, at);
  await c.ask(`login ${nick}`, STATUS.ok);
  return c;
}
