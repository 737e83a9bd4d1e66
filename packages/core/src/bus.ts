import { EventEmitter } from 'eventemitter3';
import type { BusEvent } from './events.js';

export type BusHandler = (event: BusEvent) => void;

/**
 * The event bus: four methods, after mqemitter. An in-process default below;
 * a Redis twin implements the same contract and runs the same conformance
 * suite. `publish` resolves with how many subscribers it reached, which is the
 * Hub's proof that a message was handed over (DESIGN.md "acknowledged ...
 * only when the Hub has handed it to the recipient's session").
 */
export interface Bus {
  subscribe(address: string, handler: BusHandler): Promise<void>;
  unsubscribe(address: string, handler: BusHandler): Promise<void>;
  publish(address: string, event: BusEvent): Promise<number>;
  close(): Promise<void>;
}

/**
 * Bus addresses: one per session, one per room, and two for everyone:
 * presence (online/offline, only sessions whose dialect shows it) and renames
 * (every registered session). Presence is split off because every arrival is
 * sent to every subscriber: with 10,000 sessions, only those that show it pay.
 */
export const Address = {
  session: (id: string) => `s:${id}`,
  room: (foldedName: string) => `r:${foldedName}`,
  everyone: '*',
  renames: '*r',
} as const;

/** In-process Bus on eventemitter3: synchronous delivery, in publish order. */
export class MemoryBus implements Bus {
  private readonly emitter = new EventEmitter();

  async subscribe(address: string, handler: BusHandler): Promise<void> {
    this.emitter.on(address, handler);
  }

  async unsubscribe(address: string, handler: BusHandler): Promise<void> {
    this.emitter.off(address, handler);
  }

  async publish(address: string, event: BusEvent): Promise<number> {
    return this.publishSync(address, event);
  }

  /** Same as publish, without a promise: the in-process hot path. */
  publishSync(address: string, event: BusEvent): number {
    const n = this.emitter.listenerCount(address);
    if (n > 0) this.emitter.emit(address, event);
    return n;
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
