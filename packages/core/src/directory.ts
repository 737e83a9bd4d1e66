import type { Visibility } from './events.js';

/** Who is online: one record per registered session, on any node. */
export interface UserRecord {
  nick: string;
  /** Node-qualified session id (unique across nodes). */
  session: string;
  dialect: string;
  /** False when the user's dialect has no delivery receipts: the sender's gateway synthesizes them. */
  receipts: boolean;
  node: string;
  address: string;
}

export interface RoomRecord {
  name: string;
  visibility: Visibility;
  /** Rooms named in config always exist; others die with their last member. */
  persistent: boolean;
  /** How many members it has. */
  size: number;
}

/** A user a reaped node left behind, with the rooms they were in. */
export interface ReapedUser {
  user: UserRecord;
  rooms: string[];
}

/** What a lease renewal found: still held, new (first renewal, or the back end lost it), or reaped by another node. */
export type LeaseState = 'held' | 'new' | 'reaped';

/**
 * Shared state (DESIGN.md "Nodes and back ends"): nicks, rooms, members and
 * node leases. Every method is async so that a Redis implementation can
 * replace the in-process one, and every mutating method is atomic on its own
 * across nodes: claimNick is the one uniqueness point, and a rename, a join
 * and a leave are each one step (Redis: one Lua script each). Names compare
 * with core's ASCII fold. A method may reject when the back end is
 * unreachable; the Hub turns that into INTERNAL.
 */
export interface Directory {
  /** Claims a nick for a session; false when another session holds it. */
  claimNick(user: UserRecord): Promise<boolean>;
  /** Moves a session's claim to a new nick, keeping room memberships; false when taken or not the holder. */
  renameNick(session: string, from: string, to: string): Promise<boolean>;
  /** Drops a session's claim and its room memberships; returns the rooms it was in. */
  releaseNick(session: string, nick: string): Promise<string[]>;
  /** One online user. */
  getUser(nick: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** Adds a member, creating the room when absent. */
  joinRoom(room: string, nick: string): Promise<{ room: RoomRecord; created: boolean; already: boolean }>;
  /** Removes a member, deleting a non-persistent room left empty; undefined when no such room. */
  leaveRoom(room: string, nick: string): Promise<{ room: RoomRecord; deleted: boolean; wasMember: boolean } | undefined>;
  getRoom(room: string): Promise<RoomRecord | undefined>;
  /** A room's member nicks in join order, at most `limit` of them; empty when no such room. */
  members(room: string, limit?: number): Promise<string[]>;
  listRooms(): Promise<RoomRecord[]>;
  setVisibility(room: string, visibility: Visibility): Promise<RoomRecord | undefined>;
  /** Creates the config-named rooms (idempotent). */
  ensureRooms(names: string[]): Promise<void>;
  /** The address that last held a nick (WS_2017 rev-a "welcome back"). */
  lastAddress(nick: string): Promise<string | undefined>;
  /** Renews a node's lease for `ttlMs` (DESIGN.md "Liveness"). */
  renewLease(node: string, ttlMs: number): Promise<LeaseState>;
  /**
   * Reaps every node whose lease has lapsed: atomically releases its users
   * and marks it reaped, so exactly one caller gets each user back.
   */
  reapLapsed(): Promise<ReapedUser[]>;
  close(): Promise<void>;
}
