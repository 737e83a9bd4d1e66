import assert from 'node:assert/strict';
import { dialectTesting, type ChatDriver } from '@chat-gateway/testkit';
import { expectFrames } from './scene.js';

/** A client as its peers are told about it. */
export const peerOf = (d: ChatDriver) => ({ nick: d.nick, dialect: d.dialect });

/**
 * After `to` received a DM from `from`: a recipient whose clients acknowledge
 * DMs does so (as real WS_2017 clients do), and the sender sees the
 * acknowledgement as its dialect shows one (relayed, or made by the gateway
 * for recipients that send none), or nothing.
 */
export async function acknowledged(from: ChatDriver, to: ChatDriver): Promise<void> {
  if (dialectTesting(to.dialect).contract.receipts) to.receipt!(from.nick);
  const delivered = dialectTesting(from.dialect).contract.delivered;
  await expectFrames(from, delivered ? [delivered(from.nick, to.nick)] : []);
}

/** A DM from a to b, checked end to end: the sender's reply, the recipient's exact frame and nothing else, the acknowledgement. */
export async function dmChecked(a: ChatDriver, b: ChatDriver, text: string): Promise<void> {
  const r = await a.dm(b.nick, text);
  assert.equal(r.ok, true, r.raw);
  assert.equal(r.raw, dialectTesting(a.dialect).contract.dmOk);
  await expectFrames(b, [dialectTesting(b.dialect).contract.dm(peerOf(a), b.nick, text)]);
  await acknowledged(a, b);
}
