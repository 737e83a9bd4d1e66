import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/** The repository's root package.json: its version is the gateway's, its engines.node what the code needs. */
const ROOT_MANIFEST = join(REPO_ROOT, 'package.json');

let manifest: { version?: string; engines?: { node?: string } } | undefined;

function rootManifest(): { version?: string; engines?: { node?: string } } {
  try {
    manifest ??= JSON.parse(readFileSync(ROOT_MANIFEST, 'utf8')) as { version?: string; engines?: { node?: string } };
  } catch {
    manifest = {}; // a copy without the root manifest still runs; it just cannot say its version
  }
  return manifest;
}

/** The gateway's version (the root package.json's), or `unknown`. */
export function gatewayVersion(): string {
  return rootManifest().version ?? 'unknown';
}

/** The root package.json's `engines.node` range, e.g. `>=20.15`. */
export function requiredNodeRange(): string | undefined {
  return rootManifest().engines?.node;
}
