import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSessions, SILENT_LOG, type SessionPort } from '../src/index.js';

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
