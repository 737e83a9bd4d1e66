import { audienceOf, type Audience, type BusEvent } from './events.js';
import type { DeliverySampler } from './delivery-sampler.js';
import type { Log } from './log.js';
import { fold } from './names.js';

/** What the Hub knows of a session: its identity and where its events go. */
export interface SessionPort {
  /** Node-qualified id, unique across nodes. */
  readonly id: string;
  readonly dialect: string;
  /** True when the dialect sends its own delivery receipts (WS_2017 chatr). */
  readonly receipts: boolean;
  /** True when the dialect shows users coming and going (WS_2017 nuser/cquit): it gets user.online/offline. */
  readonly presence: boolean;
  /** Remote IP, for WS_2017's "welcome back". */
  readonly address: string;
  deliver(event: BusEvent): void;
}

/** A registered session of this node. */
export interface LocalSession {
  readonly port: SessionPort;
  nick: string;
  /** folded room name -> display name; changed only through LocalSessions (enter, leave, nameRoom). */
  rooms: ReadonlyMap<string, string>;
  /** Delivery generation: a session in several of an event's rooms gets it once. */
  mark: number;
  /** Receipts this session may still give: folded sender nick -> messages (DESIGN.md "Security"). */
  owed?: Map<string, number>;
}

/** This node's share of the chat, for metrics: registered sessions by dialect, rooms with a member here. */
export interface LocalStats {
  usersByDialect: Map<string, number>;
  rooms: number;
}

// True while deliver() hands out news (Audience.news): what a session writes meanwhile may wait
// behind messages. Set and restored around each delivery, so a delivery made inside another's keeps its own.
let news = false;

/** True while this node delivers news (arrivals, departures, joins) rather than a message: the gateway paces those writes. */
export function deliveringNews(): boolean {
  return news;
}

/** Runs `write` as part of a delivery of news or not: for a session whose package for an event is written on a later turn. */
export function writingNews(isNews: boolean, write: () => void): void {
  const was = news;
  news = isNews;
  try {
    write();
  } finally {
    news = was;
  }
}

// Receipts a session may owe at once; past this the oldest sender is forgotten (bounded memory).
const OWED_MAX = 256;

// Most sessions are in no room (PSU users until they JOIN, clients that only DM): they share this
// one empty map, and get their own with their first room (issue #16: memory per idle connection).
const NO_ROOMS: ReadonlyMap<string, string> = new Map();

function ownRooms(s: LocalSession): Map<string, string> {
  if (s.rooms === NO_ROOMS) s.rooms = new Map();
  return s.rooms as Map<string, string>;
}

/**
 * This node's registered sessions and room members, and delivery to them
 * (DESIGN.md "Hub": it delivers to its own node's sessions itself,
 * synchronously, with one code path whatever the back end). Events from
 * other nodes come in here too, so every node applies the same audience.
 */
export class LocalSessions {
  private readonly bySession = new Map<string, LocalSession>();
  private readonly byNick = new Map<string, LocalSession>();
  private readonly presence = new Set<LocalSession>();
  private readonly rooms = new Map<string, Set<LocalSession>>();
  // Sessions by dialect, kept as they come and go: a scrape reads it without a pass over every session.
  private readonly byDialect = new Map<string, number>();
  private gen = 0;

  /** `sampler` times message deliveries (deliverMessage) for the latency histogram. */
  constructor(private readonly log: Log, private readonly sampler?: DeliverySampler) {}

  get size(): number {
    return this.bySession.size;
  }

  session(id: string): LocalSession | undefined {
    return this.bySession.get(id);
  }

  byNickname(nick: string): LocalSession | undefined {
    return this.byNick.get(fold(nick));
  }

  all(): IterableIterator<LocalSession> {
    return this.bySession.values();
  }

  /** Counts by dialect (a copy: the caller may keep it), and rooms with a member here. */
  stats(): LocalStats {
    return { usersByDialect: new Map(this.byDialect), rooms: this.rooms.size };
  }

  add(port: SessionPort, nick: string): LocalSession {
    const s: LocalSession = { port, nick, rooms: NO_ROOMS, mark: 0 };
    if (!this.bySession.has(port.id)) this.byDialect.set(port.dialect, (this.byDialect.get(port.dialect) ?? 0) + 1);
    this.bySession.set(port.id, s);
    this.byNick.set(fold(nick), s);
    if (port.presence) this.presence.add(s);
    return s;
  }

