import { fold } from '@chat-gateway/core';
import type { TracedConnection } from './trace.js';

/** What a trace filter may name (`--trace nick=alice`, `ip=10.0.0.5`, `listener=sup`). */
export const TRACE_FILTER_KEYS = ['nick', 'ip', 'listener'] as const;
export type TraceFilterKey = (typeof TRACE_FILTER_KEYS)[number];

/** Filters by key; a connection passes when, for every key named, one of its values matches. */
export type TraceFilter = Readonly<Record<TraceFilterKey, readonly string[]>>;

const SPEC = /^(nick|ip|listener)=(\S+)$/;

/** Why a filter spec is not one, or undefined when it is. */
export function traceFilterIssue(spec: string): string | undefined {
  return SPEC.test(spec) ? undefined : `expected ${TRACE_FILTER_KEYS.map((k) => `${k}=<${k === 'ip' ? 'address' : k}>`).join(', ')}, got ${JSON.stringify(spec)}`;
}

/** Groups `key=value` specs (already checked with traceFilterIssue) by key. */
export function parseTraceFilter(specs: readonly string[]): TraceFilter {
  const f: Record<TraceFilterKey, string[]> = { nick: [], ip: [], listener: [] };
  for (const spec of specs) {
    const m = SPEC.exec(spec);
    if (m) f[m[1] as TraceFilterKey].push(m[2]!);
  }
  return f;
}

/**
 * Whether a connection's listener and address pass: these never change, so
 * a connection that fails them is not traced at all.
 */
export function passesFixed(f: TraceFilter, c: TracedConnection): boolean {
  if (f.listener.length > 0 && !f.listener.includes(c.listener)) return false;
  return f.ip.length === 0 || f.ip.includes(c.remote);
}

/**
 * Whether a record of a connection passes the nick filter, nicks compared
 * case-insensitively as the Hub does. A connection with no nick yet passes:
 * what a client sends before it registers (a `login alice` that never ends)
 * is what a student most needs to see, and its nick is unknown until then.
 */
export function passesNick(f: TraceFilter, nick: string | undefined): boolean {
  if (f.nick.length === 0 || nick === undefined) return true;
  const key = fold(nick);
  return f.nick.some((n) => fold(n) === key);
}
