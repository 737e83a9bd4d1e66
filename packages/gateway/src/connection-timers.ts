/**
 * A connection's timers (its session's keepalives and timeouts, its own close
 * deadline), so that a closed connection leaves none behind: each is cleared
 * when it is cancelled, and all of them when the connection closes. A timer
 * never fires for a connection that has closed meanwhile.
 */
export class ConnectionTimers {
  private readonly live = new Set<NodeJS.Timeout>();
  private closed = false;

  /** `fn` once after `ms`, unless cancelled or closed first; returns the cancel. `unref`: it does not keep the process alive. */
  after(ms: number, fn: () => void, unref = false): () => void {
    const t = setTimeout(() => {
      this.live.delete(t);
      if (!this.closed) fn();
    }, ms);
    if (unref) t.unref();
    return this.hold(t);
  }

  /** `fn` every `ms` until cancelled or closed; returns the cancel. */
  every(ms: number, fn: () => void): () => void {
    const t = setInterval(() => {
      if (!this.closed) fn();
    }, ms);
    return this.hold(t);
  }

  /** Clears every timer; none fires from now on. */
  close(): void {
    this.closed = true;
    // clearTimeout clears intervals too (one Timeout class in Node).
    for (const t of this.live) clearTimeout(t);
    this.live.clear();
  }

  private hold(t: NodeJS.Timeout): () => void {
    this.live.add(t);
    return () => {
      clearTimeout(t);
      this.live.delete(t);
    };
  }
}
