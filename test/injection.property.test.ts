import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidNick, isValidRoom, safeBlock, safeLines } from '@chat-gateway/core';
import { onlineAs, openDriver, startTestGateway, type ChatDriver, type Ws2017Driver } from '@chat-gateway/testkit';

// DESIGN.md "Text": no text, nick or room name from one dialect can ever inject a frame into another.
// For arbitrary bytes sent from each dialect to each other, the recipient gets exactly the frames that
// core's safety functions (the ones the encoders use) predict, whole and valid, and nothing else.
const DIALECTS = ['ws2017', 'psu', 'sup', 'chatmaster'];
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

/** What a sender's framing can carry in one DM: bytes that would end its frame are not a DM text. */
function carriable(dialect: string, b: Buffer): Buffer {
  if (dialect === 'ws2017' || dialect === 'psu') return Buffer.from(b.filter((x) => x !== 0x0d && x !== 0x0a));
  if (dialect === 'sup') return Buffer.from(b.filter((x) => x !== 0x04));
  return b;
}

/** The canonical text the Hub receives for those bytes (each dialect's documented input rules). */
function canonical(dialect: string, b: Buffer): string {
  const s = b.toString('utf8');
  // Sup: CR and LF at the ends of a message are "between messages" (packages/sup/README.md).
  return dialect === 'sup' ? s.replace(/[\r\n]+$/, '') : s;
}

/** Exactly the frames the recipient must see, from core's safety functions. */
function view(dialect: string, from: string, to: string, c: string): string[] {
  switch (dialect) {
    case 'ws2017':
      return safeLines(c).map((l) => `chatm ${from} ${to} '${l}'`);
    case 'psu':
      return safeLines(c).map((l) => `<${from}> ${l}`);
    case 'sup':
      return [`recv ${from} ${safeBlock(c, 'ascii')}`];
    default:
      return [JSON.stringify({ type: 'message', data: { message: safeBlock(c), username: from, direct: true } })];
  }
}

for (const from of DIALECTS) {
  describe(`texts from ${from}`, () => {
    for (const to of DIALECTS) {
      test(`reach ${to} as exactly the predicted safe frames (${RUNS} runs)`, async (t) => {
        const tg = await startTestGateway();
        t.after(() => tg.stop());
        const b = await onlineAs(tg, to, 'bob');
        const a = await onlineAs(tg, from, 'alice');
        t.after(() => {
          a.close();
          b.close();
        });
        await b.drain();
        await fc.assert(
          fc.asyncProperty(bytes, async (raw) => {
            const sent = carriable(from, raw);
            const c = canonical(from, sent);
            const accepted = c.length > 0 && c.length <= 4096 && safeLines(c).length > 0;
            const r = await a.dmBytes('bob', sent);
            assert.equal(r.ok, accepted, `reply ${JSON.stringify(r.raw)} for ${JSON.stringify(c)}`);
            if (accepted) {
              for (const want of view(to, 'alice', 'bob', c)) assert.equal((await b.next()).raw, want);
              if (to === 'ws2017') (b as Ws2017Driver).receipt('alice');
              if (from === 'ws2017') assert.equal((await a.next()).raw, 'chatr alice bob');
            }
            await b.sentinel();
            await a.sentinel();
          }),
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

function nameCarriable(dialect: string, name: string): string {
  const out = dialect === 'sup' ? name.replace(/\x04/g, '') : name;
  return out;
}

for (const dialect of DIALECTS) {
  test(`nicks from ${dialect}: valid ones register whole, others are refused and never half-registered`, async (t) => {
    const tg = await startTestGateway();
    t.after(() => tg.stop());
    await fc.assert(
      fc.asyncProperty(names, async (rawName) => {
        const name = nameCarriable(dialect, rawName);
        const d = await openDriver(tg, dialect);
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

for (const dialect of ['psu', 'chatmaster']) {
  test(`room names from ${dialect}: valid ones are joined, others refused and never created`, async (t) => {
    const tg = await startTestGateway();
    t.after(() => tg.stop());
    const d = await onlineAs(tg, dialect, 'roomer');
    t.after(() => d.close());
    await d.drain();
    await fc.assert(
      fc.asyncProperty(names, async (room) => {
        const roomsBefore = (await tg.hub.rooms()).length;
        const r = await d.join(room);
        if (/^[\x21-\x7e]+$/.test(room) && !room.startsWith('#')) assert.equal(r.ok, isValidRoom(room), `${JSON.stringify(room)} → ${r.raw}`);
        if (!r.ok) assert.equal((await tg.hub.rooms()).length, roomsBefore, 'a refused room was created');
        else if (dialect === 'psu') await d.part(room);
        await d.drain();
      }),
      { numRuns: RUNS },
    );
  });
}

async function waitOffline(tg: { hub: { users(): Promise<{ dialect: string }[]> } }, dialect: string): Promise<void> {
  // Unregistering follows the socket close; the next run must start from an empty directory.
  for (let i = 0; i < 1000; i++) {
    if (!(await tg.hub.users()).some((u) => u.dialect === dialect)) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the closed session never went offline');
}

export type { ChatDriver };
