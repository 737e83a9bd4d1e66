/**
 * Per-connection flood control (DESIGN.md "Operating limits": token bucket).
 * Refills lazily on take(), so an idle connection costs no timer.
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
    const refill = ((now - this.last) / 1000) * this.ratePerSec;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + refill);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
