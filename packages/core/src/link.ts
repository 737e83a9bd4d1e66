import type { BusEvent } from './events.js';
import type { Directory } from './directory.js';

/**
 * What travels between nodes (DESIGN.md "Nodes and back ends"): an event for
 * the receiving node's own sessions, with the actor to leave out, and the
 * answer to an event that asked for one (a direct message's acknowledgement).
 */
export type LinkMessage =
  | { kind: 'event'; from: string; event: BusEvent; except?: string; ack?: number }
  | { kind: 'ack'; from: string; ack: number; delivered: boolean };

/** The Hub's side of a Link. */
export interface LinkReceiver {
  /** A message for this node, from another. */
  receive(message: LinkMessage): void;
  /** The back end came back after an outage: re-assert this node's nicks, rooms and lease. */
  resync(): void;
}

/**
 * Node to node (DESIGN.md "Traffic"): one channel per node plus one
 * broadcast, never one per session or room, so an event crosses to a node
 * once however many of its sessions get it. Messages from one node arrive at
 * another in the order they were sent, whichever channel they took.
 */
export interface Link {
  /** Starts delivering this node's messages and every broadcast but its own. */
  open(node: string, receiver: LinkReceiver): Promise<void>;
  /**
   * Sends to one node, or to every other node when `to` is undefined. False
   * when the link cannot carry it now (the back end is down): the caller
   * answers an error instead of pretending.
   */
  send(to: string | undefined, message: LinkMessage): boolean;
  close(): Promise<void>;
}

/** One node alone: nothing to send, nothing ever arrives. */
export const NO_LINK: Link = Object.freeze({
  async open() {},
  send: () => true,
  async close() {},
});

/** How a back end is up or down, for /status. */
export interface BackendState {
  type: string;
  up: boolean;
  /** Outages since start. */
  outages: number;
  detail?: string;
}

/**
 * A back end (DESIGN.md "Shape"): a Directory and a Link. The in-process one
 * is a MemoryDirectory and no Link; Redis makes several nodes one chat.
 */
export interface Backend {
  readonly directory: Directory;
  readonly link: Link;
  /** Up or down, for /status and metrics; absent means always up. */
  state?(): BackendState;
}
