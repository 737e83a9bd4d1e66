import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus, BusEvent, Directory, UserRecord } from '@chat-gateway/core';

/**
 * The contract every Bus implementation passes (after aedes/mqemitter's shared
 * suite): the in-process bus runs it now, a Redis bus runs the same file.
 */
export function busConformance(name: string, make: () => Promise<Bus>): void {
  const ev = (text: string): BusEvent => ({ type: 'message.direct', id: text, from: 'a', to: 'b', text });
  const received = (bus: Bus, address: string) => {
    const got: BusEvent[] = [];
    const handler = (e: BusEvent) => got.push(e);
    return { got, handler, ready: bus.subscribe(address, handler) };
  };
  const settle = async (got: unknown[], n: number) => {
    for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setImmediate(r));
  };

  test(`${name}: publish reaches subscribers of that address only, and counts them`, async (t) => {
    const bus = await make();
    t.after(() => bus.close());
    const a = received(bus, 'x');
    const b = received(bus, 'y');
    await Promise.all([a.ready, b.ready]);
    assert.equal(await bus.publish('x', ev('1')), 1);
    await settle(a.got, 1);
    assert.deepEqual(a.got, [ev('1')]);
    assert.deepEqual(b.got, []);
  });

  test(`${name}: publish to an address nobody holds counts zero`, async (t) => {
    const bus = await make();
    t.after(() => bus.close());
    assert.equal(await bus.publish('nobody', ev('1')), 0);
  });

  test(`${name}: events arrive in publish order`, async (t) => {
    const bus = await make();
    t.after(() => bus.close());
    const a = received(bus, 'x');
    await a.ready;
    for (let i = 0; i < 500; i++) await bus.publish('x', ev(String(i)));
    await settle(a.got, 500);
    assert.deepEqual(a.got.map((e) => (e as { id: string }).id), Array.from({ length: 500 }, (_, i) => String(i)));
  });

  test(`${name}: unsubscribe stops delivery to that handler only`, async (t) => {
    const bus = await make();
    t.after(() => bus.close());
    const a = received(bus, 'x');
    const b = received(bus, 'x');
    await Promise.all([a.ready, b.ready]);
    await bus.unsubscribe('x', a.handler);
    assert.equal(await bus.publish('x', ev('1')), 1);
    await settle(b.got, 1);
    assert.deepEqual(a.got, []);
    assert.equal(b.got.length, 1);
  });
}

/** The contract every Directory implementation passes. */
export function directoryConformance(name: string, make: () => Promise<Directory>): void {
  const user = (nick: string, session = nick): UserRecord => ({ nick, session, dialect: 'x', receipts: false, node: 'n1', address: '127.0.0.1' });

  test(`${name}: a nick is claimed once, case-insensitively`, async (t) => {
    const d = await make();
    t.after(() => d.close());
    assert.equal(await d.claimNick(user('Alice', 's1')), true);
    assert.equal(await d.claimNick(user('ALICE', 's2')), false);
    assert.equal((await d.getUser('alice'))?.nick, 'Alice');
    const results = await Promise.all(['s3', 's4', 's5', 's6'].map((s) => d.claimNick(user('bob', s))));
    assert.equal(results.filter(Boolean).length, 1);
  });

  test(`${name}: rename keeps room membership and frees the old nick`, async (t) => {
    const d = await make();
    t.after(() => d.close());
    await d.claimNick(user('alice', 's1'));
    await d.claimNick(user('bob', 's2'));
    await d.joinRoom('lobby', 'alice');
    assert.equal(await d.renameNick('s1', 'alice', 'bob'), false);
    assert.equal(await d.renameNick('s2', 'alice', 'al'), false, 'only the holder renames');
    assert.equal(await d.renameNick('s1', 'alice', 'al'), true);
    assert.deepEqual((await d.getRoom('LOBBY'))?.members, ['al']);
    assert.equal(await d.getUser('alice'), undefined);
    assert.equal(await d.claimNick(user('alice', 's3')), true);
  });

  test(`${name}: rooms are created on join and deleted when the last member leaves, unless persistent`, async (t) => {
    const d = await make();
    t.after(() => d.close());
    await d.ensureRooms(['general']);
    const j = await d.joinRoom('Lobby', 'alice');
    assert.equal(j.created, true);
    assert.equal((await d.joinRoom('lobby', 'alice')).already, true);
    assert.equal((await d.leaveRoom('lobby', 'alice'))?.deleted, true);
    assert.equal(await d.getRoom('lobby'), undefined);
    await d.joinRoom('general', 'alice');
    assert.equal((await d.leaveRoom('general', 'alice'))?.deleted, false);
    assert.ok(await d.getRoom('general'));
    assert.equal(await d.leaveRoom('nowhere', 'alice'), undefined);
  });

  test(`${name}: release drops the nick and its memberships, and remembers the address`, async (t) => {
    const d = await make();
    t.after(() => d.close());
    await d.claimNick(user('alice', 's1'));
    await d.joinRoom('a', 'alice');
    await d.joinRoom('b', 'alice');
    await d.joinRoom('b', 'bob');
    assert.deepEqual((await d.releaseNick('s1', 'alice')).sort(), ['a', 'b']);
    assert.equal(await d.getRoom('a'), undefined);
    assert.deepEqual((await d.getRoom('b'))?.members, ['bob']);
    assert.equal(await d.lastAddress('ALICE'), '127.0.0.1');
  });

  test(`${name}: visibility is stored per room`, async (t) => {
    const d = await make();
    t.after(() => d.close());
    await d.joinRoom('a', 'alice');
    assert.equal((await d.setVisibility('a', 'private'))?.visibility, 'private');
    assert.equal((await d.getRoom('a'))?.visibility, 'private');
    assert.equal(await d.setVisibility('none', 'private'), undefined);
  });
}
