import { RawConn, pause } from '../attack.js';
import { check, type PartContext, type PartResult } from '../types.js';

// The ChatMaster listener's currentUsersMax in the soak's config (the default).
const CAP = 200;

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

/**
 * (b) ChatMaster join notifications (issue #12 item 3): N ChatMaster users log in one after another
 * into `general`, and every byte the gateway sends them is counted. With current_users capped the
 * total grows O(n² · cap); the uncapped O(n³) total would exceed the bound.
 */
export async function fanoutPart(ctx: PartContext): Promise<PartResult> {
  const n = ctx.sizes.logins;
  const conns: RawConn[] = [];
  const t0 = performance.now();
  try {
    for (let k = 0; k < n; k++) conns.push(await RawConn.login('chatmaster', ctx.gw.ports.chatmaster!, `fo${ctx.seed % 1000}x${k}`));
    // The last join's notifications may still be on their way to the others: count until nothing more arrives.
    let total = -1;
    for (let deadline = Date.now() + 10_000; Date.now() < deadline; await pause(300)) {
      const now = conns.reduce((s, c) => s + c.received, 0);
      if (now === total) break;
      total = now;
    }
    const nick = (k: number): number => `fo${ctx.seed % 1000}x${k}`.length;
    const bound = fanoutBound(n, CAP, fanoutSizes(nick(0), nick(n - 1)));
    return {
      part: 'fanout',
      title: `(b) ChatMaster join notifications: ${n} logins into general (current_users capped at ${CAP})`,
      figures: { 'bytes sent to the clients': total, 'bound with the cap': bound.capped, 'uncapped lists would send at least': bound.uncapped, seconds: Math.round(performance.now() - t0) / 1000 },
      checks: [check('bytes within the capped bound', total <= bound.capped, `${total} ≤ ${bound.capped} (uncapped: ${bound.uncapped})`)],
    };
  } finally {
    for (const c of conns) c.destroy();
  }
}
