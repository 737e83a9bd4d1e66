import { connect, DriverBase, type ChatDriver, type Reply, type Seen } from '@chat-gateway/core/testing';
import { dialect as spec } from '@chat-gateway/irc';

let sentinels = 0;

/**
 * An IRC client (CRLF lines) as a plain client registers: `USER` then
 * `NICK`, the registration burst read to its end (`376` or `422`). Server
 * PINGs are answered here, so that scenarios never see them. A command's
 * own echo (`:me!… JOIN/PART/NICK/MODE`) is its success reply.
 */
export class IrcDriver extends DriverBase implements ChatDriver {
  readonly dialect = spec.name;
  private sentUser = false;
  private readonly token = `sentinel-${++sentinels}`;
  /** The channels joined, latest last (setVisibility acts on the latest, as a client's current window). */
  private readonly joined: string[] = [];

  static async open(port: number, host?: string): Promise<IrcDriver> {
    return new IrcDriver(await connect(port, host));
  }

  protected async read(timeoutMs: number): Promise<Seen> {
    for (;;) {
      const raw = await this.wire.nextLine(timeoutMs);
      if (raw.startsWith('PING ')) {
        this.wire.write(`PONG ${raw.slice(5)}\r\n`);
        continue;
      }
      return parse(raw, this.nick);
    }
  }

  /** USER (once) and NICK; the nick as a trailing parameter, so that a name with a space stays one name. */
  async register(nick: string): Promise<Reply> {
    if (!this.sentUser) this.wire.write('USER tester 0 * :chat-gateway test driver\r\n');
    this.sentUser = true;
    this.wire.write(`NICK :${nick}\r\n`);
    const r = await this.reply();
    if (!r.ok || numeric(r.raw) !== '001') return { ok: false, raw: r.raw };
    this.nick = nick;
    await this.until((s) => ['376', '422'].includes(numeric(s.raw) ?? ''));
    return r;
  }

  /** PRIVMSG says nothing on success: a sentinel after it tells success from an error numeric. */
  async dmBytes(to: string, text: Uint8Array): Promise<Reply> {
    this.wire.write(Buffer.concat([Buffer.from(`PRIVMSG ${to} :`), text, Buffer.from('\r\n')]));
    return this.quietReply();
  }

  override async roomSay(room: string, text: string): Promise<Reply> {
    this.wire.write(`PRIVMSG #${room} :${text}\r\n`);
    return this.quietReply();
  }

  /** JOIN: the echo, then `331`, `353`s and `366`, read to the end. */
  override async join(room: string): Promise<Reply> {
    this.wire.write(`JOIN #${room}\r\n`);
    const r = await this.reply();
    if (!r.ok) return r;
    await this.until((s) => numeric(s.raw) === '366');
    this.joined.push(room);
    return r;
  }

  override async part(room: string): Promise<Reply> {
    this.wire.write(`PART #${room}\r\n`);
    const r = await this.reply();
    if (r.ok) this.joined.splice(this.joined.findIndex((j) => j.toLowerCase() === room.toLowerCase()) >>> 0, 1);
    return r;
  }

  override async rename(nick: string): Promise<Reply> {
    this.wire.write(`NICK :${nick}\r\n`);
    const r = await this.reply();
    if (r.ok) this.nick = nick;
    return r;
  }

  /** MODE #<latest channel> +s / -s; the reply is the MODE echo. */
  async setVisibility(which: 'private' | 'public'): Promise<Reply> {
    const room = this.joined.at(-1);
    if (room === undefined) throw new Error(`${this.nick} is in no channel`);
    this.wire.write(`MODE #${room} ${which === 'private' ? '+s' : '-s'}\r\n`);
    return this.reply();
  }

  /** QUIT without a reason (so that others read `Quit`, as from every dialect); the link closes after `ERROR`. */
  async quit(): Promise<void> {
    this.wire.write('QUIT\r\n');
    await this.waitFor('shutdown');
    await this.wire.expectClosed();
  }

  protected sendSentinel(): void {
    this.wire.write(`PING :${this.token}\r\n`);
  }

  protected isSentinel(s: Seen): boolean {
    return s.kind === 'reply' && / PONG \S+ :/.test(s.raw) && s.raw.endsWith(` :${this.token}`);
  }

  /** Reads replies up to and including the one that matches. */
  private async until(last: (s: Seen) => boolean): Promise<void> {
    for (;;) if (last(await this.reply().then((r) => parse(r.raw, this.nick)))) return;
  }

  private async quietReply(): Promise<Reply> {
    this.sendSentinel();
    const errors: string[] = [];
    for (;;) {
      const r = await this.reply();
      if (this.isSentinel(parse(r.raw, this.nick))) return errors.length ? { ok: false, raw: errors[0]!, more: errors.slice(1) } : { ok: true, raw: '' };
      errors.push(r.raw);
    }
  }
}

/** The three-digit code of a `:server NNN ...` line, if it is one. */
export function numeric(raw: string): string | undefined {
  return /^:\S+ (\d{3}) /.exec(raw)?.[1];
}

const MSG = /^:([^!\s]+)!\S+ (PRIVMSG|NOTICE) (\S+) :(.*)$/s;
const EVENT = /^:([^!\s]+)!\S+ (JOIN|PART|QUIT|NICK|MODE) :?(\S*)/;

/** Parses one line the gateway sent; `me` tells this client's own echoes (replies) from others' events. */
export function parse(raw: string, me: string): Seen {
  let m: RegExpMatchArray | null;
  if ((m = raw.match(MSG))) {
    const [, from, , target, text] = m as unknown as [string, string, string, string, string];
    return target.startsWith('#') ? { kind: 'room', room: target.slice(1), from, text, raw } : { kind: 'dm', from, text, raw };
  }
  if ((m = raw.match(EVENT))) {
    const [, nick, command, arg] = m as unknown as [string, string, string, string];
    if (me !== '' && nick.toLowerCase() === me.toLowerCase()) return { kind: 'reply', ok: true, raw };
    switch (command) {
      case 'JOIN':
        return { kind: 'joined', nick, room: arg.slice(1), raw };
      case 'PART':
        return { kind: 'left', nick, room: arg.slice(1), raw };
      case 'QUIT':
        return { kind: 'offline', nick, raw };
      case 'NICK':
        return { kind: 'renamed', from: nick, to: arg, raw };
    }
  }
  if ((m = raw.match(/^:\S+ MODE #(\S+) [+-]s$/))) return { kind: 'visibility', room: m[1]!, raw };
  if (raw.startsWith('ERROR ')) return { kind: 'shutdown', raw };
  const code = numeric(raw);
  return { kind: 'reply', ok: code === undefined || Number(code) < 400, raw };
}
