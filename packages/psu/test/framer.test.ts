import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { emitted, fault, testFramerFixtures } from '@chat-gateway/core/testing';
import { PsuFramer, encodeCommand, parseLine, type PsuFrame } from '@chat-gateway/psu';
import { FIXTURES, bytes } from './fixtures.js';

testFramerFixtures<PsuFrame, PsuFrame, number>({
  title: 'PSU framer',
  framer: (max = 8192) => new PsuFramer(max),
  fixtures: FIXTURES,
  codec: {
    encoders: { encodeCommand },
    // The raw line is what the client sent; the command and params are what must survive.
    kept: (f) => ({ command: f.command, params: f.params }),
  },
});

describe('PSU parseLine', () => {
  test('a line with no command word is no frame', () => {
    for (const raw of ['', ' ', '\t', ':', ' : ', '\t:\t']) assert.equal(parseLine(raw), undefined, JSON.stringify(raw));
  });

  test('only ASCII letters are upper-cased in the command', () => {
    assert.equal(parseLine(':privMsg b x')!.command, 'PRIVMSG');
    assert.equal(parseLine(':été')!.command, 'éTé');
  });

  test('texts that need the colon to survive a round trip get it', () => {
    for (const text of ['', ':', '::x', ' lead', '\tlead', 'trail ', 'a : b', 'plain']) {
      const line = encodeCommand({ command: 'PRIVMSG', params: ['bob', text] });
      assert.deepEqual(parseLine(line.toString('utf8').replace(/\r\n$/, ''))!.params, ['bob', text], JSON.stringify(text));
    }
  });

  test('the buffer never holds more than max bytes of an oversize line, and resyncs after it', () => {
    const framer = new PsuFramer(64);
    assert.deepEqual(emitted(framer, Array.from({ length: 1000 }, () => Buffer.alloc(1000, 0x61))), [fault('FRAME_TOO_LARGE')]);
    assert.deepEqual(emitted(framer, [bytes('\r\n:LIST\r\n')]), [{ command: 'LIST', params: [], raw: ':LIST' }]);
  });
});
