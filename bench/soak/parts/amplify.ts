import zlib from 'node:zlib';
import { RawConn, pause } from '../attack.js';
import { runAttackers, type RoleContext } from '../workers.js';
import { check, ms, type Check, type PartContext, type PartResult } from '../types.js';

/** The attacks of the issue whose cost or reply is far larger than what the attacker sends. */
type CaseName = 'envelope' | 'bombs' | 'reflect';

interface AmplifyArgs {
  kind: CaseName;
  ports: Record<string, number>;
  durationMs: number;
  /** bombs: packages per second over all connections. */
  rate?: number;
  tag: string;
}

interface AmplifyResult {
  sent: number;
  sentBytes: number;
  bytesBack: number;
  /** reflect: per dialect, lines back for 200 requests and rate-limit replies among them. */
  reflect?: Record<string, { lines: number; rateReplies: number; statuses: number }>;
  /** Connections the gateway closed. */
  closed: number;
}

/** `zlib.compress(b'{}' * 400000)`: 799 bytes that hold 400,000 packages (the case 1). */
export const ENVELOPE = zlib.deflateSync('{}'.repeat(400_000));
/** About 1,050 bytes that inflate to 1000 KiB of valid JSON (the case 2). */
export const INFLATION_BOMB = zlib.deflateSync(JSON.stringify({ type: 'command', data: { command: 'channels', pad: 'a'.repeat(1000 * 1024 - 60) } }));

// Each dialect's rate-limit reply (its RATE_LIMITED row), and the request a flood repeats.
const REFLECT: Readonly<Record<string, { request: string; limited: string; end: string }>> = {
  psu: { request: ':LIST\r\n', limited: 'Slow down', end: '\n' },
  ws2017: { request: 'cgetu\r\n', limited: 'slow down', end: '\n' },
  irc: { request: 'LIST\r\n', limited: ' 263 ', end: '\n' },
  sup: { request: 'get contacts\x04', limited: 'status 100', end: '\x04' },
};

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** The attacker of one amplification case, in its own process. */
export async function amplifyRole(ctx: RoleContext<AmplifyArgs>): Promise<AmplifyResult> {
  const { kind, ports, durationMs, tag } = ctx.args;
  const res: AmplifyResult = { sent: 0, sentBytes: 0, bytesBack: 0, closed: 0 };
  const until = performance.now() + durationMs;
  if (kind === 'envelope') {
    // Ten envelopes in one 7,990-byte write, every 250 ms.
    const c = await RawConn.login('chatmaster', ports.chatmaster!, `amE${tag}`);
    const ten = Buffer.concat(Array.from({ length: 10 }, () => ENVELOPE));
    ctx.send({ type: 'attacking' });
    while (performance.now() < until && !c.isClosed) {
      c.write(ten);
      res.sent += 10;
      res.sentBytes += ten.length;
      await pause(250);
    }
    res.bytesBack = c.received;
    res.closed = c.isClosed ? 1 : 0;
    c.destroy();
  } else if (kind === 'bombs') {
    // `rate` packages a second, spread over connections that each send at most 50 a second.
    const rate = ctx.args.rate ?? 100;
    const conns = await Promise.all(Array.from({ length: Math.ceil(rate / 50) }, (_, i) => RawConn.login('chatmaster', ports.chatmaster!, `amB${tag}${i}`)));
    ctx.send({ type: 'attacking' });
    const t0 = performance.now();
    while (performance.now() < until) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (; res.sent < due; res.sent++) {
        conns[res.sent % conns.length]!.write(INFLATION_BOMB);
        res.sentBytes += INFLATION_BOMB.length;
      }
      await pause(10);
    }
    for (const c of conns) {
      res.bytesBack += c.received;
      res.closed += c.isClosed ? 1 : 0;
      c.destroy();
    }
  } else {
    res.reflect = {};
    ctx.send({ type: 'attacking' });
    for (const [dialect, r] of Object.entries(REFLECT)) {
      const c = await RawConn.login(dialect, ports[dialect]!, `amR${dialect.slice(0, 2)}${tag}`);
      const before = c.received;
      let text = '';
      c.socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      const burst = r.request.repeat(200);
      c.write(burst);
      res.sent += 200;
      res.sentBytes += burst.length;
      // Until nothing more arrives for 500 ms (bounded by the case's length).
      let last = -1;
      while (c.received !== last && performance.now() < until + 5000) {
        last = c.received;
        await pause(500);
      }
      res.bytesBack += c.received - before;
      res.reflect[dialect] = { lines: count(text, r.end), rateReplies: count(text, r.limited), statuses: count(text, 'status ') };
      c.destroy();
    }
  }
  return res;
}

