import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatDriver, ChatMasterDriver, SupDriver } from '@chat-gateway/testkit';
import { chatmasterNotification as note, expectFrame } from './support/contract.js';
import { setup } from './support/setup.js';

// One test per row of DESIGN.md's cross-dialect table, checking the exact frame each dialect receives.
// (The "DM from alice" and "comes online" rows run for all 16 pairs in matrix.test.ts.)


const cmMessage = (from: string, room: string, text: string) => JSON.stringify({ type: 'message', data: { message: text, username: from, channel: room } });

/** Every driver reads past what setup showed it (joins, nuser lines), so the next frame is the test's. */
async function settle(...drivers: ChatDriver[]): Promise<void> {
  for (const d of drivers) await d.drain();
}

test('row "room msg in general": PSU and ChatMaster members get it, never the sender, nobody else', async (t) => {
  const { online } = await setup(t);
  const ws = await online('ws2017', 'dave');
  const sup = await online('sup', 'erin');
  const alice = await online('psu', 'alice');
  await alice.join('general');
  const bob = await online('chatmaster', 'bob');
  const carol = await online('psu', 'carol');
  await carol.join('general');
  assert.deepEqual((await alice.drain()).map((s) => s.raw), ['bob has joined #general', 'carol has joined #general']);
  assert.deepEqual((await bob.drain()).map((s) => s.raw), [note('user_joined', { username: 'carol', channel: 'general' }, { current_users: ['alice', 'bob', 'carol'] })]);
  await settle(ws, sup, carol);

  assert.equal((await alice.roomSay('general', 'hi room')).ok, true);
  await expectFrame(bob, cmMessage('alice', 'general', 'hi room'));
  await expectFrame(carol, '#general <alice> hi room');
  assert.equal((await bob.roomSay('general', 'from cm')).ok, true);
  await expectFrame(alice, '#general <bob> from cm');
  await expectFrame(carol, '#general <bob> from cm');
  for (const d of [ws, sup, alice, bob, carol]) await d.sentinel();
});

test('row "room msg": a burst arrives in the same order at every member, PSU and ChatMaster mixed', async (t) => {
  const { online } = await setup(t);
  const members: ChatDriver[] = [];
  for (let i = 0; i < 6; i++) {
    const d = await online(i % 2 ? 'chatmaster' : 'psu', `m${i}`);
    if (d.dialect === 'psu') await d.join('general');
    members.push(d);
  }
  const [s1, s2] = [members[0]!, members[1]!];
  const sent: string[] = [];
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 100; i++) {
    for (const s of [s1, s2]) {
      const text = `${s.nick}-${i}`;
      sent.push(text);
      writes.push(s.roomSay('general', text));
    }
  }
  await Promise.all(writes);
  const orders: string[][] = [];
  for (const m of members.slice(2)) {
    const got: string[] = [];
    while (got.length < 200) got.push((await m.waitFor('room', undefined, 10_000)).text);
    orders.push(got);
  }
  for (const o of orders) assert.deepEqual(o, orders[0], 'every member sees one order');
  for (const s of [s1, s2]) {
    const own = orders[0]!.filter((x) => x.startsWith(`${s.nick}-`));
    assert.deepEqual(own, Array.from({ length: 100 }, (_, i) => `${s.nick}-${i}`), 'and each sender keeps its own order');
  }
});

test('row "goes offline": WS cquit, PSU "has left" for each shared room, ChatMaster user_left, Sup nothing', async (t) => {
  const { tg, online } = await setup(t);
  const ws = await online('ws2017', 'dave');
  const sup = await online('sup', 'erin');
  const psu = await online('psu', 'carol');
  await psu.join('general');
  await psu.join('study');
  const cm = await online('chatmaster', 'bob');
  const alice = await online('psu', 'alice');
  await alice.join('general');
  await alice.join('study');
  await ws.waitFor('online', (s) => s.nick === 'alice');
  await psu.waitFor('joined', (s) => s.nick === 'alice' && s.room === 'study');
  await cm.waitFor('joined', (s) => s.nick === 'alice');
  await settle(ws, sup, psu, cm);
  alice.close();
  await expectFrame(ws, 'cquit alice');
  const lines = [(await psu.next()).raw, (await psu.next()).raw].sort();
  assert.deepEqual(lines, ['alice has left #general', 'alice has left #study']);
  await psu.sentinel();
  await expectFrame(cm, note('user_left', { username: 'alice', channel: 'general' }, { current_users: ['carol', 'bob'] }));
  await expectFrame(sup, undefined);
  assert.equal(await tg.hub.user('alice'), undefined);
});

