import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, type ErrorCode } from '@chat-gateway/core';
import { ERROR_REPLIES, Lines, encodeDirect, encodeLine, encodeRoomMessage, errorLine } from '@chat-gateway/psu';

describe('PSU encoder', () => {
  test('a server line ends in CRLF and nothing can split it', () => {
    assert.equal(encodeLine('hello', 'utf8'), 'hello\r\n');
    const evil = encodeLine('a\r\nb\rc\nd\u2028e\u0085f\u0000g\u0004h\u001bi\tj', 'utf8');
    assert.equal(evil, 'a b c d e fghi\tj\r\n');
    assert.equal(evil.split('\r\n').length, 2);
  });

  test('controls are dropped and line breaks become spaces', () => {
    assert.equal(encodeLine('x\u0000y\u007fz', 'utf8'), 'xyz\r\n');
    assert.equal(encodeLine('x\ny', 'utf8'), 'x y\r\n');
    assert.equal(encodeLine('\u2029', 'utf8'), ' \r\n');
  });

  test('ascii charset transliterates', () => {
    assert.equal(encodeLine('café – 😀', 'ascii'), 'cafe - ?\r\n');
    assert.equal(encodeLine('café', 'utf8'), 'café\r\n');
  });

  test('DM and room message lines have the DESIGN.md forms', () => {
    assert.equal(encodeDirect('alice', 'hi there', 'utf8'), '<alice> hi there\r\n');
    assert.equal(encodeRoomMessage('general', 'alice', 'hi', 'utf8'), '#general <alice> hi\r\n');
  });

  test('a multi-line text becomes one prefixed line per line, blank lines and controls dropped', () => {
    assert.equal(encodeDirect('alice', 'one\r\ntwo\n\n  \rthree\u0004', 'utf8'), '<alice> one\r\n<alice> two\r\n<alice> three\r\n');
    assert.equal(encodeRoomMessage('r', 'al', 'a\u2028b', 'utf8'), '#r <al> a\r\n#r <al> b\r\n');
    assert.equal(encodeDirect('alice', 'é\nü', 'ascii'), '<alice> e\r\n<alice> u\r\n');
  });

  test('nothing printable: nothing to send', () => {
    assert.equal(encodeDirect('alice', '\r\n\u0000 ', 'utf8'), '');
  });
});

describe('PSU reply table', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  test('every canonical ErrorCode has a PSU line', () => {
    assert.deepEqual(Object.keys(ERROR_REPLIES).sort(), [...codes].sort());
  });

  test('every line is one non-empty line, with or without a subject', () => {
    for (const code of codes) {
      for (const args of [{}, { subject: '#room', detail: 'x_', max: 10 }, { subject: 'bob' }]) {
        const line = errorLine(code, args);
        assert.ok(line.length > 0 && !/[\r\n]/.test(line), `${code}: ${JSON.stringify(line)}`);
      }
    }
  });

  test('a subject comes first', () => {
    for (const code of ['NICK_TAKEN', 'NO_SUCH_USER', 'NO_SUCH_ROOM', 'NOT_IN_ROOM', 'ROOM_INVALID', 'UNKNOWN_COMMAND', 'TEXT_INVALID'] as const) {
      assert.match(errorLine(code, { subject: 'zed' }), /^zed: /, code);
    }
  });

  test('the lines the issue names', () => {
    assert.equal(errorLine('NO_SUCH_USER', { subject: 'bob' }), 'bob: no such nick');
    assert.equal(errorLine('NOT_REGISTERED'), 'Choose a nick first: NICK <nickname>');
    assert.equal(errorLine('NICK_TAKEN', { subject: 'alice', detail: 'alice_' }), 'alice: nick is already in use, choose another, e.g. NICK alice_');
    assert.equal(errorLine('UNKNOWN_COMMAND', { subject: 'FOO' }), 'FOO: unknown command (commands: NICK, JOIN, PART, NAMES, LIST, PRIVMSG, QUIT)');
    assert.equal(errorLine('SHUTTING_DOWN'), 'Server shutting down.');
    assert.equal(Lines.shutdown(), 'Server shutting down.');
    assert.equal(Lines.joined('alice', 'general'), 'alice has joined #general');
    assert.equal(Lines.left('alice', 'general'), 'alice has left #general');
    assert.equal(Lines.renamed('alice', 'al'), 'alice is now known as al');
  });
});
