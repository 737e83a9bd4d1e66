/**
 * Canonical events (DESIGN.md "Events"): what the Hub delivers to sessions,
 * on its own node directly and to other nodes through the Link. A
 * discriminated union: sessions switch on `type` and never see another
 * dialect's wire format. Nicks and room names are display forms; `session`
 * and `dialect` name the actor, so a dialect can show where a peer is
 * (IRC `nick!nick@<dialect>.<network>`).
 *
 * Who receives what is `audienceOf` below, the same on every node. The actor
 * is never among the recipients: that is the delivery's `except`, not an
 * ordering accident (DESIGN.md "Nodes and back ends").
 *
 * Room events carry no member list (DESIGN.md "Traffic"): a dialect that
 * shows one reads it from the Directory.
 */
export type Visibility = 'public' | 'private';

export type BusEvent =
  | { type: 'user.online'; nick: string; session: string; dialect: string }
  /** `rooms`: the rooms the user was in; `reason`: why (IRC shows it in QUIT). */
  | { type: 'user.offline'; nick: string; session: string; dialect: string; rooms: string[]; reason: string }
  | { type: 'user.renamed'; from: string; to: string; session: string; dialect: string; rooms: string[] }
  | { type: 'room.joined'; room: string; nick: string; session: string; dialect: string }
  | { type: 'room.left'; room: string; nick: string; session: string; dialect: string }
  | { type: 'room.visibility'; room: string; visibility: Visibility; by: string; session: string }
  /** `notice`: sent as an IRC NOTICE (RFC 2812 3.3.2: never answered automatically); absent for a plain message. Dialects without notices show it as a message. */
  | { type: 'message.direct'; id: string; from: string; session: string; dialect: string; to: string; toSession: string; text: string; notice?: true }
  | { type: 'message.room'; id: string; from: string; session: string; dialect: string; room: string; text: string; notice?: true }
  /** A recipient's (or the gateway's) receipt for `from`'s message to `to`, delivered to `from`'s session. */
  | { type: 'receipt'; id: string; from: string; to: string; toSession: string; synthesized: boolean };

export type BusEventType = BusEvent['type'];

/** Narrows the union to one event type. */
export type EventOf<T extends BusEventType> = Extract<BusEvent, { type: T }>;

/**
 * Who gets an event, on every node alike: `session` one session; `presence`
 * every session whose dialect shows users coming and going (WS_2017);
 * `room`/`rooms` the members of that room or those rooms (each session once,
 * however many it shares); never `except`, the actor.
 */
export interface Audience {
  session?: string;
  presence: boolean;
  room?: string;
  rooms: readonly string[];
  except?: string;
  /**
   * News of who came, went, was renamed or joined, rather than a message or a receipt: it may wait
   * behind messages (DESIGN.md "Operating limits": an event for hundreds of recipients must not
   * hold up the others), and the gateway paces its writes (see `deliveringNews`).
   */
  news: boolean;
}

const NO_ROOMS: readonly string[] = Object.freeze([]);

/** The audience of an event (the one table every node applies). */
export function audienceOf(e: BusEvent): Audience {
  switch (e.type) {
    case 'message.direct':
    case 'receipt':
      return { session: e.toSession, presence: false, rooms: NO_ROOMS, news: false };
    case 'user.online':
      return { presence: true, rooms: NO_ROOMS, except: e.session, news: true };
    case 'user.offline':
    case 'user.renamed':
      return { presence: true, rooms: e.rooms, except: e.session, news: true };
    case 'room.joined':
    case 'room.left':
    case 'room.visibility':
      return { presence: false, room: e.room, rooms: NO_ROOMS, except: e.session, news: true };
    case 'message.room':
      return { presence: false, room: e.room, rooms: NO_ROOMS, except: e.session, news: false };
  }
}
