import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hub, MemoryDirectory, NO_LINK, type BusEvent, type SessionPort } from '@chat-gateway/core';

// The Hub is in-process and owns no socket: these tests drive it directly, on one node.
function port(id: string, dialect = 'x', receipts = false, address = '10.0.0.1'): SessionPort & { got: BusEvent[] } {
  const got: BusEvent[] = [];
  return { id, dialect, receipts, presence: true, address, got, deliver: (e) => got.push(e) };
}

test('register: valid nick, taken nick with a free suggestion, invalid nick with a sanitized one', async (t) => {
  const hub = new Hub();
  await hub.start();
  t.after(() => hub.close());
  const a = port('a');
  assert.deepEqual(await hub.register(a, 'alice'), { ok: true, value: { nick: 'alice', welcomeBack: false } });
  assert.deepEqual(await hub.register(port('b'), 'ALICE'), { ok: false, code: 'NICK_TAKEN', detail: 'ALICE_' });
  assert.deepEqual(await hub.register(port('c'), 'bo b'), { ok: false, code: 'NICK_INVALID', detail: 'bob' });
  assert.equal((await hub.register(a, 'again')).ok, false);
});

test('register announces user.online to the others, not to the newcomer', async () => {
  const hub = new Hub();
  const a = port('a');
  const b = port('b');
  await hub.register(a, 'alice');
  await hub.register(b, 'bob');
  assert.deepEqual(a.got, [{ type: 'user.online', nick: 'bob', session: 'b', dialect: 'x' }]);
  assert.match(hub.newSessionId(), new RegExp(`^${hub.nodeId}/c\\d+$`), 'session ids are node-qualified');
  assert.notEqual(new Hub().nodeId, hub.nodeId, 'node ids are random unless configured');
  assert.deepEqual(b.got, []);
});

test('welcome back: the same nick from the address that last held it', async () => {
  const hub = new Hub();
  const a = port('a', 'x', false, '1.2.3.4');
  await hub.register(a, 'alice');
  await hub.unregister(a);
  assert.deepEqual(await hub.register(port('b', 'x', false, '1.2.3.4'), 'alice'), { ok: true, value: { nick: 'alice', welcomeBack: true } });
  const c = port('c', 'x', false, '9.9.9.9');
  await hub.unregister({ ...c, id: 'b' });
  assert.deepEqual(await hub.register(c, 'alice'), { ok: true, value: { nick: 'alice', welcomeBack: false } });
});

test('rename: unchanged, taken, invalid, and the event everyone sees', async () => {
  const hub = new Hub();
  const a = port('a');
  const b = port('b');
  await hub.register(a, 'alice');
  await hub.register(b, 'bob');
  await hub.join(a, 'lobby');
  assert.equal((await hub.rename(a, 'alice')) .ok, false);
  assert.deepEqual(await hub.rename(a, 'BOB'), { ok: false, code: 'NICK_TAKEN', detail: 'BOB_' });
  assert.equal(((await hub.rename(a, '1x')) as { code: string }).code, 'NICK_INVALID');
  assert.deepEqual(await hub.rename(a, 'al'), { ok: true, value: { from: 'alice', to: 'al' } });
  assert.deepEqual(b.got.at(-1), { type: 'user.renamed', from: 'alice', to: 'al', session: 'a', dialect: 'x', rooms: ['lobby'] });
  assert.equal(a.got.some((e) => e.type === 'user.renamed'), false, 'never to the actor');
  assert.equal(hub.nickOf('a'), 'al');
  assert.equal((await hub.register(port('c'), 'alice')).ok, true, 'the old nick is free again');
});

