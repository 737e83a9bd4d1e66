import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatDriver, ChatMasterDriver } from '@chat-gateway/testkit';
import { chatmasterNotification as note, expectFrame } from './support/contract.js';
import { setup } from './support/setup.js';

// DESIGN.md: ChatMaster channels and PSU rooms are the same rooms (ChatMaster `general` = PSU `#general`).


/** PSU LIST as room → line, without the end line. */
async function list(psu: ChatDriver): Promise<string[]> {
  psu.wire.write(':LIST\r\n');
  const lines: string[] = [];
  for (;;) {
    const s = await psu.waitFor('reply');
    if (s.raw.startsWith('End of LIST')) return lines;
    lines.push(s.raw);
  }
}

test('renames flow both ways between PSU and ChatMaster members of one room', async (t) => {
  const { online } = await setup(t);
  const psu = await online('psu', 'carol');
  await psu.join('general');
  const cm = await online('chatmaster', 'bob');
  await psu.drain();
  await cm.drain();
  assert.equal((await psu.rename('caroline')).ok, true);
  await expectFrame(cm, note('user_rename', { old_username: 'carol', new_username: 'caroline' }));
  assert.equal((await cm.rename('robert')).ok, true);
  await expectFrame(psu, 'bob is now known as robert');
  assert.equal((await psu.roomSay('general', 'hi robert')).ok, true);
  await expectFrame(cm, JSON.stringify({ type: 'message', data: { message: 'hi robert', username: 'caroline', channel: 'general' } }));
});

test('a room PSU creates is a ChatMaster channel, and ChatMaster private/public is what PSU LIST shows', async (t) => {
  const { online } = await setup(t);
  const creator = await online('psu', 'carol');
  await creator.join('study');
  const outsider = await online('psu', 'frank');
  const cm = await online('chatmaster', 'bob') as ChatMasterDriver;
  cm.command('channels');
  const channels = (await cm.waitFor('reply')).data as { data: { channels: string[] } };
  assert.deepEqual([...channels.data.channels].sort(), ['general', 'study']);

  // Joining leaves general (one channel at a time), so general is empty from here on.
  assert.equal((await cm.join('study')).ok, true);
  await expectFrame(creator, 'bob has joined #study');
  assert.equal((await cm.visibility('private')).ok, true);
  await expectFrame(creator, '#study: now private (LIST shows it to members only)');
  assert.deepEqual(await list(outsider), ['#general: 0 members']);
  assert.deepEqual(await list(creator), ['#general: 0 members', '#study: 2 members, private']);

  assert.equal((await cm.visibility('public')).ok, true);
  await expectFrame(creator, '#study: now public');
  assert.deepEqual(await list(outsider), ['#general: 0 members', '#study: 2 members']);
});

test('PSU leaves and ChatMaster leaves are seen by the other side, and the room dies with its last member', async (t) => {
  const { tg, online } = await setup(t);
  const psu = await online('psu', 'carol');
  await psu.join('den');
  const cm = await online('chatmaster', 'bob');
  assert.equal((await cm.join('den')).ok, true);
  await psu.drain();
  assert.equal((await psu.part('den')).ok, true);
  await expectFrame(cm, note('user_left', { username: 'carol', channel: 'den' }, { current_users: ['bob'] }));
  assert.equal((await psu.join('den')).ok, true);
  await expectFrame(cm, note('user_joined', { username: 'carol', channel: 'den' }, { current_users: ['bob', 'carol'] }));
  assert.equal((await cm.part('den')).ok, true);
  await expectFrame(psu, 'bob has left #den');
  assert.equal((await psu.part('den')).ok, true);
  assert.equal((await tg.hub.room('den')).ok, false);
});
