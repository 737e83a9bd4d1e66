import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeControls, fold, hasSafeText, isValidNick, isValidRoom, safeBlock, safeLine, safeLines, sanitizeNick, suggestFreeNick, toAscii } from '@chat-gateway/core';

test('nick policy: the DESIGN.md default', () => {
  for (const ok of ['a', 'alice', '_x', 'A.b-c_9', 'x'.repeat(24)]) assert.equal(isValidNick(ok), true, ok);
  for (const bad of ['', '9lives', '-a', '.a', 'a b', "a'b", '#a', 'é', 'x'.repeat(25), 'a\r', 'a\u0000']) assert.equal(isValidNick(bad), false, JSON.stringify(bad));
});

test('room policy', () => {
  for (const ok of ['general', '9', 'a.b-c_d', 'x'.repeat(32)]) assert.equal(isValidRoom(ok), true, ok);
  for (const bad of ['', '#general', 'a b', 'x'.repeat(33), 'ü']) assert.equal(isValidRoom(bad), false, bad);
});

test('fold is an ASCII case fold', () => {
  assert.equal(fold('AlIcE_9'), 'alice_9');
  assert.equal(fold('ÄB'), 'Äb');
});

test('sanitizeNick always yields a valid nick', () => {
  assert.equal(sanitizeNick('al ice'), 'alice');
  assert.equal(sanitizeNick('9lives'), '_9lives');
  assert.equal(sanitizeNick('José'), 'Jose');
  assert.equal(sanitizeNick('###'), 'user');
  assert.equal(sanitizeNick('x'.repeat(40)).length, 24);
});

test('suggestFreeNick skips taken candidates and respects the length cap', async () => {
  const taken = new Set(['alice_', 'alice__']);
  assert.equal(await suggestFreeNick('alice', (c) => taken.has(c)), 'alice1');
  const long = 'y'.repeat(24);
  const s = await suggestFreeNick(long, () => false);
  assert.equal(s.length, 24);
  assert.ok(isValidNick(s));
});

test('safeLine: the text itself, for the common clean text, only when safeLines gives it back whole, whatever was checked before', () => {
  const texts = ['hello', ' hi ', '', '   ', '\u00a0\u3000', 'a\tb', 'a\nb', 'x\u0000', 'caf\u00e9', '\u2028', 'a\u0085b', '\ufeff', '\u65e5\u672c'];
  for (const charset of ['utf8', 'ascii'] as const) {
    for (const before of texts) {
      // The last clean text is remembered: a verdict must not depend on what came before.
      hasSafeText(before);
      for (const t of texts) {
        const got = safeLine(t, charset);
        const what = `${JSON.stringify(t)} ${charset} after ${JSON.stringify(before)}`;
        if (got !== undefined) assert.deepEqual([got], safeLines(t, charset), what);
        // The fast path covers the common texts; a tab or a control is left to safeLines.
        const common = ['hello', ' hi '].includes(t) || (charset === 'utf8' && ['caf\u00e9', '\u65e5\u672c'].includes(t));
        assert.equal(got, common ? t : undefined, what);
      }
    }
  }
});

test('safeLines drops controls, splits every kind of line break, never yields empty lines', () => {
  assert.deepEqual(safeLines('a\r\nb\rc\nd\u2028e'), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(safeLines('a\u0000\u0004\u001b[31m\u0085b\tc'), ['a[31mb\tc'], 'C1 NEL is a control, dropped');
  assert.deepEqual(safeLines('\r\n\r\n'), []);
  assert.deepEqual(safeLines('\u0001'), []);
  assert.deepEqual(safeLines('x\n\n\ny'), ['x', 'y']);
});

test('safeBlock keeps line breaks as LF and drops EOT', () => {
  assert.equal(safeBlock('a\r\nb\u0004c'), 'a\nbc');
});

test('toAscii transliterates and marks what has no ASCII form', () => {
  assert.equal(toAscii('Café crème, Straße — “ok”'), 'Cafe creme, Strasse - "ok"');
  assert.equal(toAscii('日本 𝄞'), '?? ?');
  assert.equal(toAscii('e\u0301'), 'e');
  assert.equal(safeLines('naïve\u0000', 'ascii')[0], 'naive');
});

test('escapeControls shows controls as escapes for the trace log', () => {
  assert.equal(escapeControls('a\r\n\u0004\\'), 'a\\r\\n\\x04\\\\');
});

test('ascii lines split on Unicode line breaks before transliterating', () => {
  assert.deepEqual(safeLines('é\u2028ü\u2029x', 'ascii'), ['e', 'u', 'x']);
});

test('a text with nothing ASCII can show still arrives as ?', () => {
  assert.deepEqual(safeLines('\u0301', 'ascii'), ['?']);
  assert.deepEqual(safeLines('\u0301', 'utf8'), ['\u0301']);
  assert.deepEqual(safeLines(' \r\n ', 'ascii'), []);
});
