import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { PromText } from '@chat-gateway/testkit';
import { command, expectError, expectNote, gateway, login, message, nothingElse, wire } from './helpers.js';

// Issue #12 items 1 and 2 over real sockets: a compressed package whose cost or reply is far larger than its
// bytes. DESIGN.md "Operating limits": "one compressed envelope holds exactly one package", flood control
// "charged for decompressed bytes too", "no connection can make the event loop stall for others".

/** `zlib.compress(b'{}' * 400000)`: 799 bytes. */
const ENVELOPE = zlib.deflateSync('{}'.repeat(400_000));
/** About 1,050 bytes that inflate to 1000 KiB of valid JSON. */
const BOMB = zlib.deflateSync(JSON.stringify({ type: 'command', data: { command: 'channels', pad: 'a'.repeat(1000 * 1024 - 60) } }));

const framesIn = async (g: { metrics(): Promise<PromText> }): Promise<number> => (await g.metrics()).value('chat_gateway_frames_in_total', { dialect: 'chatmaster' });

describe('ChatMaster amplification', () => {
  test("ten 799-byte envelopes of 400,000 packages in one 7,990-byte write: ten errors, no package decoded, no stall", async (t) => {
    const g = await gateway(t);
    const ann = await login(t, g.port('chatmaster'), 'ann');
    ann.write(Buffer.concat(Array.from({ length: 10 }, () => ENVELOPE)));
    for (let i = 0; i < 10; i++) await expectError(ann, 'parse', /^Package could not be read: a compressed package holds exactly one JSON package\.$/);
    await nothingElse(ann);
    // Before: 4,000,000 packages decoded, each refused by flood control (the speed is the soak's to measure).
    assert.equal(await framesIn(g), 2, 'the login and the sentinel: not one of the 4,000,000 packages');
  });

  test('inflation bombs with the default flood control: what they inflate to is charged, so the first is refused undecoded and the connection stops reading; others are served meanwhile', async (t) => {
    // The bomber on a listener of its own, so its frames are counted apart from the others'.
    const g = await gateway(t, { limits: { flood: { enabled: true } }, listeners: [{ dialect: 'chatmaster', name: 'bombs' }, { dialect: 'chatmaster', name: 'others' }] });
    const ping = await login(t, g.port('others'), 'ping');
    const pong = await login(t, g.port('others'), 'pong');
    const bomber = await login(t, g.port('bombs'), 'bomber');
    // Every login joins general: ping hears of pong and the bomber, pong of the bomber.
    for (const c of [ping, ping, pong]) await expectNote(c, 'user_joined');
    // 100 packages, each 1000 KiB inflated: 100 MB to inflate and parse, for 100 KB sent.
    bomber.write(Buffer.concat(Array.from({ length: 100 }, () => BOMB)));
    await expectError(bomber, 'parse', /^Too many packages: slow down/);
    // While the bomber's connection waits out its debt (about three seconds a bomb), two other users talk.
    for (let i = 0; i < 10; i++) {
      ping.write(wire(message(`dm ${i}`, 'pong')));
      assert.deepEqual((await pong.nextJson()).data, { message: `dm ${i}`, username: 'ping', direct: true });
    }
    const framesIn = (await g.metrics()).value('chat_gateway_frames_in_total', { listener: 'bombs' });
    assert.equal(framesIn, 1, 'only the login was decoded: every bomb was refused before its JSON was parsed');
    assert.ok((await g.metrics()).value('chat_gateway_limit_hits_total', { kind: 'flood' }) >= 1);
    assert.equal(bomber.closed, false, 'the bomber is slowed down, not cut off');
  });

  test('the charge is in proportion: fifteen compressed packages of 20 KiB (a long message each) in one write are all answered', async (t) => {
    const g = await gateway(t, { limits: { flood: { enabled: true } } });
    const ann = await login(t, g.port('chatmaster'), 'ann');
    // A token for the package and 1.25 for its 20 KiB inflated (16 KiB a token): 15 × 2.25 is within the burst of 50.
    const big = zlib.deflateSync(JSON.stringify({ type: 'command', data: { command: 'channels', pad: 'b'.repeat(20 * 1024) } }));
    ann.write(Buffer.concat(Array.from({ length: 15 }, () => big)));
    ann.write(wire(command('channels')));
    for (let i = 0; i < 16; i++) {
      const p = await ann.nextJson();
      assert.notEqual(p.type === 'error' && /Too many packages/.test(p.data.message), true, `package ${i} was refused`);
    }
  });
});