// Each case's nicks are its own: a connection still paying off a debt reads nothing, so it notices its peer's close late and keeps its nick a while.
let caseNo = 0;

/** One case: the attacker runs while the canary measures; returns the figures and the canary check. */
async function runCase(ctx: PartContext, name: string, args: Omit<AmplifyArgs, 'ports' | 'tag'>): Promise<{ figures: Record<string, string | number>; checks: Check[] }> {
  const { gw, canary } = ctx;
  canary.reset();
  const cpu0 = gw.proc().cpuMs;
  await gw.loopLagMaxMs();
  // The canary starts with the attack, once the attacker's process is up: starting one is the soak's own cost, not the gateway's.
  const [r] = await runAttackers<AmplifyResult>('amplify', [{ ...args, ports: gw.ports, tag: `${ctx.seed % 100000}${++caseNo}` }], (m) => {
    if (m.type === 'attacking') canary.start(60);
  });
  const c = await canary.stop();
  const cpu = (gw.proc().cpuMs - cpu0) / 1000;
  const lag = await gw.loopLagMaxMs();
  // The attacker is gone; what it left behind may still hold the gateway: how long until others are served again.
  const t0 = performance.now();
  while (performance.now() - t0 < 120_000 && (await canary.roundTrip(1000)) >= 1000);
  const recoveryMs = performance.now() - t0;
  const figures: Record<string, string | number> = {
    [`${name}: sent`]: `${r!.sent} (${r!.sentBytes} B)`,
    [`${name}: bytes back`]: r!.bytesBack,
    [`${name}: gateway CPU s`]: ms(cpu),
    [`${name}: gateway event loop worst delay ms`]: ms(lag),
    [`${name}: canary worst ms / p50 / lost`]: `${ms(c.worstMs)} / ${ms(c.p50Ms)} / ${c.failures}`,
    [`${name}: others served again after the attack, ms`]: ms(recoveryMs),
  };
  const checks = [
    check(`${name}: every canary round trip came back`, c.failures === 0 && c.count > 0, `${c.failures} lost of ${c.count}`),
    check(`${name}: canary worst round trip < 100 ms`, c.worstMs < 100, `${ms(c.worstMs)} ms`, true),
  ];
  if (r!.reflect) {
    for (const [d, x] of Object.entries(r!.reflect)) {
      figures[`${name}: ${d} 200 requests → lines / rate-limit replies`] = `${x.lines} / ${x.rateReplies}`;
      // Sup answers every message (packages/sup/README.md), so its flood replies are one per message by design.
      if (d !== 'sup') checks.push(check(`${name}: ${d} at most one rate-limit reply per second`, x.rateReplies <= 1 + Math.ceil(args.durationMs / 1000), `${x.rateReplies} rate-limit replies`));
      else checks.push(check(`${name}: sup exactly one status per message`, x.statuses === 200, `${x.statuses} statuses for 200 messages`));
    }
  }
  return { figures, checks };
}

/** (b) Amplification: the compressed multi-package envelope, inflation bombs at two rates, flood reflection. */
export async function amplifyPart(ctx: PartContext): Promise<PartResult> {
  const { sizes, gw, canary } = ctx;
  // The same figures with no attack: what this machine's other load alone does to them.
  canary.reset();
  await gw.loopLagMaxMs();
  canary.start(60);
  await pause(sizes.attackMs);
  const idle = await canary.stop();
  const idleFigures = { 'no attack: canary worst ms / p50, gateway event loop worst delay ms': `${ms(idle.worstMs)} / ${ms(idle.p50Ms)}, ${ms(await gw.loopLagMaxMs())}` };
  const cases = [
    await runCase(ctx, 'envelope', { kind: 'envelope', durationMs: sizes.attackMs }),
    await runCase(ctx, `bombs ${sizes.bombRates[0]}/s`, { kind: 'bombs', durationMs: sizes.attackMs, rate: sizes.bombRates[0] }),
    await runCase(ctx, `bombs ${sizes.bombRates[1]}/s`, { kind: 'bombs', durationMs: sizes.attackMs, rate: sizes.bombRates[1] }),
    await runCase(ctx, 'reflect', { kind: 'reflect', durationMs: sizes.attackMs }),
  ];
  return {
    part: 'amplify',
    title: `(b) amplification: ${ENVELOPE.length}-byte envelope of 400,000 packages, ${INFLATION_BOMB.length}-byte inflation bombs, flood reflection`,
    figures: Object.assign(idleFigures, ...cases.map((c) => c.figures)),
    checks: [check('gateway alive (no crash)', ctx.gw.alive, ctx.gw.alive ? 'running' : `exited ${String(ctx.gw.exitCode)}`), ...cases.flatMap((c) => c.checks)],
  };
}
