import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { BusEvent, SessionPort } from '@chat-gateway/core';
import { DIALECT_TESTING, onlineAs, startTestCluster, startTestGateway, testConfig, type ChatDriver, type TestGateway } from '@chat-gateway/testkit';
import { BOT_DIALECT, BUILTIN_BOTS_DIR, loadBots } from '../src/index.js';

// DESIGN.md "Interop bench": `echo` answers every DM with the same text, from every dialect; bots are
// Hub sessions with no transport, config-driven, one file each, and cannot be amplified.

async function echoGateway(t: { after(fn: () => unknown): void }, opts: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const tg = await startTestGateway({ bots: ['echo'], ...opts });
  t.after(() => tg.stop());
  return tg;
}

const online = async (t: { after(fn: () => unknown): void }, tg: TestGateway, dialect: string, nick: string): Promise<ChatDriver> => {
  const d = await onlineAs(tg, dialect, nick);
  t.after(() => d.close());
  return d;
};

test('echo answers a DM from every dialect with the same text, and the sender\'s own reply comes first', async (t) => {
  const tg = await echoGateway(t);
  for (const { dialect, contract } of DIALECT_TESTING) {
    const d = await online(t, tg, dialect, `u_${dialect}`);
    const sent = await d.dm('echo', `hello from ${dialect}`);
    assert.ok(sent.ok, `${dialect}: ${sent.raw}`);
    const back = await d.waitFor('dm', (s) => s.from === 'echo');
    assert.equal(back.raw, contract.dm({ nick: 'echo', dialect: BOT_DIALECT }, d.nick, `hello from ${dialect}`), dialect);
    // A client that acknowledges (WS_2017 chatr) sends its receipt: the bot never answers it.
    if (contract.receipts) d.receipt?.('echo');
    await d.drain();
    await d.sentinel();
  }
});

test('echo is online like a user: listed by Sup\'s get contacts and WS_2017\'s cgetu; a WS_2017 user is told nuser echo before its first message', async (t) => {
  const tg = await echoGateway(t);
  const sup = DIALECT_TESTING.find((d) => d.dialect === 'sup')!;
  const s = await online(t, tg, 'sup', 'sally');
  assert.deepEqual(await sup.contract.users!.ask(s, ''), ['status 000 OK', 'contacts echo']);
  const ws = await tg.open('ws2017');
  t.after(() => ws.destroy());
  await ws.expectLine(/^\+OK /);
  ws.write('uname walt\r\nchatm walt echo hi\r\n');
  for (const line of ['+OK you are walt', "+OK 'message relayed'", 'chatr walt echo', 'nuser echo', "chatm echo walt 'hi'"]) await ws.expectLine(line);
  ws.write('cgetu\r\n');
  assert.match(await ws.nextLine(), /^\+OK cgetu (?=.*\becho\b)(?=.*\bwalt\b)/);
});

test('a DM loop gets at most 10 answers and one warning per 10 s; notices and other bots are never answered', async (t) => {
  const tg = await echoGateway(t);
  const flood = await tg.open('psu');
  const other = await tg.open('psu');
  t.after(() => (flood.destroy(), other.destroy()));
  await Promise.all([flood.nextLine(), other.nextLine()]);
  flood.write(`:NICK looper\r\n${':PRIVMSG echo :again\r\n'.repeat(30)}`);
  // Another bot's message (a Hub session of the bot dialect) and an IRC NOTICE reach echo first...
  const fake: BusEvent[] = [];
  const bot: SessionPort = { id: tg.hub.newSessionId('b'), dialect: BOT_DIALECT, receipts: false, presence: false, address: 'bot', deliver: (e) => void fake.push(e) };
  assert.ok((await tg.hub.register(bot, 'otherbot')).ok);
  assert.ok((await tg.hub.sendDirect(bot, 'echo', 'loop?')).ok);
  const irc = await online(t, tg, 'irc', 'ivy');
  irc.wire.write('NOTICE echo :auto-reply\r\n');
  // ...so once echo has answered someone after them, it has done all it will for them.
  other.write(':NICK second\r\n:PRIVMSG echo :last\r\n');
  await other.waitForLine('<echo> last');
  irc.wire.write('PRIVMSG echo :after notice\r\n');
  await irc.waitFor('dm', (s) => s.text === 'after notice');
  await irc.sentinel();
  assert.deepEqual(fake, [], 'no answer to another bot');
  flood.write(':NAMES #zz-done\r\n');
  const lines: string[] = [];
  for (let l = await flood.nextLine(); l !== '#zz-done: no such room'; l = await flood.nextLine()) lines.push(l);
  assert.equal(lines.filter((l) => l === '<echo> again').length, 10);
  assert.deepEqual(lines.filter((l) => l.startsWith('<echo> (')), ['<echo> (echo answers at most 10 messages every 10 s; the rest are dropped)']);
});

