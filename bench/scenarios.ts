/**
 * The scenarios (the list). Each gateway scenario names its dialects;
 * the raw relay and the IRC peers run the same load with IRC syntax once per
 * baseline group, and every gateway figure is divided by theirs.
 */

export type Kind = 'throughput' | 'latency' | 'idle';

export interface Scenario {
  id: string;
  kind: Kind;
  /** The baseline group: relay and peers run this once for every gateway scenario in it. */
  group: string;
  title: string;
  mode: 'dm' | 'room';
  /** dm: pairs; room: members; idle: connections. */
  size: number;
  /** Gateway dialects: dm pair i is senders[i % n] → receivers[i % n]; room member i is senders[i % n]. */
  senders: string[];
  receivers: string[];
  /** Closed loop: messages in flight per sender. */
  window: number;
  /** Open loop: deliveries per second over all receivers. */
  rate?: number;
  /**
   * Across two gateway nodes on one redis-server (the `cluster` server):
   * dm senders on node a and receivers on node b; room members spread over
   * both, every dialect on each. Absent: one gateway process.
   */
  nodes?: 2;
  /** The single-node scenario of the same load, whose figure this one is divided by ("x1node"). */
  vs?: string;
}

/** Mixed ring: every hop crosses dialects (WS → Sup → PSU → ChatMaster → WS). */
const RING = ['ws2017', 'sup', 'psu', 'chatmaster'];
const RING_NEXT = ['sup', 'psu', 'chatmaster', 'ws2017'];

/** Every scenario, in run order. Sizes are the full run's; --quick scales them down (see scale()). */
export const SCENARIOS: readonly Scenario[] = Object.freeze([
  { id: 'dm-psu-1', kind: 'throughput', group: 'dm-1', title: 'DM, 1 pair, PSU→PSU, closed loop', mode: 'dm', size: 1, senders: ['psu'], receivers: ['psu'], window: 64 },
  { id: 'dm-ring-1', kind: 'throughput', group: 'dm-1', title: 'DM, 1 pair, WS→Sup', mode: 'dm', size: 1, senders: RING, receivers: RING_NEXT, window: 64 },
  { id: 'dm-psu-50', kind: 'throughput', group: 'dm-50', title: 'DM, 50 pairs, PSU→PSU, closed loop', mode: 'dm', size: 50, senders: ['psu'], receivers: ['psu'], window: 16 },
  { id: 'dm-ring-50', kind: 'throughput', group: 'dm-50', title: 'DM, 50 pairs, mixed ring WS→Sup→PSU→CM→WS', mode: 'dm', size: 50, senders: RING, receivers: RING_NEXT, window: 16 },
  // The gateway's IRC listener under the load the relay and the IRC peers get: the same generator, the same IRC codec.
  { id: 'dm-irc-50', kind: 'throughput', group: 'dm-50', title: 'DM, 50 pairs, IRC→IRC (the gateway\'s IRC listener), closed loop', mode: 'dm', size: 50, senders: ['irc'], receivers: ['irc'], window: 16 },
  { id: 'dm-psu-500', kind: 'throughput', group: 'dm-500', title: 'DM, 500 pairs, PSU→PSU, closed loop', mode: 'dm', size: 500, senders: ['psu'], receivers: ['psu'], window: 4 },
  { id: 'dm-ring-500', kind: 'throughput', group: 'dm-500', title: 'DM, 500 pairs, mixed ring', mode: 'dm', size: 500, senders: RING, receivers: RING_NEXT, window: 4 },
  { id: 'room-50', kind: 'throughput', group: 'room-50', title: 'Room fan-out, 50 members (PSU and ChatMaster alternating), all sending', mode: 'room', size: 50, senders: ['psu', 'chatmaster'], receivers: [], window: 4 },
  { id: 'room-irc-50', kind: 'throughput', group: 'room-50', title: 'Room fan-out, 50 IRC members of #general, all sending', mode: 'room', size: 50, senders: ['irc'], receivers: [], window: 4 },
  { id: 'lat-1', kind: 'latency', group: 'lat-1', title: 'Latency at 20,000 deliveries/s, 1 pair, PSU→PSU, open loop', mode: 'dm', size: 1, senders: ['psu'], receivers: ['psu'], window: 0, rate: 20000 },
  { id: 'lat-50', kind: 'latency', group: 'lat-50', title: 'Latency at 20,000 deliveries/s, 50 pairs, PSU→PSU, open loop', mode: 'dm', size: 50, senders: ['psu'], receivers: ['psu'], window: 0, rate: 20000 },
  { id: 'xdm-psu-50', kind: 'throughput', group: 'dm-50', title: 'DM, 50 pairs, PSU→PSU, senders on node a, receivers on node b', mode: 'dm', size: 50, senders: ['psu'], receivers: ['psu'], window: 16, nodes: 2, vs: 'dm-psu-50' },
  { id: 'xroom-50', kind: 'throughput', group: 'room-50', title: 'Room fan-out, 50 members over two nodes (PSU and ChatMaster on each), all sending', mode: 'room', size: 50, senders: ['psu', 'chatmaster'], receivers: [], window: 4, nodes: 2, vs: 'room-50' },
  { id: 'xlat-50', kind: 'latency', group: 'lat-50', title: 'Latency at 20,000 deliveries/s, 50 pairs, PSU→PSU, node a → node b, open loop', mode: 'dm', size: 50, senders: ['psu'], receivers: ['psu'], window: 0, rate: 20000, nodes: 2, vs: 'lat-50' },
  { id: 'idle-10k', kind: 'idle', group: 'idle-10k', title: '10,000 idle registered PSU connections, 100 concurrent handshakes', mode: 'dm', size: 10000, senders: ['psu'], receivers: [], window: 0 },
] satisfies Scenario[]);