test('row "renamed": WS +OK nuser, PSU and ChatMaster only when sharing a room, Sup nothing', async (t) => {
  const { online } = await setup(t);
  const ws = await online('ws2017', 'dave');
  const sup = await online('sup', 'erin');
  const inRoom = await online('psu', 'carol');
  await inRoom.join('general');
  const outside = await online('psu', 'frank');
  const cm = await online('chatmaster', 'bob');
  const alice = await online('chatmaster', 'alice');
  await ws.waitFor('online', (s) => s.nick === 'alice');
  await inRoom.waitFor('joined', (s) => s.nick === 'alice');
  await cm.waitFor('joined', (s) => s.nick === 'alice');
  await settle(ws, sup, inRoom, outside, cm);
  assert.equal((await alice.rename('al')).ok, true);
  await expectFrame(ws, '+OK nuser alice al');
  await expectFrame(inRoom, 'alice is now known as al');
  await expectFrame(cm, note('user_rename', { old_username: 'alice', new_username: 'al' }));
  await expectFrame(outside, undefined);
  await expectFrame(sup, undefined);
});

test('row "joins / leaves a room": PSU and ChatMaster members see it, others nothing', async (t) => {
  const { online } = await setup(t);
  const ws = await online('ws2017', 'dave');
  const sup = await online('sup', 'erin');
  const psu = await online('psu', 'carol');
  await psu.join('general');
  const cm = await online('chatmaster', 'bob');
  await psu.waitFor('joined', (s) => s.nick === 'bob');
  const alice = await online('psu', 'alice');
  await ws.waitFor('online', (s) => s.nick === 'alice');
  await settle(ws, sup, psu, cm);
  assert.equal((await alice.join('general')).ok, true);
  await expectFrame(psu, 'alice has joined #general');
  await expectFrame(cm, note('user_joined', { username: 'alice', channel: 'general' }, { current_users: ['carol', 'bob', 'alice'] }));
  assert.equal((await alice.part('general')).ok, true);
  await expectFrame(psu, 'alice has left #general');
  await expectFrame(cm, note('user_left', { username: 'alice', channel: 'general' }, { current_users: ['carol', 'bob'] }));
  // A ChatMaster join leaves the current channel first: PSU members of both rooms see both.
  await alice.join('den');
  assert.equal((await (cm as ChatMasterDriver).join('den')).ok, true);
  await expectFrame(psu, 'bob has left #general');
  await expectFrame(alice, 'bob has joined #den');
  for (const d of [ws, sup, psu, cm]) await d.sentinel();
});

test('row "user list": WS cgetu lists everyone, PSU NAMES per room, Sup contacts everyone else', async (t) => {
  const { online } = await setup(t);
  const ws = await online('ws2017', 'dave');
  const sup = await online('sup', 'erin');
  const psu = await online('psu', 'carol');
  await psu.join('general');
  await online('chatmaster', 'bob');
  ws.wire.write('cgetu\r\n');
  assert.deepEqual((await ws.waitFor('reply')).raw.split(' ').slice(2).sort(), ['bob', 'carol', 'dave', 'erin']);
  assert.deepEqual((await (sup as SupDriver).contacts()).sort(), ['bob', 'carol', 'dave']);
  psu.wire.write(':NAMES #general\r\n');
  assert.equal((await psu.waitFor('reply')).raw, '#general: carol');
  assert.equal((await psu.next()).raw, '#general: bob');
  assert.equal((await psu.next()).raw, '#general: end of NAMES, 2 members');
});

test('row "shutdown": each dialect is told in its words, then all close', async (t) => {
  const { tg, online } = await setup(t);
  const ws = await online('ws2017', 'dave');
  const sup = await online('sup', 'erin');
  const psu = await online('psu', 'carol');
  const cm = await online('chatmaster', 'bob');
  await settle(ws, psu, cm);
  await tg.stop();
  await expectFrameThenClose(ws, '+OK terminating tasks and disconnecting');
  await expectFrameThenClose(psu, 'Server shutting down.');
  await expectFrameThenClose(cm, note('server_shutdown', { message: 'Server shutting down.' }));
  // Sup has no goodbye: the connection just closes, with nothing half-written (packages/sup tests a queued recv flushed first).
  await sup.wire.expectClosed();
  assert.equal(sup.wire.received().length, 0);
});

async function expectFrameThenClose(d: ChatDriver, frame: string): Promise<void> {
  const s = await d.waitFor('shutdown');
  assert.equal(s.raw, frame);
  await d.wire.expectClosed();
}

