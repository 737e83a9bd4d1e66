import { setTimeout as delay } from 'node:timers/promises';
import type { ChatDriver } from '@chat-gateway/testkit';

/** One DM of a flow and what its sender was told. */
export interface Sent {
  seq: number;
  /** performance.now() when written, and when its reply came. */
  at: number;
  repliedAt: number;
  /** The sender's reply: acknowledged, refused with an error reply, or none at all (the driver's reply timeout). */
  outcome: 'acked' | 'refused' | 'no reply';
  raw: string;
}

/** A sender's paced DMs to one recipient: every send and its reply, and the recipient's arrivals in order. */
export class Flow {
  readonly sent: Sent[] = [];
  /** Sequence numbers as they arrived at the recipient. */
  readonly arrived: number[] = [];

  constructor(
    readonly id: number,
    readonly from: ChatDriver,
    readonly to: ChatDriver,
  ) {}

  /** The sends with this outcome, after `since` (performance.now()). */
  count(outcome: Sent['outcome'], since = 0): number {
    return this.sent.filter((s) => s.outcome === outcome && s.at >= since).length;
  }
}

/**
 * DMs that keep flowing while a test breaks something (DESIGN.md "Redis
 * down"): each sender sends one DM, waits for its reply, then for `everyMs`
 * (load shaping, not synchronization), until stopped; each recipient reads
 * everything, keeping the flow's DMs. Texts are `f<flow>.<seq>`.
 */
export class Traffic {
  readonly flows: Flow[];
  private running = true;
  private readonly loops: Promise<void>[] = [];

  constructor(pairs: readonly (readonly [ChatDriver, ChatDriver])[], everyMs = 10) {
    this.flows = pairs.map(([from, to], i) => new Flow(i, from, to));
    for (const f of this.flows) {
      this.loops.push(this.send(f, everyMs));
      void this.receive(f);
    }
  }

  /** Stops the senders; resolves once every DM sent has its reply. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async send(f: Flow, everyMs: number): Promise<void> {
    for (let seq = 0; this.running; seq++) {
      const at = performance.now();
      const r = await f.from.dm(f.to.nick, `f${f.id}.${seq}`).catch((err: Error) => ({ ok: undefined, raw: err.message }));
      f.sent.push({ seq, at, repliedAt: performance.now(), outcome: r.ok === undefined ? 'no reply' : r.ok ? 'acked' : 'refused', raw: r.raw });
      await delay(everyMs);
    }
  }

  private async receive(f: Flow): Promise<void> {
    const mine = new RegExp(`^f${f.id}\\.(\\d+)$`);
    while (!f.to.wire.closed) {
      const s = await f.to.next(60_000).catch(() => undefined);
      const m = s?.kind === 'dm' ? mine.exec(s.text) : null;
      if (m) f.arrived.push(Number(m[1]));
    }
  }
}
