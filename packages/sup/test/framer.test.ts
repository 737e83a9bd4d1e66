import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emitted, fault, testFramerFixtures, type FramerFixture } from '@chat-gateway/core/testing';
import { encodeMessage, SupFramer } from '@chat-gateway/sup';

const MAX = 32;

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const bytes = (s: string) => Buffer.from(s, 'latin1');

/**
 * bytes ⇄ frames. `canonical` rows are exactly what encodeMessage() makes of
 * their single frame, so they drive encode and round trip as well as parse.
 */
const FIXTURES: FramerFixture<string>[] = [
  { name: 'login', bytes: bytes('login alice\x04'), out: ['login alice'], canonical: true },
  { name: 'status reply', bytes: hex('73 74 61 74 75 73 20 30 30 30 20 4f 4b 04'), out: ['status 000 OK'], canonical: true },
  { name: 'empty contacts keeps its space', bytes: bytes('contacts \x04'), out: ['contacts '], canonical: true },
  { name: 'LF inside a text', bytes: bytes('send bob a\nb\x04'), out: ['send bob a\nb'], canonical: true },
  { name: 'CRLF inside a text', bytes: bytes('send bob a\r\nb\r\nc\x04'), out: ['send bob a\r\nb\r\nc'], canonical: true },
  { name: 'UTF-8 accepted', bytes: hex('73 65 6e 64 20 62 20 c3 a9 e2 82 ac 04'), out: ['send b é€'], canonical: true },
  { name: 'several messages in one segment', bytes: bytes('login a\x04get contacts\x04contact b\x04'), out: ['login a', 'get contacts', 'contact b'] },
  { name: 'CRLF between messages', bytes: bytes('login a\x04\r\nget contacts\x04\r\n'), out: ['login a', 'get contacts'] },
  { name: 'LF and CR runs between messages', bytes: bytes('\n\n\rlogin a\x04\r\r\n\ncontact b\x04'), out: ['login a', 'contact b'] },
  { name: 'trailing CR/LF before EOT dropped (netcat users)', bytes: bytes('login a\r\n\x04'), out: ['login a'] },
  { name: 'only CR/LF before an EOT is no message', bytes: bytes('\r\n\x04login a\x04'), out: ['login a'] },
  { name: 'empty messages (EOT EOT) skipped', bytes: bytes('\x04\x04login a\x04\x04'), out: ['login a'] },
  { name: 'nothing before the EOT yet: no frame', bytes: bytes('login a'), out: [] },
  { name: 'invalid UTF-8 replaced, never thrown', bytes: hex('73 65 6e 64 20 62 20 ff fe 61 04'), out: ['send b \uFFFD\uFFFDa'] },
  { name: 'Latin-1 byte replaced', bytes: hex('6c 6f 67 69 6e 20 e9 04'), out: ['login \uFFFD'] },
  { name: 'NUL and controls reach the session', bytes: hex('73 65 6e 64 20 62 20 00 01 1b 61 04'), out: ['send b \u0000\u0001\u001ba'] },
  { name: 'exactly max bytes', bytes: bytes(`${'x'.repeat(MAX)}\x04`), out: ['x'.repeat(MAX)], canonical: true },
  { name: 'max + 1: one fault, the rest skipped to its EOT', bytes: bytes(`${'x'.repeat(MAX + 1)}\x04ok\x04`), out: [fault('FRAME_TOO_LARGE'), 'ok'] },
  { name: 'oversize among good ones', bytes: bytes(`a b\x04${'y'.repeat(3 * MAX)}\x04c d\x04`), out: ['a b', fault('FRAME_TOO_LARGE'), 'c d'] },
];

testFramerFixtures<string>({
  title: 'Sup framer',
  framer: () => new SupFramer(MAX),
  fixtures: FIXTURES,
  codec: { encoders: { encodeMessage } },
});

describe('Sup framer bounds', () => {
  test('an endless message is reported once and the buffer stays bounded', () => {
    const framer = new SupFramer(MAX);
    assert.deepEqual(emitted(framer, Array.from({ length: 1000 }, () => Buffer.alloc(1000, 0x61))), [fault('FRAME_TOO_LARGE')]);
    assert.deepEqual(emitted(framer, [bytes('\x04login z\x04')]), ['login z']);
  });

  test('CR/LF between messages count towards the size limit like any byte', () => {
    assert.deepEqual(emitted(new SupFramer(MAX), [bytes(`${'\r\n'.repeat(MAX)}a\x04`)]), [fault('FRAME_TOO_LARGE')]);
  });
});
