import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The gateway package's folder: the nearest above this module that holds a
 * package.json. Found, not counted in `../`, because this module runs from
 * dist/ (tsc) and from dist/bundle/ (the bundle `npm start` runs) alike.
 */
export const GATEWAY_DIR = nearestPackage(dirname(fileURLToPath(import.meta.url)));

/** The checkout (or image) root: packages/gateway's grandparent, where config/ and the root package.json are. */
export const REPO_ROOT = join(GATEWAY_DIR, '..', '..');

function nearestPackage(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
