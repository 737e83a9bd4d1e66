import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusEvent } from '@chat-gateway/core';
import { Arrivals } from '../src/known.js';

// known.ts on its own: whom the WS_2017 clients of a node were told about, once per node. The
// socket-level rules (nuser before a stranger's first chatm, cquit only about the known) are in
// session-chat.test.ts; here, the record each session reads.

const online = (nick: string): BusEvent => ({ type: 'user.online', nick, session: `s-${nick}`, dialect: 'ws2017' });
const offline = (nick: string): BusEvent => ({ type: 'user.offline', nick, session: `s-${nick}`, dialect: 'ws2017', rooms: [], reason: 'Quit' });
const renamed = (from: string, to: string): BusEvent => ({ type: 'user.renamed', from, to, session: `s-${to}`, dialect: 'ws2017', rooms: [] });

test('an event changes the record only once every session has judged it by what was true before', () => {
  const a = Arrivals.of({});
  const since = a.enter();
  const e = online('Alice');
  a.see(e);
  assert.equal(a.arrival('alice', e), undefined, 'while the arrival is handled: not known yet');
  a.see(e);
  assert.equal(a.arrival('alice', e), undefined, 'a second session handling the same event sees the same');
  const at = a.arrival('alice');
  assert.ok(at !== undefined && at > since, 'read after the delivery: told to everyone registered before it');
  const r = renamed('alice', 'Bob');
  a.see(r);
  assert.equal(a.arrival('alice', r), at, 'the old nick is still there while the rename is handled');
  assert.equal(a.arrival('bob'), at! + 1, 'then the new nick, at the rename');
  assert.equal(a.arrival('alice'), undefined);
  const q = offline('bob');
  a.see(q);
  assert.notEqual(a.arrival('bob', q), undefined, 'a departure is judged while the user is still known');
  a.see(online('carol'));
  assert.equal(a.arrival('bob', q), undefined, 'the next event applies it');
});

test('a cgetu list makes everyone in it known from before any registration; the last session out drops the record', () => {
  const hub = {};
  const a = Arrivals.of(hub);
  assert.equal(Arrivals.of(hub), a, 'one record per Hub');
  assert.notEqual(Arrivals.of({}), a);
  const first = a.enter();
  a.see(online('dave'));
  const seq = a.listed(['dave', 'erin']);
  assert.equal(a.arrival('erin'), 0, 'online before anyone watched: sequence 0');
  assert.ok(a.arrival('dave')! > first, 'an arrival seen keeps its own sequence');
  assert.equal(seq, a.arrival('dave'));
  a.enter();
  a.leave();
  assert.equal(a.arrival('erin'), 0, 'one session is still there');
  a.leave();
  // Departures nobody watches would leave it stale: with no session left it is dropped.
  assert.equal(a.arrival('erin'), undefined);
  assert.equal(a.arrival('dave'), undefined);
});
