import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate, isCurrent, VALIDATOR_MODULES } from '../tools/validators.js';

// The validators the gateway runs are generated from the schemas (tools/validators.ts): a schema
// or a core default changed without `npm run gen:validators` would leave the gateway checking the old one.
for (const m of VALIDATOR_MODULES) {
  test(`${m.path} is what tools/validators.ts makes of its schemas today (else: npm run gen:validators)`, () => {
    assert.ok(isCurrent(m));
  });
}

test('a generated module imports ajv runtime helpers and never requires them', () => {
  for (const m of VALIDATOR_MODULES) {
    const text = generate(m);
    assert.doesNotMatch(text, /\brequire\(/);
    assert.match(text, /^\/\/ @ts-nocheck\n/);
  }
});
