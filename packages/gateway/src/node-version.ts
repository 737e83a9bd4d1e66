import { requiredNodeRange } from './version.js';

/** [major, minor, patch] of a version like `20.15.1` or `v20.15`; missing parts are 0. */
function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('.').map((p) => Number.parseInt(p, 10) || 0);
  return [major, minor, patch];
}

/** Whether `found` satisfies a `>=X.Y[.Z]` range, the only form our package.json files use. */
export function satisfiesMinimum(found: string, range: string): boolean {
  const m = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!m) throw new Error(`engines.node must be a >=X.Y range, got ${JSON.stringify(range)}`);
  const need = parts(m[1]!);
  const have = parts(found);
  for (let i = 0; i < 3; i++) if (have[i]! !== need[i]!) return have[i]! > need[i]!;
  return true;
}

/**
 * The one line to print when this Node.js is older than engines.node (the
 * code needs zlib.crc32, Node 20.15), or undefined when it will do.
 */
export function nodeTooOld(found: string = process.versions.node, range: string | undefined = requiredNodeRange()): string | undefined {
  if (range === undefined || satisfiesMinimum(found, range)) return undefined;
  const need = range.replace(/^>=\s*/, '');
  return `chat-gateway needs Node.js ${need} or newer (engines.node "${range}" in package.json); this is Node.js ${found}: install a newer one, e.g. the current 20 or 22 LTS`;
}
