import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { chatmasterPending } from '../src/index.js';

// DESIGN.md "Interop bench": a package begun and not ended, whatever came before it in the reads.
const pending = (b: Buffer) => {
  const p = chatmasterPending(b, 1000);
  return p && [Buffer.from(p.bytes).toString('latin1'), p.hint];
};
const login = Buffer.from('{"type":"command","data":{"command":"login","parameters":{"username":"a}"}}}');

test('complete packages, back to back or with whitespace, leave nothing pending', () => {
  for (const b of [login, Buffer.concat([login, Buffer.from(' \r\n'), login]), Buffer.from('\n'), Buffer.alloc(0)]) assert.equal(chatmasterPending(b, 1000), undefined);
});

test('an unclosed package is pending from its first byte; braces inside strings do not close it', () => {
  const cut = login.subarray(0, login.length - 2);
  assert.deepEqual(pending(Buffer.concat([login, Buffer.from('\n'), cut])), [cut.toString('latin1'), 'incomplete JSON (its closing } has not arrived) after 1 s']);
  assert.deepEqual(pending(Buffer.from('hello {"a":[1')), ['{"a":[1', 'incomplete JSON (its closing } has not arrived) after 1 s'], 'bytes that are no package are skipped as the framer skips them');
});

test('a compressed package: pending until its stream ends', () => {
  const z = deflateSync(login);
  assert.equal(chatmasterPending(Buffer.concat([z, Buffer.from('\n')]), 1000), undefined);
  assert.deepEqual(pending(z.subarray(0, 10)), [z.subarray(0, 10).toString('latin1'), 'incomplete zlib package (the compressed stream has not ended) after 1 s']);
});
