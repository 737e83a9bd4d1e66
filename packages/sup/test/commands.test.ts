import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand, type SupCommand } from '@chat-gateway/sup';

// message (no EOT) → command; malformed rows only check the kind.
const CASES: [string, SupCommand | 'malformed'][] = [
  ['login alice', { kind: 'login', user: 'alice' }],
  ['LOGIN alice', { kind: 'login', user: 'alice' }],
  ['login alice bob', { kind: 'login', user: 'alice bob' }], // the Hub refuses the name: 102
  ['login alice ', { kind: 'login', user: 'alice ' }],
  ['login', 'malformed'],
  ['login ', 'malformed'],
  ['get contacts', { kind: 'contacts' }],
  ['GET Contacts', { kind: 'contacts' }],
  ['get', 'malformed'],
  ['get contact', 'malformed'],
  ['get contacts now', 'malformed'],
  ['get  contacts', 'malformed'],
  ['contact bob', { kind: 'contact', user: 'bob' }],
  ['contact', 'malformed'],
  ['contact ', 'malformed'],
  ['send bob hi', { kind: 'send', to: 'bob', text: 'hi' }],
  ['send bob hi there  you', { kind: 'send', to: 'bob', text: 'hi there  you' }],
  ['send bob  lead', { kind: 'send', to: 'bob', text: ' lead' }],
  ['send bob line1\nline2\r\nline3', { kind: 'send', to: 'bob', text: 'line1\nline2\r\nline3' }],
  ['send bob ', { kind: 'send', to: 'bob', text: '' }], // the Hub refuses the empty text: 100
  ['send bob', 'malformed'],
  ['send bob\nhi', 'malformed'],
  ['send  hi', 'malformed'],
  ['send', 'malformed'],
  ['quit alice', { kind: 'quit', user: 'alice' }],
  ['quit', 'malformed'],
  ['recv bob hi', 'malformed'],
  ['status 000 OK', 'malformed'],
  ['login\nalice', 'malformed'],
  ['\u0000login alice', 'malformed'],
  ['hello', 'malformed'],
];

for (const [msg, want] of CASES) {
  test(`parse ${JSON.stringify(msg)}`, () => {
    const got = parseCommand(msg);
    if (want === 'malformed') assert.equal(got.kind, 'malformed');
    else assert.deepEqual(got, want);
  });
}

test('a malformed command says why (for the trace log)', () => {
  for (const msg of ['bogus', 'send bob', 'get', 'login']) {
    const got = parseCommand(msg);
    assert.ok(got.kind === 'malformed' && got.reason.length > 0, msg);
  }
});
