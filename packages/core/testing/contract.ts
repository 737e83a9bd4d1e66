import { safeLines } from '@chat-gateway/core';
import type { ChatDriver } from './driver-types.js';

/** Someone an observer is told about: the nick, and the dialect it is on (IRC shows it in a hostmask). */
export interface Peer {
  readonly nick: string;
  readonly dialect: string;
}

/** A room as an event shows it: its name and its members after the event, in join order. */
export interface RoomView {
  readonly room: string;
  readonly members: readonly string[];
}

/** A room as a room list shows it to the one who asked (private rooms only to their members). */
export interface RoomInfo {
  readonly name: string;
  readonly members: number;
  readonly private: boolean;
}

/** A list a client asks for (users, rooms): how to ask, and what the reply must be. */
export interface Listing<T> {
  /** Sends the request and returns every frame of its reply, the last one included. */
  ask(d: ChatDriver, room: string): Promise<string[]>;
  /** The exact reply for these items in this order, where the dialect fixes the order... */
  frames?(items: readonly T[], room: string): string[];
  /** ...else the names a reply holds, compared as a set. */
  names?(frames: readonly string[]): string[];
}

/** Who a user list holds: everyone online, everyone but the asker, or a room's members. */
export type UserListScope = 'everyone' | 'others' | 'room';

/** What a dialect with rooms shows of them (DESIGN.md rows "room msg" and "joins / leaves a room"). */
export interface RoomsContract {
  /** The room every user of the dialect is put in at login (ChatMaster: general). */
  readonly auto?: string;
  /** One room at a time: joining another leaves the current one first (ChatMaster). */
  readonly single: boolean;
  /** The driver can make the room it is in private or public (ChatDriver.setVisibility). */
  readonly setsVisibility: boolean;
  /** A room message from `from`, as a member receives it. */
  message(from: Peer, room: string, text: string): string;
  /** A member sees `peer` join; undefined: nothing. */
  joined(peer: Peer, view: RoomView): string | undefined;
  /** A member sees `peer` leave; undefined: nothing. */
  left(peer: Peer, view: RoomView): string | undefined;
  /** A member sees the room turn private or public; undefined: nothing. */
  visibility(room: string, isPrivate: boolean): string | undefined;
  /** The room list, where the dialect has one. */
  readonly list?: Listing<RoomInfo>;
}

/**
 * One dialect's column of DESIGN.md's cross-dialect table, as data: the
 * exact frame its client receives for each canonical event, so every
 * cross-dialect suite asserts exact frames for every dialect. A function
 * that returns undefined (or []) says the dialect shows nothing, which the
 * suites prove with a sentinel.
 */
export interface DialectContract {
  /** A DM from `from` with `text`, as the recipient receives it. */
  dm(from: Peer, to: string, text: string): string;
  /** The sender's success reply to a DM ('' when the dialect says nothing on success). */
  readonly dmOk: string;
  /** The sender's reply to a DM to a user who is not online. */
  dmOffline(to: string): string | RegExp;
  /**
   * The reply to a registration whose nick another user holds, any dialect,
   * any node; `suggestion` is the free nick the gateway offers (core's
   * suggestFreeNick). Absent: the suites only check that it was refused.
   */
  nickTaken?(nick: string, suggestion: string): string;
  /** What a sender sees once its DM was handed over (WS_2017's chatr); absent: nothing. */
  delivered?(from: string, to: string): string;
  /** The dialect's clients acknowledge each DM themselves (the driver's receipt()); else the gateway does. */
  readonly receipts: boolean;
  /** The dialect has no quit command: its driver's quit() closes the connection, and others see a dropped connection. */
  readonly quitsByClosing?: boolean;
  /** The dialect can rename a registered user (the driver's rename()). */
  readonly renames: boolean;
  /** "comes online": how a registered client hears of a peer's login, wherever it landed. */
  online(peer: Peer): string | undefined;
  /**
   * "goes offline": `shared` are the rooms the observer and the peer shared, as they are without the peer;
   * `how` the peer went: its connection dropped, it quit as its dialect does, or its node died and was
   * reaped (IRC shows which, in QUIT's reason).
   */
  offline(peer: Peer, shared: readonly RoomView[], how: 'close' | 'quit' | 'lost'): string[];
  /** "renamed": `shared` when observer and peer share a room. */
  renamed(from: Peer, to: string, shared: boolean): string | undefined;
  /** "user list", where the dialect has one. */
  readonly users?: Listing<string> & { readonly scope: UserListScope };
  /** "shutdown": the goodbye before the close; undefined: the connection just closes, nothing written. */
  shutdown(message: string): string | undefined;
  /** Rooms, where the dialect has them. */
  readonly rooms?: RoomsContract;
}

/** What the injection property test needs to know of a dialect (test/injection.property.test.ts). */
export interface InjectionRules {
  /** What one DM of this dialect can carry: the bytes that would end its frame taken out. */
  carriable(bytes: Buffer): Buffer;
  /** The canonical text the Hub receives for those bytes (the dialect's documented input rules). */
  canonical(bytes: Buffer): string;
  /** The texts a recipient of this dialect gets for one canonical text (one per line for line dialects), from core's safety functions. */
  safe(text: string): string[];
  /** What a nick or room name can be in one frame of this dialect. */
  name(name: string): string;
}

/** The injection rules of a line dialect: CR and LF end a frame, so no text holds them, and a text with line breaks arrives one frame per line. */
export const LINE_INJECTION: InjectionRules = Object.freeze({
  carriable: (b: Buffer) => Buffer.from(b.filter((x) => x !== 0x0d && x !== 0x0a)),
  canonical: (b: Buffer) => b.toString('utf8'),
  safe: (text: string) => safeLines(text),
  name: (name: string) => name,
});

/**
 * Everything the cross-dialect suites need of one dialect, exported as
 * `testing` by the dialect package's `./testing` entry: a new dialect is
 * tested everywhere by writing this object in its own package.
 */
export interface DialectTesting {
  /** The dialect's name, as its Dialect and config say. */
  readonly dialect: string;
  /** A driver connected to a listener of this dialect, past any greeting, not registered. */
  open(port: number): Promise<ChatDriver>;
  readonly contract: DialectContract;
  readonly injection: InjectionRules;
}
