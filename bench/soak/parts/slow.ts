import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CODECS } from '../../loadgen/codecs/index.js';
import { runLoad, type LoadResult } from '../../loadgen/driver.js';
import type { Endpoint } from '../../loadgen/setup.js';
import { RawConn, pause } from '../attack.js';
import { FloorProbe } from '../floor.js';
import { AttackerProcess, type RoleContext } from '../workers.js';
import { check, ms, type PartContext, type PartResult } from '../types.js';

interface SlowArgs {
  ports: Record<string, number>;
  readers: number;
  flooders: number;
  /** The control case: the same flood, to readers that read. */
  reading: boolean;
  tag: string;
}

interface SlowResult {
  /** Times a slow reader was cut off by the gateway (and came back). */
  cutOff: number;
  /** Of those, how many found the dialect's "not reading fast enough" reply as their last words. */
  toldWhy: number;
  dmsSent: number;
}

// Each dialect's SEND_QUEUE_FULL reply, as its slow reader finds it before the close.
const TOLD: Readonly<Record<string, string>> = { psu: 'Not reading fast enough', ws2017: 'not reading fast enough', chatmaster: 'not reading fast enough' };
const READER_DIALECTS = ['psu', 'ws2017', 'chatmaster'];
const TEXT = 'z'.repeat(4000);
// Enough 4 KB DMs a second (each sender at flood control's 20/s) to fill a non-reader's socket buffers in seconds.
const FLOODERS = Number(process.env.SOAK_FLOODERS ?? 120);

/**
 * Slow readers and what floods them (one process): each reader registers and
 * never reads; flooders DM them 4,000-character texts as fast as flood
 * control lets a connection (50 at once, then 20 a second). A reader the
 * gateway cuts off drains what reached it (the reply must be the last line
 * before the close) and comes back under the same nick.
 */
export async function slowRole(ctx: RoleContext<SlowArgs>): Promise<SlowResult> {
  const { ports, readers, flooders, reading, tag } = ctx.args;
  const res: SlowResult = { cutOff: 0, toldWhy: 0, dmsSent: 0 };
  let running = true;
  const nicks = Array.from({ length: readers }, (_, i) => `slow${tag}${i}`);
  // A Sup connection per reader asks after it (`contact <nick>`): a reader learns it was cut off when its nick is free.
  const watcher = async (nick: string): Promise<{ online(): Promise<boolean>; close(): void }> => {
    const w = await RawConn.login('sup', ports.sup!, `w${nick}`);
    const answers: ((online: boolean) => void)[] = [];
    let buf = '';
    w.socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      for (let i = buf.indexOf('\x04'); i >= 0; i = buf.indexOf('\x04')) {
        answers.shift()?.(buf.slice(0, i) === 'status 001 Online');
        buf = buf.slice(i + 1);
      }
    });
    return {
      online: () =>
        new Promise<boolean>((resolve) => {
          answers.push(resolve);
          w.write(`contact ${nick}\x04`);
        }),
      close: () => w.destroy(),
    };
  };
  const reader = async (i: number): Promise<void> => {
    const dialect = READER_DIALECTS[i % READER_DIALECTS.length]!;
    const watch = await watcher(nicks[i]!);
    while (running) {
      let c: RawConn;
      try {
        c = await RawConn.login(dialect, ports[dialect]!, nicks[i]!);
      } catch {
        await pause(100); // the old nick is still being released
        continue;
      }
      if (reading) {
        while (running && !c.isClosed) await pause(100);
        c.destroy();
        continue;
      }
      c.stopReading();
      let tail = '';
      c.socket.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('latin1')).slice(-300)));
      while (running && !c.isClosed && (await watch.online())) await pause(100);
      if (running) {
        // Cut off: what reached the socket is read to the end; the dialect's reply must be its last words.
        c.socket.resume();
        await c.closedWithin(5000);
        res.cutOff++;
        if (tail.includes(TOLD[dialect]!)) res.toldWhy++;
      }
      c.destroy();
    }
    watch.close();
  };
  const flooder = async (i: number): Promise<void> => {
    const c = await RawConn.login('psu', ports.psu!, `fl${tag}${i}`);
    while (running && !c.isClosed) {
      // 20 a second: what flood control lets through, so every DM reaches a reader.
      c.write(`PRIVMSG ${nicks[i % readers]!} ${TEXT}\r\n`);
      res.dmsSent++;
      await pause(50);
    }
    c.destroy();
  };
  const all = [...nicks.map((_, i) => reader(i)), ...Array.from({ length: flooders }, (_, i) => flooder(i))];
  ctx.send({ type: 'flooding' });
  await ctx.next();
  running = false;
  await Promise.all(all);
  return res;
}

