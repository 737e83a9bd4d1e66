import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { topItems } from '../bench/profile.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'packages/gateway/dist/bundle/cli.js');

/** 0-based line and column of the first `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the bundle`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, column: before.at(-1)!.length };
}

// `npm run bench -- --profile` profiles the gateway as deployed, the bundle (npm test builds it first):
// a sample in it is named by the TypeScript file and line it came from, through esbuild's source map.
test('a profile sample in the bundled gateway is named by its TypeScript file and line', async (t) => {
  const bundle = await readFile(BUNDLE, 'utf8');
  const { line, column } = positionOf(bundle, 'pipeData(chunk){');
  const source = await readFile(join(ROOT, 'packages/gateway/src/connection.ts'), 'utf8');
  const tsLine = positionOf(source, '  pipeData(chunk: Buffer): void {').line + 1;
  const dir = await mkdtemp(join(tmpdir(), 'cgw-profile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.cpuprofile');
  const frame = (functionName: string, url: string, lineNumber: number, columnNumber: number) => ({ functionName, url, lineNumber, columnNumber });
  await writeFile(file, JSON.stringify({
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1, -1), hitCount: 0, children: [2, 3] },
      { id: 2, callFrame: frame('pipeData', pathToFileURL(BUNDLE).href, line, column), hitCount: 3 },
      { id: 3, callFrame: frame('(garbage collector)', '', -1, -1), hitCount: 1 },
    ],
    startTime: 0, endTime: 4000, samples: [2, 2, 2, 3], timeDeltas: [1000, 1000, 1000, 1000],
  }));
  const top = topItems(file, ROOT);
  assert.deepEqual(top.functions[0], { name: 'pipeData', where: `packages/gateway/src/connection.ts:${tsLine}`, selfPct: 75 });
  assert.equal(top.files[0]!.name, 'packages/gateway/src/connection.ts');
});
