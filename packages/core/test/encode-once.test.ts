import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyShared, encodeOnce, forgetShared, sharedBytes, type BusEvent } from '@chat-gateway/core';

const event = (id: string): BusEvent => ({ type: 'message.room', id, from: 'alice', session: 's1', dialect: 'psu', room: 'general', text: `hi ${id}` });

test('an encoding given to a second recipient is shared: its bytes made once, until the writer forgets them', () => {
  forgetShared();
  const e = event('a:1');
  let encoded = 0;
  const encode = (): string => `frame ${++encoded}\n`;
  const first = encodeOnce(e, 'psu', encode);
  assert.equal(anyShared(), false, 'one recipient: nothing to share');
  assert.equal(encodeOnce(e, 'psu', encode), first, 'the second recipient gets the same string');
  assert.equal(encoded, 1);
  assert.equal(anyShared(), true);
  const bytes = sharedBytes(first)!;
  assert.equal(Buffer.from(bytes).toString('utf8'), first);
  assert.equal(sharedBytes(first), bytes, 'made once');
  assert.equal(sharedBytes('never shared\n'), undefined);
  // Another key of the same event is encoded apart.
  assert.equal(encodeOnce(e, 'irc', () => 'irc frame\r\n'), 'irc frame\r\n');
  forgetShared();
  assert.equal(anyShared(), false, 'after the turn, a writer looks nothing up');
  assert.equal(sharedBytes(first), undefined);
  // A new event is encoded anew.
  assert.equal(encodeOnce(event('a:2'), 'psu', encode), 'frame 2\n');
});
