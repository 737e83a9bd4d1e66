import type { Directory, UserRecord } from './directory.js';
import type { BusEvent } from './events.js';
import { fold } from './names.js';

// Bounded memory: past this many remembered users, new answers are not kept (a lookup each time).
const ROUTES_MAX = 100_000;

/**
 * Where other nodes' users are, remembered from the Directory's answers, so
 * that a direct message to a known user leaves at once instead of after a
 * lookup (DESIGN.md "Traffic"; bench/README.md "Across nodes": the lookup's
 * round trip per message held a sender's next message back). A user is
 * forgotten when an event says it came, left or was renamed, when its node
 * answers that it has no such session (the Hub then looks again), and when
 * the back end comes back after an outage. An answer is kept only when
 * nothing was forgotten while it was asked for, so an event that overtook
 * the answer never leaves a stale entry behind.
 */
export class Routes {
  private readonly users = new Map<string, UserRecord>();
  private epoch = 0;

  constructor(private readonly directory: Directory) {}

  /** The remembered record of a user of another node, if any. */
  known(nick: string): UserRecord | undefined {
    return this.users.get(fold(nick));
  }

  /** Asks the Directory (rejects when it is unreachable), remembering a user of another node. */
  async lookup(nick: string, self: string): Promise<UserRecord | undefined> {
    const asked = this.epoch;
    const rec = await this.directory.getUser(nick);
    if (rec && rec.node !== self && asked === this.epoch && this.users.size < ROUTES_MAX) this.users.set(fold(rec.nick), rec);
    return rec;
  }

  /** Forgets one user (its node said it has no such session). */
  forget(nick: string): void {
    this.epoch++;
    this.users.delete(fold(nick));
  }

  /** Forgets everyone (the back end came back: nodes may have lost or reaped users meanwhile). */
  clear(): void {
    this.epoch++;
    this.users.clear();
  }

  /** Every event, local or from another node: a login, a departure or a rename moves a nick. */
  observe(event: BusEvent): void {
    if (event.type === 'user.online' || event.type === 'user.offline') this.forget(event.nick);
    else if (event.type === 'user.renamed') this.forget(event.from);
  }
}
