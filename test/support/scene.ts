import assert from 'node:assert/strict';
import { fold } from '@chat-gateway/core';
import { dialectTesting, type ChatDriver, type DialectContract, type Peer, type RoomInfo, type RoomView } from '@chat-gateway/testkit';
import type { Listing } from '@chat-gateway/core/testing';

interface Room {
  name: string;
  /** Nicks in join order (a rename keeps its place). */
  members: string[];
  private: boolean;
  /** A configured room: it outlives its last member. */
  persistent: boolean;
}

/** What each client must receive for one step: frames by client; a client not named must receive nothing. */
type Expected = Map<ChatDriver, (string | undefined)[]>;

/**
 * Users on one gateway and a model of who is in which room, so that every
 * step asserts what every client receives, from each dialect's contract
 * (DESIGN.md's table as data): the one who acted has its own replies read
 * off; every other client must receive exactly the predicted frames (in any
 * order within the step) and then nothing else, proven by a sentinel.
 */
export class Scene {
  readonly users: ChatDriver[] = [];
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly bringOnline: (dialect: string, nick: string) => Promise<ChatDriver>,
    persistentRooms: readonly string[],
  ) {
    for (const name of persistentRooms) this.rooms.set(fold(name), { name, members: [], private: false, persistent: true });
  }

  /** The contract of a client's dialect. */
  contract(d: ChatDriver): DialectContract {
    return dialectTesting(d.dialect).contract;
  }

  /** A client as others are told about it. */
  peer(d: ChatDriver): Peer {
    return { nick: d.nick, dialect: d.dialect };
  }

  /** A room as it is now: name and members in join order. */
  view(room: string): RoomView {
    const r = this.room(room);
    return { room: r.name, members: [...r.members] };
  }

  /** Names of the rooms the client is in. */
  roomsOf(d: ChatDriver): string[] {
    return [...this.rooms.values()].filter((r) => r.members.includes(d.nick)).map((r) => r.name);
  }

  /** Brings a user online; everyone else sees the login as their dialect shows it (and where it lands, if it lands in their room). */
  async add(dialect: string, nick: string): Promise<ChatDriver> {
    const d = await this.bringOnline(dialect, nick);
    this.users.push(d);
    const auto = this.contract(d).rooms?.auto;
    if (auto) this.addMember(auto, nick);
    const want = this.each(d, (o) => [this.contract(o).online(this.peer(d))]);
    if (auto) this.toMembers(want, auto, d, (o) => this.contract(o).rooms?.joined(this.peer(d), this.view(auto)));
    await this.settle(want, d);
    return d;
  }

  /** Brings a user online in `room` and nowhere else (leaving the room its dialect puts it in at login). */
  async member(dialect: string, nick: string, room: string): Promise<ChatDriver> {
    const d = await this.add(dialect, nick);
    for (const r of this.roomsOf(d)) if (r !== room) await this.leave(d, r);
    if (!this.roomsOf(d).includes(room)) await this.enter(d, room);
    return d;
  }

  /** The client joins the room (leaving its current one first where the dialect allows one at a time); members see it. */
  async enter(d: ChatDriver, room: string): Promise<void> {
    const want: Expected = new Map();
    if (this.contract(d).rooms?.single) for (const q of this.roomsOf(d)) this.leaveModel(want, d, q);
    const r = await d.join(room);
    assert.ok(r.ok, `${d.dialect} ${d.nick} could not join ${room}: ${r.raw}`);
    this.addMember(room, d.nick);
    this.toMembers(want, room, d, (o) => this.contract(o).rooms?.joined(this.peer(d), this.view(room)));
    await this.settle(want, d);
  }

  /** The client leaves the room; the members left see it. */
  async leave(d: ChatDriver, room: string): Promise<void> {
    const r = await d.part(room);
    assert.ok(r.ok, `${d.dialect} ${d.nick} could not leave ${room}: ${r.raw}`);
    const want: Expected = new Map();
    this.leaveModel(want, d, room);
    await this.settle(want, d);
  }

  /** The client renames; everyone sees it as their dialect shows it. */
  async rename(d: ChatDriver, to: string): Promise<void> {
    const from = this.peer(d);
    const r = await d.rename(to);
    assert.ok(r.ok, `${d.dialect} ${from.nick} could not rename to ${to}: ${r.raw}`);
    for (const room of this.rooms.values()) room.members = room.members.map((m) => (m === from.nick ? to : m));
    await this.settle(this.each(d, (o) => [this.contract(o).renamed(from, to, this.shared(o, d).length > 0)]), d);
  }

  /** The client goes: its connection drops, or it quits as its dialect does; everyone else sees it go offline. */
  async drop(d: ChatDriver, how: 'close' | 'quit' = 'close'): Promise<void> {
    // What the others are shown: a dialect without a quit command quits by closing.
    const seen = how === 'quit' && !this.contract(d).quitsByClosing ? 'quit' : 'close';
    if (how === 'quit') await d.quit();
    else d.close();
    await this.lose([d], undefined, [], seen);
  }

  /**
   * Users gone without a word of theirs (their connections dropped, their
   * node died: `how` 'lost'): everyone left sees each go offline, the first
   * frame within `timeoutMs` (DESIGN.md "Liveness": within 10 s of a `kill -9`).
   * `outsiders`: users outside the scene (in no room) who go with them.
   */
  async lose(gone: readonly ChatDriver[], timeoutMs?: number, outsiders: readonly Peer[] = [], how: 'close' | 'quit' | 'lost' = 'lost'): Promise<void> {
    for (const d of gone) this.users.splice(this.users.indexOf(d), 1);
    const shared = new Map(this.users.map((o) => [o, gone.map((d) => [this.peer(d), this.shared(o, d).map((r) => r.name)] as const)]));
    for (const d of gone) for (const room of this.roomsOf(d)) this.removeMember(room, d.nick);
    const each = (o: ChatDriver) => [...shared.get(o)!, ...outsiders.map((p) => [p, []] as const)];
    const frames = (o: ChatDriver) => each(o).flatMap(([peer, rooms]) => this.contract(o).offline(peer, rooms.map((r) => this.view(r)), how));
    await this.settle(new Map(this.users.map((o) => [o, frames(o)])), undefined, timeoutMs);
  }

  /** A room message: every other member gets it, the sender and everyone else nothing. */
  async say(d: ChatDriver, room: string, text: string): Promise<void> {
    const r = await d.roomSay(room, text);
    assert.ok(r.ok, `${d.dialect} ${d.nick} could not say in ${room}: ${r.raw}`);
    const want: Expected = new Map();
    this.toMembers(want, room, d, (o) => this.contract(o).rooms!.message(this.peer(d), this.view(room).room, text));
    await this.settle(want);
  }

  /** The client makes its room private or public; the other members see it as their dialect shows it. */
  async setVisibility(d: ChatDriver, room: string, which: 'private' | 'public'): Promise<void> {
    const r = await d.setVisibility!(which);
    assert.ok(r.ok, `${d.dialect} ${d.nick} could not make ${room} ${which}: ${r.raw}`);
    this.room(room).private = which === 'private';
    const want: Expected = new Map();
    this.toMembers(want, room, d, (o) => this.contract(o).rooms?.visibility(this.view(room).room, which === 'private'));
    await this.settle(want, d);
  }

  /** Asks the client's user list and checks it against who is online in login order (or in `room`, in join order), then that nothing else came. */
  async checkUsers(d: ChatDriver, room: string): Promise<void> {
    const listing = this.contract(d).users!;
    const everyone = this.users.map((u) => u.nick);
    const names = listing.scope === 'room' ? this.view(room).members : listing.scope === 'others' ? everyone.filter((n) => n !== d.nick) : everyone;
    await check(d, listing, names, room, names);
  }

  /** Asks the client's room list and checks it against the rooms it may see, then that nothing else came. */
  async checkRooms(d: ChatDriver): Promise<void> {
    const visible: RoomInfo[] = [...this.rooms.values()]
      .filter((r) => !r.private || r.members.includes(d.nick))
      .map((r) => ({ name: r.name, members: r.members.length, private: r.private }));
    await check(d, this.contract(d).rooms!.list!, visible, '', visible.map((r) => r.name));
  }

  /** Rooms both clients are in. */
  private shared(a: ChatDriver, b: ChatDriver): Room[] {
    return [...this.rooms.values()].filter((r) => r.members.includes(a.nick) && r.members.includes(b.nick));
  }

  private room(name: string): Room {
    const r = this.rooms.get(fold(name));
    assert.ok(r, `the scene has no room ${name}`);
    return r;
  }

  private addMember(name: string, nick: string): void {
    const key = fold(name);
    const r = this.rooms.get(key) ?? { name, members: [], private: false, persistent: false };
    this.rooms.set(key, r);
    r.members.push(nick);
  }

  private removeMember(name: string, nick: string): void {
    const r = this.room(name);
    r.members = r.members.filter((m) => m !== nick);
    if (r.members.length === 0 && !r.persistent) this.rooms.delete(fold(name));
  }

  /** Takes the client out of the room in the model; the members left are to see it. */
  private leaveModel(want: Expected, d: ChatDriver, room: string): void {
    const before = this.view(room);
    this.removeMember(room, d.nick);
    const after: RoomView = { room: before.room, members: before.members.filter((m) => m !== d.nick) };
    for (const o of this.users) if (o !== d && after.members.includes(o.nick)) push(want, o, this.contract(o).rooms?.left(this.peer(d), after));
  }

  /** Every client but the actor, with what it is to see. */
  private each(actor: ChatDriver, frames: (o: ChatDriver) => (string | undefined)[]): Expected {
    return new Map(this.users.filter((o) => o !== actor).map((o) => [o, frames(o)]));
  }

  /** Adds a frame for every member of the room but the actor. */
  private toMembers(want: Expected, room: string, actor: ChatDriver, frame: (o: ChatDriver) => string | undefined): void {
    const members = this.view(room).members;
    for (const o of this.users) if (o !== actor && members.includes(o.nick)) push(want, o, frame(o));
  }

  /** The actor's own replies are read off; everyone else gets exactly what is expected, then nothing (a sentinel). */
  private async settle(want: Expected, actor?: ChatDriver, timeoutMs?: number): Promise<void> {
    for (const o of this.users) {
      if (o === actor) await o.drain();
      else await expectFrames(o, (want.get(o) ?? []).filter((f): f is string => f !== undefined), timeoutMs);
    }
  }
}

function push(want: Expected, o: ChatDriver, frame: string | undefined): void {
  want.set(o, [...(want.get(o) ?? []), frame]);
}

/** The client's next frames are exactly these (in any order: one step may touch several rooms), each within `timeoutMs`, then nothing else. */
export async function expectFrames(d: ChatDriver, frames: readonly string[], timeoutMs?: number): Promise<void> {
  const got: string[] = [];
  for (let i = 0; i < frames.length; i++) got.push((await d.next(timeoutMs)).raw);
  assert.deepEqual([...got].sort(), [...frames].sort(), `${d.dialect} ${d.nick}`);
  await d.sentinel();
}

/** Asks a listing and checks the reply: exact frames where the dialect fixes them, else the names as a set. */
async function check<T>(d: ChatDriver, listing: Listing<T>, items: readonly T[], room: string, names: readonly string[]): Promise<void> {
  const reply = await listing.ask(d, room);
  if (listing.frames) assert.deepEqual(reply, listing.frames(items, room), `${d.dialect} ${d.nick}`);
  else assert.deepEqual([...listing.names!(reply)].sort(), [...names].sort(), `${d.dialect} ${d.nick}: ${JSON.stringify(reply)}`);
  await d.sentinel();
}
