import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delimitedPending, formatWait, linePending, pendingText } from '../src/index.js';

// DESIGN.md "Interop bench": what of the reads since a frame ended still waits for its end.
const show = (p: ReturnType<typeof linePending>) => p && [Buffer.from(p.bytes).toString('latin1'), p.hint];

test('linePending: what follows the last CR or LF, or nothing when a line end came last', () => {
  assert.deepEqual(show(linePending(Buffer.from('uname a1'), 1000)), ['uname a1', 'no line end (\\r\\n) after 1 s']);
  assert.deepEqual(show(linePending(Buffer.from('ping\r\nuname a'), 1500)), ['uname a', 'no line end (\\r\\n) after 1.5 s']);
  for (const done of ['uname a1\r\n', 'uname a1\r', 'ping\n', '']) assert.equal(linePending(Buffer.from(done), 1000), undefined, JSON.stringify(done));
});

test('delimitedPending: `ignore` bytes alone are no frame (Sup: CR/LF between messages)', () => {
  const sup = { terminators: [0x04], ignore: [0x0d, 0x0a], missing: 'no EOT' };
  assert.equal(delimitedPending(Buffer.from('login a\x04\r\n'), 300, sup), undefined);
  assert.deepEqual(show(delimitedPending(Buffer.from('login a\x04login b\n'), 300, sup)), ['login b\n', 'no EOT after 300 ms']);
});

test('pendingText: the hint, then the bytes escaped and cut short, for a reply line', () => {
  assert.equal(pendingText({ bytes: Buffer.from('a\x01b'), hint: 'h' }), 'h: a\\x01b');
  assert.equal(pendingText({ bytes: Buffer.alloc(100, 0x61), hint: 'h' }), `h: ${'a'.repeat(64)}...`);
  assert.deepEqual([formatWait(0), formatWait(999), formatWait(1000), formatWait(60_000)], ['0 ms', '999 ms', '1 s', '60 s']);
});
