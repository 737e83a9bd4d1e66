import { onlineAs, openDriver, startTestCluster, startTestGateway, type ChatDriver, type TestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { Scene } from './scene.js';

/** What a cross-dialect test works with: one gateway (or several nodes of one), and the only ways its clients connect. */
export interface Setup {
  /** The gateway (with several nodes: the first; `stop` stops them all). */
  tg: TestGateway;
  /** A client of the dialect, connected and not registered; closed after the test. */
  open(dialect: string): Promise<ChatDriver>;
  /** A client of the dialect, registered as `nick` (a refusal fails the test); closed after the test. */
  online(dialect: string, nick: string): Promise<ChatDriver>;
  /** A scene on this gateway: users brought online through `online`, every step's frames asserted. */
  scene(): Scene;
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
 * the test. Every suite connects its clients through `open` and `online`
 * only, so that where a client connects is decided here.
 */
export async function setup(t: { after(fn: () => unknown): void }, opts: SetupOptions = {}): Promise<Setup> {
  const { nodes = 1, ...gatewayOpts } = opts;
  let tg: TestGateway;
  let place: () => TestGateway;
  let settle: (() => Promise<void>) | undefined;
  if (nodes > 1) {
    const cluster = await startTestCluster(nodes, gatewayOpts);
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
    open: async (dialect) => closing(await openDriver(place(), dialect)),
    online,
    scene: () => new Scene(online, opts.rooms ?? ['general']),
  };
}

/** The node counts the cross-node suites run with: one gateway, and two nodes with every pair split across them. */
export const NODE_COUNTS = [1, 2] as const;

/** A test title suffix for a node count. */
export function onNodes(n: number): string {
  return n === 1 ? '' : ` [${n} nodes]`;
}