interface ComingsArgs {
  ports: Record<string, number>;
  tag: string;
}

/**
 * A client coming and going (one process): a ChatMaster user and a WS_2017 user log in, stay 75 ms
 * and hang up, every 150 ms. Each login and each departure is news for hundreds of the others
 * (WS_2017's nuser/cquit, ChatMaster's user_joined/user_left in general): what a slow reader cut off
 * and back costs them, without the flood.
 */
export async function comingsRole(ctx: RoleContext<ComingsArgs>): Promise<{ cycles: number }> {
  const { ports, tag } = ctx.args;
  let running = true;
  let cycles = 0;
  const loop = async (): Promise<void> => {
    while (running) {
      // A nick of its own each time: the last one may not be released yet.
      const a = await RawConn.login('chatmaster', ports.chatmaster!, `cm${tag}x${cycles}`);
      const b = await RawConn.login('ws2017', ports.ws2017!, `cw${tag}x${cycles}`);
      await pause(75);
      a.destroy();
      b.destroy();
      await pause(75);
      cycles++;
    }
  };
  const done = loop();
  ctx.send({ type: 'flooding' });
  await ctx.next();
  running = false;
  await done;
  return { cycles };
}

const RING = ['ws2017', 'sup', 'psu', 'chatmaster'];
const RING_NEXT = ['sup', 'psu', 'chatmaster', 'ws2017'];

/** One latency measurement: others/2 DM pairs across dialects at 2 DMs a second each. */
function measure(ctx: PartContext, prefix: string, onWindow?: (phase: 'start' | 'end') => void | Promise<unknown>): Promise<LoadResult> {
  const ep = (d: string): Endpoint => ({ codec: CODECS[d]!, port: ctx.gw.ports[d]! });
  const pairs = Math.max(1, Math.floor(ctx.sizes.others / 2));
  return runLoad({
    mode: 'dm',
    size: pairs,
    senders: RING.map(ep),
    receivers: RING_NEXT.map(ep),
    window: 1,
    rate: pairs * 2,
    durationMs: ctx.sizes.slowMs,
    // Logins (a thousand of them) are over and their garbage collected before the window opens.
    warmupMs: ctx.sizes.name === 'tiny' || ctx.sizes.name === 'test' ? 300 : 2000,
    maxMessages: 10_000_000,
    drainMs: 5000,
    textSize: 64,
    concurrency: 50,
    loginTimeoutMs: 30_000,
    nickPrefix: prefix,
    onWindow,
  });
}

const lat = (r: LoadResult): string => `${ms(r.latencyUs.p50 / 1000)} / ${ms(r.latencyUs.p99 / 1000)} ms`;

