import { MemoryDirectory } from '../src/memory-directory.js';
import { NO_LINK } from '../src/link.js';
import { directoryCases } from './directory-cases.js';
import { hubCases } from './hub-cases.js';
import { LoopCluster } from './loop.js';
import type { BackendFixture } from './support.js';

export { LoopCluster, type LoopOptions } from './loop.js';
export { FAST_CLUSTER, Nodes, eventually, online, sentinel, testPort, type BackendFixture, type TestPort } from './support.js';

/**
 * The contract every back end passes (after aedes/mqemitter's shared suite):
 * the Directory's atomicity and leases, and real Hubs on it delivering what
 * DESIGN.md "Nodes and back ends" says. `nodes`: how many nodes the back end
 * can run (1 for the in-process one); cases for two run where it has them.
 */
export function backendConformance(name: string, nodes: number, make: () => Promise<BackendFixture>): void {
  directoryCases(name, nodes, make);
  hubCases(name, nodes, make);
}

/** The in-process back end: one node, a MemoryDirectory and no Link. */
export async function memoryFixture(): Promise<BackendFixture> {
  const directory = new MemoryDirectory();
  let given = false;
  return {
    async backend() {
      // One node only: a second Hub on it would share the Directory but hear nothing.
      if (given) throw new Error('the in-process back end has one node');
      given = true;
      return { directory, link: NO_LINK };
    },
    async close() {
      await directory.close();
    },
  };
}

/** The multi-node test back end: a LoopCluster, its traffic on later turns. */
export async function loopFixture(): Promise<BackendFixture> {
  const cluster = new LoopCluster();
  return {
    backend: async () => cluster.backend(),
    outage: (on, opts) => cluster.outage(on, opts),
    async close() {},
  };
}
