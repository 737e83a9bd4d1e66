import { every, type ClusterOptions } from './cluster.js';
import type { Directory } from './directory.js';
import type { BusEvent } from './events.js';
import type { LocalSessions } from './local.js';
import type { Log } from './log.js';

export interface LivenessDeps {
  node: string;
  directory: Directory;
  local: LocalSessions;
  /** Read when reasserting: a reload may have changed them. */
  defaultRooms(): readonly string[];
  options: Readonly<ClusterOptions>;
  /** Delivers an event on this node and sends it to the others. */
  emit(event: BusEvent): void;
  /** Sends an event to the other nodes only; false when the Link cannot take it now. */
  broadcast(event: BusEvent): boolean;
  log: Log;
}

/** Why a reaped user's departure is shown (IRC `QUIT :<reason>`). */
export const NODE_LOST = 'Node lost';

/**
 * A node's part in keeping the shared state true (DESIGN.md "Liveness",
 * "Redis down"): it renews its lease every heartbeat, reaps nodes whose
 * lease lapsed and shows their users' departures, retries the releases the
 * back end could not take, and re-asserts its own nicks and rooms when the
 * back end lost them (a Redis restart) or another node reaped it.
 */
export class Liveness {
  private stopTimer?: () => void;
  private readonly releases: { session: string; nick: string }[] = [];
  private readonly unsent: BusEvent[] = [];
  // After an outage every node's lease may look lapsed until it renews: no reaping until then.
  private lastFailure = false;
  private reapAfter = 0;

  constructor(private readonly d: LivenessDeps) {}

  /** Takes the lease and starts the heartbeat. */
  async start(): Promise<void> {
    await this.d.directory.renewLease(this.d.node, this.d.options.nodeTimeoutMs);
    this.stopTimer = every(this.d.options.heartbeatMs, () => this.beat());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /** Releases a nick now, or queues it for the next heartbeat when the back end is down. */
  async release(session: string, nick: string): Promise<void> {
    try {
      await this.d.directory.releaseNick(session, nick);
    } catch (err) {
      this.d.log.warn({ err, nick }, 'could not release a nick: retrying on the next heartbeat');
      this.releases.push({ session, nick });
    }
  }

  /** A departure the other nodes could not be told of (the Link was down): told on the next heartbeat. */
  later(event: BusEvent): void {
    this.unsent.push(event);
  }

  /** One heartbeat: lease, re-assertion when needed, pending releases, reaping. Never throws. */
  async beat(): Promise<void> {
    const { directory, node, options, log } = this.d;
    try {
      const lease = await directory.renewLease(node, options.nodeTimeoutMs);
      if (this.lastFailure) {
        // Back from an outage (or a back end restored from a snapshot): the other nodes renew within a heartbeat or two.
        this.lastFailure = false;
        this.reapAfter = Date.now() + options.nodeTimeoutMs;
      }
      if (lease !== 'held') await this.reassert(lease === 'reaped');
      while (this.releases.length > 0) {
        const r = this.releases[0]!;
        await directory.releaseNick(r.session, r.nick);
        this.releases.shift();
      }
      while (this.unsent.length > 0 && this.d.broadcast(this.unsent[0]!)) this.unsent.shift();
      if (Date.now() < this.reapAfter) return;
      for (const { user, rooms } of await directory.reapLapsed()) {
        log.info({ nick: user.nick, node: user.node }, 'reaped a user of a lapsed node');
        this.d.emit({ type: 'user.offline', nick: user.nick, session: user.session, dialect: user.dialect, rooms, reason: NODE_LOST });
      }
    } catch (err) {
      this.lastFailure = true;
      log.warn({ err: (err as Error).message }, 'heartbeat failed: back end unreachable');
    }
  }

  /**
   * Claims this node's nicks and rooms again. After a reap the others were
   * told these users left, so they are told they are back; after a back end
   * restart nobody saw them go, so nothing is said.
   */
  private async reassert(announce: boolean): Promise<void> {
    const { directory, node, local, log } = this.d;
    await directory.ensureRooms([...this.d.defaultRooms()]);
    // A back end restored from a snapshot may hold this node's users who have left since: let their nicks go.
    for (const u of await directory.listUsers()) {
      if (u.node === node && !local.session(u.session)) await directory.releaseNick(u.session, u.nick);
    }
    for (const s of local.all()) {
      const p = s.port;
      const mine = await directory.claimNick({ nick: s.nick, session: p.id, dialect: p.dialect, receipts: p.receipts, node, address: p.address });
      if (!mine && (await directory.getUser(s.nick))?.session !== p.id) {
        log.warn({ nick: s.nick }, 'another node took this nick while the back end was away');
        continue;
      }
      for (const room of s.rooms.values()) await directory.joinRoom(room, s.nick);
      if (!announce) continue;
      this.d.emit({ type: 'user.online', nick: s.nick, session: p.id, dialect: p.dialect });
      for (const room of s.rooms.values()) this.d.emit({ type: 'room.joined', room, nick: s.nick, session: p.id, dialect: p.dialect });
    }
    log.info({ users: local.size, announce }, 'node re-asserted its users');
  }
}