test('a second bot is one file: the registry finds it, `bots:` runs it beside echo', async (t) => {
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const found = await loadBots({ dirs: [BUILTIN_BOTS_DIR, fixtures] });
  assert.deepEqual([...found.keys()], ['echo', 'shout']);
  const tg = await echoGateway(t, { bots: ['echo', 'shout'], botDefinitions: [found.get('shout')!] });
  const d = await online(t, tg, 'sup', 'sam');
  await d.dm('shout', 'quiet please');
  assert.equal((await d.waitFor('dm', (s) => s.from === 'shout')).text, 'QUIET PLEASE');
});

test('several nodes: one runs echo, users on the others reach it; when it stops, another node takes echo over', async (t) => {
  const cluster = await startTestCluster(2, { bots: ['echo'], cluster: { heartbeatMs: 100, nodeTimeoutMs: 300 } });
  t.after(() => cluster.stop());
  const [n1, n2] = cluster.nodes as [TestGateway, TestGateway];
  assert.equal((await n1.hub.user('echo'))?.node, 'node1', 'the first node to start holds echo');
  const d = await online(t, n2, 'sup', 'nina');
  await d.dm('echo', 'across');
  assert.equal((await d.waitFor('dm', (s) => s.from === 'echo')).text, 'across');
  // A WS_2017 user on node2 sees echo go with node1 and come back from node2's copy of the bot.
  const ws = await online(t, n2, 'ws2017', 'wes');
  await n1.stop();
  await ws.waitFor('offline', (s) => s.nick === 'echo');
  await ws.waitFor('online', (s) => s.nick === 'echo', 3000);
  assert.equal((await n2.hub.user('echo'))?.node, 'node2');
  await d.dm('echo', 'still there');
  assert.equal((await d.waitFor('dm', (s) => s.from === 'echo')).text, 'still there');
});

test('a reload starts the bots it adds and stops the ones it removes, leaving the others running', async (t) => {
  const shout = (await loadBots({ dirs: [fileURLToPath(new URL('./fixtures/', import.meta.url))] })).get('shout')!;
  const opts = { listeners: [{ dialect: 'ws2017' }], botDefinitions: [shout] };
  const tg = await echoGateway(t, { ...opts, bots: ['echo'] });
  const ws = await online(t, tg, 'ws2017', 'wes');
  const added = await tg.gw.reload(testConfig({ ...opts, bots: ['echo', 'shout'] }));
  assert.deepEqual(added.changes, ['bots: echo, shout']);
  // What the reload showed wes: shout arriving, and echo, which kept running, neither leaving nor coming back.
  const shown = (await ws.drain()).filter((s) => s.kind === 'online' || s.kind === 'offline').map((s) => `${s.kind} ${'nick' in s ? s.nick : ''}`);
  assert.deepEqual(shown, ['online shout']);
  await ws.dm('shout', 'hey');
  assert.equal((await ws.waitFor('dm', (s) => s.from === 'shout')).text, 'HEY');
  const removed = await tg.gw.reload(testConfig({ ...opts, bots: ['shout'] }));
  assert.deepEqual(removed.changes, ['bots: shout']);
  await ws.waitFor('offline', (s) => s.nick === 'echo');
  assert.equal(await tg.hub.user('echo'), undefined);
});
