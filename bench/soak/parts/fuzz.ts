import { RawConn, pause } from '../attack.js';
import { CORPUS, MUTATIONS, Rng, mutate, segments, type Mutation } from '../mutate.js';
import { runAttackers, type RoleContext } from '../workers.js';
import { check, ms, type PartContext, type PartResult } from '../types.js';

const DIALECTS = ['ws2017', 'psu', 'sup', 'chatmaster', 'irc'] as const;
// The frame limit each dialect's framer enforces with the default config (DESIGN.md "Operating limits").
const SIZE_MAX: Readonly<Record<string, number>> = { ws2017: 8192, psu: 8192, sup: 8192, chatmaster: 65536, irc: 512 };
// Registration frames at the head of each corpus (IRC: CAP LS, NICK, USER, CAP END).
const REGISTRATION: Readonly<Record<string, number>> = { ws2017: 1, psu: 1, sup: 1, chatmaster: 1, irc: 4 };
// Oversize frames are costly to send; the others share the rest evenly.
const WEIGHTS: readonly [Mutation, number][] = MUTATIONS.map((m) => [m, m === 'oversize' ? 0.2 : m === 'deflate' || m === 'nest' ? 0.6 : 1]);
const FRAMES_PER_CONNECTION = 40;
const CONCURRENCY = 16;

interface FuzzArgs {
  dialect: string;
  port: number;
  frames: number;
  batch: number;
  seed: number;
}

interface FuzzResult {
  dialect: string;
  mutated: number;
  connections: number;
  bytesSent: number;
  bytesBack: number;
  byKind: Record<string, number>;
}

function pickMutation(rng: Rng): Mutation {
  const total = WEIGHTS.reduce((n, [, w]) => n + w, 0);
  let r = rng.next() * total;
  for (const [m, w] of WEIGHTS) if ((r -= w) < 0) return m;
  return 'bitflip';
}

/**
 * The fuzzing attacker of one dialect (its own process): connections that
 * each send a mutated session of that dialect, cut into writes at random
 * boundaries, then leave by FIN, RST or after a pause. After every `batch`
 * mutated frames it waits for the soak's canary round trip.
 */
export async function fuzzRole(ctx: RoleContext<FuzzArgs>): Promise<FuzzResult> {
  const { dialect, port, frames, batch, seed } = ctx.args;
  const rng = new Rng(seed);
  const res: FuzzResult = { dialect, mutated: 0, connections: 0, bytesSent: 0, bytesBack: 0, byKind: {} };
  let nextBatch = batch;
  let serial = 0;
  const one = async (): Promise<void> => {
    const n = serial++;
    const me = `fz${dialect.slice(0, 2)}${n}`;
    const corpus = CORPUS[dialect]!(me, `fz${dialect.slice(0, 2)}${Math.max(0, n - 1)}`);
    const reg = REGISTRATION[dialect]!;
    const out: Buffer[] = [];
    for (let i = 0; i < FRAMES_PER_CONNECTION; i++) {
      const frame = i < reg ? corpus[i]! : rng.pick(corpus.slice(reg));
      // Registration is mostly left whole, so that most sessions get past it and reach the Hub.
      if (rng.chance(i < reg ? 0.2 : 0.85)) {
        const kind = pickMutation(rng);
        res.byKind[kind] = (res.byKind[kind] ?? 0) + 1;
        res.mutated++;
        out.push(mutate(rng, frame, corpus, kind, SIZE_MAX[dialect]!));
      } else out.push(frame);
    }
    const stream = Buffer.concat(out);
    res.bytesSent += stream.length;
    const c = await RawConn.open(port);
    for (const piece of segments(rng, stream)) {
      if (!c.write(piece)) break;
      if (rng.chance(0.1)) await new Promise((r) => setImmediate(r));
    }
    const end = rng.int(3);
    if (end === 0) c.rst();
    else if (end === 1) await c.fin();
    else {
      await pause(rng.int(50));
      await c.fin();
    }
    await c.closedWithin(3000);
    res.bytesBack += c.received;
    res.connections++;
  };
  // A batch boundary: no new connection starts until the soak has run its canary round trip.
  let boundary: Promise<void> | undefined;
  const atBoundary = (): Promise<void> =>
    (boundary ??= (async () => {
      ctx.send({ type: 'batch', dialect, mutated: res.mutated });
      await ctx.next();
      nextBatch += batch;
      boundary = undefined;
    })());
  const lane = async (): Promise<void> => {
    while (res.mutated < frames) {
      if (res.mutated >= nextBatch) await atBoundary();
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return res;
}

/** (a) Fuzzing: ≥ N mutated frames per dialect, a cross-dialect canary round trip after every batch. */
export async function fuzzPart(ctx: PartContext): Promise<PartResult> {
  const { gw, canary, sizes } = ctx;
  canary.reset();
  const t0 = performance.now();
  const cpu0 = gw.proc().cpuMs;
  const results = await runAttackers<FuzzResult>(
    'fuzz',
    DIALECTS.map((dialect, i) => ({ dialect, port: gw.ports[dialect]!, frames: sizes.fuzzFrames, batch: sizes.fuzzBatch, seed: (ctx.seed + i * 7919) >>> 0 })),
    (msg, reply) => {
      if (msg.type !== 'batch') return;
      void canary.roundTrip().then((rtt) => {
        ctx.log(`  fuzz: ${String(msg.dialect)} ${String(msg.mutated)} mutated frames, canary ${ms(rtt)} ms`);
        reply({ type: 'go' });
      });
    },
  );
  const wallMs = performance.now() - t0;
  const c = canary.stats();
  const figures: Record<string, string | number> = { seed: ctx.seed, seconds: ms(wallMs / 1000), 'gateway CPU s': ms((gw.proc().cpuMs - cpu0) / 1000) };
  for (const r of results) figures[`${r.dialect} mutated frames / connections`] = `${r.mutated} / ${r.connections}`;
  figures['canary round trips'] = c.count;
  figures['canary worst ms'] = ms(c.worstMs);
  const kinds: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r.byKind)) kinds[k] = (kinds[k] ?? 0) + n;
  figures.mutations = Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ');
  return {
    part: 'fuzz',
    title: `(a) fuzzing: ${sizes.fuzzFrames} mutated frames per dialect (seed ${ctx.seed})`,
    figures,
    checks: [
      check('gateway alive (no crash)', gw.alive, gw.alive ? 'running' : `exited ${String(gw.exitCode)}`),
      check('every dialect got its frames', results.every((r) => r.mutated >= sizes.fuzzFrames), results.map((r) => `${r.dialect} ${r.mutated}`).join(', ')),
      check('every canary round trip came back', c.failures === 0, `${c.failures} lost of ${c.count}`),
    ],
  };
}
