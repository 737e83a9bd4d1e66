import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING, onlineAs, startTestCluster, startTestGateway, type ChatDriver, type TestGateway } from '@chat-gateway/testkit';
import { LINE_MAX } from '@chat-gateway/irc';
import { ircUser, join, linesUntil } from './helpers.js';

// IRC against every other dialect, through their testing modules (so no dialect is named here):
// a NOTICE reaches a dialect without notices as its plain DM and room message, on one node and on
// two; a long text from any dialect reaches IRC as several whole PRIVMSGs of at most 512 bytes.
const OTHERS = DIALECT_TESTING.filter((t) => t.dialect !== 'irc');

for (const nodes of [1, 2]) {
  test(`NOTICE from IRC arrives as a plain DM (and room message) on every other dialect${nodes > 1 ? ' [2 nodes]' : ''}`, async (t) => {
    let here: TestGateway;
    let there: TestGateway;
    if (nodes === 1) here = there = await startTestGateway();
    else {
      const c = await startTestCluster(2);
      [here, there] = [c.nodes[0]!, c.nodes[1]!];
      t.after(() => c.stop());
    }
    t.after(() => here.stop());
    const irc = await ircUser(t, here, 'ircuser');
    await join(irc, 'ircuser', '#general');
    for (const [i, d] of OTHERS.entries()) {
      const peer: ChatDriver = await onlineAs(there, d.dialect, `peer${i}`);
      t.after(() => peer.close());
      if (d.contract.rooms && d.contract.rooms.auto === undefined) await peer.join('general');
      await peer.drain();
      irc.write(`NOTICE ${peer.nick} :a notice for ${d.dialect}\r\n`);
      assert.equal((await peer.waitFor('dm')).raw, d.contract.dm({ nick: 'ircuser', dialect: 'irc' }, peer.nick, `a notice for ${d.dialect}`));
      if (d.contract.rooms) {
        irc.write(`NOTICE #general :a room notice for ${d.dialect}\r\n`);
        assert.equal((await peer.waitFor('room')).raw, d.contract.rooms.message({ nick: 'ircuser', dialect: 'irc' }, 'general', `a room notice for ${d.dialect}`));
      }
      await peer.sentinel();
    }
  });
}

test('a long text from every dialect reaches IRC as several whole PRIVMSGs within 512 bytes, cut at character boundaries, nothing lost', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const irc = await ircUser(t, gw, 'reader');
  // 1,500 characters, multi-byte ones among them, no line break.
  const text = 'The quick brown fox, ä ö ü 😀 € ' .repeat(50).slice(0, 1500);
  for (const [i, d] of OTHERS.entries()) {
    const peer = await onlineAs(gw, d.dialect, `writer${i}`);
    t.after(() => peer.close());
    const sent = d.injection.canonical(Buffer.from(text, 'utf8'));
    assert.equal((await peer.dm('reader', text)).ok, true);
    // One line of text, as the sender's dialect carries it, split only by IRC.
    const expected = sent;
    const got: string[] = [];
    const head = `:${peer.nick}!${peer.nick}@${d.dialect}.chat-gateway PRIVMSG reader :`;
    while (got.join('').length < expected.length) {
      const line = (await linesUntil(irc, /PRIVMSG reader :/)).at(-1)!;
      assert.ok(line.startsWith(head), line.slice(0, 80));
      assert.ok(Buffer.byteLength(`${line}\r\n`) <= LINE_MAX, `${Buffer.byteLength(line)} bytes`);
      got.push(line.slice(head.length));
    }
    assert.ok(got.length >= 3, `${d.dialect}: ${got.length} lines`);
    assert.equal(got.join(''), expected, d.dialect);
  }
});
