import { connect, DriverBase, type ChatDriver, type Reply, type Seen } from '@chat-gateway/core/testing';
import { dialect as spec } from '@chat-gateway/psu';

// A NAMES of a room that cannot exist: always exactly one reply line, so it marks "everything before has arrived".
const SENTINEL_ROOM = 'zz-sentinel';
const SENTINEL_LINE = `#${SENTINEL_ROOM}: no such room`;
// Its words are the server's own (DESIGN.md PSU: one line, the room first): what `chat-gateway probe` accepts of another server.
const isSentinelLine = (raw: string) => raw === SENTINEL_LINE || raw.startsWith(`#${SENTINEL_ROOM} `) || raw.startsWith(`#${SENTINEL_ROOM}:`);

/** A PSU client (CRLF lines, `:COMMAND params`). Reads past the greeting. */
export class PsuDriver extends DriverBase implements ChatDriver {
  readonly dialect = spec.name;

  static async open(port: number, host?: string): Promise<PsuDriver> {
    const d = new PsuDriver(await connect(port, host));
    await d.wire.expectLine(/^Welcome /);
    return d;
  }

  protected async read(timeoutMs: number): Promise<Seen> {
    return parse(await this.wire.nextLine(timeoutMs));
  }

  register(nick: string): Promise<Reply> {
    return this.claim(nick, `:NICK ${nick}\r\n`);
  }

  /** PRIVMSG says nothing on success (as IRC): a sentinel after it tells success from an error line. */
  async dmBytes(to: string, text: Uint8Array): Promise<Reply> {
    this.wire.write(Buffer.concat([Buffer.from(`:PRIVMSG ${to} :`), text, Buffer.from('\r\n')]));
    return this.quietReply();
  }

  override async roomSay(room: string, text: string): Promise<Reply> {
    this.wire.write(`:PRIVMSG #${room} :${text}\r\n`);
    return this.quietReply();
  }

  override async join(room: string): Promise<Reply> {
    this.wire.write(`:JOIN #${room}\r\n`);
    return this.reply();
  }

  override async part(room: string): Promise<Reply> {
    this.wire.write(`:PART #${room}\r\n`);
    return this.reply();
  }

  override async rename(nick: string): Promise<Reply> {
    this.wire.write(`:NICK ${nick}\r\n`);
    // The renamer's reply is the same line the room sees: `old is now known as new`.
    const deadline = Date.now() + 3000;
    for (;;) {
      const s = await this.next(Math.max(1, deadline - Date.now()));
      if (s.kind === 'renamed' && s.to === nick) {
        this.nick = nick;
        return { ok: true, raw: s.raw };
      }
      if (s.kind === 'reply') return { ok: false, raw: s.raw };
    }
  }

  async quit(): Promise<void> {
    this.wire.write(':QUIT\r\n');
    await this.wire.expectClosed();
  }

  protected sendSentinel(): void {
    this.wire.write(`:NAMES #${SENTINEL_ROOM}\r\n`);
  }

  // Before NICK every command but NICK and QUIT is answered with the one "choose a nick" line.
  protected isSentinel(s: Seen): boolean {
    return this.nick ? isSentinelLine(s.raw) : s.raw === 'Choose a nick first: NICK <nickname>';
  }

  private async quietReply(): Promise<Reply> {
    this.wire.write(`:NAMES #${SENTINEL_ROOM}\r\n`);
    const errors: string[] = [];
    for (;;) {
      const r = await this.reply();
      if (isSentinelLine(r.raw)) return errors.length ? { ok: false, raw: errors[0]!, more: errors.slice(1) } : { ok: true, raw: '' };
      errors.push(r.raw);
    }
  }
}

/** Parses one PSU line the gateway sent. */
export function parse(raw: string): Seen {
  let m: RegExpMatchArray | null;
  if ((m = raw.match(/^#(\S+) <([^>\s]+)> (.*)$/s))) return { kind: 'room', room: m[1]!, from: m[2]!, text: m[3]!, raw };
  if ((m = raw.match(/^<([^>\s]+)> (.*)$/s))) return { kind: 'dm', from: m[1]!, text: m[2]!, raw };
  if ((m = raw.match(/^(\S+) has joined #(\S+)$/))) return { kind: 'joined', nick: m[1]!, room: m[2]!, raw };
  if ((m = raw.match(/^(\S+) has left #(\S+)$/))) return { kind: 'left', nick: m[1]!, room: m[2]!, raw };
  if ((m = raw.match(/^(\S+) is now known as (\S+)$/))) return { kind: 'renamed', from: m[1]!, to: m[2]!, raw };
  if ((m = raw.match(/^#(\S+): now (private|public)/))) return { kind: 'visibility', room: m[1]!, raw };
  if (raw === 'Server shutting down.') return { kind: 'shutdown', raw };
  const ok = /: (welcome!|room created|you have joined|you have left|you are already in this room)/.test(raw) || /^#\S+: (\S+$|end of NAMES|\d+ members?)/.test(raw) || raw.startsWith('End of LIST');
  return { kind: 'reply', ok, raw };
}
