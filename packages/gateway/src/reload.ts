import { isDeepStrictEqual } from 'node:util';
import { namePolicy, type Dialect, type Hub, type Log } from '@chat-gateway/core';
import type { GatewayConfig, ListenerConfig } from './config/types.js';
import type { ConnectionTable } from './listener.js';
import type { Bound, ListenerSet } from './listener-set.js';

/** What the goodbye of a removed listener's connections says, where the dialect has room for words. */
export const LISTENER_REMOVED_MESSAGE = 'This port is closing: the server was reconfigured.';

/** What a reload did, and what it could not do without a restart. */
export interface ReloadOutcome {
  changes: string[];
  /** Sections that changed but only take effect at the next start. */
  restartNeeded: string[];
}

/** A reload that changed nothing: the running config is kept whole. */
export class ReloadRefused extends Error {}

/** How the listeners of two configs differ, by name (DESIGN.md "Operating": added, removed or moved). */
export interface ListenerPlan {
  added: ListenerConfig[];
  removed: ListenerConfig[];
  /** A different address, transport or dialect: bound anew. */
  moved: { from: ListenerConfig; to: ListenerConfig }[];
  /** The same binding, other options: the listener stays bound. */
  retuned: ListenerConfig[];
}

// Sections read once at start: a change is reported, not applied.
const AT_START: readonly (keyof GatewayConfig)[] = ['node', 'backend', 'cluster', 'admin', 'shutdown'];

/** How `next`'s listeners differ from `old`'s. */
export function planListeners(old: readonly ListenerConfig[], next: readonly ListenerConfig[]): ListenerPlan {
  const plan: ListenerPlan = { added: [], removed: [], moved: [], retuned: [] };
  for (const from of old) if (!next.some((l) => l.name === from.name)) plan.removed.push(from);
  for (const to of next) {
    const from = old.find((l) => l.name === to.name);
    if (!from) plan.added.push(to);
    else if (!isDeepStrictEqual(binding(from), binding(to))) plan.moved.push({ from, to });
    else if (!isDeepStrictEqual(from.options, to.options)) plan.retuned.push(to);
  }
  return plan;
}

/** Listeners to bind: the added ones and the new place of each moved one. */
function incoming(plan: ListenerPlan): ListenerConfig[] {
  return [...plan.added, ...plan.moved.map((m) => m.to)];
}

/** Listeners to stop: the removed ones and the old place of each moved one. */
function outgoing(plan: ListenerPlan): ListenerConfig[] {
  return [...plan.removed, ...plan.moved.map((m) => m.from)];
}

/** The sections of `next` that differ from `old` but apply only at start. */
export function restartNeeded(old: GatewayConfig, next: GatewayConfig): string[] {
  const out = AT_START.filter((k) => !isDeepStrictEqual(old[k], next[k])).map(String);
  if (old.log.pretty !== next.log.pretty) out.push('log.pretty');
  return out;
}

export interface ReloadContext {
  current: GatewayConfig;
  listeners: ListenerSet;
  table: ConnectionTable;
  hub: Hub;
  dialects: ReadonlyMap<string, Dialect>;
  log: Log;
}

/**
 * Applies a validated config to a running gateway, all or nothing: new
 * listeners are bound and the Hub's settings changed before anything is
 * committed, and any failure undoes what was done, so the old config stays
 * whole. Then removed listeners' connections get their dialect's goodbye;
 * every other connection is left alone (moved ones keep their socket).
 */
