import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatDriver, Ws2017Driver } from '@chat-gateway/testkit';
import { CONTRACT, expectFrame, sharedRoom } from './support/contract.js';
import { setup } from './support/setup.js';

// DESIGN.md "Cross-dialect contract": direct messages work between every pair of dialects (16 pairs).
const DIALECTS = Object.keys(CONTRACT);


/** A DM from a to b, checked end to end: the sender's reply, the recipient's frame, and WS_2017's chatr round trip. */
async function dmChecked(a: ChatDriver, b: ChatDriver, text: string): Promise<void> {
  const r = await a.dm(b.nick, text);
  assert.equal(r.ok, true, r.raw);
  assert.equal(r.raw, CONTRACT[a.dialect]!.dmOk);
  await expectFrame(b, CONTRACT[b.dialect]!.dm(a.nick, b.nick, text));
  // A WS_2017 recipient acknowledges, as real clients do; the gateway relays it, or synthesizes one for other recipients.
  if (b.dialect === 'ws2017') (b as Ws2017Driver).receipt(a.nick);
  await expectFrame(a, a.dialect === 'ws2017' ? `chatr ${a.nick} ${b.nick}` : undefined);
}

/** The first driver sees the second come online as its dialect says; read it off so the next frame is the test's. */
async function settleOnline(a: ChatDriver, b: ChatDriver): Promise<void> {
  const room = sharedRoom(a, b);
  await expectFrame(a, CONTRACT[a.dialect]!.online(b.nick, room !== undefined, room ?? '', [a.nick, b.nick]));
}

/** How the observer sees the peer go offline. */
function offlineFrame(observer: ChatDriver, peer: ChatDriver): string | undefined {
  const room = sharedRoom(observer, peer);
  return CONTRACT[observer.dialect]!.offline(peer.nick, room !== undefined, room ?? '', [observer.nick]);
}

/** How the observer sees the peer rename. */
function renameFrame(observer: ChatDriver, peer: ChatDriver, from: string, to: string): string | undefined {
  return CONTRACT[observer.dialect]!.renamed(from, to, sharedRoom(observer, peer) !== undefined);
}

for (const from of DIALECTS) {
  for (const to of DIALECTS) {
    describe(`${from} → ${to}`, () => {
      test('a DM arrives with the right sender and text, and the sender gets its success reply', async (t) => {
        const { online: open } = await setup(t);
        const a = await open(from, 'alice');
        const b = await open(to, 'bob');
        await settleOnline(a, b);
        await dmChecked(a, b, 'hello there');
        await dmChecked(b, a, 'hello back');
      });

      test('a DM to a user who is not online gets the sender dialect\'s error', async (t) => {
        const { online: open } = await setup(t);
        const a = await open(from, 'alice');
        const b = await open(to, 'bob');
        await settleOnline(a, b);
        b.close();
        await expectFrame(a, offlineFrame(a, b));
        const r = await a.dm('bob', 'are you there');
        assert.equal(r.ok, false);
        const want = CONTRACT[from]!.dmOffline('bob');
        if (typeof want === 'string') assert.equal(r.raw, want);
        else assert.match(r.raw, want);
        await a.sentinel();
      });

      test('renames on either side are seen as DESIGN.md says, and DMs follow the new name', async (t) => {
        const { online: open } = await setup(t);
        const a = await open(from, 'alice');
        const b = await open(to, 'bob');
        await settleOnline(a, b);
        const canRename = (d: ChatDriver) => d.dialect !== 'sup';
        if (canRename(a)) {
          assert.equal((await a.rename('alicia')).ok, true);
          await expectFrame(b, renameFrame(b, a, 'alice', 'alicia'));
          await dmChecked(a, b, 'new name');
        }
        if (canRename(b)) {
          assert.equal((await b.rename('bobby')).ok, true);
          await expectFrame(a, renameFrame(a, b, 'bob', 'bobby'));
          await dmChecked(a, b, 'hi bobby');
        }
        assert.ok(canRename(a) || canRename(b) || (from === 'sup' && to === 'sup'));
      });

      test('the recipient\'s disconnect is seen as DESIGN.md says', async (t) => {
        const { tg, online: open } = await setup(t);
        const a = await open(from, 'alice');
        const b = await open(to, 'bob');
        await settleOnline(a, b);
        b.close();
        await expectFrame(a, offlineFrame(a, b));
        assert.equal(await tg.hub.user('bob'), undefined);
      });
    });
  }
}
