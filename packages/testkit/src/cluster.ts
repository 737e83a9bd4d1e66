import { LoopCluster } from '@chat-gateway/core/conformance';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';

/** Several test gateways that are one chat: real Hubs on one multi-node test back end. */
export interface TestCluster {
  readonly nodes: readonly TestGateway[];
  readonly loop: LoopCluster;
  stop(): Promise<void>;
}

/**
 * Starts `n` gateways (nodes `node1`…`noden`), every listener on port 0,
 * sharing a LoopCluster: traffic between them arrives on a later turn, as
 * through Redis, so what passes here does not lean on synchronous delivery.
 */
export async function startTestCluster(n: number, opts: Omit<TestGatewayOptions, 'backend' | 'nodeId'> = {}): Promise<TestCluster> {
  const loop = new LoopCluster();
  const nodes: TestGateway[] = [];
  try {
    for (let i = 1; i <= n; i++) nodes.push(await startTestGateway({ ...opts, backend: loop.backend(), nodeId: `node${i}` }));
  } catch (err) {
    await Promise.all(nodes.map((g) => g.stop()));
    throw err;
  }
  return { nodes, loop, stop: async () => void (await Promise.all(nodes.map((g) => g.stop()))) };
}
