import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING } from '@chat-gateway/testkit';
import { setup } from './support/setup.js';

// DESIGN.md "Acknowledgement": a DM to another node is acknowledged only when that node answers.
// A client that sends several does not wait for each answer before the next is sent (the Hub's
// routeDirect, the connection's deferred replies), and still reads its replies in the order of
// its requests. Two nodes on the multi-node test back end, the recipient's node answering late.
const LATE_MS = 100;
const N = 10;

// Every dialect: those that answer each DM (PIPELINING) read their acknowledgements; those whose
// success is silent (PSU, IRC) read nothing for a DM that went, and their driver's sentinel waits
// behind the acknowledgements still due, so it comes back only once they are in.
for (const from of DIALECT_TESTING.map((d) => d.dialect)) {
  test(`${from}: ${N} DMs to a node that answers ${LATE_MS} ms late are acknowledged together, not one after the other, in order`, async (t) => {
    const { online, loop } = await setup(t, { nodes: 2 });
    const bob = await online(from, 'bob');
    const alice = await online(from, 'alice');
    // Everything for bob's node (alice's DMs) arrives late, so every acknowledgement does too.
    loop!.delay('node1', LATE_MS);
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: N }, (_, i) => alice.dm('bob', `m${i}`)));
    const took = performance.now() - started;
    assert.deepEqual(replies.filter((r) => !r.ok), []);
    assert.ok(took < (N * LATE_MS) / 2, `${N} acknowledgements took ${took.toFixed(0)} ms (one after the other: ${N * LATE_MS} ms or more)`);
    for (let i = 0; i < N; i++) assert.equal((await bob.waitFor('dm')).text, `m${i}`);
    // A reply that needs no other node keeps its place behind one that waits for an answer.
    const [far, none] = await Promise.all([alice.dm('bob', 'late'), alice.dm('nobody', 'here?')]);
    assert.deepEqual([far.ok, none.ok], [true, false], `${far.raw} / ${none.raw}`);
  });
}
