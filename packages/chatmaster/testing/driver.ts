import { connect, DriverBase, type ChatDriver, type Reply, type Seen } from '@chat-gateway/core/testing';
import { dialect as spec } from '@chat-gateway/chatmaster';

type Pkg = { type: string; data: Record<string, any> };

/**
 * A ChatMaster 3000 client. It ends every package with `\n`, so the gateway
 * knows it reads a stream and does not pace it. `raw` is the package's JSON
 * as received, so tests compare exact frames.
 */
export class ChatMasterDriver extends DriverBase implements ChatDriver {
  readonly dialect = spec.name;
  /** The current channel (a ChatMaster user is in one at a time). */
  channel: string | undefined;

  static async open(port: number, host?: string): Promise<ChatMasterDriver> {
    const d = new ChatMasterDriver(await connect(port, host));
    const req = await d.wire.nextJson();
    if (req.type !== 'request') throw new Error(`expected the login request, got ${JSON.stringify(req)}`);
    return d;
  }

  /** Sends one package, `\n`-terminated. */
  send(pkg: Pkg): void {
    this.wire.write(`${JSON.stringify(pkg)}\n`);
  }

  command(command: string, parameters: Record<string, unknown> | null = null): void {
    this.send({ type: 'command', data: { command, parameters } });
  }

  protected async read(timeoutMs: number): Promise<Seen> {
    const pkg = await this.wire.nextJson<Pkg>(timeoutMs);
    return parse(pkg, JSON.stringify(pkg));
  }

  async register(nick: string): Promise<Reply> {
    this.command('login', { username: nick });
    const r = await this.reply();
    if (!r.ok) return r;
    this.nick = nick;
    // Login lands in general, confirmed by a user_joined about oneself.
    const j = await this.waitFor('joined', (s) => s.nick === nick);
    this.channel = j.room;
    return r;
  }

  /** The `to` extension. Success says nothing: a sentinel after it tells success from an error package. */
  /** The bytes go inside the JSON string as they are (only `"`, `\\` and C0 escaped), so invalid UTF-8 reaches the gateway. */
  async dmBytes(to: string, text: Uint8Array): Promise<Reply> {
    const head = Buffer.from(`{"type":"message","data":{"to":${JSON.stringify(to)},"message":"`);
    this.wire.write(Buffer.concat([head, jsonStringBytes(text), Buffer.from('"}}\n')]));
    return this.quietReply();
  }

  override async roomSay(room: string, text: string): Promise<Reply> {
    if (room.toLowerCase() !== this.channel?.toLowerCase()) throw new Error(`${this.nick} is in ${this.channel}, not ${room}`);
    this.send({ type: 'message', data: { message: text } });
    return this.quietReply();
  }

  override async join(room: string): Promise<Reply> {
    this.command('join', { channel: room });
    return this.selfEvent('joined', (s) => {
      this.channel = s.room;
    });
  }

  override async part(room: string): Promise<Reply> {
    if (room.toLowerCase() !== this.channel?.toLowerCase()) throw new Error(`${this.nick} is in ${this.channel}, not ${room}`);
    this.command('leave');
    return this.selfEvent('left', () => {
      this.channel = undefined;
    });
  }

  override async rename(nick: string): Promise<Reply> {
    this.command('rename', { username: nick });
    const deadline = Date.now() + 3000;
    for (;;) {
      const s = await this.next(Math.max(1, deadline - Date.now()));
      if (s.kind === 'renamed' && s.from === this.nick) {
        this.nick = nick;
        return { ok: true, raw: s.raw };
      }
      if (s.kind === 'reply' && !s.ok) return { ok: false, raw: s.raw };
    }
  }

  /** Sets the current channel private or public; the reply is a channel_list. */
  async setVisibility(which: 'private' | 'public'): Promise<Reply> {
    this.command(which);
    return this.reply();
  }

  /** ChatMaster has no quit command: a client just closes. */
  async quit(): Promise<void> {
    this.wire.end();
  }

  protected sendSentinel(): void {
    this.command('channels');
  }

  // Before login, `channels` is answered with one "log in first" error.
  protected isSentinel(s: Seen): boolean {
    const data = s.kind === 'reply' ? (s.data as Pkg | undefined)?.data : undefined;
    if (!this.nick) return s.kind === 'reply' && data?.error_type === 'channels' && /^Log in first/.test(data?.message);
    return s.kind === 'reply' && data?.event_type === 'channel_list';
  }

  private async quietReply(): Promise<Reply> {
    this.command('channels');
    const errors: string[] = [];
    for (;;) {
      const r = await this.reply();
      if (r.ok) return errors.length ? { ok: false, raw: errors[0]!, more: errors.slice(1) } : { ok: true, raw: '' };
      errors.push(r.raw);
    }
  }

  /** Waits for a notification about oneself (the reply to join/leave), or an error. */
  private async selfEvent(kind: 'joined' | 'left', then: (s: { room: string }) => void): Promise<Reply> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const s = await this.next(Math.max(1, deadline - Date.now()));
      if (s.kind === kind && s.nick === this.nick) {
        then(s);
        return { ok: true, raw: s.raw };
      }
      if (s.kind === 'reply' && !s.ok) return { ok: false, raw: s.raw };
    }
  }
}

/** Parses one ChatMaster package the gateway sent. */
export function parse(pkg: Pkg, raw: string): Seen {
  const d = pkg.data ?? {};
  switch (pkg.type) {
    case 'message':
      if (d.direct === true) return { kind: 'dm', from: d.username, text: d.message, raw };
      return { kind: 'room', room: d.channel, from: d.username, text: d.message, raw };
    case 'notification':
      switch (d.event_type) {
        case 'user_joined':
          return { kind: 'joined', nick: d.username, room: d.channel, raw };
        case 'user_left':
          return { kind: 'left', nick: d.username, room: d.channel, raw };
        case 'user_rename':
          return { kind: 'renamed', from: d.old_username, to: d.new_username, raw };
        case 'server_shutdown':
          return { kind: 'shutdown', raw };
        default:
          return { kind: 'reply', ok: true, raw, data: pkg };
      }
    case 'session':
      return { kind: 'reply', ok: d.status === true, raw, data: pkg };
    default:
      return { kind: 'reply', ok: false, raw, data: pkg };
  }
}

/** Escapes bytes for the inside of a JSON string, leaving bytes >= 0x80 raw. */
function jsonStringBytes(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out.push(0x5c, b);
    else if (b < 0x20) out.push(...Buffer.from(`\\u${b.toString(16).padStart(4, '0')}`));
    else out.push(b);
  }
  return Buffer.from(out);
}