test('direct message: delivered, unknown recipient, empty and oversize text', async () => {
  const hub = new Hub({ textMax: 10 });
  const a = port('a');
  const b = port('b', 'ws', true);
  await hub.register(a, 'alice');
  await hub.register(b, 'bob');
  const r = await hub.sendDirect(a, 'BOB', 'hi');
  assert.ok(r.ok);
  assert.deepEqual(b.got.at(-1), { type: 'message.direct', id: r.value.id, from: 'alice', session: 'a', dialect: 'x', to: 'bob', toSession: 'b', text: 'hi' });
  assert.match(r.value.id, new RegExp(`^${hub.nodeId}-`), 'message ids are node-qualified');
  assert.deepEqual(await hub.sendDirect(a, 'nobody', 'hi'), { ok: false, code: 'NO_SUCH_USER', detail: 'nobody' });
  assert.equal(((await hub.sendDirect(a, 'bob', '')) as { code: string }).code, 'TEXT_INVALID');
  assert.equal(((await hub.sendDirect(a, 'bob', '\u0001\r\n')) as { code: string }).code, 'TEXT_INVALID');
  assert.equal(((await hub.sendDirect(a, 'bob', 'x'.repeat(11))) as { code: string }).code, 'TEXT_INVALID');
  assert.equal(((await hub.sendDirect(port('z'), 'bob', 'hi')) as { code: string }).code, 'NOT_REGISTERED');
});

test('receipts: the sender is told to show one when the recipient has none; a real one is relayed, a forged one refused', async () => {
  const hub = new Hub();
  const ws = port('w', 'ws', true);
  const other = port('o', 'psu', false);
  await hub.register(ws, 'alice');
  await hub.register(other, 'carol');
  const r = await hub.sendDirect(ws, 'carol', 'hi');
  assert.ok(r.ok);
  assert.equal(r.value.receipt, true, 'carol\'s dialect sends none: the gateway gives alice one');
  const ws2 = port('w2', 'ws', true);
  await hub.register(ws2, 'bob');
  const r2 = await hub.sendDirect(ws, 'bob', 'yo');
  assert.equal(r2.ok && r2.value.receipt, false, 'a WS recipient answers for itself');
  assert.deepEqual(await hub.receipt(ws2, 'alice'), { ok: true, value: { to: 'alice' } });
  assert.deepEqual(ws.got.at(-1), { type: 'receipt', id: '', from: 'alice', to: 'bob', toSession: 'w', synthesized: false });
  const forged = await hub.receipt(ws2, 'alice');
  assert.equal(!forged.ok && forged.code, 'FORBIDDEN', 'one receipt per message received');
  assert.equal(ws.got.filter((e) => e.type === 'receipt').length, 1);
});

test('rooms: join, messages to members but in order, part, visibility, quit', async (t) => {
  const hub = new Hub({ defaultRooms: ['general'] });
  await hub.start();
  t.after(() => hub.close());
  const [a, b, c] = [port('a'), port('b'), port('c')];
  await hub.register(a, 'alice');
  await hub.register(b, 'bob');
  await hub.register(c, 'carol');
  assert.deepEqual(await hub.join(a, 'Lobby'), { ok: true, value: { room: 'Lobby', created: true, already: false, size: 1 } });
  await hub.join(b, 'lobby');
  assert.deepEqual(a.got.at(-1), { type: 'room.joined', room: 'Lobby', nick: 'bob', session: 'b', dialect: 'x' });
  assert.deepEqual(await hub.members('LOBBY'), ['alice', 'bob']);
  assert.equal(((await hub.sendRoom(c, 'lobby', 'x')) as { code: string }).code, 'NOT_IN_ROOM');
  assert.equal(((await hub.sendRoom(c, 'nowhere', 'x')) as { code: string }).code, 'NO_SUCH_ROOM');
  assert.equal(((await hub.join(c, '#bad')) as { code: string }).code, 'ROOM_INVALID');
  for (let i = 0; i < 50; i++) await hub.sendRoom(a, 'lobby', `m${i}`);
  const seen = b.got.filter((e) => e.type === 'message.room').map((e) => (e as { text: string }).text);
  assert.deepEqual(seen, Array.from({ length: 50 }, (_, i) => `m${i}`));
  assert.equal(c.got.some((e) => e.type === 'message.room'), false);
  assert.equal(a.got.some((e) => e.type === 'message.room'), false, 'never to the sender');
  await hub.join(c, 'lobby');
  await hub.setVisibility(a, 'lobby', 'private');
  assert.deepEqual((await hub.rooms(port('nobody'))).map((r) => r.name), ['general']);
  assert.deepEqual((await hub.rooms(c)).map((r) => r.name).sort(), ['Lobby', 'general']);
  assert.deepEqual(await hub.part(c, 'lobby'), { ok: true, value: { room: 'Lobby', deleted: false, size: 2 } });
  assert.equal(((await hub.part(c, 'lobby')) as { code: string }).code, 'NOT_IN_ROOM');
  await hub.unregister(b, 'Quit');
  assert.deepEqual(a.got.at(-1), { type: 'user.offline', nick: 'bob', session: 'b', dialect: 'x', rooms: ['Lobby'], reason: 'Quit' });
  assert.deepEqual(await hub.members('lobby'), ['alice']);
  await hub.part(a, 'lobby');
  assert.equal((await hub.room('lobby')).ok, false, 'an empty non-default room is deleted');
  await hub.join(a, 'general');
  await hub.part(a, 'general');
  assert.equal((await hub.room('general')).ok, true, 'a default room survives empty');
});

