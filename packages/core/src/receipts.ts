import type { Directory, UserRecord } from './directory.js';
import { fail, ok, type Result } from './errors.js';
import type { BusEvent } from './events.js';
import type { Link } from './link.js';
import type { LocalSessions, SessionPort } from './local.js';

/** What relaying a receipt needs of the Hub. */
export interface ReceiptDeps {
  node: string;
  local: LocalSessions;
  directory: Directory;
  link: Link;
  /** The reply when the back end is unreachable (logged by the Hub). */
  down(err: unknown, op: string): Result<never>;
  /** The reply's text when the Link cannot take the receipt. */
  unreachable: string;
}

/**
 * Relays a recipient's receipt for a message from `sender` back to the
 * sender: only for a message this session really got from that sender
 * (DESIGN.md "Security": a receipt cannot be forged), to the sender's node.
 */
export async function relayReceipt(d: ReceiptDeps, port: SessionPort, sender: string): Promise<Result<{ to: string }>> {
  const s = d.local.session(port.id);
  if (!s) return fail('NOT_REGISTERED');
  if (!d.local.takeReceipt(s, sender)) return fail('FORBIDDEN', `no message from ${sender} to acknowledge`);
  const near = d.local.byNickname(sender);
  if (near) {
    d.local.deliver({ type: 'receipt', id: '', from: near.nick, to: s.nick, toSession: near.port.id, synthesized: false });
    return ok({ to: near.nick });
  }
  let target: UserRecord | undefined;
  try {
    target = await d.directory.getUser(sender);
  } catch (err) {
    return d.down(err, 'receipt');
  }
  if (!target || target.node === d.node) return fail('NO_SUCH_USER', sender);
  const event: BusEvent = { type: 'receipt', id: '', from: target.nick, to: s.nick, toSession: target.session, synthesized: false };
  if (!d.link.send(target.node, { kind: 'event', from: d.node, event })) return fail('INTERNAL', d.unreachable);
  return ok({ to: target.nick });
}
