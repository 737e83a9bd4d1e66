/**
 * A latency histogram in microseconds with bounded memory and <1% relative
 * error: 1 µs bins up to 1 ms, then 64 bins per power of two (HDR-style).
 */
const LINEAR = 1024;
const SUB = 64;
const OCTAVES = 24; // up to 1024 * 2^24 µs ≈ 4.7 hours

/** A histogram as it travels between processes (Histogram.toWire). */
export interface HistogramWire {
  bins: [number, number][];
  count: number;
  max: number;
  sum: number;
}

export class Histogram {
  private readonly bins = new Float64Array(LINEAR + OCTAVES * SUB);
  count = 0;
  max = 0;
  sum = 0;

  /** Records one latency in microseconds. */
  record(us: number): void {
    const v = us < 0 ? 0 : us;
    this.bins[index(v)]!++;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** The non-empty bins as [index, count] pairs, with count, max and sum: a histogram sent to another process. */
  toWire(): HistogramWire {
    const bins: [number, number][] = [];
    for (let i = 0; i < this.bins.length; i++) if (this.bins[i]! > 0) bins.push([i, this.bins[i]!]);
    return { bins, count: this.count, max: this.max, sum: this.sum };
  }

  /** Adds what toWire() gave, from another process. */
  mergeWire(w: HistogramWire): void {
    for (const [i, n] of w.bins) this.bins[i]! += n;
    this.count += w.count;
    this.sum += w.sum;
    if (w.max > this.max) this.max = w.max;
  }

  /** The value at quantile q (0..1), in microseconds: the upper edge of its bin, capped at max. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return Math.min(upper(i), this.max);
    }
    return this.max;
  }

  /** Mean in microseconds. */
  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}

function index(v: number): number {
  if (v < LINEAR) return Math.floor(v);
  const octave = Math.min(OCTAVES - 1, Math.floor(Math.log2(v / LINEAR)));
  const base = LINEAR * 2 ** octave;
  const sub = Math.min(SUB - 1, Math.floor(((v - base) / base) * SUB));
  return LINEAR + octave * SUB + sub;
}

function upper(i: number): number {
  if (i < LINEAR) return i + 1;
  const octave = Math.floor((i - LINEAR) / SUB);
  const sub = (i - LINEAR) % SUB;
  const base = LINEAR * 2 ** octave;
  return base + ((sub + 1) * base) / SUB;
}
