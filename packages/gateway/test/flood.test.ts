import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../src/flood.js';

// DESIGN.md "Operating limits": a token bucket, charged for decompressed bytes too.
test('a token per frame: the burst, then the refill rate', () => {
  const b = new TokenBucket(3, 10, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(50), false, 'half a token after 50 ms');
  assert.equal(b.take(100), true, 'one token after 100 ms');
  assert.equal(b.take(10_000), true);
  assert.deepEqual([b.take(10_000), b.take(10_000), b.take(10_000)], [true, true, false], 'never more than the burst');
});

test('a charge may leave a debt, repaid at the refill rate, during which nothing is taken', () => {
  const b = new TokenBucket(50, 20, 0);
  assert.equal(b.charge(30, 0), true, 'within the bucket');
  assert.equal(b.charge(40, 0), false, '20 tokens left, 40 charged: a debt of 20');
  assert.equal(b.debtMs(0), 1000, '20 tokens at 20 a second');
  assert.equal(b.take(500), false, 'still 10 tokens in debt');
  assert.equal(b.debtMs(500), 500);
  assert.equal(b.debtMs(1000), 0, 'repaid');
  assert.equal(b.take(1050), true, 'and the next token a little later');
});
