/**
 * A random node id (DESIGN.md "Identity": unique per process unless configured), short enough to read in logs.
 * Math.random, not node:crypto: the id is no secret and need only differ between processes (V8 seeds
 * each process's generator from the system's entropy), and loading node:crypto would cost every
 * gateway about 0.6 MB of RSS at start (issue #16).
 */
export function newNodeId(): string {
  return `n${Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0')}`;
}