test('a session that throws on delivery does not stop delivery to the others', async () => {
  const hub = new Hub();
  const bad: SessionPort = { id: 'bad', dialect: 'x', receipts: false, presence: true, address: '', deliver: () => { throw new Error('boom'); } };
  const good = port('good');
  await hub.register(bad, 'bad');
  await hub.register(good, 'good');
  await hub.join(bad, 'r');
  await hub.join(good, 'r');
  const a = port('a');
  await hub.register(a, 'alice');
  await hub.join(a, 'r');
  assert.ok((await hub.sendRoom(a, 'r', 'hello')).ok);
  assert.equal(good.got.filter((e) => e.type === 'message.room').length, 1);
});

test('the welcome-back memory keeps only the most recent 10,000 nicks', async () => {
  const directory = new MemoryDirectory();
  const hub = new Hub({ backend: { directory, link: NO_LINK } });
  const first = port('p0', 'x', false, '1.1.1.1');
  await hub.register(first, 'first');
  await hub.unregister(first);
  for (let i = 1; i <= 10_000; i++) {
    const p = port(`p${i}`, 'x', false, '2.2.2.2');
    await hub.register(p, `u${i}`);
    await hub.unregister(p);
  }
  assert.equal(await directory.lastAddress('first'), undefined, 'the oldest was forgotten');
  assert.equal(await directory.lastAddress('u10000'), '2.2.2.2');
});

test('a notice is flagged on its event, direct and in a room; a plain message carries no flag at all', async () => {
  const hub = new Hub();
  const [a, b] = [port('a'), port('b')];
  for (const [p, nick] of [[a, 'alice'], [b, 'bob']] as const) {
    await hub.register(p, nick);
    await hub.join(p, 'lobby');
  }
  b.got.length = 0;
  assert.equal((await hub.sendDirect(a, 'bob', 'psst', { notice: true })).ok, true);
  assert.equal((await hub.sendRoom(a, 'lobby', 'all', { notice: true })).ok, true);
  assert.equal((await hub.sendDirect(a, 'bob', 'plain')).ok, true);
  assert.equal((await hub.sendRoom(a, 'lobby', 'plain', { notice: false })).ok, true);
  const seen = b.got.map((e) => (e.type === 'message.direct' || e.type === 'message.room' ? [e.type, e.text, 'notice' in e ? e.notice : 'no key'] : [e.type]));
  assert.deepEqual(seen, [
    ['message.direct', 'psst', true],
    ['message.room', 'all', true],
    ['message.direct', 'plain', 'no key'],
    ['message.room', 'plain', 'no key'],
  ]);
});
