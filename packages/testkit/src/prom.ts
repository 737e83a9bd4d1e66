/** One sample line of Prometheus text: `name{labels} value`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition (format 0.0.4) as data: every HELP, TYPE and sample line. */
export interface PromText {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: PromSample[];
  /** The sum of every sample of `name` whose labels include `labels`; 0 when none matches. */
  value(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus text; throws on a line that is none of HELP, TYPE, comment or sample. */
export function parsePrometheus(text: string): PromText {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : type).set(meta[2]!, meta[3]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus text line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k!] = v!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return {
    help,
    type,
    samples,
    value(name, want = {}) {
      let sum = 0;
      for (const s of samples) if (s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v)) sum += s.value;
      return sum;
    },
  };
}

/** GETs /metrics from an admin server on 127.0.0.1 and parses it. */
export async function scrape(adminPort: number): Promise<PromText> {
  const res = await fetch(`http://127.0.0.1:${adminPort}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheus(await res.text());
}
