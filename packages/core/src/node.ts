import { randomBytes } from 'node:crypto';

/** A random node id (DESIGN.md "Identity": unique per process unless configured), short enough to read in logs. */
export function newNodeId(): string {
  return `n${randomBytes(4).toString('hex')}`;
}
