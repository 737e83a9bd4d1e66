import type { Transport } from '@chat-gateway/core';

/**
 * The server side of rev-a/rev-b 5.1 Ping/Pong: "in regular intervals server
 * and client should exchange pings ... if there is no response in a defined
 * time the connection should be disconnected". One `cping` is outstanding at
 * a time; timers are the transport's, so they die with the connection.
 */
export class Keepalive {
  private awaiting = false;
  private cancelTick?: () => void;
  private cancelTimeout?: () => void;

  constructor(
    private readonly transport: Transport,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly ping: () => void,
    private readonly expired: () => void,
  ) {}

  /** Starts pinging (once registered); a no-op when the interval is 0 or it already runs. */
  start(): void {
    if (this.intervalMs <= 0 || this.cancelTick) return;
    this.cancelTick = this.transport.every(this.intervalMs, this.tick);
  }

  /** An answer arrived (any of the four pong forms): the outstanding cping is settled. */
  pong(): void {
    this.awaiting = false;
    this.cancelTimeout?.();
    this.cancelTimeout = undefined;
  }

  /** Stops both timers (quit, shutdown, timeout). */
  stop(): void {
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.pong();
  }

  private readonly tick = (): void => {
    // With a timeout, wait for the answer (or the close) before asking again.
    if (this.awaiting && this.timeoutMs > 0) return;
    this.awaiting = true;
    this.ping();
    if (this.timeoutMs > 0) this.cancelTimeout = this.transport.after(this.timeoutMs, this.expire);
  };

  private readonly expire = (): void => {
    this.cancelTimeout = undefined;
    if (!this.awaiting) return;
    this.stop();
    this.expired();
  };
}
