import { connect, DriverBase, type ChatDriver, type Reply, type Seen } from '@chat-gateway/core/testing';
import { dialect as spec } from '@chat-gateway/sup';

const EOT = 0x04;

/** A Sup client (EOT-ended ASCII messages). No greeting. */
export class SupDriver extends DriverBase implements ChatDriver {
  readonly dialect = spec.name;

  static async open(port: number, host?: string): Promise<SupDriver> {
    return new SupDriver(await connect(port, host));
  }

  protected async read(timeoutMs: number): Promise<Seen> {
    return parse((await this.wire.nextDelimited(EOT, timeoutMs)).toString('utf8'));
  }

  register(nick: string): Promise<Reply> {
    return this.claim(nick, `login ${nick}\x04`);
  }

  async dmBytes(to: string, text: Uint8Array): Promise<Reply> {
    this.wire.write(Buffer.concat([Buffer.from(`send ${to} `), text, Buffer.from('\x04')]));
    return this.reply();
  }

  async quit(): Promise<void> {
    this.wire.write(`quit ${this.nick}\x04`);
    await this.reply();
    await this.wire.expectClosed();
  }

  // `contact <self>` once logged in; before login any request is answered with one status.
  protected sendSentinel(): void {
    this.wire.write(this.nick ? `contact ${this.nick}\x04` : 'contact\x04');
  }

  protected isSentinel(s: Seen): boolean {
    return s.raw === (this.nick ? 'status 001 Online' : 'status 100 Malformed Message');
  }
}

/** Parses one Sup message the gateway sent. */
export function parse(raw: string): Seen {
  const m = raw.match(/^recv (\S+) (.*)$/s);
  if (m) return { kind: 'dm', from: m[1]!, text: m[2]!, raw };
  if (raw.startsWith('contacts ')) return { kind: 'reply', ok: true, raw };
  return { kind: 'reply', ok: /^status 00\d /.test(raw), raw };
}
