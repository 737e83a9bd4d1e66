import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Directory, UserRecord } from '../src/directory.js';
import type { BackendFixture } from './support.js';

const user = (nick: string, session = nick, node = 'n1'): UserRecord => ({ nick, session, dialect: 'x', receipts: false, node, address: '127.0.0.1' });

/** Two views of one fixture's state (two nodes' Directories when it has several nodes). */
async function views(f: BackendFixture, nodes: number): Promise<[Directory, Directory]> {
  const a = (await f.backend()).directory;
  const b = nodes > 1 ? (await f.backend()).directory : a;
  return [a, b];
}

/** The Directory half of the back-end contract (DESIGN.md "Nodes and back ends": atomicity, liveness). */
export function directoryCases(name: string, nodes: number, make: () => Promise<BackendFixture>): void {
  const withViews = (title: string, body: (a: Directory, b: Directory) => Promise<void>) =>
    test(`${name}: ${title}`, async (t) => {
      const f = await make();
      t.after(() => f.close());
      const [a, b] = await views(f, nodes);
      t.after(async () => {
        await a.close();
        await b.close();
      });
      await body(a, b);
    });

  withViews('a nick is claimed once, case-insensitively, displayed as registered', async (a, b) => {
    assert.equal(await a.claimNick(user('Alice', 's1')), true);
    assert.equal(await b.claimNick(user('ALICE', 's2')), false);
    assert.equal((await b.getUser('alice'))?.nick, 'Alice');
    assert.deepEqual((await a.listUsers()).map((u) => u.nick), ['Alice']);
  });

  withViews('concurrent claims of one nick from two nodes: exactly one winner', async (a, b) => {
    for (let round = 0; round < 10; round++) {
      const nick = `bob${round}`;
      const results = await Promise.all(['s1', 's2', 's3', 's4'].map((s, i) => (i % 2 ? b : a).claimNick(user(nick, `${s}-${round}`, i % 2 ? 'n2' : 'n1'))));
      assert.equal(results.filter(Boolean).length, 1, `round ${round}: ${results}`);
      const winner = results.indexOf(true);
      assert.equal((await a.getUser(nick))?.session, `s${winner + 1}-${round}`);
    }
  });

  withViews('rename keeps room membership and place, frees the old nick; only the holder renames', async (a, b) => {
    await a.claimNick(user('alice', 's1'));
    await a.claimNick(user('bob', 's2'));
    await a.joinRoom('lobby', 'alice');
    await a.joinRoom('lobby', 'bob');
    assert.equal(await a.renameNick('s1', 'alice', 'bob'), false, 'taken');
    assert.equal(await b.renameNick('s2', 'alice', 'al'), false, 'only the holder renames');
    assert.equal(await b.renameNick('s1', 'alice', 'al'), true);
    assert.deepEqual(await a.members('LOBBY'), ['al', 'bob']);
    assert.equal(await a.getUser('alice'), undefined);
    assert.equal((await a.getUser('AL'))?.session, 's1');
    assert.equal(await b.claimNick(user('alice', 's3')), true);
  });

  withViews('renames racing for one nick, and a rename racing a claim: one winner each time', async (a, b) => {
    for (let round = 0; round < 10; round++) {
      const target = `z${round}`;
      await a.claimNick(user(`x${round}`, `sx${round}`));
      await b.claimNick(user(`y${round}`, `sy${round}`));
      const [r1, r2, c] = await Promise.all([
        a.renameNick(`sx${round}`, `x${round}`, target),
        b.renameNick(`sy${round}`, `y${round}`, target),
        b.claimNick(user(target, `sz${round}`)),
      ]);
      assert.equal([r1, r2, c].filter(Boolean).length, 1, `round ${round}`);
      const holder = (await a.getUser(target))!.session;
      assert.equal(holder, r1 ? `sx${round}` : r2 ? `sy${round}` : `sz${round}`);
      // The loser of a rename keeps its old nick.
      if (!r1) assert.equal((await a.getUser(`x${round}`))?.session, `sx${round}`);
      if (!r2) assert.equal((await a.getUser(`y${round}`))?.session, `sy${round}`);
    }
  });

  withViews('rooms are created on join and deleted when the last member leaves, unless persistent', async (a, b) => {
    await a.ensureRooms(['general']);
    const j = await a.joinRoom('Lobby', 'alice');
    assert.equal(j.created, true);
    assert.equal(j.room.name, 'Lobby');
    assert.equal((await b.joinRoom('lobby', 'alice')).already, true);
    assert.equal((await b.joinRoom('LOBBY', 'bob')).room.size, 2);
    assert.equal((await a.leaveRoom('lobby', 'alice'))?.deleted, false);
    assert.equal((await b.leaveRoom('lobby', 'bob'))?.deleted, true);
    assert.equal(await a.getRoom('lobby'), undefined);
    await b.joinRoom('general', 'alice');
    assert.equal((await a.leaveRoom('general', 'alice'))?.deleted, false);
    assert.equal((await b.getRoom('general'))?.persistent, true);
    assert.equal(await a.leaveRoom('nowhere', 'alice'), undefined);
  });

  withViews('concurrent joins of a new room from two nodes: created once, every member in it', async (a, b) => {
    const nicks = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const results = await Promise.all(nicks.map((n, i) => (i % 2 ? b : a).joinRoom('party', n)));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal((await a.getRoom('party'))?.size, 12);
    assert.deepEqual((await b.members('party')).sort(), [...nicks].sort());
  });

  withViews('members: join order, at most `limit`, none for a missing room', async (a, b) => {
    for (const n of ['c', 'a', 'b', 'd']) await a.joinRoom('r', n);
    assert.deepEqual(await b.members('r'), ['c', 'a', 'b', 'd']);
    assert.deepEqual(await b.members('R', 2), ['c', 'a']);
    assert.deepEqual(await b.members('r', 0), []);
    assert.deepEqual(await a.members('none'), []);
  });

  withViews('release drops the nick and its memberships, and remembers the address', async (a, b) => {
    await a.claimNick(user('alice', 's1'));
    await a.joinRoom('a', 'alice');
    await a.joinRoom('b', 'alice');
    await a.joinRoom('b', 'bob');
    assert.deepEqual(await b.releaseNick('s2', 'alice'), [], 'only the holder releases');
    assert.deepEqual((await b.releaseNick('s1', 'alice')).sort(), ['a', 'b']);
    assert.equal(await a.getRoom('a'), undefined);
    assert.deepEqual(await a.members('b'), ['bob']);
    assert.equal(await a.getUser('alice'), undefined);
    assert.equal(await b.lastAddress('ALICE'), '127.0.0.1');
  });

  withViews('visibility is stored per room', async (a, b) => {
    await a.joinRoom('a', 'alice');
    assert.equal((await b.setVisibility('A', 'private'))?.visibility, 'private');
    assert.equal((await a.getRoom('a'))?.visibility, 'private');
    assert.equal((await a.listRooms()).find((r) => r.name === 'a')?.visibility, 'private');
    assert.equal(await b.setVisibility('none', 'private'), undefined);
  });

  withViews('leases: a lapsed node is reaped once, with its users and their rooms; it learns it was reaped', async (a, b) => {
    assert.equal(await a.renewLease('n1', 60_000), 'new');
    assert.equal(await a.renewLease('n1', 60_000), 'held');
    assert.equal(await b.renewLease('n2', 1), 'new');
    await a.claimNick(user('alice', 'n1/1', 'n1'));
    await b.claimNick(user('bob', 'n2/1', 'n2'));
    await b.claimNick(user('carol', 'n2/2', 'n2'));
    await b.joinRoom('lobby', 'bob');
    await a.joinRoom('lobby', 'alice');
    await new Promise((resolve) => setTimeout(resolve, 20)); // the 1 ms lease must lapse: time passing is the point here
    const [ra, rb] = await Promise.all([a.reapLapsed(), b.reapLapsed()]);
    const reaped = [...ra, ...rb].map((r) => `${r.user.nick}:${r.rooms.join(',')}`).sort();
    assert.deepEqual(reaped, ['bob:lobby', 'carol:'], 'each user reaped exactly once');
    assert.deepEqual(await a.reapLapsed(), []);
    assert.equal(await a.getUser('bob'), undefined);
    assert.deepEqual(await a.members('lobby'), ['alice']);
    assert.equal((await a.getUser('alice'))?.node, 'n1', 'a live node keeps its users');
    assert.equal(await b.renewLease('n2', 60_000), 'reaped');
    assert.equal(await b.renewLease('n2', 60_000), 'held');
  });
}
