import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Maps positions in the code tsx ran (or tsc compiled) back to TypeScript lines, so a CPU
 * profile can name lines. tsx minifies whitespace (a whole module is one
 * line) and keeps each transform with its source map in its cache,
 * `<tmpdir>/tsx-<uid>/`; the newest entry for a file is the code the profiled
 * process ran, unless the file changed since (then lines may be off).
 */
export class TsxSourceMaps {
  private readonly byFile = new Map<string, Segment[][] | null>();
  private index?: Map<string, string>;

  /** The 1-based TypeScript line of a 0-based generated (line, column), or undefined. */
  line(file: string, genLine: number, genCol: number): number | undefined {
    const lines = this.load(file);
    return lines ? lookup(lines, genLine, genCol) : undefined;
  }

  /**
   * The TypeScript file and 1-based line of a 0-based position in JavaScript compiled with a
   * source map beside it (`.js.map`): tsc's dist/*.js (one source each) or the gateway's bundle
   * (dist/bundle/, esbuild: many sources, mapped through to the TypeScript), or undefined without one.
   */
  compiled(file: string, genLine: number, genCol: number): { file: string; line: number } | undefined {
    let entry = this.compiledMaps.get(file);
    if (entry === undefined) {
      entry = null;
      try {
        const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources?: string[]; mappings?: string };
        if (map.sources?.[0] && map.mappings) entry = { sources: map.sources.map((s) => resolve(dirname(file), s)), lines: decodeMappings(map.mappings) };
      } catch {
        entry = null; // not compiled by tsc (a dependency), or built without maps
      }
      this.compiledMaps.set(file, entry);
    }
    if (!entry) return undefined;
    const seg = segmentAt(entry.lines, genLine, genCol);
    const source = seg && entry.sources[seg.src];
    return seg && source ? { file: source, line: seg.srcLine + 1 } : undefined;
  }

  private readonly compiledMaps = new Map<string, { sources: string[]; lines: Segment[][] } | null>();

  private load(file: string): Segment[][] | null {
    if (this.byFile.has(file)) return this.byFile.get(file)!;
    let parsed: Segment[][] | null = null;
    const entry = this.cacheIndex().get(file);
    if (entry) {
      try {
        const { map } = JSON.parse(readFileSync(entry, 'utf8')) as { map?: { mappings: string } };
        if (map?.mappings) parsed = decodeMappings(map.mappings);
      } catch {
        parsed = null;
      }
    }
    this.byFile.set(file, parsed);
    return parsed;
  }

  /** Source path → newest cache entry holding its transform. */
  private cacheIndex(): Map<string, string> {
    if (this.index) return this.index;
    const index = new Map<string, string>();
    const newest = new Map<string, number>();
    const dir = join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // No cache: no lines.
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const text = readFileSync(path, 'utf8');
        const m = /"sources":\["([^"]+)"\]/.exec(text.slice(-4096)) ?? /"sources":\["([^"]+)"\]/.exec(text);
        if (!m) continue;
        const mtime = statSync(path).mtimeMs;
        if (mtime > (newest.get(m[1]!) ?? -1)) {
          newest.set(m[1]!, mtime);
          index.set(m[1]!, path);
        }
      } catch {
        continue;
      }
    }
    this.index = index;
    return index;
  }
}

/** The 1-based source line of the last segment at or before (genLine, genCol). */
function lookup(lines: Segment[][], genLine: number, genCol: number): number | undefined {
  const seg = segmentAt(lines, genLine, genCol);
  return seg ? seg.srcLine + 1 : undefined;
}

/** The last segment at or before (genLine, genCol): a binary search, a bundle's lines hold thousands. */
function segmentAt(lines: Segment[][], genLine: number, genCol: number): Segment | undefined {
  const segs = lines[genLine];
  if (!segs || segs.length === 0 || segs[0]!.genCol > genCol) return undefined;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid]!.genCol <= genCol) lo = mid;
    else hi = mid - 1;
  }
  return segs[lo];
}

interface Segment {
  genCol: number;
  /** Index into the map's `sources`. */
  src: number;
  srcLine: number;
}

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Decodes source map v3 `mappings` (base64 VLQ) into generated line → segments, keeping what line lookup needs. */
export function decodeMappings(mappings: string): Segment[][] {
  const out: Segment[][] = [];
  let srcLine = 0;
  let src = 0;
  for (const lineText of mappings.split(';')) {
    const segs: Segment[] = [];
    let genCol = 0;
    for (const seg of lineText.split(',')) {
      if (seg.length === 0) continue;
      const v = vlq(seg);
      genCol += v[0] ?? 0;
      if (v.length >= 4) {
        src += v[1]!;
        srcLine += v[2]!;
        segs.push({ genCol, src, srcLine });
      }
    }
    out.push(segs);
  }
  return out;
}

function vlq(s: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of s) {
    const d = B64.get(ch) ?? 0;
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