export interface Timing {
  reps: number;
  warmupMs: number;
  durationMs: number;
  /** Latency runs measure longer: their p99 needs many samples. */
  latencyDurationMs: number;
  drainMs: number;
  /** Multiplies dm-500 and idle sizes (quick runs are smaller). */
  idleSize: number;
  bigPairs: number;
}

export const FULL: Timing = { reps: 3, warmupMs: 1000, durationMs: 3000, latencyDurationMs: 4000, drainMs: 3000, idleSize: 10000, bigPairs: 500 };
export const QUICK: Timing = { reps: 1, warmupMs: 300, durationMs: 1000, latencyDurationMs: 1500, drainMs: 2000, idleSize: 2000, bigPairs: 100 };

/** The scenario as it runs under the given timing (quick runs shrink the big ones and say so in the id's title). */
export function scale(s: Scenario, t: Timing): Scenario {
  if (s.kind === 'idle' && t.idleSize !== s.size) return { ...s, size: t.idleSize, title: s.title.replace('10,000', t.idleSize.toLocaleString('en-US')) };
  if (s.size === 500 && t.bigPairs !== 500) return { ...s, size: t.bigPairs, title: s.title.replace('500', String(t.bigPairs)) };
  return s;
}

/**
 * Scenarios picked by --only: an id (`dm-psu-50`), a group (`dm-50`), a kind
 * (`latency`), or a prefix ending in `-` or `*` (`dm-`, `dm-ring*`); several comma-separated.
 */
export function select(only: string[] | undefined): Scenario[] {
  if (!only || only.length === 0) return [...SCENARIOS];
  const wanted = only.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const matches = (s: Scenario, w: string): boolean =>
    s.id === w || s.group === w || s.kind === w || (/[-*]$/.test(w) && s.id.startsWith(w.replace(/\*$/, '')));
  const picked = SCENARIOS.filter((s) => wanted.some((w) => matches(s, w)));
  if (picked.length === 0) throw new Error(`--only ${wanted.join(',')} matches no scenario; scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return picked;
}
