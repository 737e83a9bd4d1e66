import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type TestGateway, type WireClient } from '@chat-gateway/testkit';
import { bothForms, command, expectNote, login, message, nothingElse, wire } from './helpers.js';

// Every dialect's listener (the testkit default): DESIGN.md "Cross-dialect contract".
async function everyone(t: TestContext): Promise<TestGateway> {
  const { startTestGateway } = await import('@chat-gateway/testkit');
  const g = await startTestGateway();
  t.after(() => g.stop());
  return g;
}

async function client(t: TestContext, port: number): Promise<WireClient> {
  const c = await connect(port);
  t.after(() => c.destroy());
  return c;
}

/** A PSU user with a nick, in #general. */
async function psu(t: TestContext, g: TestGateway, nick: string, room = '#general'): Promise<WireClient> {
  const c = await client(t, g.port('psu'));
  c.write(`:NICK ${nick}\r\n`);
  await c.waitForLine(new RegExp(`^${nick}: welcome`));
  c.write(`:JOIN ${room}\r\n`);
  await c.waitForLine(new RegExp(`^${room}: .*(you have joined|room created)`));
  return c;
}

/** A WS_2017 user, registered. */
async function ws(t: TestContext, g: TestGateway, nick: string): Promise<WireClient> {
  const c = await client(t, g.port('ws2017'));
  await c.expectLine(/^\+OK /);
  c.write(`uname ${nick}\r\n`);
  await c.expectLine(`+OK you are ${nick}`);
  return c;
}

/** A Sup user, logged in. */
async function sup(t: TestContext, g: TestGateway, nick: string): Promise<WireClient> {
  const c = await client(t, g.port('sup'));
  c.write(`login ${nick}\x04`);
  assert.equal((await c.nextDelimited(0x04)).toString(), 'status 000 OK');
  return c;
}

/** The next package must be a ChatMaster message with this data. */
async function expectMessage(c: WireClient, data: Record<string, unknown>): Promise<void> {
  assert.deepEqual(await c.nextJson(), { type: 'message', data });
}

describe('ChatMaster channels are PSU rooms (general = #general)', () => {
  test('messages both ways, never echoed', async (t) => {
    const g = await everyone(t);
    const carol = await psu(t, g, 'carol');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    await carol.expectLine('ann has joined #general');
    ann.write(wire(message('hi from cm')));
    await carol.expectLine('#general <ann> hi from cm');
    carol.write(':PRIVMSG #general :hi from psu\r\n');
    await expectMessage(ann, { message: 'hi from psu', username: 'carol', channel: 'general' });
    await nothingElse(ann);
  });

  test('joins, leaves and disconnects, both ways, with current_users', async (t) => {
    const g = await everyone(t);
    const carol = await psu(t, g, 'carol');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    await carol.expectLine('ann has joined #general');
    const dave = await psu(t, g, 'dave');
    const joined = await expectNote(ann, 'user_joined');
    bothForms(joined, { username: 'dave', channel: 'general' });
    assert.deepEqual(joined.parameters.current_users, ['carol', 'ann', 'dave']);
    await carol.expectLine('dave has joined #general');
    dave.write(':PART #general\r\n');
    const left = await expectNote(ann, 'user_left');
    bothForms(left, { username: 'dave', channel: 'general' });
    assert.deepEqual(left.parameters.current_users, ['carol', 'ann']);
    carol.destroy();
    bothForms(await expectNote(ann, 'user_left'), { username: 'carol', channel: 'general' });
    // ChatMaster leaving and switching channels, as PSU sees it.
    const eve = await psu(t, g, 'eve');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('join', { channel: 'den' })));
    await eve.expectLine('ann has left #general');
    eve.write(':JOIN #den\r\n');
    await eve.waitForLine(/^#den: /);
    bothForms(await expectNote(ann, 'user_left'), { username: 'ann', channel: 'general' });
    bothForms(await expectNote(ann, 'user_joined'), { username: 'ann', channel: 'den' });
    bothForms(await expectNote(ann, 'user_joined'), { username: 'eve', channel: 'den' });
    ann.write(wire(command('leave')));
    await eve.expectLine('ann has left #den');
  });

  test('renames both ways, told where a room is shared', async (t) => {
    const g = await everyone(t);
    const carol = await psu(t, g, 'carol');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    await carol.expectLine('ann has joined #general');
    ann.write(wire(command('rename', { username: 'al' })));
    bothForms(await expectNote(ann, 'user_rename'), { old_username: 'ann', new_username: 'al' });
    await carol.expectLine('ann is now known as al');
    carol.write(':NICK carla\r\n');
    bothForms(await expectNote(ann, 'user_rename'), { old_username: 'carol', new_username: 'carla' });
    // A PSU user in another room renames: nothing for ann.
    const fred = await psu(t, g, 'fred', '#elsewhere');
    fred.write(':NICK frida\r\n');
    await fred.waitForLine(/frida/);
    await nothingElse(ann);
    // Messages keep flowing under the new names.
    carol.write(':PRIVMSG #general renamed\r\n');
    await expectMessage(ann, { message: 'renamed', username: 'carla', channel: 'general' });
  });

  test('private and public are the same room state for PSU; PSU rooms appear in channel_list', async (t) => {
    const g = await everyone(t);
    const eve = await psu(t, g, 'eve', '#psuroom');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    ann.write(wire(command('channels')));
    assert.deepEqual([...(await expectNote(ann, 'channel_list')).channels].sort(), ['general', 'psuroom']);
    ann.write(wire(command('join', { channel: 'den' })));
    await expectNote(ann, 'user_left');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('private')));
    bothForms(await expectNote(ann, 'channel_list'), { channel: 'den', visibility: 'private' });
    eve.write(':LIST\r\n');
    const hidden: string[] = [];
    for (let l = await eve.nextLine(); !l.startsWith('End of LIST'); l = await eve.nextLine()) hidden.push(l);
    assert.ok(!hidden.some((l) => l.startsWith('#den')), hidden.join(' | '));
    ann.write(wire(command('public')));
    await expectNote(ann, 'channel_list');
    eve.write(':LIST\r\n');
    const shown: string[] = [];
    for (let l = await eve.nextLine(); !l.startsWith('End of LIST'); l = await eve.nextLine()) shown.push(l);
    assert.ok(shown.some((l) => l.startsWith('#den')), shown.join(' | '));
  });
});

