import { fold, type BusEvent } from '@chat-gateway/core';

/**
 * Whom the WS_2017 clients of one node were told about, kept once per node
 * (per Hub), not as a set per session: a set of everyone each client was
 * told about grew with the square of the WS_2017 users (10,000 idle
 * connections held 2.2 GB). DESIGN.md WS_2017: a client is told `nuser`
 * before a sender's first `chatm`, and `cquit` only about someone it knows.
 *
 * Every WS_2017 session in TRANSACTION is told about every arrival and
 * rename after its registration, so it is enough to remember when (a
 * sequence number) each online user was last told to all of them. A
 * session then knows X when X's arrival came after its own registration,
 * or not after its last `cgetu` list, or when it was told about X by name
 * (its own small set: a sender from before it registered, itself).
 *
 * The Hub hands one event to all its local recipients before the next
 * (core encodeOnce relies on it too), so the update an event makes waits
 * until the next event or the next read outside a delivery: every session
 * judges an event by what was true before it.
 */
export class Arrivals {
  private static readonly byHub = new WeakMap<object, Arrivals>();
  private seq = 0;
  // Folded nick → the sequence at which every WS_2017 session in TRANSACTION was told about it.
  private readonly at = new Map<string, number>();
  private last?: BusEvent;
  private pending = false;
  private sessions = 0;

  /** The node's record, one per Hub. */
  static of(hub: object): Arrivals {
    let a = Arrivals.byHub.get(hub);
    if (!a) Arrivals.byHub.set(hub, (a = new Arrivals()));
    return a;
  }

  /** A session entered TRANSACTION: its registration's sequence (it was told nothing before). */
  enter(): number {
    this.settle();
    this.sessions++;
    return this.seq;
  }

  /** A session left TRANSACTION. With none left, nobody watches arrivals and departures: the record is dropped, not left stale. */
  leave(): void {
    if (--this.sessions > 0) return;
    this.sessions = 0;
    this.at.clear();
    this.last = undefined;
    this.pending = false;
  }

  /** A presence event (user.online, user.offline, user.renamed) a session is about to handle. */
  see(event: BusEvent): void {
    if (event === this.last) return;
    this.settle();
    this.last = event;
    this.seq++;
    this.pending = true;
  }

  /** When every session was told about `key` (a folded nick), as it stood before `during` (the event being handled), or undefined. */
  arrival(key: string, during?: BusEvent): number | undefined {
    if (during === undefined || during !== this.last) this.settle();
    return this.at.get(key);
  }

  /** A `cgetu` list was sent: everyone in it is known to that session from now on. Returns the list's sequence. */
  listed(nicks: readonly string[]): number {
    this.settle();
    // Online since before any WS_2017 session was there to be told (sequence 0: nobody's registration is before it).
    for (const n of nicks) {
      const key = fold(n);
      if (!this.at.has(key)) this.at.set(key, 0);
    }
    return this.seq;
  }

  private settle(): void {
    if (!this.pending) return;
    this.pending = false;
    const e = this.last!;
    if (e.type === 'user.online') this.at.set(fold(e.nick), this.seq);
    else if (e.type === 'user.offline') this.at.delete(fold(e.nick));
    else if (e.type === 'user.renamed') {
      this.at.delete(fold(e.from));
      this.at.set(fold(e.to), this.seq);
    }
  }
}