export async function applyReload(ctx: ReloadContext, next: GatewayConfig): Promise<ReloadOutcome> {
  const { current, listeners, hub } = ctx;
  const plan = planListeners(current.listeners, next.listeners);
  const fresh = incoming(plan);
  for (const l of fresh) {
    if (!ctx.dialects.has(l.dialect)) throw new ReloadRefused(`listener ${l.name}: dialect ${l.dialect} is not installed`);
  }
  const retiring = outgoing(plan).map((c) => listeners.get(c.name)!);
  // An address a retiring listener holds is bound only once that one stopped (a swap, or a new transport on the same port).
  const later = fresh.filter((l) => retiring.some((r) => sameAddress(r.config, l)));
  const bound: Bound[] = [];
  const undo = async (stopped: boolean) => {
    await Promise.all(bound.map((b) => b.listener.close()));
    if (stopped) await Promise.all(retiring.map((r) => r.listener.listen().catch((err: unknown) => ctx.log.error({ err, listener: r.config.name }, 'reload undone, but the listener could not be bound again'))));
  };
  let stopped = false;
  try {
    for (const l of fresh.filter((f) => !later.includes(f))) bound.push(await listeners.bind(l, next));
    // Not awaited: close() resolves when the last connection is gone, but the port is free at once.
    for (const r of retiring) void r.listener.close().catch((err: unknown) => ctx.log.warn({ err, listener: r.config.name }, 'listener close failed'));
    stopped = true;
    for (const l of later) bound.push(await listeners.bind(l, next));
    await hub.reconfigure({ policy: namePolicy(next.names), textMax: next.limits.textMax, defaultRooms: next.rooms.default });
  } catch (err) {
    await undo(stopped);
    if (err instanceof ReloadRefused) throw err;
    throw new ReloadRefused(err instanceof Error ? err.message : String(err));
  }
  return commit(ctx, next, plan, bound);
}

/** Past the point of no return: registers the new listeners, hands out limits and options, says goodbye to removed listeners' connections. */
function commit(ctx: ReloadContext, next: GatewayConfig, plan: ListenerPlan, bound: Bound[]): ReloadOutcome {
  const { current, listeners, table, log } = ctx;
  const changes: string[] = [];
  const gone = new Set(outgoing(plan).map((c) => c.name));
  const kept = listeners.all.filter((b) => !gone.has(b.config.name));
  for (const b of kept) {
    const lc = next.listeners.find((l) => l.name === b.config.name)!;
    b.listener.retune(lc, next.limits);
    b.config = lc;
  }
  listeners.replace([...kept, ...bound], next.listeners.map((l) => l.name));
  const limitsChanged = !isDeepStrictEqual(current.limits, next.limits);
  for (const c of table.all) {
    const listener = c.describe().listener;
    if (plan.removed.some((l) => l.name === listener)) void c.shutdown(LISTENER_REMOVED_MESSAGE).catch((err: unknown) => log.error({ err }, 'goodbye failed'));
    else if (limitsChanged) c.applyLimits(next.limits);
  }
  for (const l of incoming(plan)) {
    const { info, endpoint } = listeners.get(l.name)!;
    log.info({ listener: l.name, dialect: l.dialect, host: info.host, port: info.port, url: endpoint.url }, 'listening');
  }
  for (const l of plan.added) changes.push(`listener ${l.name} (${l.dialect}) added on ${listeners.get(l.name)!.endpoint.url}`);
  for (const m of plan.moved) changes.push(`listener ${m.to.name} (${m.to.dialect}) moved to ${listeners.get(m.to.name)!.endpoint.url}; its open connections stay`);
  for (const l of plan.removed) changes.push(`listener ${l.name} removed: its connections were told goodbye`);
  for (const l of plan.retuned) changes.push(`listener ${l.name}: new dialect options, for connections from now on`);
  if (limitsChanged) changes.push('limits');
  if (!isDeepStrictEqual(current.rooms, next.rooms)) changes.push('rooms');
  if (!isDeepStrictEqual(current.names, next.names)) changes.push('names');
  return { changes, restartNeeded: restartNeeded(current, next) };
}

function binding(l: ListenerConfig): unknown[] {
  return [l.dialect, l.host, l.port, l.transport, l.path, l.cert, l.key, l.page];
}

function sameAddress(a: ListenerConfig, b: ListenerConfig): boolean {
  if (a.port === 0 || a.port !== b.port) return false;
  const wild = (h: string) => h === '0.0.0.0' || h === '::';
  return a.host === b.host || wild(a.host) || wild(b.host);
}
