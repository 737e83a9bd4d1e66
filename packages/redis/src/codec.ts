import type { BusEvent, LinkMessage } from '@chat-gateway/core';

/**
 * The Link's messages on the wire: one PUBLISH payload per run of messages
 * from one node to one channel, a JSON array `[node, item, item, ...]`. The
 * sending node is said once, not per message. The two messages that a
 * cross-node direct message makes, its event and its acknowledgement, have
 * short positional forms, as they are nearly all of the traffic between
 * busy nodes and JSON objects with named fields cost twice as much to
 * write and three times as much to read (bench/README.md "Across nodes");
 * every other message is its JSON object as it is.
 *
 * - an acknowledgement: its number, negative for `delivered: false`
 *   (numbers start at 1, Requests);
 * - a direct message event: `[ack or 0, except or "", id, from, session,
 *   dialect, to, toSession, text]`, with a tenth element 1 for a notice;
 * - anything else: the message's object without `from`.
 */
type Item = number | DirectItem | Omit<LinkMessage, 'from'>;
type DirectItem = [number, string, string, string, string, string, string, string, string, 1?];

/** One payload for `messages`, all sent by node `from`. */
export function encodeMessages(from: string, messages: readonly LinkMessage[]): string {
  const items: unknown[] = new Array(messages.length + 1);
  items[0] = from;
  for (let i = 0; i < messages.length; i++) items[i + 1] = item(messages[i]!);
  return JSON.stringify(items);
}

/** The messages of one payload, in order; throws on a payload that is not one (the Link logs and drops it). */
export function decodeMessages(text: string): LinkMessage[] {
  const items: unknown = JSON.parse(text);
  if (!Array.isArray(items) || typeof items[0] !== 'string') throw new TypeError('not a link payload');
  const from = items[0];
  const out: LinkMessage[] = new Array(items.length - 1);
  for (let i = 1; i < items.length; i++) out[i - 1] = message(from, items[i] as Item);
  return out;
}

function item(m: LinkMessage): Item {
  if (m.kind === 'ack') return m.delivered ? m.ack : -m.ack;
  const e = m.event;
  if (e.type !== 'message.direct') {
    const { from: _from, ...rest } = m;
    return rest;
  }
  const d: DirectItem = [m.ack ?? 0, m.except ?? '', e.id, e.from, e.session, e.dialect, e.to, e.toSession, e.text];
  if (e.notice) d.push(1);
  return d;
}

function message(from: string, it: Item): LinkMessage {
  if (typeof it === 'number') return { kind: 'ack', from, ack: Math.abs(it), delivered: it > 0 };
  if (!Array.isArray(it)) {
    if (typeof it !== 'object' || it === null) throw new TypeError('not a link message');
    return { ...it, from } as LinkMessage;
  }
  const [ack, except, id, sender, session, dialect, to, toSession, text, notice] = it;
  const event: BusEvent = { type: 'message.direct', id, from: sender, session, dialect, to, toSession, text };
  if (notice === 1) event.notice = true;
  const m: LinkMessage = { kind: 'event', from, event };
  if (except !== '') m.except = except;
  if (ack !== 0) m.ack = ack;
  return m;
}
