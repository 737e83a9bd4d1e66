import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { expectQuiet, hubUser, join, inProcessGateway as psuGateway, psuUser } from './helpers.js';

describe('PSU rooms', () => {
  test('lifecycle: JOIN creates, members see joins and parts, last PART deletes, general survives empty', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    a.write(':JOIN #den\r\n');
    await a.expectLine('#den: room created, you have joined');
    assert.deepEqual((await gw.hub.room('den')).ok, true);
    b.write(':JOIN #den\r\n');
    await b.expectLine('#den: you have joined (2 members)');
    await a.expectLine('bob has joined #den');
    b.write(':PART #den\r\n');
    await b.expectLine('#den: you have left');
    await a.expectLine('bob has left #den');
    a.write(':PART #den\r\n');
    await a.expectLine('#den: you have left, room deleted');
    assert.equal((await gw.hub.room('den')).ok, false);
    b.write(':NAMES #den\r\n');
    await b.expectLine('#den: no such room');

    // The default room stays when its last member leaves.
    await join(a, 'general');
    a.write(':PART #general\r\n');
    await a.expectLine('#general: you have left');
    a.write(':NAMES #general\r\n');
    await a.expectLine('#general: end of NAMES, 0 members');
    a.write(':LIST\r\n');
    await a.expectLine('#general: 0 members');
    await a.expectLine('End of LIST, 1 room');
    await expectQuiet(b);
  });

  test('the joiner and the leaver do not see their own join/part lines', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    await join(a, 'general');
    a.write(':PART #general\r\n');
    await a.expectLine('#general: you have left');
    await expectQuiet(a);
  });

  test('LIST and NAMES hide a private room from non-members, and show it to members', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    await join(a, 'secret');
    await join(b, 'general');
    // PSU has no command for it: a ChatMaster-like user on the Hub makes the room private.
    const owner = await hubUser(gw, 'owner');
    assert.ok((await gw.hub.join(owner.port, 'secret')).ok);
    await a.expectLine('owner has joined #secret');
    assert.ok((await gw.hub.setVisibility(owner.port, 'secret', 'private')).ok);
    await a.expectLine('#secret: now private (LIST shows it to members only)');

    b.write(':LIST\r\n');
    await b.expectLine('#general: 1 member');
    await b.expectLine('End of LIST, 1 room');
    b.write(':NAMES #secret\r\n');
    await b.expectLine('#secret: no such room');

    a.write(':LIST\r\n');
    await a.expectLine('#general: 1 member');
    await a.expectLine('#secret: 2 members, private');
    await a.expectLine('End of LIST, 2 rooms');
    a.write(':NAMES #secret\r\n');
    await a.expectLine('#secret: alice');
    await a.expectLine('#secret: owner');
    await a.expectLine('#secret: end of NAMES, 2 members');

    // A private room can still be joined by name; then its new member sees it listed.
    b.write(':JOIN #secret\r\n');
    await b.expectLine('#secret: you have joined (3 members)');
    b.write(':LIST\r\n');
    await b.expectLine('#general: 1 member');
    await b.expectLine('#secret: 3 members, private');
    await b.expectLine('End of LIST, 2 rooms');

    assert.ok((await gw.hub.setVisibility(owner.port, 'secret', 'public')).ok);
    await a.expectLine('bob has joined #secret');
    await a.expectLine('#secret: now public');
    await b.expectLine('#secret: now public');
  });

  test('a rename is seen once by users sharing a room, and not by others', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    const c = await psuUser(t, gw, 'carol');
    for (const r of ['one', 'two']) {
      await join(a, r);
      await join(b, r);
      await a.expectLine(`bob has joined #${r}`);
    }
    a.write(':NICK al\r\n');
    await a.expectLine('alice is now known as al');
    await b.expectLine('alice is now known as al');
    await expectQuiet(a);
    await expectQuiet(b);
    await expectQuiet(c);
    b.write(':NAMES #one\r\n');
    await b.expectLine('#one: al');
  });

  test('QUIT and an abrupt disconnect both read "has left" to every room the user was in', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    const c = await psuUser(t, gw, 'carol');
    for (const r of ['general', 'side']) {
      await join(a, r);
      await join(b, r);
      await join(c, r);
      await a.expectLine(`bob has joined #${r}`);
      await a.expectLine(`carol has joined #${r}`);
      await b.expectLine(`carol has joined #${r}`);
    }
    c.destroy();
    await a.expectLine('carol has left #general');
    await a.expectLine('carol has left #side');
    await b.expectLine('carol has left #general');
    await b.expectLine('carol has left #side');
    b.write(':QUIT\r\n');
    await a.expectLine('bob has left #general');
    await a.expectLine('bob has left #side');
    a.write(':NAMES #side\r\n');
    await a.expectLine('#side: alice');
    await a.expectLine('#side: end of NAMES, 1 member');
    // The nick is free again.
    const c2 = await psuUser(t, gw, 'carol');
    await expectQuiet(c2);
  });
});
