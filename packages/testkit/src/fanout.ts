// Bounds on the bytes of room-join notifications that carry the room's member list, capped
// (ChatMaster's user_joined with current_users, issue #12 item 3): shared by the dialect's test
// and the soak (bench/soak/parts/fanout.ts), which measure the same thing at two sizes.

/** Per-package and per-name byte counts, as bounds: `high` for the capped total's ceiling, `low` for the uncapped total's floor. */
export interface FanoutSizes {
  /** One user_joined without its names: event_type, username and channel in both forms, the JSON around them, `\n`. */
  base: { low: number; high: number };
  /** One name in current_users: the nick, its quotes and a comma. */
  perName: { low: number; high: number };
  /** The login request and the session reply a login costs its own client. */
  login: number;
}

/** Bounds for nicks of `nickMin`–`nickMax` characters (what the soak and the test log in with). */
export function fanoutSizes(nickMin: number, nickMax: number): FanoutSizes {
  return { base: { low: 150 + 2 * nickMin, high: 170 + 2 * nickMax }, perName: { low: nickMin + 3, high: nickMax + 3 }, login: 300 };
}

/**
 * The most bytes N logins into one room can send with current_users capped at `cap` (DESIGN.md
 * "Traffic"), and the least the uncapped lists would send: the k-th login gives each of the k
 * members (the joiner too) one user_joined naming min(k, cap) members, or k of them uncapped.
 */
export function fanoutBound(n: number, cap: number, sizes: FanoutSizes): { capped: number; uncapped: number } {
  let capped = 0;
  let uncapped = 0;
  for (let k = 1; k <= n; k++) {
    capped += k * (sizes.base.high + sizes.perName.high * Math.min(k, cap)) + sizes.login;
    uncapped += k * (sizes.base.low + sizes.perName.low * k);
  }
  return { capped, uncapped };
}
