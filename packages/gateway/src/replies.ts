type Frame = string | Uint8Array;

/** One deferred reply: settled once its answer is in; `after` holds what was written after it was deferred. */
interface Deferred {
  run?: () => void;
  // Made when a frame is first held behind it (most replies have none).
  after?: Frame[];
}

const bytes = (f: Frame): number => (typeof f === 'string' ? Buffer.byteLength(f) : f.byteLength);

/**
 * The replies of one connection that wait for an answer while later frames
 * are handled (core's Transport.defer: a DM waiting for another node's
 * acknowledgement, DESIGN.md "Acknowledgement"). Each runs in the order it
 * was deferred, whatever order the answers come in; a frame written while
 * one is pending waits behind it, so the client reads replies in the order
 * of its requests and everything else where it would have been.
 */
export class OrderedReplies {
  private readonly queue: Deferred[] = [];
  private replying = false;
  /** Bytes written meanwhile and not yet let out (they count against the send queue limit). */
  heldBytes = 0;
  private waiters: (() => void)[] = [];

  constructor(
    /** Writes a frame out (the connection's own queue). */
    private readonly out: (frame: Frame) => void,
    /** Answers a reply whose answer rejected (the connection's INTERNAL reply). */
    private readonly failed: (err: unknown) => void,
    /** Called each time the last pending reply was written. */
    private readonly drained: () => void,
  ) {}

  /** Replies deferred and not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  /** True while a reply (or what was held behind it) is being written. */
  get writing(): boolean {
    return this.replying;
  }

  /** Keeps a frame behind the pending replies; false when nothing is pending (or a reply is being written): write it now. */
  hold(frame: Frame): boolean {
    if (this.queue.length === 0 || this.replying) return false;
    (this.queue.at(-1)!.after ??= []).push(frame);
    this.heldBytes += bytes(frame);
    return true;
  }

  /** Defers a reply until `answer` is in (Transport.defer). */
  add<T>(answer: Promise<T>, reply: (value: T) => void): void {
    const d: Deferred = { run: undefined, after: undefined };
    this.queue.push(d);
    // One reaction per reply, no chain: this runs for every DM a busy node sends on.
    answer.then(
      (value) => {
        d.run = () => reply(value);
        this.release();
      },
      (err: unknown) => {
        d.run = () => this.failed(err);
        this.release();
      },
    );
  }

  /** Resolves at once when fewer than `n` replies are pending, else once a reply was written (the caller looks again). */
  below(n: number): Promise<void> {
    if (this.queue.length < n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes every reply at the head whose answer is in, each followed by what was written after it. */
  private release(): void {
    while (this.queue[0]?.run) {
      const d = this.queue.shift()!;
      this.replying = true;
      try {
        d.run!();
      } catch (err) {
        this.failed(err);
      } finally {
        if (d.after) {
          for (const f of d.after) {
            this.heldBytes -= bytes(f);
            this.out(f);
          }
        }
        this.replying = false;
      }
    }
    for (const w of this.waiters.splice(0)) w();
    if (this.queue.length === 0) this.drained();
  }
}
