import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { expectQuiet, hubUser, join, psuClient, inProcessGateway as psuGateway, psuUser } from './helpers.js';

describe('PSU PRIVMSG', () => {
  test('mixed good and bad targets: each failure its own line, in order, the others still delivered', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    const c = await psuUser(t, gw, 'carol');
    await join(a, 'general');
    await join(c, 'general');
    await a.expectLine('carol has joined #general');
    await join(b, 'side');
    a.write(':PRIVMSG ghost,bob,#general,#side,#nowhere,#b@d,carol,Bob,bob :mixed bag\r\n');
    await a.expectLine('ghost: no such nick');
    await a.expectLine('#side: you are not in this room (JOIN #side first)');
    await a.expectLine('#nowhere: no such room');
    await a.expectLine('#b@d: not a valid room name (#name: letters, digits, _ - .)');
    await expectQuiet(a);
    // bob once (Bob and bob are the same nick), carol twice: as a room member and directly.
    await b.expectLine('<alice> mixed bag');
    await expectQuiet(b);
    await c.expectLine('#general <alice> mixed bag');
    await c.expectLine('<alice> mixed bag');
    await expectQuiet(c);
  });

  test('a room message reaches members only, never the sender', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    const b = await psuUser(t, gw, 'bob');
    const outsider = await psuUser(t, gw, 'out');
    await join(a, 'general');
    await join(b, 'general');
    a.write(':PRIVMSG #general hello room\r\n');
    await b.expectLine('#general <alice> hello room');
    await a.expectLine('bob has joined #general');
    await expectQuiet(a);
    await expectQuiet(outsider);
    outsider.write(':PRIVMSG #general let me in\r\n');
    await outsider.expectLine('#general: you are not in this room (JOIN #general first)');
    await expectQuiet(b);
  });

  test('a burst of 200 room messages arrives complete and in order at every member', async (t) => {
    const gw = await psuGateway(t);
    const sender = await psuUser(t, gw, 'sender');
    const members = await Promise.all(['m1', 'm2', 'm3', 'm4'].map((n) => psuUser(t, gw, n)));
    for (const m of members) await join(m, 'burst');
    await join(sender, 'burst');
    let burst = '';
    for (let i = 0; i < 200; i++) burst += `:PRIVMSG #burst message ${i}\r\n`;
    sender.write(burst);
    await Promise.all(
      members.map(async (m) => {
        await m.waitForLine('sender has joined #burst');
        for (let i = 0; i < 200; i++) await m.expectLine(`#burst <sender> message ${i}`, 5000);
        await expectQuiet(m);
      }),
    );
    await expectQuiet(sender);
  });

  test('texts from another dialect are made safe: one <from> line per text line, no injection', async (t) => {
    const gw = await psuGateway(t);
    const a = await psuUser(t, gw, 'alice');
    await join(a, 'general');
    const other = await hubUser(gw, 'cm_user');
    assert.ok((await gw.hub.join(other.port, 'general')).ok);
    await a.expectLine('cm_user has joined #general');
    assert.ok((await gw.hub.sendDirect(other.port, 'alice', 'line one\r\n:NICK hacked\nline\u0000 three\u0004\n\n')).ok);
    await a.expectLine('<cm_user> line one');
    await a.expectLine('<cm_user> :NICK hacked');
    await a.expectLine('<cm_user> line three');
    assert.ok((await gw.hub.sendRoom(other.port, 'general', 'a\u2028b')).ok);
    await a.expectLine('#general <cm_user> a');
    await a.expectLine('#general <cm_user> b');
    await expectQuiet(a);
    // And a PSU user's DM reaches the other dialect as one canonical text.
    a.write(':PRIVMSG cm_user héllo\r\n');
    await expectQuiet(a);
    const dm = other.events.find((e) => e.type === 'message.direct');
    assert.deepEqual(dm && { from: dm.from, to: dm.to, text: dm.text }, { from: 'alice', to: 'cm_user', text: 'héllo' });
  });

  test('charset ascii: what the client is sent is transliterated', async (t) => {
    const gw = await psuGateway(t, { listeners: [{ dialect: 'psu' }, { dialect: 'psu', name: 'psu-ascii', options: { charset: 'ascii' } }] });
    const u = await psuUser(t, gw, 'utf');
    const asc = await psuClient(t, gw, 'psu-ascii');
    asc.write(':NICK asc\r\n');
    await asc.expectLine(/^asc: welcome!/);
    await join(u, 'general');
    await join(asc, 'general');
    u.write(':PRIVMSG asc,#general Grüße – café 😀\r\n');
    await asc.expectLine('<utf> Grusse - cafe ?');
    await asc.expectLine('#general <utf> Grusse - cafe ?');
    asc.write(':PRIVMSG utf,#general Grüße\r\n');
    await u.expectLine('asc has joined #general');
    await u.expectLine('<asc> Grüße');
    await u.expectLine('#general <asc> Grüße');
    asc.write(':NAMES #ünï\r\n');
    await asc.expectLine('#uni: not a valid room name (#name: letters, digits, _ - .)');
  });
});
