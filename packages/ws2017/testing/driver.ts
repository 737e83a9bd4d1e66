import { connect, DriverBase, type ChatDriver, type Reply, type Seen } from '@chat-gateway/core/testing';
import { dialect as spec } from '@chat-gateway/ws2017';

// WS_2017 lines as DESIGN.md fixes them; see packages/ws2017/README.md.
const CHATM = /^chatm (\S+) (\S+) '(.*)'$/s;

/** A WS_2017 client (CRLF lines). Registration waits past the greeting. */
export class Ws2017Driver extends DriverBase implements ChatDriver {
  readonly dialect = spec.name;

  static async open(port: number, host?: string): Promise<Ws2017Driver> {
    const d = new Ws2017Driver(await connect(port, host));
    await d.wire.expectLine(/^\+OK /);
    return d;
  }

  protected async read(timeoutMs: number): Promise<Seen> {
    for (;;) {
      const raw = await this.wire.nextLine(timeoutMs);
      if (raw === 'cping') {
        // Keepalive is answered here so that long scenarios never see it.
        this.wire.write('+OK cpong\r\n');
        continue;
      }
      return parse(raw);
    }
  }

  /**
   * `uname`, then `cgetu` as real clients do, so the session knows everyone
   * online (a WS_2017 client is told `nuser` before a DM from anyone it never heard of).
   */
  async register(nick: string, opts: { cgetu?: boolean } = {}): Promise<Reply> {
    this.wire.write(`uname ${nick}\r\n`);
    const r = await this.reply();
    if (!r.ok) return r;
    this.nick = nick;
    if (opts.cgetu !== false) {
      this.wire.write('cgetu\r\n');
      const list = await this.reply();
      if (!list.raw.startsWith('+OK cgetu')) throw new Error(`cgetu failed: ${list.raw}`);
    }
    return r;
  }

  async dmBytes(to: string, text: Uint8Array): Promise<Reply> {
    this.wire.write(Buffer.concat([Buffer.from(`chatm ${this.nick} ${to} '`), text, Buffer.from("'\r\n")]));
    return this.reply();
  }

  override rename(nick: string): Promise<Reply> {
    return this.claim(nick, `cname ${nick}\r\n`);
  }

  /** Sends the recipient's receipt for a DM, as real clients do. */
  receipt(from: string): void {
    this.wire.write(`chatr ${from} ${this.nick}\r\n`);
  }

  async quit(): Promise<void> {
    this.wire.write('cquit\r\n');
    // The reply is the goodbye a shutdown sends too.
    await this.waitFor('shutdown');
    await this.wire.expectClosed();
  }

  protected sendSentinel(): void {
    this.wire.write('ping\r\n');
  }

  protected isSentinel(s: Seen): boolean {
    return s.raw === '+OK pong';
  }
}

/** Parses one WS_2017 line the gateway sent. */
export function parse(raw: string): Seen {
  let m: RegExpMatchArray | null;
  if ((m = raw.match(CHATM))) return { kind: 'dm', from: m[1]!, text: m[3]!, raw };
  if ((m = raw.match(/^\+OK nuser (\S+) (\S+)$/))) return { kind: 'renamed', from: m[1]!, to: m[2]!, raw };
  if ((m = raw.match(/^nuser (\S+)$/))) return { kind: 'online', nick: m[1]!, raw };
  if ((m = raw.match(/^cquit (\S+)$/))) return { kind: 'offline', nick: m[1]!, raw };
  if ((m = raw.match(/^chatr (\S+) (\S+)$/))) return { kind: 'receipt', from: m[1]!, to: m[2]!, raw };
  if (raw === '+OK terminating tasks and disconnecting') return { kind: 'shutdown', raw };
  if (raw.startsWith('+OK')) return { kind: 'reply', ok: true, raw };
  return { kind: 'reply', ok: false, raw };
}
