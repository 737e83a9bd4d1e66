import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING } from '@chat-gateway/testkit';
import { dmChecked } from './support/dm.js';
import { expectFrames } from './support/scene.js';
import { NODE_COUNTS, onNodes, setup } from './support/setup.js';

// DESIGN.md "Cross-dialect contract": direct messages work between every pair of dialects, each
// dialect's side as its testing module's contract says. Every step of the scene (logins, renames,
// the disconnect) is checked at both ends: exact frames, then a sentinel.
const DIALECTS = DIALECT_TESTING.map((t) => t.dialect);

// And again with the two ends of every pair on different gateway nodes (DESIGN.md "Nodes and back ends"): the same frames.
for (const nodes of NODE_COUNTS) {
  for (const from of DIALECTS) {
    for (const to of DIALECTS) {
      describe(`${from} → ${to}${onNodes(nodes)}`, () => {
        test('a DM arrives with the right sender and text, and the sender gets its success reply', async (t) => {
          const s = (await setup(t, { nodes })).scene();
          const a = await s.add(from, 'alice');
          const b = await s.add(to, 'bob');
          await dmChecked(a, b, 'hello there');
          await dmChecked(b, a, 'hello back');
        });

        test("a DM to a user who is not online gets the sender dialect's error", async (t) => {
          const s = (await setup(t, { nodes })).scene();
          const a = await s.add(from, 'alice');
          const b = await s.add(to, 'bob');
          await s.drop(b);
          const r = await a.dm('bob', 'are you there');
          assert.equal(r.ok, false);
          const want = s.contract(a).dmOffline('bob');
          if (typeof want === 'string') assert.equal(r.raw, want);
          else assert.match(r.raw, want);
          await expectFrames(a, []);
        });

        test('renames on either side are seen as DESIGN.md says, and DMs follow the new name', async (t) => {
          const s = (await setup(t, { nodes })).scene();
          const a = await s.add(from, 'alice');
          const b = await s.add(to, 'bob');
          const renames = [a, b].filter((d) => s.contract(d).renames);
          if (s.contract(a).renames) {
            await s.rename(a, 'alicia');
            await dmChecked(a, b, 'new name');
          }
          if (s.contract(b).renames) {
            await s.rename(b, 'bobby');
            await dmChecked(a, b, 'hi bobby');
          }
          // A pair where neither side can rename still shows the DMs flow; the matrix has pairs that do.
          if (renames.length === 0) await dmChecked(a, b, 'no renames here');
          // Who leaves under a new name is seen leaving under that name.
          await s.drop(a);
        });

        test("the recipient's disconnect is seen as DESIGN.md says", async (t) => {
          const { tg, scene } = await setup(t, { nodes });
          const s = scene();
          await s.add(from, 'alice');
          const b = await s.add(to, 'bob');
          await s.drop(b);
          assert.equal(await tg.hub.user('bob'), undefined);
        });
      });
    }
  }
}
