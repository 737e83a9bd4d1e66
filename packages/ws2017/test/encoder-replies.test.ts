import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, type ErrorCode } from '@chat-gateway/core';
import { dialect, encodeLine, ERROR_REPLIES, errorReply, greetingText, Say, terminatorOf } from '@chat-gateway/ws2017';

test('encodeLine: one whole line per lineEnding, and never an empty line', () => {
  assert.equal(encodeLine('cping', 'crlf'), 'cping\r\n');
  assert.equal(encodeLine('cping', 'cr'), 'cping\r');
  assert.equal(encodeLine('cping', 'lf'), 'cping\n');
  for (const e of ['crlf', 'cr', 'lf'] as const) assert.equal(encodeLine('', e), '');
  assert.equal(terminatorOf('bogus' as never), '\r\n');
});

test('every server line is one line (no CR, LF) and not empty', () => {
  const lines = [
    Say.greeting('hi'), Say.youAre('a'), Say.welcomeBack('a'), Say.nameChanged('a', 'b'),
    Say.nuser('a'), Say.nuserRenamed('a', 'b'), Say.cquit('a'), Say.users([]), Say.users(['a', 'b']), Say.relayed,
    Say.chatm('a', 'b', 'x'), Say.chatr('a', 'b'), Say.cping, Say.pong, Say.cpong, Say.goodbye,
  ];
  for (const l of lines) {
    assert.ok(l.length > 0);
    assert.doesNotMatch(l, /[\r\n]/);
  }
  assert.equal(Say.users([]), '+OK cgetu');
  assert.equal(Say.users(['a', 'b']), '+OK cgetu a b');
  assert.equal(Say.chatm('alice', 'bob', 'hi there'), "chatm alice bob 'hi there'");
});

test('the reply table covers every canonical ErrorCode with one -ERR line', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  assert.deepEqual(Object.keys(ERROR_REPLIES).sort(), [...codes].sort());
  for (const code of codes) {
    for (const ctx of [{}, { command: 'chatm', detail: 'x', lineMax: 10 }]) {
      const line = errorReply(code, ctx);
      assert.match(line, /^-ERR \S/, code);
      assert.doesNotMatch(line, /[\r\n\u0000-\u001f]/, code);
    }
  }
});

test('the forms DESIGN.md fixes', () => {
  assert.equal(errorReply('UNKNOWN_COMMAND'), '-ERR entered command does not exist');
  assert.equal(errorReply('BAD_ARGUMENTS', { command: 'chatm' }), '-ERR chatm is not a properly formatted command');
  assert.equal(errorReply('NICK_UNCHANGED', { command: 'uname' }), '-ERR same username entered');
  assert.equal(errorReply('NICK_TAKEN', { command: 'uname', detail: 'alice_' }), '-ERR uname alice_');
  assert.equal(errorReply('NICK_INVALID', { command: 'uname', detail: 'alicesmith' }), '-ERR uname alicesmith');
  assert.equal(errorReply('NOT_REGISTERED', { command: 'cgetu' }), '-ERR cgetu uname comes first');
  assert.equal(errorReply('FRAME_TOO_LARGE', { lineMax: 8192 }), '-ERR line too long (limit 8192 bytes)');
});

test('an echoed detail is cut short, its controls and invisible characters shown escaped (core visible)', () => {
  const line = errorReply('NO_SUCH_USER', { command: 'chatm', detail: `b\u0000o\u0007b\u200b${'x'.repeat(200)}` });
  assert.ok(line.startsWith('-ERR chatm b\\x00o\\x07b\\u200bxxx'), line);
  assert.ok(line.length < 100);
  assert.doesNotMatch(line, /[\u0000-\u001f\u200b]/);
});

test('greeting: made one safe line; empty falls back to the default', () => {
  assert.equal(greetingText({ greeting: 'hello\r\nworld\u0007', charset: 'utf8' }), 'hello world');
  assert.equal(greetingText({ greeting: 'Grüße', charset: 'ascii' }), 'Grusse');
  assert.equal(greetingText({ greeting: '\u0001', charset: 'utf8' }), 'WS_2017 chat-gateway ready');
});

test('the dialect object: name, port, defaults, schema for every default option', () => {
  assert.equal(dialect.name, 'ws2017');
  assert.equal(dialect.defaultPort, 1030);
  assert.deepEqual(Object.keys(dialect.optionsSchema).sort(), Object.keys(dialect.defaultOptions).sort());
  assert.equal(dialect.defaultOptions.lineEnding, 'crlf');
  assert.equal(dialect.defaultOptions.pingIntervalMs, 30000);
  assert.equal(dialect.defaultOptions.pingTimeoutMs, 10000);
  assert.equal(dialect.defaultOptions.charset, 'utf8');
});
