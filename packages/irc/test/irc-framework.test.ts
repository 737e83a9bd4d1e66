import { test } from 'node:test';
import assert from 'node:assert/strict';
import IRC, { type Client, type IrcEvent } from 'irc-framework';
import { DIALECT_TESTING, onlineAs, startTestGateway, type ChatDriver } from '@chat-gateway/testkit';

// A real third-party IRC client library (irc-framework, as bots and the Kiwi IRC client use it)
// against the gateway: it registers with its own CAP LS 302 negotiation, joins #general, and talks
// with a user of every other dialect, in the room where the dialect has rooms and by DM everywhere,
// and sees their JOIN, PART and QUIT. The other dialects' users are their testing modules' drivers,
// so this file names none of them.
const OTHERS = DIALECT_TESTING.filter((t) => t.dialect !== 'irc');
const ROOMED = OTHERS.filter((t) => t.contract.rooms);

/** Resolves with the first event of that name the predicate accepts; rejects after the timeout. */
function next(client: Client, event: string, match: (e: IrcEvent) => boolean, what: string, timeoutMs = 5000): Promise<IrcEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.removeListener(event, on);
      reject(new Error(`irc-framework: no ${event} event for ${what} in ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (e: IrcEvent) => {
      if (!match(e)) return;
      clearTimeout(timer);
      client.removeListener(event, on);
      resolve(e);
    };
    client.on(event, on);
  });
}

test('irc-framework registers, joins #general, and talks with a user of every other dialect; it sees their JOIN, PART and QUIT', async (t) => {
  assert.ok(ROOMED.length >= 2, `dialects with rooms besides IRC: ${ROOMED.map((d) => d.dialect).join(', ')}`);
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const client = new IRC.Client({ auto_reconnect: false, ping_interval: 0 });
  const problems: string[] = [];
  client.on('irc error', (e) => problems.push(`irc error ${e.error}: ${e.reason}`));
  // The library has no handler for some informational numerics (003, 004): only error replies and unknown words count.
  client.on('unknown command', (e) => {
    const c = (e as unknown as { command: string }).command;
    if (!/^[0-3]\d\d$/.test(c)) problems.push(`unknown command ${JSON.stringify(e)}`);
  });
  const registered = next(client, 'registered', () => true, 'registration');
  client.connect({ host: '127.0.0.1', port: gw.port('irc'), nick: 'ircbot', username: 'bot', gecos: 'a bot' });
  t.after(() => client.quit('test over'));
  await registered;

  const joined = next(client, 'join', (e) => e.nick === 'ircbot', 'its own join');
  client.join('#general');
  assert.equal((await joined).channel, '#general');

  const peers: ChatDriver[] = [];
  for (const [i, d] of OTHERS.entries()) {
    const nick = `peer${i}`;
    const seeJoin = d.contract.rooms ? next(client, 'join', (e) => e.nick === nick && e.channel === '#general', `${d.dialect} ${nick} joining`) : undefined;
    const peer = await onlineAs(gw, d.dialect, nick);
    t.after(() => peer.close());
    peers.push(peer);
    if (d.contract.rooms && d.contract.rooms.auto === undefined) await peer.join('general');
    if (seeJoin) {
      const e = await seeJoin;
      assert.equal(e.hostname, `${d.dialect}.chat-gateway`, 'the hostmask shows the dialect');
    }
  }

  for (const [i, d] of OTHERS.entries()) {
    const peer = peers[i]!;
    // A DM each way.
    client.say(peer.nick, `hello ${d.dialect}`);
    assert.equal((await peer.waitFor('dm', (s) => s.from === 'ircbot')).text, `hello ${d.dialect}`);
    const back = next(client, 'privmsg', (e) => e.nick === peer.nick && e.target === 'ircbot', `a DM from ${d.dialect}`);
    assert.equal((await peer.dm('ircbot', `hi bot, from ${d.dialect}`)).ok, true);
    assert.equal((await back).message, `hi bot, from ${d.dialect}`);
    if (!d.contract.rooms) continue;
    // The room, each way.
    client.say('#general', `room hello to ${d.dialect}`);
    assert.equal((await peer.waitFor('room', (s) => s.from === 'ircbot')).text, `room hello to ${d.dialect}`);
    const said = next(client, 'privmsg', (e) => e.nick === peer.nick && e.target === '#general', `a room message from ${d.dialect}`);
    assert.equal((await peer.roomSay('general', `room hi from ${d.dialect}`)).ok, true);
    assert.equal((await said).message, `room hi from ${d.dialect}`);
    // PART, and JOIN again.
    const parted = next(client, 'part', (e) => e.nick === peer.nick, `${d.dialect} leaving`);
    assert.equal((await peer.part('general')).ok, true);
    assert.equal((await parted).channel, '#general');
    const rejoined = next(client, 'join', (e) => e.nick === peer.nick, `${d.dialect} coming back`);
    assert.equal((await peer.join('general')).ok, true);
    await rejoined;
  }

  // QUIT: each peer with rooms drops its connection; the library sees it quit.
  for (const [i, d] of OTHERS.entries()) {
    if (!d.contract.rooms) continue;
    const quit = next(client, 'quit', (e) => e.nick === peers[i]!.nick, `${d.dialect} quitting`);
    peers[i]!.close();
    assert.equal((await quit).message, 'Connection closed');
  }
  assert.deepEqual(problems, []);
});
