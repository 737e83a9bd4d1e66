import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TsxSourceMaps } from './sourcemap.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

export interface HotItem {
  name: string;
  where: string;
  selfPct: number;
}

/**
 * The top self-time items of a V8 `.cpuprofile` (what `node --cpu-prof`
 * writes), by function and by file: the "top items" the bench reports.
 */
export function topItems(file: string, root: string, limit = 25, windows?: readonly (readonly [number, number])[]): ProfileTop {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; samples?: number[]; timeDeltas?: number[] };
  if (windows && windows.length > 0 && prof.samples && prof.timeDeltas) restrictTo(prof as Required<typeof prof>, windows);
  const all = prof.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0) || 1;
  const idle = prof.nodes.filter((x) => x.callFrame.functionName === '(idle)').reduce((n, x) => n + (x.hitCount ?? 0), 0);
  // Percentages are of the time the process was busy: idle time says nothing about the hot path.
  const total = all - idle || 1;
  const byFn = new Map<string, { name: string; where: string; hits: number }>();
  const byFile = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const maps = new TsxSourceMaps();
  for (const n of prof.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0 || n.callFrame.functionName === '(idle)') continue;
    const cf = n.callFrame;
    const path = cf.url.startsWith('file://') ? new URL(cf.url).pathname : undefined;
    // The gateway runs compiled (dist/*.js with tsc's maps): name the TypeScript file and line it came from.
    const compiled = path?.endsWith('.js') ? maps.compiled(path, cf.lineNumber, cf.columnNumber) : undefined;
    const url = compiled ? relative(root, compiled.file) : path ? relative(root, path) : cf.url || '(native)';
    const name = cf.functionName || '(anonymous)';
    // tsx runs minified transforms (one line per module): map back to the TypeScript line when its cache has the map.
    const tsLine = compiled?.line ?? (path?.endsWith('.ts') ? maps.line(path, cf.lineNumber, cf.columnNumber) : undefined);
    const line = tsLine ?? (path?.endsWith('.ts') ? undefined : cf.lineNumber + 1);
    const where = cf.url ? (line !== undefined ? `${url}:${line}` : url) : name.startsWith('(') ? '' : '(native)';
    const k = `${name}\u0000${where}`;
    const e = byFn.get(k) ?? { name, where, hits: 0 };
    e.hits += hits;
    byFn.set(k, e);
    const fileKey = cf.url ? url : name.startsWith('(') ? name : '(native)';
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
    const pkg = packageOf(fileKey);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
  }
  const functions = [...byFn.values()].sort((a, b) => b.hits - a.hits).slice(0, limit).map((e) => ({ name: e.name, where: e.where, selfPct: (e.hits / total) * 100 }));
  const rank = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([f, h]) => ({ name: f, where: '', selfPct: (h / total) * 100 }));
  return { functions, files: rank(byFile), packages: rank(byPackage), samples: all, busyPct: (total / all) * 100 };
}

/**
 * Recounts each node's hits from the samples that fall inside the windows
 * (monotonic microseconds, the clock of process.hrtime and of the profile's
 * timestamps), so startup, setup and teardown do not dilute the hot path.
 */
function restrictTo(prof: { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }, windows: readonly (readonly [number, number])[]): void {
  const hits = new Map<number, number>();
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i]!;
    if (!windows.some(([a, b]) => t >= a && t <= b)) continue;
    const id = prof.samples[i]!;
    hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  for (const n of prof.nodes) n.hitCount = hits.get(n.id) ?? 0;
}

export interface ProfileTop {
  functions: HotItem[];
  files: HotItem[];
  packages: HotItem[];
  samples: number;
  /** Share of all samples the process was not idle. */
  busyPct: number;
}

/** `packages/core/src/hub.ts` → `packages/core`; `node_modules/x/...` → `node_modules/x`; `node:internal/...` → `node (internals)`. */
function packageOf(file: string): string {
  const m = /^(packages\/[^/]+|node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(file);
  if (m) return m[1]!;
  if (file.startsWith('node:')) return 'node (internals)';
  return file;
}

/** Formats topItems for the terminal. */
export function formatTop(t: ProfileTop): string {
  const lines = [`CPU profile: ${t.samples} samples, busy ${t.busyPct.toFixed(0)}% of them; shares below are of busy time.`, 'Top self time by function:'];
  if (t.samples <= 1) lines.push('  (no samples in the measured windows)');
  for (const f of t.functions) lines.push(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
  lines.push('By package:');
  for (const f of t.packages.slice(0, 12)) lines.push(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}`);
  lines.push('By file:');
  for (const f of t.files.slice(0, 15)) lines.push(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${f.name}`);
  return lines.join('\n');
}

/** Of several profiles (main thread, loader worker), the one that was busiest. */
export function busiest(files: string[], root: string, windows?: readonly (readonly [number, number])[]): string | undefined {
  let best: { file: string; busy: number } | undefined;
  for (const f of files) {
    const t = topItems(f, root, 1, windows);
    const busy = (t.samples * t.busyPct) / 100;
    if (!best || busy > best.busy) best = { file: f, busy };
  }
  return best?.file;
}

// `node --import tsx bench/profile.ts <file.cpuprofile>`: print the top items of any profile.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/profile.ts <file.cpuprofile> [limit]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatTop(topItems(file, process.cwd(), Number(process.argv[3] ?? 25)))}\n`);
}