describe('direct messages between ChatMaster and every dialect, both ways', () => {
  test('ChatMaster ↔ PSU', async (t) => {
    const g = await everyone(t);
    const carol = await psu(t, g, 'carol', '#other');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    ann.write(wire(message('to carol', 'carol')));
    await carol.expectLine('<ann> to carol');
    carol.write(':PRIVMSG ann :to ann\r\n');
    await expectMessage(ann, { message: 'to ann', username: 'carol', direct: true });
  });

  test('ChatMaster ↔ WS_2017, and WS sees ChatMaster users come and go', async (t) => {
    const g = await everyone(t);
    const wes = await ws(t, g, 'wes');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    await wes.expectLine('nuser ann');
    ann.write(wire(message('to wes', 'wes')));
    await wes.expectLine("chatm ann wes 'to wes'");
    wes.write("chatm wes ann 'to ann'\r\n");
    await wes.expectLine("+OK 'message relayed'");
    // ChatMaster has no receipts: the gateway sends WS its chatr once ann's connection took the message.
    await wes.expectLine('chatr wes ann');
    await expectMessage(ann, { message: 'to ann', username: 'wes', direct: true });
    ann.write(wire(command('rename', { username: 'al' })));
    await wes.expectLine('+OK nuser ann al');
    ann.end();
    await wes.expectLine('cquit al');
  });

  test('ChatMaster ↔ Sup', async (t) => {
    const g = await everyone(t);
    const dave = await sup(t, g, 'dave');
    const ann = await login(t, g.port('chatmaster'), 'ann');
    ann.write(wire(message('to dave', 'dave')));
    assert.equal((await dave.nextDelimited(0x04)).toString(), 'recv ann to dave');
    dave.write('send ann to ann\x04');
    await expectMessage(ann, { message: 'to ann', username: 'dave', direct: true });
    assert.equal((await dave.nextDelimited(0x04)).toString(), 'status 000 OK');
  });

  test('ChatMaster ↔ ChatMaster across listeners with different compression', async (t) => {
    const { startTestGateway } = await import('@chat-gateway/testkit');
    const g = await startTestGateway({ listeners: [{ dialect: 'chatmaster' }, { dialect: 'chatmaster', name: 'cm-zlib', options: { compression: 'always' } }] });
    t.after(() => g.stop());
    const ann = await login(t, g.port('chatmaster'), 'ann');
    const bob = await login(t, g.port('cm-zlib'), 'bob');
    await expectNote(ann, 'user_joined');
    assert.equal(bob.received().length, 0);
    bob.write(wire(command('channels')));
    await bob.next((b) => (b.length > 0 ? { value: b[0], used: 0 } : undefined)).then((first) => assert.equal(first, 0x78));
    await expectNote(bob, 'channel_list');
    ann.write(wire(message('dm', 'bob')));
    await expectMessage(bob, { message: 'dm', username: 'ann', direct: true });
    bob.write(wire(message('dm back', 'ann')));
    await expectMessage(ann, { message: 'dm back', username: 'bob', direct: true });
  });
});
