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

test('a generated module imports every ajv runtime helper it uses, and requires none', () => {
  const helpersUsed: string[] = [];
  for (const m of VALIDATOR_MODULES) {
    const text = generate(m);
    assert.match(text, /^\/\/ @ts-nocheck\n/, m.path);
    assert.doesNotMatch(text, /\brequire\(/, m.path);
    for (const [, name] of text.matchAll(/\b(runtime_\w+)\.default\b/g)) {
      assert.match(text, new RegExp(`^import ${name} from 'ajv/dist/runtime/\\w+\\.js';$`, 'm'), `${m.path}: ${name} is imported`);
      helpersUsed.push(name!);
    }
  }
  // The config schema's maxLength counts code points with ajv's ucs2length: the check above is not vacuous.
  assert.ok(helpersUsed.includes('runtime_ucs2length'), helpersUsed.join(', '));
});