/** (c) Slow readers beside the others: the others' p50/p99 without and with three flooded readers that never read. */
export async function slowPart(ctx: PartContext): Promise<PartResult> {
  const tag = ctx.seed % 1000;
  // Where the others' time goes, over each measured window: the gateway's own event-loop delay and
  // CPU (its /metrics), and this process's loop delay (the generator measuring them can stall too).
  const loops: string[] = [];
  const mine: string[] = [];
  const floors: string[] = [];
  // And the CPU of those sharing the cores with the gateway: this process (the generator) and the attacker's.
  const cpus: string[] = [];
  const cpuS = (ms: number | undefined): string => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
  const timed = async (prefix: string, attacker?: AttackerProcess<unknown>): Promise<LoadResult> => {
    const scrapes: Promise<{ maxMs: number; p99Ms: number; cpuS: number }>[] = [];
    const own = monitorEventLoopDelay({ resolution: 1 });
    // And the machine's own floor, as an idle process sees it over the same window.
    const floor = await FloorProbe.open();
    let out: LoadResult;
    let mine0 = 0;
    let theirs0: number | undefined;
    try {
      let floorSeen: Promise<{ p99Ms: number; maxMs: number }> | undefined;
      out = await measure(ctx, prefix, (phase) => {
        // Awaited at the end before the others hang up: a thousand departures are news for hundreds each.
        const scrape = ctx.gw.loopLag();
        scrapes.push(scrape);
        const mineNow = process.cpuUsage();
        if (phase === 'start') {
          own.enable();
          floor.start();
          mine0 = (mineNow.user + mineNow.system) / 1000;
          theirs0 = attacker?.cpuMs();
        } else {
          own.disable();
          floorSeen = floor.stop();
          const theirs1 = attacker?.cpuMs();
          cpus.push(`${cpuS((mineNow.user + mineNow.system) / 1000 - mine0)} / ${cpuS(theirs0 === undefined || theirs1 === undefined ? undefined : theirs1 - theirs0)}`);
        }
        return scrape;
      });
      const f = await (floorSeen ?? floor.stop());
      floors.push(`${ms(f.p99Ms)} / ${ms(f.maxMs)} ms`);
    } finally {
      floor.close();
    }
    const [before, after] = await Promise.all(scrapes);
    // Both histograms hold the time between samples: the sampling interval (prom-client's 10 ms, this 1 ms) is not delay.
    if (before && after) loops.push(`${ms(after.p99Ms - 10)} / ${ms(after.maxMs - 10)} ms, ${(after.cpuS - before.cpuS).toFixed(1)} CPU-s`);
    mine.push(`${ms(own.percentile(99) / 1e6 - 1)} / ${ms(own.max / 1e6 - 1)} ms`);
    return out;
  };
  const without = await timed(`q${tag}`);
  // An attacker in its own process, measured once it says it is at work.
  const attacked = async <R>(role: string, args: unknown, prefix: string): Promise<{ load: LoadResult; result: R }> => {
    let ready!: () => void;
    const working = new Promise<void>((r) => (ready = r));
    const attacker = new AttackerProcess<R>(role, args, (m) => {
      if (m.type === 'flooding') ready();
    });
    await working;
    const load = await timed(`${prefix}${tag}`, attacker);
    attacker.send({ type: 'stop' });
    const result = await attacker.done;
    attacker.kill();
    return { load, result };
  };
  const flooded = async (reading: boolean, prefix: string): Promise<{ load: LoadResult; slow: SlowResult }> => {
    const args: SlowArgs = { ports: ctx.gw.ports, readers: 3, flooders: FLOODERS, reading, tag: `${prefix}${tag}` };
    const { load, result } = await attacked<SlowResult>('slow', args, prefix);
    return { load, slow: result };
  };
  const control = await flooded(true, 'r');
  const slow = await flooded(false, 's');
  const comings = await attacked<{ cycles: number }>('comings', { ports: ctx.gw.ports, tag: `c${tag}` } satisfies ComingsArgs, 'c');
  const w = slow.load;
  return {
    part: 'slow',
    title: `(c) slow readers: 3 readers flooded by ${FLOODERS} senders (4,000-character DMs), then a client coming and going, beside ${ctx.sizes.others} others at 2 DMs/s each`,
    figures: {
      'others p50 / p99 without': lat(without),
      'others p50 / p99, flood to readers that read': lat(control.load),
      'others p50 / p99, flood to readers that never read': lat(w),
      'others p50 / p99, a client coming and going every 150 ms (no flood)': `${lat(comings.load)} (${comings.result.cycles} comings and goings)`,
      'gateway loop delay p99 / worst, CPU (without / reading / not reading / coming and going)': loops.join('; '),
      'generator loop delay p99 / worst (without / reading / not reading / coming and going)': mine.join('; '),
      'CPU-s of the generator / the attacker (without / reading / not reading / coming and going)': cpus.join('; '),
      'an idle process\'s timer delay p99 / worst, the machine\'s floor (without / reading / not reading / coming and going)': floors.join('; '),
      'deliveries measured (without / reading / not reading / coming and going)': `${without.latencyUs.count} / ${control.load.latencyUs.count} / ${w.latencyUs.count} / ${comings.load.latencyUs.count}`,
      'slow readers cut off / told why before the close': `${slow.slow.cutOff} / ${slow.slow.toldWhy}`,
      'DMs flooded at the readers (reading / not reading)': `${control.slow.dmsSent} / ${slow.slow.dmsSent}`,
    },
    checks: [
      check('gateway alive (no crash)', ctx.gw.alive, ctx.gw.alive ? 'running' : `exited ${String(ctx.gw.exitCode)}`),
      check('others p99 < 2 ms with the slow readers', w.latencyUs.p99 < 2000, lat(w), true),
      check('nothing lost to the others', without.lost + control.load.lost + w.lost + comings.load.lost === 0, `${without.lost + control.load.lost + w.lost + comings.load.lost} lost`),
      // Every one cut off was told why; that any is cut off needs megabytes past the kernel's socket buffers (not in the short runs).
      check('each slow reader cut off was told why first', slow.slow.toldWhy === slow.slow.cutOff, `${slow.slow.toldWhy} of ${slow.slow.cutOff}`),
      check('the slow readers were cut off', slow.slow.cutOff > 0, `${slow.slow.cutOff} times`, true),
    ],
  };
}
