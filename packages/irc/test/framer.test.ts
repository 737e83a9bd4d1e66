import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { emitted, fault, testFramerFixtures } from '@chat-gateway/core/testing';
import { IrcFramer, encodeCommand, parseMessage, type IrcFrame } from '@chat-gateway/irc';
import { FIXTURES, bytes } from './fixtures.js';

testFramerFixtures<IrcFrame, IrcFrame, number>({
  title: 'IRC framer',
  framer: (max) => new IrcFramer(max),
  fixtures: FIXTURES,
  codec: {
    encoders: { encodeCommand },
    // The raw line is what the client sent; the command, params and source are what must survive.
    kept: (f) => ({ command: f.command, params: f.params, source: f.source }),
    samples: {
      'a registration as irssi sends it': [
        { command: 'CAP', params: ['LS', '302'], raw: '' },
        { command: 'NICK', params: ['alice'], raw: '' },
        { command: 'USER', params: ['alice', 'alice', 'localhost', 'Alice'], raw: '' },
        { command: 'CAP', params: ['END'], raw: '' },
        { command: 'PRIVMSG', params: ['#general', 'hi: all  '], raw: '' },
      ],
    },
  },
});

describe('IRC parseMessage', () => {
  test('no command word, or tags and nothing else: no frame', () => {
    for (const raw of ['', ' ', ':', ':src', '@a=b', '@a=b ']) assert.equal(parseMessage(raw), undefined, JSON.stringify(raw));
  });

  test('a trailing that needs its colon gets it back from encodeCommand', () => {
    for (const text of ['', ':', '::x', ' lead', 'a b', 'plain', 'x\ty']) {
      const line = encodeCommand({ command: 'PRIVMSG', params: ['bob', text] });
      assert.deepEqual(parseMessage(line.toString('utf8').replace(/\r\n$/, ''))!.params, ['bob', text], JSON.stringify(text));
    }
  });

  test('the buffer never holds more than a line of an oversize one, and resyncs after it', () => {
    const framer = new IrcFramer();
    assert.deepEqual(emitted(framer, Array.from({ length: 100 }, () => Buffer.alloc(1000, 0x61))), [fault('FRAME_TOO_LARGE')]);
    assert.deepEqual(emitted(framer, [bytes('\r\nLIST\r\n')]), [{ command: 'LIST', params: [], raw: 'LIST' }]);
  });
});