  rename(s: LocalSession, to: string): void {
    this.byNick.delete(fold(s.nick));
    s.nick = to;
    this.byNick.set(fold(to), s);
  }

  /** Forgets a session and its memberships; returns the display names of the rooms it was in. */
  remove(s: LocalSession): string[] {
    if (this.bySession.delete(s.port.id)) {
      const n = (this.byDialect.get(s.port.dialect) ?? 1) - 1;
      if (n > 0) this.byDialect.set(s.port.dialect, n);
      else this.byDialect.delete(s.port.dialect);
    }
    if (this.byNick.get(fold(s.nick)) === s) this.byNick.delete(fold(s.nick));
    this.presence.delete(s);
    const left = [...s.rooms.values()];
    for (const key of s.rooms.keys()) this.leave(s, key);
    return left;
  }

  enter(s: LocalSession, room: string): void {
    const key = fold(room);
    ownRooms(s).set(key, room);
    let set = this.rooms.get(key);
    if (!set) this.rooms.set(key, (set = new Set()));
    set.add(s);
  }

  leave(s: LocalSession, key: string): void {
    // The shared empty map has nothing to delete; a session's own goes back to it once empty.
    const rooms = s.rooms as Map<string, string>;
    if (rooms.delete(key) && rooms.size === 0) s.rooms = NO_ROOMS;
    const set = this.rooms.get(key);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) this.rooms.delete(key);
  }

  /** The room's display name as whoever created it spelled it, for a session in it. */
  nameRoom(s: LocalSession, key: string, name: string): void {
    if (s.rooms.has(key)) ownRooms(s).set(key, name);
  }

  /** Delivers an event to its audience on this node, never to `except`; returns how many sessions got it. */
  deliver(event: BusEvent, except?: string): number {
    const a = audienceOf(event);
    const was = news;
    news = a.news;
    try {
      return this.deliverTo(a, event, except ?? a.except);
    } finally {
      news = was;
    }
  }

  private deliverTo(a: Audience, event: BusEvent, skip: string | undefined): number {
    if (a.session !== undefined) {
      const s = this.bySession.get(a.session);
      if (!s || s.port.id === skip) return 0;
      if (event.type === 'message.direct') {
        // The session went and another took the nick: this message was not for it.
        if (fold(s.nick) !== fold(event.to)) return 0;
        if (s.port.receipts) owe(s, event.from);
      }
      this.hand(s, event);
      return 1;
    }
    const gen = ++this.gen;
    let n = 0;
    if (a.presence) {
      for (const s of this.presence) {
        if (s.port.id === skip) continue;
        s.mark = gen;
        this.hand(s, event);
        n++;
      }
    }
    if (a.room !== undefined) n += this.toRoom(a.room, event, skip, gen);
    for (const room of a.rooms) n += this.toRoom(room, event, skip, gen);
    return n;
  }

  /** Delivers a message as deliver() does, every Nth one timed by the sampler. */
  deliverMessage(event: BusEvent, kind: 'direct' | 'room'): number {
    const t0 = this.sampler?.start(kind) ?? -1;
    const n = this.deliver(event);
    this.sampler?.stop(kind, t0);
    return n;
  }

  /** Takes one owed receipt for a message from `sender`; false when this session got none. */
  takeReceipt(s: LocalSession, sender: string): boolean {
    const key = fold(sender);
    const n = s.owed?.get(key) ?? 0;
    if (n <= 0) return false;
    if (n === 1) s.owed!.delete(key);
    else s.owed!.set(key, n - 1);
    return true;
  }

  private toRoom(room: string, event: BusEvent, skip: string | undefined, gen: number): number {
    const set = this.rooms.get(fold(room));
    if (!set) return 0;
    let n = 0;
    for (const s of set) {
      if (s.mark === gen || s.port.id === skip) continue;
      s.mark = gen;
      this.hand(s, event);
      n++;
    }
    return n;
  }

  /** One session's failure to handle an event must not stop delivery to the others. */
  private hand(s: LocalSession, event: BusEvent): void {
    try {
      s.port.deliver(event);
    } catch (err) {
      this.log.error({ err, session: s.port.id, event: event.type }, 'session failed to handle an event');
    }
  }
}

function owe(s: LocalSession, sender: string): void {
  const owed = (s.owed ??= new Map());
  const key = fold(sender);
  const n = owed.get(key) ?? 0;
  // Re-inserted so the map's order is least recently owed first.
  owed.delete(key);
  owed.set(key, n + 1);
  if (owed.size > OWED_MAX) owed.delete(owed.keys().next().value!);
}
