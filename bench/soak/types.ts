import type { Canary } from './canary.js';
import type { SoakGateway } from './gateway.js';

/** How big each part is: the full soak (~10 min), --quick (~1 min), tiny (~40 s), or the short run in `npm test` (test/soak.test.ts). */
export interface Sizes {
  name: 'full' | 'quick' | 'tiny' | 'test';
  /** Mutated frames per dialect, and how many between two canary round trips. */
  fuzzFrames: number;
  fuzzBatch: number;
  /** How long each amplification case runs, ms. */
  attackMs: number;
  /** Inflation bombs per second, low and high rate. */
  bombRates: [number, number];
  /** Others beside the slow readers, and how long each half of that case measures, ms. */
  others: number;
  slowMs: number;
  /** Decompression bombs sent at once. */
  bombs: number;
  /** Churn cycles. */
  churn: number;
  /** Senders and how long they send before SIGTERM, ms. */
  sigtermSenders: number;
  sigtermMs: number;
  /** ChatMaster logins whose notification bytes are counted. */
  logins: number;
}

export const SIZES: Readonly<Record<Sizes['name'], Sizes>> = {
  full: { name: 'full', fuzzFrames: 100_000, fuzzBatch: 2_000, attackMs: 5_000, bombRates: [100, 520], others: 1_000, slowMs: 8_000, bombs: 200, churn: 10_000, sigtermSenders: 200, sigtermMs: 3_000, logins: 1_000 },
  quick: { name: 'quick', fuzzFrames: 10_000, fuzzBatch: 1_000, attackMs: 2_000, bombRates: [100, 520], others: 500, slowMs: 3_000, bombs: 50, churn: 1_000, sigtermSenders: 50, sigtermMs: 1_500, logins: 300 },
  tiny: { name: 'tiny', fuzzFrames: 400, fuzzBatch: 200, attackMs: 600, bombRates: [50, 200], others: 40, slowMs: 800, bombs: 10, churn: 100, sigtermSenders: 10, sigtermMs: 500, logins: 60 },
  test: { name: 'test', fuzzFrames: 150, fuzzBatch: 150, attackMs: 400, bombRates: [50, 100], others: 20, slowMs: 400, bombs: 4, churn: 40, sigtermSenders: 4, sigtermMs: 300, logins: 30 },
};

/** What every part is handed. */
export interface PartContext {
  /** The checkout whose gateway is attacked (this one, or an older one for the "before" figures). */
  root: string;
  gw: SoakGateway;
  canary: Canary;
  sizes: Sizes;
  seed: number;
  log(line: string): void;
}

/** One target of a part: PASS or FAIL with the figure behind it. */
export interface Check {
  name: string;
  pass: boolean;
  detail: string;
  /**
   * A target the short run in `npm test` cannot judge: a latency (on a shared machine), or a volume
   * its few hundred milliseconds do not reach. `npm run soak` judges it.
   */
  timing?: boolean;
}

/** A part's figures (printed as they are) and its checks. */
export interface PartResult {
  part: string;
  title: string;
  figures: Record<string, string | number>;
  checks: Check[];
}

/** A check built from a figure and its bound. */
export function check(name: string, pass: boolean, detail: string, timing = false): Check {
  return timing ? { name, pass, detail, timing } : { name, pass, detail };
}

/** Milliseconds with one decimal, for figures. */
export const ms = (v: number): number => Math.round(v * 10) / 10;
