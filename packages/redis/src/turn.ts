import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

/**
 * One event-loop turn's traffic on a node's command connection, written at
 * once. ioredis writes every command to its socket on its own, and a busy
 * node sends several per direct message (the lookup, the publish, the
 * answer's publish): those system calls were a quarter of its CPU
 * (bench/README.md "Across nodes"). So the socket is corked from the first
 * command of a turn to the end of the turn, and the Link's messages are
 * published at the end of the turn (RedisLink: one PUBLISH for a run of
 * messages to one channel). Nothing is reordered: commands leave in the
 * order they were made, on one connection.
 */
export class TurnBatch {
  private corked?: Socket;
  private scheduled = false;
  private readonly ends: (() => void)[] = [];

  constructor(private readonly client: Redis) {}

  /** Before each command: the socket stays corked until the end of this turn. */
  command(): void {
    if (this.corked === undefined) {
      // ioredis's socket of the moment (a new one after each reconnect); none while Redis is away.
      const stream = (this.client as unknown as { stream?: Socket }).stream;
      if (!stream?.writable) return;
      stream.cork();
      this.corked = stream;
    }
    this.schedule();
  }

  /** Runs `fn` at the end of this turn, before the socket is uncorked. */
  atEnd(fn: () => void): void {
    this.ends.push(fn);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.end);
  }

  private readonly end = (): void => {
    for (const fn of this.ends.splice(0)) fn();
    this.scheduled = false;
    this.corked?.uncork();
    this.corked = undefined;
  };
}
