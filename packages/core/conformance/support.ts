import type { BusEvent } from '../src/events.js';
import { Hub, type HubOptions } from '../src/hub.js';
import type { Backend } from '../src/link.js';
import type { SessionPort } from '../src/local.js';

/**
 * A back end under test: every back end the suite gets from one fixture
 * shares state, as nodes sharing one Redis do.
 */
export interface BackendFixture {
  /** A back end for one more node. */
  backend(): Promise<Backend>;
  /**
   * Takes the back end away or brings it back (`lost`: without its state, a
   * restart without persistence). Absent when the fixture cannot.
   */
  outage?(on: boolean, opts?: { lost?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Timing small enough for tests, large enough for a loaded 2-core machine.
 * The lease outlives 25 heartbeats: with every node in one process, pushing
 * 1,500 messages through a real Redis while other suites share the CPU
 * stalled renewals past 200 ms, and the nodes reaped each other mid-test.
 */
export const FAST_CLUSTER = Object.freeze({ ackTimeoutMs: 300, heartbeatMs: 40, nodeTimeoutMs: 1000 });

/** A session stand-in that records what the Hub delivers and lets a test wait for it. */
export interface TestPort extends SessionPort {
  readonly got: BusEvent[];
  /** Resolves with the first delivered event matching `match` (already delivered ones count), or rejects after `ms`. */
  waitFor(match: (e: BusEvent) => boolean, ms?: number): Promise<BusEvent>;
}

/** Makes a TestPort. */
export function testPort(id: string, opts: { dialect?: string; receipts?: boolean; presence?: boolean; address?: string } = {}): TestPort {
  const got: BusEvent[] = [];
  const waiting: { match: (e: BusEvent) => boolean; resolve(e: BusEvent): void }[] = [];
  return {
    id,
    dialect: opts.dialect ?? 'x',
    receipts: opts.receipts ?? false,
    presence: opts.presence ?? true,
    address: opts.address ?? '10.0.0.1',
    got,
    deliver(e) {
      got.push(e);
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (waiting[i]!.match(e)) waiting.splice(i, 1)[0]!.resolve(e);
      }
    },
    waitFor(match, ms = 3000) {
      const seen = got.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${id}: no matching event in ${ms} ms; got ${JSON.stringify(got.map((g) => g.type))}`)), ms);
        waiting.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
  };
}

/** Nodes of one fixture, each a started Hub; all closed by `close`. */
export class Nodes {
  readonly hubs: Hub[] = [];
  constructor(private readonly fixture: BackendFixture) {}

  /** Starts one more node. */
  async add(opts: Omit<HubOptions, 'backend'> = {}): Promise<Hub> {
    const hub = new Hub({ cluster: FAST_CLUSTER, ...opts, backend: await this.fixture.backend() });
    await hub.start();
    this.hubs.push(hub);
    return hub;
  }

  async close(): Promise<void> {
    await Promise.all(this.hubs.map((h) => h.close()));
    await this.fixture.close();
  }
}

/** A port registered on a Hub under a nick; throws when the Hub refuses. */
export async function online(hub: Hub, nick: string, opts: Parameters<typeof testPort>[1] = {}): Promise<TestPort> {
  const p = testPort(hub.newSessionId('t'), opts);
  const r = await hub.register(p, nick);
  if (!r.ok) throw new Error(`${nick}: ${r.code} ${r.detail ?? ''}`);
  nicks.set(p, () => hub.nickOf(p.id));
  return p;
}

/**
 * Proves `to` has seen everything `from` sent it before now: a DM from
 * `from` (a port registered on `hub`) to `to`, awaited. Messages from one
 * node reach another in order, so anything else `hub` emitted for `to`
 * earlier has arrived; what has not arrived by then never will.
 */
export async function sentinel(hub: Hub, from: TestPort, to: TestPort, tag = `sentinel-${Math.random().toString(36).slice(2, 8)}`): Promise<void> {
  const nick = await hubNickOf(to);
  const r = await hub.sendDirect(from, nick, tag);
  if (!r.ok) throw new Error(`sentinel to ${nick}: ${r.code}`);
  await to.waitFor((e) => e.type === 'message.direct' && e.text === tag);
}

const nicks = new WeakMap<TestPort, () => string | undefined>();

async function hubNickOf(p: TestPort): Promise<string> {
  const n = nicks.get(p)?.();
  if (!n) throw new Error(`${p.id} is not online`);
  return n;
}

/** Polls `check` until it holds or `ms` pass: for conditions no event announces (a node healed after an outage). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 3000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
