import { onlineAs, openDriver, startTestCluster, startTestGateway, type ChatDriver, type TestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import type { LoopCluster } from '@chat-gateway/core/conformance';
import type { ProcessCluster } from './cluster.js';
import { Scene } from './scene.js';

/** How a cross-dialect test's clients connect: the only ways, so where each lands is decided here. */
export interface Clients {
  /** A client of the dialect, connected and not registered; closed after the test. */
  open(dialect: string): Promise<ChatDriver>;
  /** A client of the dialect, registered as `nick` (a refusal fails the test); closed after the test. */
  online(dialect: string, nick: string): Promise<ChatDriver>;
  /** A scene on this gateway: users brought online through `online`, every step's frames asserted. */
  scene(): Scene;
}

/** What a cross-dialect test works with: one gateway (or several nodes of one in this process), and its clients. */
export interface Setup extends Clients {
  /** The gateway (with several nodes: the first; `stop` stops them all). */
  tg: TestGateway;
  /** With several nodes: their test back end (to delay or drop a node's traffic). */
  loop?: LoopCluster;
}

/** A test on gateway processes (ProcessCluster): clients placed on the nodes in turn, or on the node asked for. */
export interface ClusterSetup extends Clients {
  cluster: ProcessCluster;
  open(dialect: string, node?: number): Promise<ChatDriver>;
  online(dialect: string, nick: string, node?: number): Promise<ChatDriver>;
  /** Resolves once every live node has shown these clients' users leaving (their nicks are free everywhere then). */
  gone(...drivers: ChatDriver[]): Promise<void>;
}

export interface SetupOptions extends TestGatewayOptions {
  /**
   * Gateway nodes sharing one multi-node test back end (default 1). With
   * more, clients are placed on the nodes in turn, so the two ends of every
   * pair sit on different nodes.
   */
  nodes?: number;
}

/**
 * A gateway with every installed dialect on ephemeral ports, stopped after
 * the test (or, with `processes`, the clients of one test on a running
 * ProcessCluster of gateway processes). Every suite connects its clients
 * through `open` and `online` only, so that where a client connects is
 * decided here.
 */
export async function setup(t: After, opts: { processes: ProcessCluster }): Promise<ClusterSetup>;
export async function setup(t: After, opts?: SetupOptions): Promise<Setup>;
export async function setup(t: After, opts: SetupOptions | { processes: ProcessCluster } = {}): Promise<Setup | ClusterSetup> {
  if ('processes' in opts) return onProcesses(t, opts.processes);
  const { nodes = 1, ...gatewayOpts } = opts;
  let tg: TestGateway;
  let place: () => TestGateway;
  let settle: (() => Promise<void>) | undefined;
  let loop: LoopCluster | undefined;
  if (nodes > 1) {
    const cluster = await startTestCluster(nodes, gatewayOpts);
    loop = cluster.loop;
    tg = { ...cluster.nodes[0]!, stop: () => cluster.stop() };
    let next = 0;
    place = () => cluster.nodes[next++ % nodes]!;
    settle = () => cluster.loop.idle();
  } else {
    tg = await startTestGateway(gatewayOpts);
    place = () => tg;
  }
  t.after(() => tg.stop());
  const closing = (d: ChatDriver) => {
    d.settle = settle;
    t.after(() => d.close());
    return d;
  };
  const online = async (dialect: string, nick: string) => closing(await onlineAs(place(), dialect, nick));
  return {
    tg,
    loop,
    open: async (dialect: string) => closing(await openDriver(place(), dialect)),
    online,
    scene: () => new Scene(online, opts.rooms ?? ['general']),
  };
}

type After = { after(fn: () => unknown): void };

/**
 * Clients of a running ProcessCluster for one test. Every driver's
 * sentinel first settles the other nodes' traffic towards its own node; after
 * the test its clients are closed and every node must have shown them
 * leaving, so the next test on the same processes starts from nobody.
 */
function onProcesses(t: After, cluster: ProcessCluster): ClusterSetup {
  const mine: ChatDriver[] = [];
  const claimed = new Set<ChatDriver>();
  let next = 0;
  const place = async (at: number | undefined, connect: (node: number) => Promise<ChatDriver>) => {
    const index = at ?? cluster.nodes.indexOf(cluster.live[next++ % cluster.live.length]!);
    const d = await connect(index);
    d.settle = () => cluster.probes.settle(index);
    mine.push(d);
    return d;
  };
  t.after(async () => {
    for (const d of mine) d.close();
    await cluster.probes.gone(mine.filter((d) => d.nick !== '' && !claimed.has(d)).map((d) => d.nick));
  });
  const online = (dialect: string, nick: string, at?: number) => place(at, (i) => onlineAs(cluster.nodes[i]!, dialect, nick));
  return {
    cluster,
    open: (dialect, at) => place(at, (i) => openDriver(cluster.nodes[i]!, dialect)),
    online,
    scene: () => new Scene((dialect: string, nick: string) => online(dialect, nick), ['general']),
    async gone(...drivers) {
      for (const d of drivers) claimed.add(d);
      await cluster.probes.gone(drivers.map((d) => d.nick));
    },
  };
}

/** The node counts the cross-node suites run with: one gateway, and two nodes with every pair split across them. */
export const NODE_COUNTS = [1, 2] as const;

/** A test title suffix for a node count. */
export function onNodes(n: number): string {
  return n === 1 ? '' : ` [${n} nodes]`;
}
