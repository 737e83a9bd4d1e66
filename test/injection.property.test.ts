import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidNick, isValidRoom, safeLines } from '@chat-gateway/core';
import { DIALECT_TESTING, dialectTesting, type ChatDriver, type TestGateway } from '@chat-gateway/testkit';
import { acknowledged, peerOf } from './support/dm.js';
import { setup } from './support/setup.js';

// DESIGN.md "Text": no text, nick or room name from one dialect can ever inject a frame into another.
// For arbitrary bytes sent from each dialect to each other, the recipient gets exactly the frames that
// core's safety functions (the ones the encoders use) predict, whole and valid, and nothing else.
// What each dialect can carry and shows is its testing module's `injection` rules.
const DIALECTS = DIALECT_TESTING.map((t) => t.dialect);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

const NASTY = [
  '\r', '\n', '\r\n', '\x04', '\x00', '\x01', '\x1b[31m', '\x7f', '\x85', '\x9b', '\t', '{', '}', '{"type":"x"}', '"', '\\', "'",
  '’', '‘', '“', '”', '`', ':', '#', '#general', ' ', '  ', 'é', 'e\u0301', '\u0301', '𝄞', '😀', '\u2028', '\u2029', '\ufeff',
  '日本', 'hello', 'chatm x y z', 'status 000 OK', ':QUIT', 'recv a b',
];
const text = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 8 })), { maxLength: 12 })
  .map((parts) => Buffer.from(parts.join(''), 'utf8'));
// Invalid UTF-8 on input: raw bytes, high bytes and broken sequences among them.
const bytes = fc.oneof({ weight: 3, arbitrary: text }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)) });

// Texts the old per-dialect cross tests pinned, checked every time for every pair: line breaks of
// every kind, EOT and NUL, non-ASCII, a text that starts with a colon, an apostrophe.
const EXAMPLES = ['one\r\ntwo\nthree', 'hello\ncarol', "a\x04b\x00c caf\u00e9 \u2603\u2028next", 'x\x04\x04y\x00z \u00fcber\u2029end', ':colon kept', "hello alice, it's PSU"];

/** Sends the bytes as a DM from a to b, as much of them as a's framing carries, and checks b gets exactly the predicted frames. */
async function checkText(a: ChatDriver, b: ChatDriver, raw: Buffer): Promise<void> {
  const sender = dialectTesting(a.dialect).injection;
  const recipient = dialectTesting(b.dialect);
  const sent = sender.carriable(raw);
  const c = sender.canonical(sent);
  const accepted = c.length > 0 && c.length <= 4096 && safeLines(c).length > 0;
  const r = await a.dmBytes(b.nick, sent);
  assert.equal(r.ok, accepted, `reply ${JSON.stringify(r.raw)} for ${JSON.stringify(c)}`);
  if (accepted) {
    for (const text of recipient.injection.safe(c)) assert.equal((await b.next()).raw, recipient.contract.dm(peerOf(a), b.nick, text));
    await acknowledged(a, b);
  }
  await b.sentinel();
  await a.sentinel();
}

for (const from of DIALECTS) {
  describe(`texts from ${from}`, () => {
    for (const to of DIALECTS) {
      test(`reach ${to} as exactly the predicted safe frames: ${EXAMPLES.length} fixed texts, then ${RUNS} arbitrary ones`, async (t) => {
        const { online } = await setup(t);
        const b = await online(to, 'bob');
        const a = await online(from, 'alice');
        await b.drain();
        for (const example of EXAMPLES) await checkText(a, b, Buffer.from(example, 'utf8'));
        await fc.assert(
          fc.asyncProperty(bytes, (raw) => checkText(a, b, raw)),
          { numRuns: RUNS },
        );
      });
    }
  });
}

// Names: anything a client can put in one frame. Either it is registered whole, as a valid nick,
// or refused with a reply and not registered at all; the connection keeps working either way.
const nameChars = fc.constantFrom(...'aZ_-.09 #:\'"’{}\\é𝄞\x00\x04\x1b\t'.split(''), 'ab', 'x'.repeat(30));
const names = fc.array(nameChars, { minLength: 0, maxLength: 8 }).map((a) => a.join(''));

for (const dialect of DIALECTS) {
  test(`nicks from ${dialect}: valid ones register whole, others are refused and never half-registered`, async (t) => {
    const { tg, open } = await setup(t);
    await fc.assert(
      fc.asyncProperty(names, async (rawName) => {
        const name = dialectTesting(dialect).injection.name(rawName);
        const d = await open(dialect);
        try {
          const before = (await tg.hub.users()).length;
          const r = await d.register(name);
          const users = await tg.hub.users();
          if (r.ok) {
            assert.equal(users.length, before + 1);
            const mine = users.find((u) => u.dialect === dialect)!;
            assert.ok(isValidNick(mine.nick), `registered an invalid nick ${JSON.stringify(mine.nick)}`);
          } else {
            assert.equal(users.length, before, `refused (${r.raw}) but registered`);
          }
          // Names with nothing a dialect treats as syntax must follow the policy exactly.
          if (/^[\x21-\x7e]*$/.test(name) && !/['"’:#{}\\]/.test(name)) assert.equal(r.ok, isValidNick(name), `${JSON.stringify(name)} → ${r.raw}`);
          await d.sentinel();
        } finally {
          d.close();
          await waitOffline(tg, dialect);
        }
      }),
      { numRuns: RUNS },
    );
  });
}

for (const { dialect, contract, injection } of DIALECT_TESTING.filter((t) => t.contract.rooms)) {
  test(`room names from ${dialect}: valid ones are joined, others refused and never created`, async (t) => {
    const { tg, online } = await setup(t);
    const d = await online(dialect, 'roomer');
    await d.drain();
    await fc.assert(
      fc.asyncProperty(names, async (rawRoom) => {
        const room = injection.name(rawRoom);
        const roomsBefore = (await tg.hub.rooms()).length;
        const r = await d.join(room);
        if (/^[\x21-\x7e]+$/.test(room) && !room.startsWith('#')) assert.equal(r.ok, isValidRoom(room), `${JSON.stringify(room)} → ${r.raw}`);
        if (!r.ok) assert.equal((await tg.hub.rooms()).length, roomsBefore, 'a refused room was created');
        // One room at a time: the next join leaves this one.
        else if (!contract.rooms!.single) await d.part(room);
        await d.drain();
      }),
      { numRuns: RUNS },
    );
  });
}

async function waitOffline(tg: TestGateway, dialect: string): Promise<void> {
  // Unregistering follows the socket close; the next run must start from an empty directory.
  for (let i = 0; i < 1000; i++) {
    if (!(await tg.hub.users()).some((u) => u.dialect === dialect)) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the closed session never went offline');
}
