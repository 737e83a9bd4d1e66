import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeContacts, encodeRecv, encodeStatus, STATUS_FOR_ERROR, STATUS_TEXT, type StatusCode } from '@chat-gateway/sup';
import { ERROR_CODES, type ErrorCode } from '@chat-gateway/core';

const s = (b: Buffer) => b.toString('latin1');

test('every status reply is exactly the spec text', () => {
  const want: Record<StatusCode, string> = {
    '000': 'status 000 OK\x04',
    '001': 'status 001 Online\x04',
    '100': 'status 100 Malformed Message\x04',
    '101': 'status 101 Username Taken\x04',
    '102': 'status 102 Username Invalid\x04',
    '103': 'status 103 Offline\x04',
    '104': 'status 104 Messaged User Not Online\x04',
    '200': 'status 200 Internal Error\x04',
  };
  for (const code of Object.keys(STATUS_TEXT) as StatusCode[]) assert.equal(s(encodeStatus(code)), want[code]);
  assert.deepEqual(Object.keys(STATUS_TEXT).sort(), Object.keys(want).sort());
});

test('contacts with 0, 1 and many users; the empty list keeps its space', () => {
  assert.equal(s(encodeContacts([])), 'contacts \x04');
  assert.equal(s(encodeContacts(['bob'])), 'contacts bob\x04');
  assert.equal(s(encodeContacts(['bob', 'carol', 'dave'])), 'contacts bob carol dave\x04');
});

test('recv keeps line breaks as \\n and drops every control, EOT included', () => {
  assert.equal(s(encodeRecv('alice', 'a\r\nb\rc\nd', 'ascii')), 'recv alice a\nb\nc\nd\x04');
  assert.equal(s(encodeRecv('alice', 'x\x04y\x00z\x1b\x7f', 'ascii')), 'recv alice xyz\x04');
  assert.equal(s(encodeRecv('alice', 'tab\tok', 'ascii')), 'recv alice tab\tok\x04');
});

test('Unicode line breaks are line breaks for ascii listeners too', () => {
  assert.equal(s(encodeRecv('alice', 'one\u2028two\u2029three', 'ascii')), 'recv alice one\ntwo\nthree\x04');
  assert.equal(encodeRecv('alice', 'é\u2028☃', 'utf8').toString('utf8'), 'recv alice é\n☃\x04');
});

test('an EOT never appears inside an encoded recv', () => {
  for (const text of ['\x04', 'a\x04\x04b', '\x04\r\n\x04x', 'é\x04€']) {
    for (const cs of ['ascii', 'utf8'] as const) {
      const b = encodeRecv('alice', text, cs);
      assert.equal(b.indexOf(0x04), b.length - 1, `${JSON.stringify(text)} ${cs}`);
    }
  }
});

test('charset ascii transliterates, utf8 passes through', () => {
  const ascii = encodeRecv('alice', 'café — 10 € ☃', 'ascii');
  assert.equal(s(ascii), 'recv alice cafe - 10 EUR ?\x04');
  assert.ok([...ascii].every((b) => b < 0x80), 'ASCII only');
  assert.equal(encodeRecv('alice', 'café ☃', 'utf8').toString('utf8'), 'recv alice café ☃\x04');
});

test('a text with nothing printable left still arrives as one recv with a space', () => {
  assert.equal(s(encodeRecv('alice', '\u0301', 'ascii')), 'recv alice ?\x04');
});

test('every error code maps to a spec status (one table), or to a close without bytes where it answers no message', () => {
  // DESIGN.md "Security": a refusal at connect, or a timeout, answers nothing the client sent.
  const silent: ErrorCode[] = ['REGISTRATION_TIMEOUT', 'PING_TIMEOUT', 'TOO_MANY_CONNECTIONS'];
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const status = STATUS_FOR_ERROR[code];
    if (silent.includes(code)) assert.equal(status, undefined, code);
    else assert.ok(status !== undefined && status in STATUS_TEXT, code);
  }
  assert.equal(STATUS_FOR_ERROR.NICK_TAKEN, '101');
  assert.equal(STATUS_FOR_ERROR.NICK_INVALID, '102');
  assert.equal(STATUS_FOR_ERROR.NO_SUCH_USER, '104');
  assert.equal(STATUS_FOR_ERROR.INTERNAL, '200');
  assert.equal(STATUS_FOR_ERROR.FRAME_TOO_LARGE, '100');
});

test('every message the gateway sends contains a space', () => {
  const all = [...(Object.keys(STATUS_TEXT) as StatusCode[]).map(encodeStatus), encodeContacts([]), encodeRecv('a', '\x00', 'ascii')];
  for (const b of all) assert.ok(b.includes(0x20), s(b));
});
