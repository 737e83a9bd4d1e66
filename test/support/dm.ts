import assert from 'node:assert/strict';
import { DIALECT_TESTING, dialectTesting, type ChatDriver } from '@chat-gateway/testkit';
import { expectFrames } from './scene.js';

/** Dialects whose every DM gets exactly one reply frame: a sender can pipeline a burst and read the replies back in order. */
export const PIPELINING = DIALECT_TESTING.filter((t) => t.contract.dmOk !== '').map((t) => t.dialect);

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

/** Collects n DMs at a driver, returning their texts in arrival order. */
async function collectDms(d: ChatDriver, n: number): Promise<string[]> {
  const texts: string[] = [];
  while (texts.length < n) texts.push((await d.waitFor('dm', undefined, 10_000)).text);
  return texts;
}

/**
 * A burst of n DMs from a to b, pipelined (every request out before any
 * reply is read): b gets them all in order, and a gets n success replies.
 */
export async function burstInOrder(a: ChatDriver, b: ChatDriver, n: number): Promise<void> {
  const sends: Promise<{ ok: boolean; raw: string }>[] = [];
  for (let i = 0; i < n; i++) sends.push(a.dm(b.nick, `m${i}`));
  const got = await collectDms(b, n);
  assert.deepEqual(got, Array.from({ length: n }, (_, i) => `m${i}`));
  const replies = await Promise.all(sends);
  assert.deepEqual(replies.filter((r) => !r.ok), [], 'every DM acknowledged');
}
