import { RawConn, pause } from '../attack.js';
import { fanoutBound, fanoutSizes } from '@chat-gateway/testkit';
import { check, type PartContext, type PartResult } from '../types.js';

// The ChatMaster listener's currentUsersMax in the soak's config (the default).
const CAP = 200;

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
