import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusEvent, LinkMessage } from '@chat-gateway/core';
import { decodeMessages, encodeMessages } from '../src/codec.js';

// One of each event type, with the optional fields both present and absent: the codec has a
// positional form for direct messages and acknowledgements and must not lose a field of any other.
const dm: BusEvent = { type: 'message.direct', id: 'a:7', from: 'alice', session: 'a:s1', dialect: 'psu', to: 'bob', toSession: 'b:s2', text: 'hi "there"\n\u0000\u2028é' };
const EVENTS: BusEvent[] = [
  dm,
  { ...dm, notice: true },
  { ...dm, text: '' },
  { type: 'message.room', id: 'a:8', from: 'alice', session: 'a:s1', dialect: 'irc', room: 'general', text: 'x', notice: true },
  { type: 'user.online', nick: 'carol', session: 'a:s3', dialect: 'ws2017' },
  { type: 'user.offline', nick: 'carol', session: 'a:s3', dialect: 'ws2017', rooms: ['general', 'b'], reason: 'Quit' },
  { type: 'user.renamed', from: 'carol', to: 'caz', session: 'a:s3', dialect: 'sup', rooms: [] },
  { type: 'room.joined', room: 'general', nick: 'dan', session: 'a:s4', dialect: 'chatmaster' },
  { type: 'room.left', room: 'general', nick: 'dan', session: 'a:s4', dialect: 'chatmaster' },
  { type: 'room.visibility', room: 'general', visibility: 'private', by: 'dan', session: 'a:s4' },
  { type: 'receipt', id: 'a:9', from: 'alice', to: 'bob', toSession: 'a:s1', synthesized: false },
];

const MESSAGES: LinkMessage[] = [
  ...EVENTS.map((event): LinkMessage => ({ kind: 'event', from: 'a', event })),
  { kind: 'event', from: 'a', event: dm, ack: 12 },
  { kind: 'event', from: 'a', event: dm, except: 'a:s1' },
  { kind: 'event', from: 'a', event: { ...dm, notice: true }, except: 'a:s1', ack: 1 },
  { kind: 'event', from: 'a', event: EVENTS[4]!, except: 'a:s3', ack: 3 },
  { kind: 'ack', from: 'a', ack: 1, delivered: true },
  { kind: 'ack', from: 'a', ack: 2 ** 40, delivered: false },
];

test('every link message comes out of the codec as it went in, alone and in one payload', () => {
  for (const m of MESSAGES) assert.deepEqual(decodeMessages(encodeMessages('a', [m])), [m], JSON.stringify(m));
  assert.deepEqual(decodeMessages(encodeMessages('a', MESSAGES)), MESSAGES);
  assert.deepEqual(decodeMessages(encodeMessages('a', [])), []);
});

test('the sending node is said once per payload, and direct messages and acks are short', () => {
  const one = encodeMessages('node-1', [{ kind: 'event', from: 'node-1', event: dm, ack: 5 }, { kind: 'ack', from: 'node-1', ack: 6, delivered: false }]);
  assert.equal(one.split('node-1').length - 1, 1);
  assert.equal(one.includes('"type"'), false, 'a direct message has no field names');
  assert.ok(one.endsWith(',-6]'), one);
});

test('a payload that is not one is refused with an error, not taken apart', () => {
  for (const bad of ['', '{}', '[]', '[1]', '{"kind":"ack"}', '["a", null]', '["a", "x"]', 'not json']) {
    assert.throws(() => decodeMessages(bad), Error, bad);
  }
});
