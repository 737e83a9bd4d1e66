import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSessions, SILENT_LOG, deliveringNews, writingNews, type SessionPort } from '../src/index.js';

function port(id: string): SessionPort {
  return { id, dialect: 'psu', presence: false, receipts: false, address: '127.0.0.1', deliver() {} };
}

// Issue #16: a session in no room holds no map of its own (most idle connections are in none).
test('sessions in no room share one empty map; the first room gives one its own, the last part gives it back', () => {
  const local = new LocalSessions(SILENT_LOG);
  const a = local.add(port('a'), 'alice');
  const b = local.add(port('b'), 'bob');
  assert.equal(a.rooms, b.rooms, 'both in no room: one shared map');
  assert.equal(a.rooms.size, 0);

  local.enter(a, 'General');
  assert.notEqual(a.rooms, b.rooms);
  assert.deepEqual([...a.rooms], [['general', 'General']]);
  assert.equal(b.rooms.size, 0, 'the shared empty map stays empty');
  local.nameRoom(a, 'general', 'GENERAL');
  local.nameRoom(b, 'general', 'GENERAL');
  assert.deepEqual([...a.rooms], [['general', 'GENERAL']]);
  assert.equal(b.rooms.size, 0, 'naming a room one is not in adds nothing');

  local.enter(a, 'second');
  local.leave(a, 'general');
  assert.deepEqual([...a.rooms.keys()], ['second']);
  local.leave(a, 'second');
  assert.equal(a.rooms, b.rooms, 'in no room again: the shared map');
  assert.deepEqual(local.remove(a), []);
});

test('a session removed while in rooms leaves each, and its rooms go with their last member', () => {
  const local = new LocalSessions(SILENT_LOG);
  const a = local.add(port('a'), 'alice');
  const b = local.add(port('b'), 'bob');
  local.enter(a, 'one');
  local.enter(a, 'two');
  local.enter(b, 'two');
  assert.deepEqual(local.remove(a).sort(), ['one', 'two']);
  assert.equal(local.stats().rooms, 1, 'room two keeps bob');
  assert.equal(b.rooms.size, 1);
});

test('stats count sessions by dialect as they come and go, without a pass over them', () => {
  const local = new LocalSessions(SILENT_LOG);
  const a = local.add(port('a'), 'alice');
  const b = local.add({ ...port('b'), dialect: 'ws2017' }, 'bob');
  local.add(port('c'), 'carol');
  assert.deepEqual([...local.stats().usersByDialect].sort(), [['psu', 2], ['ws2017', 1]]);
  local.remove(a);
  local.remove(a);
  local.remove(b);
  assert.deepEqual([...local.stats().usersByDialect], [['psu', 1]], 'a second remove counts nothing; a dialect with none is gone');
  const copy = local.stats().usersByDialect;
  copy.set('psu', 99);
  assert.equal(local.stats().usersByDialect.get('psu'), 1, 'the caller gets a copy');
});

// DESIGN.md "Operating limits": news (who came, went, joined) may wait behind messages; the gateway
// paces its writes by what deliveringNews() says while a session writes.
test('deliveringNews is true while an arrival, a departure or a join is handed out, false for messages and receipts, and after', () => {
  const local = new LocalSessions(SILENT_LOG);
  const seen: [string, boolean][] = [];
  const watcher: SessionPort = { ...port('w'), presence: true, deliver: (e) => seen.push([e.type, deliveringNews()]) };
  const w = local.add(watcher, 'watcher');
  local.enter(w, 'general');
  local.add(port('a'), 'alice');
  const base = { session: 'a', dialect: 'psu' };
  local.deliver({ type: 'user.online', nick: 'alice', ...base });
  local.deliver({ type: 'room.joined', room: 'general', nick: 'alice', ...base });
  local.deliver({ type: 'message.room', id: '1', from: 'alice', room: 'general', text: 'hi', ...base });
  local.deliver({ type: 'message.direct', id: '2', from: 'alice', to: 'watcher', toSession: 'w', text: 'hi', ...base });
  local.deliver({ type: 'receipt', id: '2', from: 'alice', to: 'watcher', toSession: 'w', synthesized: false });
  local.deliver({ type: 'room.left', room: 'general', nick: 'alice', ...base });
  local.deliver({ type: 'user.offline', nick: 'alice', rooms: ['general'], reason: 'Quit', ...base });
  assert.deepEqual(seen, [
    ['user.online', true],
    ['room.joined', true],
    ['message.room', false],
    ['message.direct', false],
    ['receipt', false],
    ['room.left', true],
    ['user.offline', true],
  ]);
  assert.equal(deliveringNews(), false, 'nothing is being delivered now');
});

test('a delivery made while news is handed out keeps its own kind, and the news its own after it', () => {
  const local = new LocalSessions(SILENT_LOG);
  const seen: string[] = [];
  local.add({ ...port('b'), deliver: (e) => seen.push(`${e.type} ${deliveringNews()}`) }, 'bob');
  let nested = false;
  local.add({
    ...port('w'),
    presence: true,
    deliver: () => {
      if (nested) return;
      nested = true;
      local.deliver({ type: 'message.direct', id: '1', from: 'watcher', session: 'w', dialect: 'psu', to: 'bob', toSession: 'b', text: 'hi' });
      seen.push(`after ${deliveringNews()}`);
    },
  }, 'watcher');
  local.deliver({ type: 'user.online', nick: 'carol', session: 'c', dialect: 'psu' });
  assert.deepEqual(seen, ['message.direct false', 'after true']);
  writingNews(true, () => seen.push(`written later ${deliveringNews()}`));
  assert.deepEqual(seen.slice(2), ['written later true']);
  assert.equal(deliveringNews(), false);
  assert.throws(() => writingNews(true, () => { throw new Error('x'); }));
  assert.equal(deliveringNews(), false, 'restored after a throw');
});
