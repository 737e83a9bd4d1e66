import type { ChatDriver, Seen } from '@chat-gateway/testkit';

/**
 * DESIGN.md's cross-dialect table as data: what each dialect's client sees
 * for each canonical event, so the matrix asserts the exact frame per row.
 * `undefined` means the dialect shows nothing (the test proves it with a sentinel).
 */
export interface DialectContract {
  /** The exact frame a DM from `from` with `text` arrives as. */
  dm(from: string, to: string, text: string): string;
  /** The sender's success reply to a DM ('' when the dialect says nothing on success). */
  dmOk: string;
  /** The sender's reply to a DM to a user who is not online. */
  dmOffline(to: string): string | RegExp;
  /** A peer came online; `shared`: it landed in the observer's room, `members` its members now. */
  online(nick: string, shared: boolean, room: string, members: string[]): string | undefined;
  /** A peer renamed; `shared` when observer and peer share a room. */
  renamed(from: string, to: string, shared: boolean): string | undefined;
  /** A peer went offline; `members`: who is left in the shared room. */
  offline(nick: string, shared: boolean, room: string, members: string[]): string | undefined;
  /** Whether the client sends its own receipts (WS_2017 chatr) or the gateway must synthesize one. */
  receipts: boolean;
  /** Every registered user of this dialect sits in this room (ChatMaster's auto-join of general). */
  autoRoom?: string;
}

const cm = (type: string, data: Record<string, unknown>) => JSON.stringify({ type, data });
const cmNote = (event_type: string, flat: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  cm('notification', { event_type, ...flat, parameters: { ...flat, ...extra } });

export const CONTRACT: Record<string, DialectContract> = {
  ws2017: {
    dm: (from, to, text) => `chatm ${from} ${to} '${text}'`,
    dmOk: "+OK 'message relayed'",
    dmOffline: (to) => `-ERR chatm ${to} is not online`,
    online: (nick) => `nuser ${nick}`,
    renamed: (from, to) => `+OK nuser ${from} ${to}`,
    offline: (nick) => `cquit ${nick}`,
    receipts: true,
  },
  psu: {
    dm: (from, _to, text) => `<${from}> ${text}`,
    dmOk: '',
    dmOffline: (to) => `${to}: no such nick`,
    online: (nick, shared, room) => (shared ? `${nick} has joined #${room}` : undefined),
    renamed: (from, to, shared) => (shared ? `${from} is now known as ${to}` : undefined),
    offline: (nick, shared, room) => (shared ? `${nick} has left #${room}` : undefined),
    receipts: false,
  },
  sup: {
    dm: (from, _to, text) => `recv ${from} ${text}`,
    dmOk: 'status 000 OK',
    dmOffline: () => 'status 104 Messaged User Not Online',
    online: () => undefined,
    renamed: () => undefined,
    offline: () => undefined,
    receipts: false,
  },
  chatmaster: {
    dm: (from, _to, text) => cm('message', { message: text, username: from, direct: true }),
    dmOk: '',
    dmOffline: (to) => cm('error', { error_type: 'message', message: `No user named ${to} is online.` }),
    online: (nick, shared, room, members) => (shared ? cmNote('user_joined', { username: nick, channel: room }, { current_users: members }) : undefined),
    renamed: (from, to, shared) => (shared ? cmNote('user_rename', { old_username: from, new_username: to }) : undefined),
    offline: (nick, shared, room, members) => (shared ? cmNote('user_left', { username: nick, channel: room }, { current_users: members }) : undefined),
    receipts: false,
    autoRoom: 'general',
  },
};

/** A ChatMaster notification as the gateway writes it, for exact comparison. */
export const chatmasterNotification = cmNote;

/** The room two drivers share by default (ChatMaster's auto-join), if any. */
export function sharedRoom(a: ChatDriver, b: ChatDriver): string | undefined {
  const ra = CONTRACT[a.dialect]!.autoRoom;
  return ra !== undefined && ra === CONTRACT[b.dialect]!.autoRoom ? ra : undefined;
}

/** The raw frame of what a driver saw, for exact comparison. */
export function raw(s: Seen): string {
  return s.raw;
}

/** Asserts the observer's very next frame is `expected`, or, when undefined, that nothing arrived (sentinel). */
export async function expectFrame(observer: ChatDriver, expected: string | undefined): Promise<void> {
  if (expected !== undefined) {
    const s = await observer.next();
    if (s.raw !== expected) throw new Error(`${observer.dialect} ${observer.nick}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(s.raw)}`);
  }
  await observer.sentinel();
}
