import { randomBytes } from 'node:crypto';
import type { DialectTesting, Peer, ProbeExpect } from '@chat-gateway/core/testing';
import { ProbeRun, type CheckReport, type ProbeClient, type ProbeTarget } from './session.js';

export type { CheckReport, ProbeTarget } from './session.js';

// Between the pieces of a split frame, so that they reach the server in separate reads: the stimulus, not a wait for anything.
const SPLIT_GAP_MS = 30;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checks a server against a dialect's spec and DESIGN.md (DESIGN.md "Interop
 * bench": registration, every error reply, two probe users exchanging DMs,
 * presence, split and glued frames, an oversize frame), one report per check,
 * with the bytes sent, expected and received. The checks are written once,
 * from the dialect's testing module: its driver, its column of DESIGN.md's
 * table (contract) and its probe data. Closes every connection it opened.
 */
export async function runProbe(testing: DialectTesting, target: ProbeTarget, opts: { timeoutMs?: number } = {}): Promise<CheckReport[]> {
  const run = new ProbeRun(testing, target, opts.timeoutMs ?? 2000);
  try {
    await checks(run);
  } finally {
    run.close();
  }
  return run.reports;
}

async function checks(run: ProbeRun): Promise<void> {
  const { probe } = run;
  const tag = randomBytes(2).toString('hex');
  const [nickA, nickB] = [`probe${tag}a`, `probe${tag}b`];
  let a: ProbeClient;
  try {
    a = await run.open('a');
  } catch (err) {
    run.reports.push({ name: 'connect', status: 'fail', sent: '-', expected: `a connection to ${run.target.host}:${run.target.port}`, received: '-', note: (err as Error).message });
    return;
  }
  const g = probe.greeting;
  const shownGreeting = g === 'none' ? '(nothing: the client speaks first)' : g === 'optional' ? '(one line, or nothing)' : run.show(g);
  await run.check('greeting', { to: a }, shownGreeting, async () => {
    const got = await run.greet(a);
    return g === 'none' || g === 'optional' || run.matches(g, got ?? '');
  });
  const registered = await register(run, a, nickA, `register ${nickA}`);
  const c = await run.open('c');
  await run.greet(c).catch(() => undefined);
  if (registered) await refused(run, c, nickA, probe.taken(nickA), 'register a nick someone holds');
  else run.skip('register a nick someone holds', `${nickA} is not registered`);
  await refused(run, c, probe.invalid.nick, probe.invalid.reply(probe.invalid.nick), `register an invalid nick (${probe.invalid.nick})`);
  const b = await run.open('b');
  await run.greet(b).catch(() => undefined);
  const both = (await register(run, b, nickB, `register a second user ${nickB}`)) && registered;
  if (both) await presence(run, a, nickA, nickB);
  for (const req of probe.requests) {
    const on = req.registered ? a : c;
    if (req.registered && !registered) {
      run.skip(req.name, `${nickA} is not registered`);
      continue;
    }
    await run.check(req.name, { from: on, to: on }, run.show(req.reply(nickA)), async () => {
      on.driver.wire.write(req.send(nickA));
      return run.nextIs(on, req.reply(nickA));
    });
  }
  if (!both) {
    const { users, rooms: hasRooms } = run.testing.contract;
    const later = ['direct messages', ...(users && users.scope !== 'room' ? ['user list'] : []), ...(hasRooms ? ['rooms'] : []), 'split and glued frames', 'oversize frame', 'quit'];
    for (const name of later) run.skip(name, 'the probe users are not both registered');
    return;
  }
  await messages(run, a, b, nickA, nickB, tag);
  const shared = await rooms(run, a, b, nickA, nickB, tag);
  await framing(run, a, nickA);
  await quit(run, a, b, nickA, nickB, shared);
}

/** Registers `nick` on `c`: accepted with the dialect's welcome. */
function register(run: ProbeRun, c: ProbeClient, nick: string, name: string): Promise<boolean> {
  const welcome = run.probe.welcome(nick);
  return run.check(name, { from: c, to: c }, run.show(welcome), async () => {
    const r = await c.driver.register(nick);
    return { ok: r.ok && run.matches(welcome, r.raw), note: r.ok ? undefined : 'the registration was refused' };
  });
}

/** Tries to register `nick` on `c`: refused with `reply`, the connection open for another try. */
async function refused(run: ProbeRun, c: ProbeClient, nick: string, reply: ProbeExpect, name: string): Promise<void> {
  await run.check(name, { from: c, to: c }, run.show(reply), async () => {
    const r = await c.driver.register(nick);
    return { ok: !r.ok && run.matches(reply, r.raw), note: r.ok ? 'the nick was accepted' : undefined };
  });
}

const peer = (run: ProbeRun, nick: string): Peer => ({ nick, dialect: run.testing.dialect });

/** What a registered user sees when another logs in: WS_2017 `nuser`, ChatMaster the join of the login channel; most see nothing. */
async function presence(run: ProbeRun, a: ProbeClient, nickA: string, nickB: string): Promise<void> {
  const { contract } = run.testing;
  const auto = contract.rooms?.auto;
  const seen = contract.online(peer(run, nickB)) ?? (auto === undefined ? undefined : contract.rooms!.joined(peer(run, nickB), { room: auto, members: [nickA, nickB] }));
  if (seen === undefined) return;
  await run.check(`${nickA} sees ${nickB} come online`, { to: a }, run.show(seen), () => run.nextIs(a, seen));
}

