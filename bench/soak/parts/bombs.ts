import zlib from 'node:zlib';
import { RawConn } from '../attack.js';
import { runAttackers, type RoleContext } from '../workers.js';
import { check, ms, type PartContext, type PartResult } from '../types.js';
import { INFLATION_BOMB } from './amplify.js';

interface BombArgs {
  port: number;
  count: number;
  tag: string;
}

// 50 MB of zeros in about 50 KB (under packageMax): the classic bombs, in both formats.
const ZLIB_BOMB = zlib.deflateSync(Buffer.alloc(50 * 1024 * 1024));
const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
const KINDS = ['zlib 50 MB', 'gzip 50 MB', 'valid 1000 KiB, dribbled', 'valid 1000 KiB, whole'] as const;

/** Sends `count` decompression bombs, 50 connections at a time, each on its own logged-in ChatMaster connection. */
export async function bombRole(ctx: RoleContext<BombArgs>): Promise<{ sent: number; closed: number }> {
  const { port, count, tag } = ctx.args;
  let next = 0;
  let closed = 0;
  const one = async (i: number): Promise<void> => {
    const c = await RawConn.login('chatmaster', port, `bm${tag}${i}`);
    const kind = KINDS[i % KINDS.length]!;
    if (kind === 'zlib 50 MB') c.write(ZLIB_BOMB);
    else if (kind === 'gzip 50 MB') c.write(GZIP_BOMB);
    else if (kind === 'valid 1000 KiB, whole') c.write(INFLATION_BOMB);
    else {
      // Small pieces, each its own read: a package that must be re-examined as it grows.
      for (let at = 0; at < INFLATION_BOMB.length && !c.isClosed; at += 64) {
        c.write(INFLATION_BOMB.subarray(at, at + 64));
        await new Promise((r) => setImmediate(r));
      }
    }
    await c.closedWithin(kind.startsWith('valid') ? 500 : 5000);
    if (c.isClosed) closed++;
  };
  const lane = async (): Promise<void> => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(50, count) }, lane));
  return { sent: count, closed };
}

/** (d) Decompression bombs: the gateway's peak RSS while they arrive, against its RSS before. */
export async function bombsPart(ctx: PartContext): Promise<PartResult> {
  const { gw, canary } = ctx;
  const before = gw.proc().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, gw.proc().rss)), 20);
  canary.reset();
  canary.start(60);
  const cpu0 = gw.proc().cpuMs;
  const [r] = await runAttackers<{ sent: number; closed: number }>('bombs', [{ port: gw.ports.chatmaster!, count: ctx.sizes.bombs, tag: String(ctx.seed % 1000) }]);
  clearInterval(timer);
  const c = await canary.stop();
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  const grown = peak - before;
  return {
    part: 'bombs',
    title: `(d) decompression bombs: ${ctx.sizes.bombs} (${KINDS.join(', ')}; ${ZLIB_BOMB.length}-byte zlib bomb)`,
    figures: {
      'RSS before / peak MB': `${mb(before)} / ${mb(peak)}`,
      'peak growth MB': mb(grown),
      'bomb connections closed by the gateway': `${r!.closed} of ${r!.sent}`,
      'gateway CPU s': ms((gw.proc().cpuMs - cpu0) / 1000),
      'canary worst ms / lost': `${ms(c.worstMs)} / ${c.failures}`,
    },
    checks: [
      check('gateway alive (no crash)', gw.alive, gw.alive ? 'running' : `exited ${String(gw.exitCode)}`),
      check('peak RSS growth < 128 MB', grown < 128 * 1048576, `${mb(grown)} MB`),
      check('every canary round trip came back', c.failures === 0, `${c.failures} lost of ${c.count}`),
    ],
  };
}
