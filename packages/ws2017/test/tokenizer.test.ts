import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeArgs, tokenize, unquote } from '@chat-gateway/ws2017';

// input → every argument; first two plus the rest of the line (chatm); the rest unquoted (chatm text).
const CASES: { input: string; tokens: string[]; two: { args: string[]; rest: string }; text: string }[] = [
  { input: 'alice bob hello', tokens: ['alice', 'bob', 'hello'], two: { args: ['alice', 'bob'], rest: 'hello' }, text: 'hello' },
  { input: 'alice bob hello big world', tokens: ['alice', 'bob', 'hello', 'big', 'world'], two: { args: ['alice', 'bob'], rest: 'hello big world' }, text: 'hello big world' },
  { input: "'alice' 'bob' 'hi there'", tokens: ['alice', 'bob', 'hi there'], two: { args: ['alice', 'bob'], rest: "'hi there'" }, text: 'hi there' },
  { input: '’alice’ ’bob’ ’hi there’', tokens: ['alice', 'bob', 'hi there'], two: { args: ['alice', 'bob'], rest: '’hi there’' }, text: 'hi there' },
  { input: '‘alice’ ‘bob’ ‘hi there’', tokens: ['alice', 'bob', 'hi there'], two: { args: ['alice', 'bob'], rest: '‘hi there’' }, text: 'hi there' },
  { input: '"alice" "bob" "hi there"', tokens: ['alice', 'bob', 'hi there'], two: { args: ['alice', 'bob'], rest: '"hi there"' }, text: 'hi there' },
  { input: "alice bob 'it's a 'test''", tokens: ['alice', 'bob', "it's a 'test'"], two: { args: ['alice', 'bob'], rest: "'it's a 'test''" }, text: "it's a 'test'" },
  { input: 'alice bob "mixed\'', tokens: ['alice', 'bob', '"mixed\''], two: { args: ['alice', 'bob'], rest: '"mixed\'' }, text: '"mixed\'' },
  { input: "alice bob 'a' 'b'", tokens: ['alice', 'bob', 'a', 'b'], two: { args: ['alice', 'bob'], rest: "'a' 'b'" }, text: "a' 'b" },
  { input: "alice bob '  padded  '", tokens: ['alice', 'bob', '  padded  '], two: { args: ['alice', 'bob'], rest: "'  padded  '" }, text: '  padded  ' },
  { input: "alice bob ''", tokens: ['alice', 'bob', ''], two: { args: ['alice', 'bob'], rest: "''" }, text: '' },
  { input: "alice bob '", tokens: ['alice', 'bob', "'"], two: { args: ['alice', 'bob'], rest: "'" }, text: "'" },
  { input: 'alice', tokens: ['alice'], two: { args: ['alice'], rest: '' }, text: '' },
  { input: "'bob smith' carol hi", tokens: ['bob smith', 'carol', 'hi'], two: { args: ['bob smith', 'carol'], rest: 'hi' }, text: 'hi' },
  { input: "don't stop", tokens: ["don't", 'stop'], two: { args: ["don't", 'stop'], rest: '' }, text: '' },
  { input: "a\tb\t'x\ty'", tokens: ['a', 'b', 'x\ty'], two: { args: ['a', 'b'], rest: "'x\ty'" }, text: 'x\ty' },
  { input: '', tokens: [], two: { args: [], rest: '' }, text: '' },
];

for (const c of CASES) {
  test(`tokenizer: ${JSON.stringify(c.input)}`, () => {
    assert.deepEqual(tokenize(c.input), c.tokens, 'tokenize');
    assert.deepEqual(takeArgs(c.input, 2), c.two, 'takeArgs(2)');
    assert.equal(unquote(takeArgs(c.input, 2).rest), c.text, 'unquote(rest)');
  });
}

test('unquote removes one pair of one family only, blanks at the ends first', () => {
  assert.equal(unquote("  'x'  "), 'x');
  assert.equal(unquote("''x''"), "'x'");
  assert.equal(unquote('"x\''), '"x\'');
  assert.equal(unquote("'"), "'");
  assert.equal(unquote('plain text'), 'plain text');
});