/** DMs both ways (with the sender's reply and, where the dialect has them, receipts), and a DM to nobody. */
async function messages(run: ProbeRun, a: ProbeClient, b: ProbeClient, nickA: string, nickB: string, tag: string): Promise<void> {
  const { contract } = run.testing;
  for (const [from, to, fromNick, toNick] of [[a, b, nickA, nickB], [b, a, nickB, nickA]] as const) {
    const text = `probe ${tag} says hi to ${toNick}`;
    const frame = contract.dm(peer(run, fromNick), toNick, text);
    await run.check(`direct message ${fromNick} → ${toNick}`, { from, to }, run.show(frame), async () => {
      const r = await from.driver.dm(toNick, text);
      const replied = r.ok && (contract.dmOk === '' || r.raw === contract.dmOk);
      const got = await run.nextIs(to, frame);
      return { ok: got && replied, note: replied ? undefined : `the sender got ${JSON.stringify(r.raw)}${contract.dmOk ? ` instead of ${JSON.stringify(contract.dmOk)}` : ''}` };
    });
    if (contract.receipts && contract.delivered && to.driver.receipt) {
      const receipt = contract.delivered(fromNick, toNick);
      await run.check(`receipt ${toNick} → ${fromNick}`, { from: to, to: from }, run.show(receipt), async () => {
        to.driver.receipt!(fromNick);
        return run.nextIs(from, receipt);
      });
    }
  }
  const nobody = `probe${tag}x`;
  const offline = run.probe.loose?.dmOffline?.(nobody) ?? contract.dmOffline(nobody);
  await run.check('direct message to someone offline', { from: a, to: a }, run.show(offline), async () => {
    const r = await a.driver.dm(nobody, 'anyone there?');
    return { ok: !r.ok && run.matches(offline, r.raw), note: r.ok ? 'the server said nothing went wrong' : undefined };
  });
  const users = contract.users;
  if (users && users.scope !== 'room') {
    const want = users.scope === 'everyone' ? [nickA, nickB] : [nickB];
    await run.check('user list', { from: a, to: a }, `a list naming ${want.join(' and ')}`, async () => {
      const words = new Set((await users.ask(a.driver, '')).join(' ').split(/\s+/));
      return want.every((n) => words.has(n));
    });
  }
}

/** Where the dialect has rooms: the second user joins the first's room, and speaks in it. Returns the room they share. */
async function rooms(run: ProbeRun, a: ProbeClient, b: ProbeClient, nickA: string, nickB: string, tag: string): Promise<string | undefined> {
  const r = run.testing.contract.rooms;
  if (!r) return undefined;
  const room = r.auto ?? `probe${tag}`;
  if (r.auto === undefined) {
    const joined = r.joined(peer(run, nickB), { room, members: [nickA, nickB] });
    const ok = await run.check(`${nickB} joins ${room}`, { from: b, to: a }, run.show(joined ?? []), async () => {
      await a.driver.join(room);
      await b.driver.join(room);
      return joined === undefined || run.nextIs(a, joined);
    });
    if (!ok) return undefined;
  }
  const text = `probe ${tag} in the room`;
  const said = r.message(peer(run, nickB), room, text);
  await run.check(`room message in ${room}`, { from: b, to: a }, run.show(said), async () => {
    await b.driver.roomSay(room, text);
    return run.nextIs(a, said);
  });
  return room;
}

/** The echo request split into pieces, twice in one write, and after a frame over the limit (the connection must stay). */
async function framing(run: ProbeRun, a: ProbeClient, nickA: string): Promise<void> {
  const { echo, oversize } = run.probe;
  const bytes = Buffer.from(echo.send(nickA));
  const reply = echo.reply(nickA);
  await run.check(`split frame (${echo.name} in 3 reads)`, { from: a, to: a }, run.show(reply), async () => {
    const cut = [Math.ceil(bytes.length / 3), Math.ceil((2 * bytes.length) / 3)];
    for (const [from, to] of [[0, cut[0]], [cut[0], cut[1]], [cut[1], bytes.length]] as const) {
      a.driver.wire.write(bytes.subarray(from, to));
      await pause(SPLIT_GAP_MS);
    }
    return run.nextIs(a, reply);
  });
  await run.check(`glued frames (${echo.name} twice in 1 write)`, { from: a, to: a }, run.show([reply, reply]), async () => {
    a.driver.wire.write(Buffer.concat([bytes, bytes]));
    return (await run.nextIs(a, reply)) && run.nextIs(a, reply);
  });
  await run.check(`oversize frame (${oversize.size} bytes), then ${echo.name}`, { from: a, to: a }, run.show([oversize.reply, reply]), async () => {
    a.driver.wire.write(oversize.build(oversize.size));
    const refusedOk = await run.nextIs(a, oversize.reply);
    a.driver.wire.write(bytes);
    return { ok: refusedOk && (await run.nextIs(a, reply)), note: refusedOk ? undefined : 'the reply to the oversize frame' };
  });
}

/** The second user quits as its dialect does: the first sees it where the dialect shows it. */
async function quit(run: ProbeRun, a: ProbeClient, b: ProbeClient, nickA: string, nickB: string, room: string | undefined): Promise<void> {
  const { contract } = run.testing;
  const how = contract.quitsByClosing ? 'close' : 'quit';
  const exact = contract.offline(peer(run, nickB), room === undefined ? [] : [{ room, members: [nickA] }], how);
  const loose = run.probe.loose?.offline;
  const seen = loose ? exact.map(() => loose(nickB)) : exact;
  await run.check(`${nickB} quits`, { from: b, to: a }, seen.length > 0 ? run.show(seen) : '(the connection closes)', async () => {
    await b.driver.quit();
    for (const f of seen) if (!(await run.nextIs(a, f))) return false;
    return true;
  });
}
