/** What a sender's message may get from a bot. */
export type Allowance = 'answer' | 'warn' | 'drop';

/**
 * How much a bot answers each sender (DESIGN.md "Interop bench": bots must
 * not be amplifiable): at most `perWindow` answers per `windowMs` window;
 * the first message over it in a window gets one warning, the rest nothing.
 * At most `senders` are remembered (the longest idle forgotten first), so a
 * crowd of nicks cannot grow it without bound either.
 */
export class SenderBudget {
  private readonly windows = new Map<string, { start: number; used: number; warned: boolean }>();

  constructor(
    readonly perWindow: number,
    readonly windowMs: number,
    private readonly senders = 1024,
  ) {}

  /** Counts one message from `sender` (a folded nick). */
  take(sender: string, now = Date.now()): Allowance {
    let w = this.windows.get(sender);
    if (!w || now - w.start >= this.windowMs) w = { start: now, used: 0, warned: false };
    // Re-inserted: the map's first entry is the longest idle sender.
    this.windows.delete(sender);
    this.windows.set(sender, w);
    if (this.windows.size > this.senders) this.windows.delete(this.windows.keys().next().value!);
    if (w.used < this.perWindow) {
      w.used++;
      return 'answer';
    }
    if (w.warned) return 'drop';
    w.warned = true;
    return 'warn';
  }
}
