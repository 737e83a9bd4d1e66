/**
 * Per-connection flood control (DESIGN.md "Operating limits": token bucket,
 * charged for decompressed bytes too). Refills lazily, so an idle connection
 * costs no timer. A charge may take it below zero: a debt, repaid at the
 * refill rate, during which the connection reads nothing.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly burst: number, private readonly ratePerSec: number, now = performance.now()) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when the bucket is empty (the frame is over the limit). */
  take(now = performance.now()): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes `n` tokens whatever is left, into debt if need be; false when that leaves a debt. */
  charge(n: number, now = performance.now()): boolean {
    this.refill(now);
    this.tokens -= n;
    return this.tokens >= 0;
  }

  /** How long until the debt is repaid, ms (0 when there is none). */
  debtMs(now = performance.now()): number {
    this.refill(now);
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSec) * 1000);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
    this.last = now;
  }
}
