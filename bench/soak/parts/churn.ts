import { RawConn, pause } from '../attack.js';
import { runAttackers, type RoleContext } from '../workers.js';
import type { StatusCounts } from '../gateway.js';
import { check, type PartContext, type PartResult } from '../types.js';

interface ChurnArgs {
  ports: Record<string, number>;
  cycles: number;
  tag: string;
}

const DIALECTS = ['ws2017', 'psu', 'sup', 'chatmaster', 'irc'];
const WAYS = ['quit', 'fin', 'rst', 'half-close', 'never-registered'] as const;
// Each dialect's own goodbye (ChatMaster has none: its clients just close).
const QUIT: Readonly<Record<string, (nick: string) => string>> = {
  ws2017: () => 'cquit\r\n',
  psu: () => ':QUIT\r\n',
  sup: (n) => `quit ${n}\x04`,
  irc: () => 'QUIT :bye\r\n',
};
// Something that reaches the Hub before the client goes: a room join where there are rooms.
const ACTIVITY: Readonly<Record<string, string>> = {
  ws2017: 'cgetu\r\n',
  psu: ':JOIN #churn\r\n',
  sup: 'get contacts\x04',
  chatmaster: '{"type":"command","data":{"command":"join","parameters":{"channel":"churn"}}}\n',
  irc: 'JOIN #churn\r\n',
};

/** Connection churn: every way a client can come and go, in every dialect, `cycles` times. */
export async function churnRole(ctx: RoleContext<ChurnArgs>): Promise<Record<string, number>> {
  const { ports, cycles, tag } = ctx.args;
  const done: Record<string, number> = {};
  let next = 0;
  const one = async (i: number): Promise<void> => {
    const dialect = DIALECTS[i % DIALECTS.length]!;
    const way = WAYS[Math.floor(i / DIALECTS.length) % WAYS.length]!;
    const nick = `ch${tag}${i}`;
    const c = way === 'never-registered' ? await RawConn.open(ports[dialect]!) : await RawConn.login(dialect, ports[dialect]!, nick);
    if (way !== 'never-registered') c.write(ACTIVITY[dialect]!);
    if (way === 'quit' && QUIT[dialect]) {
      c.write(QUIT[dialect]!(nick));
      await c.closedWithin(5000);
    } else if (way === 'rst') c.rst();
    else if (way === 'fin') {
      c.socket.end();
      c.destroy();
    } else if (way === 'half-close') await c.fin(5000);
    else {
      if (way === 'never-registered') await pause(1);
      await c.fin(5000);
    }
    done[way] = (done[way] ?? 0) + 1;
  };
  const lane = async (): Promise<void> => {
    while (next < cycles) await one(next++);
  };
  await Promise.all(Array.from({ length: 25 }, lane));
  return done;
}

/** Polls /status (bounded) until its counts are back to `base`. */
async function settle(ctx: PartContext, base: StatusCounts, timeoutMs: number): Promise<StatusCounts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await ctx.gw.status();
    if ((s.connections === base.connections && s.users === base.users) || Date.now() > deadline) return s;
    await pause(100);
  }
}

/** (e) Churn: connections, users, fds and RSS before and after N comings and goings. */
export async function churnPart(ctx: PartContext): Promise<PartResult> {
  const { gw } = ctx;
  // A first twentieth warms the gateway up (its heap grows to its working size), then the baseline is read.
  const warm = Math.ceil(ctx.sizes.churn / 20);
  const initial = await gw.status();
  await runAttackers('churn', [0, 1].map((k) => ({ ports: gw.ports, cycles: warm, tag: `${ctx.seed % 1000}w${k}` })));
  const base = await settle(ctx, initial, 15_000);
  const fds0 = gw.fds();
  const rss0 = gw.proc().rss;
  const per = Math.ceil(ctx.sizes.churn / 2);
  const results = await runAttackers<Record<string, number>>('churn', [0, 1].map((k) => ({ ports: gw.ports, cycles: per, tag: `${ctx.seed % 1000}${k}` })));
  const after = await settle(ctx, base, 15_000);
  // Sockets are released when the close event has run: give the descriptor count the same bounded wait.
  const deadline = Date.now() + 5000;
  while (gw.fds() > fds0 && Date.now() < deadline) await pause(100);
  const fds1 = gw.fds();
  const rss1 = gw.proc().rss;
  const ways: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r)) ways[k] = (ways[k] ?? 0) + n;
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  return {
    part: 'churn',
    title: `(e) churn: ${per * 2} cycles (${Object.entries(ways).map(([k, n]) => `${k} ${n}`).join(', ')}) after ${warm * 2} to warm up`,
    figures: {
      'connections before / after': `${base.connections} / ${after.connections}`,
      'users before / after': `${base.users} / ${after.users}`,
      'rooms before / after': `${base.rooms} / ${after.rooms}`,
      'fds before / after': `${fds0} / ${fds1}`,
      'RSS before / after MB': `${mb(rss0)} / ${mb(rss1)}`,
    },
    checks: [
      check('gateway alive (no crash)', gw.alive, gw.alive ? 'running' : `exited ${String(gw.exitCode)}`),
      check('connections and users back to the baseline', after.connections === base.connections && after.users === base.users && after.rooms === base.rooms, `connections ${after.connections}/${base.connections}, users ${after.users}/${base.users}, rooms ${after.rooms}/${base.rooms}`),
      check('file descriptors back to the baseline', fds1 <= fds0, `${fds1} (before: ${fds0})`),
      check('RSS growth < 64 MB', rss1 - rss0 < 64 * 1048576, `${mb(rss1 - rss0)} MB`),
    ],
  };
}
