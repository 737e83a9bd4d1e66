import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, type ErrorCode } from '@chat-gateway/core';
import { ERROR_REPLIES, LINE_MAX, ctcp, encodeText, errorReply, fit, hostmask, param, plain } from '@chat-gateway/irc';

const HEAD = ':alice!alice@elsewhere.chat-gateway PRIVMSG #general :';
const lines = (s: string) => s.split('\r\n').slice(0, -1);

describe('IRC encoder', () => {
  test('hostmasks show the dialect under the network (DESIGN.md IRC)', () => {
    assert.equal(hostmask('alice', 'elsewhere', 'chat-gateway'), 'alice!alice@elsewhere.chat-gateway');
  });

  test('a text is one message per line, controls dropped, nothing printable: nothing', () => {
    assert.equal(encodeText(HEAD, 'hi'), `${HEAD}hi\r\n`);
    assert.equal(encodeText(HEAD, 'one\r\ntwo\n\n \u2028three\u0000\u0004'), `${HEAD}one\r\n${HEAD}two\r\n${HEAD}three\r\n`);
    assert.equal(encodeText(HEAD, '\r\n\u0001 '), '');
    assert.equal(encodeText(HEAD, 'a\rPRIVMSG bob :x').split('\r\n').every((l) => l === '' || l.startsWith(HEAD)), true, 'no line of its own');
  });

  test('a long text is split at code point boundaries into whole lines of at most 512 bytes, nothing cut', () => {
    for (const unit of ['x', 'é', '€', '😀', 'ab😀é ']) {
      const text = unit.repeat(Math.ceil(3000 / unit.length));
      const out = lines(encodeText(HEAD, text));
      assert.ok(out.length > 1, unit);
      for (const l of out) {
        assert.ok(Buffer.byteLength(`${l}\r\n`) <= LINE_MAX, `${unit}: ${Buffer.byteLength(l)} bytes`);
        assert.ok(l.startsWith(HEAD));
        assert.ok(!l.includes('\uFFFD') && Buffer.from(l, 'utf8').toString('utf8') === l, 'valid UTF-8, no half character');
      }
      assert.equal(out.map((l) => l.slice(HEAD.length)).join(''), text, `${unit}: every character, in order`);
      // Full lines: no piece could have taken the next character too.
      for (const l of out.slice(0, -1)) assert.ok(Buffer.byteLength(l) > LINE_MAX - 2 - 4, `${unit}: ${Buffer.byteLength(l)}`);
    }
  });

  test('fit keeps a surrogate pair whole, even when one alone does not fit', () => {
    assert.deepEqual(fit('a😀b', 4), ['a', '😀', 'b']);
    assert.deepEqual(fit('😀', 2), ['😀']);
    assert.deepEqual(fit('', 10), ['']);
  });

  test('client input as a parameter: one word, controls escaped, never a leading colon', () => {
    assert.equal(param('bob'), 'bob');
    assert.equal(param('a b'), 'a\\x20b');
    assert.equal(param(':x'), '\\x3ax');
    assert.equal(param('a\u0000\r\n'), 'a\\x00\\r\\n');
    assert.equal(param(''), '*');
    assert.equal(plain('bye\r\nall\u0007'), 'bye all');
  });

  test('CTCP ACTION becomes words; other texts are kept', () => {
    assert.equal(ctcp('\u0001ACTION waves\u0001'), '* waves');
    assert.equal(ctcp('\u0001ACTION waves'), '* waves');
    assert.equal(ctcp('\u0001VERSION\u0001'), '\u0001VERSION\u0001');
    assert.equal(ctcp('\u0001ACTIONS\u0001'), '\u0001ACTIONS\u0001');
    assert.equal(ctcp('plain'), 'plain');
  });
});

describe('IRC reply table', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  test('every canonical ErrorCode has a row', () => {
    assert.deepEqual(Object.keys(ERROR_REPLIES).sort(), [...codes].sort());
  });

  test('every row is a numeric, an ERROR that closes, or (NICK_UNCHANGED) nothing', () => {
    for (const code of codes) {
      for (const args of [{}, { command: 'PRIVMSG', subject: '#room', detail: 'why' }, { command: 'NICK', subject: 'bob' }]) {
        const r = errorReply(code, args);
        if (r === undefined) assert.equal(code, 'NICK_UNCHANGED');
        else if ('error' in r) assert.match(r.error, /^Closing link \(.+\)$/, code);
        else {
          assert.match(r.numeric, /^[2-5]\d\d$/, code);
          assert.ok(r.params.every((p) => p.length > 0 && !/[\s]/.test(p) && !p.startsWith(':')), `${code}: ${JSON.stringify(r.params)}`);
          assert.ok(r.text.length > 0 && !/[\r\n]/.test(r.text), code);
        }
      }
    }
  });

  test("the numerics DESIGN.md lists, each where it applies", () => {
    const num = (code: ErrorCode, args = {}) => {
      const r = errorReply(code, args);
      return r && 'numeric' in r ? r.numeric : r;
    };
    assert.equal(num('BAD_ARGUMENTS', { command: 'NICK' }), '431');
    assert.equal(num('NICK_INVALID'), '432');
    assert.equal(num('NICK_TAKEN'), '433');
    assert.equal(num('NOT_REGISTERED'), '451');
    assert.equal(num('BAD_ARGUMENTS', { command: 'JOIN' }), '461');
    assert.equal(num('NO_SUCH_USER'), '401');
    assert.equal(num('NO_SUCH_ROOM'), '403');
    assert.equal(num('NOT_IN_ROOM', { command: 'PRIVMSG' }), '404');
    assert.equal(num('NOT_IN_ROOM', { command: 'PART' }), '442');
    assert.equal(num('FRAME_TOO_LARGE'), '417');
    assert.equal(num('UNKNOWN_COMMAND'), '421');
    assert.equal(num('FORBIDDEN', { subject: '#general' }), '482');
    assert.deepEqual(errorReply('PING_TIMEOUT'), { error: 'Closing link (ping timeout)' });
    assert.deepEqual(errorReply('SHUTTING_DOWN'), { error: 'Closing link (server shutting down)' });
  });
});
