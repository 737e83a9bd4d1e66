import type { WireClient } from './wire.js';
import type { ChatDriver, Reply, Seen, SeenKind } from './driver-types.js';

/**
 * The verb-independent half of every driver: a parsed frame queue that
 * command verbs and expectations share. Events that arrive while a verb
 * waits for its reply are kept, in order, for next()/waitFor().
 */
export abstract class DriverBase implements Partial<ChatDriver> {
  abstract readonly dialect: string;
  nick = '';
  /** How long a verb waits for its reply (`chat-gateway probe --timeout` sets it). */
  replyTimeoutMs = 3000;
  settle?: () => Promise<void>;
  private readonly held: Seen[] = [];

  constructor(readonly wire: WireClient) {}

  /** Reads and parses one frame off the wire. */
  protected abstract read(timeoutMs: number): Promise<Seen>;
  /** Sends a request whose reply is always exactly one known frame. */
  protected abstract sendSentinel(): void;
  /** True for the sentinel request's reply. */
  protected abstract isSentinel(s: Seen): boolean;

  /** A round trip that proves nothing else was queued: the very next frame must be the sentinel's reply. */
  async sentinel(): Promise<void> {
    await this.settle?.();
    this.sendSentinel();
    const s = await this.next();
    if (!this.isSentinel(s)) throw new Error(`${this.dialect} ${this.nick}: expected only the sentinel's reply, got ${JSON.stringify(s.raw)}`);
  }

  /** Reads and drops everything up to a sentinel's reply: the client has seen all that was sent before. */
  async drain(timeoutMs = 3000): Promise<Seen[]> {
    await this.settle?.();
    this.sendSentinel();
    const dropped: Seen[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.next(Math.max(1, deadline - Date.now()));
      if (this.isSentinel(s)) return dropped;
      dropped.push(s);
    }
  }

  /** The next frame, held ones first. */
  async next(timeoutMs = 2000): Promise<Seen> {
    return this.held.shift() ?? this.read(timeoutMs);
  }

  /** Skips (and drops) frames until one of the kind matches. */
  async waitFor<K extends SeenKind>(kind: K, match?: (s: Extract<Seen, { kind: K }>) => boolean, timeoutMs = 3000): Promise<Extract<Seen, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    const skipped: string[] = [];
    for (;;) {
      const left = deadline - Date.now();
      let s: Seen;
      try {
        s = await this.next(Math.max(1, left));
      } catch (err) {
        throw new Error(`${this.dialect} ${this.nick}: no ${kind} frame; skipped ${JSON.stringify(skipped)}: ${(err as Error).message}`);
      }
      if (s.kind === kind && (!match || match(s as Extract<Seen, { kind: K }>))) return s as Extract<Seen, { kind: K }>;
      skipped.push(s.raw);
    }
  }

  /** Waits for the reply to a command, holding back events that arrive first. */
  protected async reply(timeoutMs = this.replyTimeoutMs): Promise<Reply> {
    const idx = this.held.findIndex((s) => s.kind === 'reply');
    if (idx >= 0) {
      const [s] = this.held.splice(idx, 1);
      return { ok: (s as { ok: boolean }).ok, raw: s!.raw };
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.read(Math.max(1, deadline - Date.now()));
      if (s.kind === 'reply') return { ok: s.ok, raw: s.raw };
      this.held.push(s);
    }
  }

  /** Writes a registration request; on success the driver takes the nick. */
  protected async claim(nick: string, request: string): Promise<Reply> {
    this.wire.write(request);
    const r = await this.reply();
    if (r.ok) this.nick = nick;
    return r;
  }

  /** A DM as UTF-8 bytes: every dialect's dm() is its dmBytes(). */
  async dm(to: string, text: string): Promise<Reply> {
    return this.dmBytes(to, Buffer.from(text, 'utf8'));
  }

  abstract dmBytes(to: string, text: Uint8Array): Promise<Reply>;

  // What a dialect lacks throws; its contract says so, and suites never call these there.
  async roomSay(_room: string, _text: string): Promise<Reply> {
    throw this.lacks('rooms');
  }

  async join(_room: string): Promise<Reply> {
    throw this.lacks('rooms');
  }

  async part(_room: string): Promise<Reply> {
    throw this.lacks('rooms');
  }

  async rename(_nick: string): Promise<Reply> {
    throw this.lacks('renames');
  }

  private lacks(what: string): Error {
    return new Error(`${this.dialect} has no ${what}`);
  }

  /** Frames parsed but not yet consumed. */
  get pending(): readonly Seen[] {
    return this.held;
  }

  close(): void {
    this.wire.destroy();
  }
}
