/**
 * Canonical events carried by the Bus (DESIGN.md "Events on the Bus"). A
 * discriminated union: sessions switch on `type` and never see another
 * dialect's wire format. Nicks and room names are display forms; `session`
 * names the actor's session so that a session can tell events about itself.
 *
 * Who receives what: user.online and user.offline go to every registered
 * session whose dialect shows presence (SessionPort.presence); user.renamed
 * goes to every registered session (the actor included);
 * room.joined and room.left go to the room's other members (never the actor,
 * who has the command's result); room.visibility and message.room go to all
 * members (a session skips its own message.room); message.direct and receipt
 * go to one session.
 */
export type Visibility = 'public' | 'private';

export type BusEvent =
  | { type: 'user.online'; nick: string; session: string; dialect: string }
  | { type: 'user.offline'; nick: string; session: string; dialect: string; rooms: string[] }
  | { type: 'user.renamed'; from: string; to: string; session: string; rooms: string[] }
  | { type: 'room.joined'; room: string; nick: string; session: string; members: string[] }
  | { type: 'room.left'; room: string; nick: string; session: string; members: string[]; reason: 'part' | 'quit' }
  | { type: 'room.visibility'; room: string; visibility: Visibility; by: string }
  | { type: 'message.direct'; id: string; from: string; to: string; text: string }
  | { type: 'message.room'; id: string; from: string; session: string; room: string; text: string }
  | { type: 'receipt'; id: string; from: string; to: string; synthesized: boolean }
  | { type: 'shutdown'; message: string };

export type BusEventType = BusEvent['type'];

/** Narrows the union to one event type. */
export type EventOf<T extends BusEventType> = Extract<BusEvent, { type: T }>;
