import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveringNews, writingNews } from '@chat-gateway/core';
import { Ordered } from '../src/ordered.js';

// A user_joined waits for the room's members (a Directory read) and is written on a later turn: it
// must still be written as news, which the gateway paces, and what waited behind it as it was.
test('a package built on a later turn is written as what it was handed out as: news or not', async () => {
  const seen: [string, boolean][] = [];
  const ordered = new Ordered((frame) => seen.push([String(frame), deliveringNews()]));
  let join!: (w: string) => void;
  let message!: (w: string) => void;
  writingNews(true, () => ordered.sendLater(new Promise((resolve) => (join = resolve))));
  ordered.sendLater(new Promise((resolve) => (message = resolve)));
  ordered.send('after');
  message('direct');
  join('user_joined');
  await ordered.drained();
  assert.deepEqual(seen, [
    ['user_joined', true],
    ['direct', false],
    ['after', false],
  ]);
  assert.equal(deliveringNews(), false);
});
