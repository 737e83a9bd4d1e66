import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { slowReaderTail } from '@chat-gateway/testkit';
import { bothForms, command, expectError, expectNote, gateway, inProcess, login, message, nothingElse, open, wire } from './helpers.js';
// Session behaviour over the in-process pipe (TestGateway.pair): a socket adds nothing here; framing, pacing, compression and caps are tested over TCP.

describe('login', () => {
  test('request on connect; session with JSON true and the public channels; then in general', async (t) => {
    const g = await gateway(t, { rooms: ['general', 'lobby'] });
    const c = await open(t, inProcess(g));
    // Key order never matters, and parameters may come first.
    c.write('{"data":{"parameters":{"username":"ann"},"command":"login"},"type":"command"}\n');
    const s = await c.nextJson();
    assert.equal(s.type, 'session');
    assert.strictEqual(s.data.status, true);
    assert.deepEqual([...s.data.channels].sort(), ['general', 'lobby']);
    const j = await expectNote(c, 'user_joined');
    bothForms(j, { username: 'ann', channel: 'general' });
    assert.deepEqual(j.parameters.current_users, ['ann']);
    await nothingElse(c);
  });

  test('a taken name: JSON false with a reason and a suggestion; the connection stays for another try', async (t) => {
    const g = await gateway(t);
    await login(t, inProcess(g), 'ann');
    const c = await open(t, inProcess(g));
    c.write(wire(command('login', { username: 'ANN' })));
    const s = await c.nextJson();
    assert.deepEqual(s, { type: 'session', data: { status: false, reason: 'Username is already taken. Try ANN_.' } });
    c.write(wire(command('login', { username: 'bob' })));
    const ok = await c.nextJson();
    assert.strictEqual(ok.data.status, true);
  });

  test('an invalid name: JSON false, with a valid suggestion', async (t) => {
    const g = await gateway(t);
    const c = await open(t, inProcess(g));
    c.write(wire(command('login', { username: 'no spaces!' })));
    const s = await c.nextJson();
    assert.strictEqual(s.data.status, false);
    assert.match(s.data.reason, /^Username is not valid: .* Try nospaces\.$/);
  });

  test('login twice is an error; commands and messages before login are errors naming them', async (t) => {
    const g = await gateway(t);
    const c = await open(t, inProcess(g));
    c.write(wire(message('hi')));
    await expectError(c, 'message', /^Log in first/);
    for (const name of ['join', 'leave', 'rename', 'private', 'public', 'channels', 'channel_list']) {
      c.write(wire(command(name, name === 'join' ? { channel: 'x' } : name === 'rename' ? { username: 'x' } : null)));
      await expectError(c, name, /^Log in first/);
    }
    c.write(wire(command('login', { username: 'ann' })));
    assert.strictEqual((await c.nextJson()).data.status, true);
    await expectNote(c, 'user_joined');
    c.write(wire(command('login', { username: 'other' })));
    await expectError(c, 'login', /already logged in/);
  });

  test('no login in time: an error, then the connection closes', async (t) => {
    const g = await gateway(t, { limits: { registrationTimeoutMs: 200 } });
    const c = await open(t, inProcess(g));
    await expectError(c, 'login', /No login in time/);
    await c.expectClosed();
  });
});

describe('messages', () => {
  test('a message goes to the others in the channel, never back to the sender', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    const carol = await login(t, port, 'carol');
    for (const c of [ann, bob]) await expectNote(c, 'user_joined'); // carol arrived
    await expectNote(ann, 'user_joined'); // ann also saw bob... in order
    ann.write(wire(message('hello {"x"} \u00e9')));
    for (const c of [bob, carol]) assert.deepEqual(await c.nextJson(), { type: 'message', data: { message: 'hello {"x"} \u00e9', username: 'ann', channel: 'general' } });
    await nothingElse(ann);
  });

  test('to: a direct message, as {message, username, direct: true}, only to its recipient', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    const carol = await login(t, port, 'carol');
    await expectNote(ann, 'user_joined');
    await expectNote(ann, 'user_joined');
    await expectNote(bob, 'user_joined');
    ann.write(wire(message('psst', 'BOB')));
    assert.deepEqual(await bob.nextJson(), { type: 'message', data: { message: 'psst', username: 'ann', direct: true } });
    await nothingElse(ann);
    await nothingElse(carol);
    ann.write(wire(message('psst', 'zed')));
    await expectError(ann, 'message', /^No user named zed is online\.$/);
  });

  test('control characters are dropped on the way out; an empty message is an error', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    ann.write(wire(message('a\u0000b\u0007c\td\ne')));
    assert.equal((await bob.nextJson()).data.message, 'abc\td\ne');
    ann.write(wire(message('')));
    await expectError(ann, 'message', /empty or too long/);
    ann.write(wire(message('x'.repeat(4097))));
    await expectError(ann, 'message', /empty or too long/);
  });
});

describe('rename', () => {
  test('confirmed to the renamer and told to those sharing the channel only', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    const carol = await login(t, port, 'carol');
    for (const c of [ann, bob]) await expectNote(c, 'user_joined');
    carol.write(wire(command('join', { channel: 'den' })));
    await expectNote(carol, 'user_left');
    await expectNote(carol, 'user_joined');
    for (const c of [ann, bob]) await expectNote(c, 'user_left');
    ann.write(wire(command('rename', { username: 'anna' })));
    for (const c of [ann, bob]) bothForms(await expectNote(c, 'user_rename'), { old_username: 'ann', new_username: 'anna' });
    await nothingElse(carol);
    bob.write(wire(message('hi')));
    assert.equal((await ann.nextJson()).data.channel, 'general');
  });

  test('taken, invalid, unchanged: errors of type rename', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('rename', { username: 'Bob' })));
    await expectError(ann, 'rename', /^Username is already taken\. Try Bob_\.$/);
    ann.write(wire(command('rename', { username: '#x' })));
    await expectError(ann, 'rename', /^Username is not valid/);
    ann.write(wire(command('rename', { username: 'ann' })));
    await expectError(ann, 'rename', /already your username/);
  });
});

describe('channels', () => {
  test('join leaves the current channel first; the old and new channels are told', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('join', { channel: 'den' })));
    const left = await expectNote(ann, 'user_left');
    bothForms(left, { username: 'ann', channel: 'general' });
    assert.deepEqual(left.parameters.current_users, ['bob']);
    const joined = await expectNote(ann, 'user_joined');
    bothForms(joined, { username: 'ann', channel: 'den' });
    assert.deepEqual(joined.parameters.current_users, ['ann']);
    const seen = await expectNote(bob, 'user_left');
    bothForms(seen, { username: 'ann', channel: 'general' });
    assert.deepEqual(seen.parameters.current_users, ['bob']);
    // ann no longer hears general; bob joining den is told to ann.
    bob.write(wire(message('anyone?')));
    bob.write(wire(command('join', { channel: 'DEN' })));
    await expectNote(bob, 'user_left');
    assert.deepEqual((await expectNote(bob, 'user_joined')).parameters.current_users, ['ann', 'bob']);
    const j = await expectNote(ann, 'user_joined');
    bothForms(j, { username: 'bob', channel: 'den' });
    assert.deepEqual(j.parameters.current_users, ['ann', 'bob']);
    bob.write(wire(message('here')));
    assert.deepEqual(await ann.nextJson(), { type: 'message', data: { message: 'here', username: 'bob', channel: 'den' } });
  });

  test('join of the current channel confirms again; an invalid name is an error and leaves nothing', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('join', { channel: 'General' })));
    bothForms(await expectNote(ann, 'user_joined'), { username: 'ann', channel: 'general' });
    ann.write(wire(command('join', { channel: 'no spaces' })));
    await expectError(ann, 'join', /^Channel name is not valid/);
    ann.write(wire(message('still here')));
    assert.equal((await bob.nextJson()).data.message, 'still here');
    await nothingElse(bob);
  });

  test('after leave there is no channel: messages, leave, private and public are errors until the next join', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('leave', null)));
    const left = await expectNote(ann, 'user_left');
    bothForms(left, { username: 'ann', channel: 'general' });
    bothForms(await expectNote(bob, 'user_left'), { username: 'ann', channel: 'general' });
    ann.write(wire(message('hello?')));
    await expectError(ann, 'message', /^You are not in a channel: join one first\.$/);
    for (const name of ['leave', 'private', 'public']) {
      ann.write(wire(command(name)));
      await expectError(ann, name, /not in a channel/);
    }
    bob.write(wire(message('not for ann')));
    await nothingElse(ann);
    // Direct messages still work without a channel.
    ann.write(wire(message('dm', 'bob')));
    assert.deepEqual((await bob.nextJson()).data, { message: 'dm', username: 'ann', direct: true });
    ann.write(wire(command('join', { channel: 'general' })));
    bothForms(await expectNote(ann, 'user_joined'), { username: 'ann', channel: 'general' });
  });

  test('private hides a channel from non-members; public shows it again; config rooms stay public', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    ann.write(wire(command('private')));
    await expectError(ann, 'private', /^Channel general cannot be set to private\.$/);
    ann.write(wire(command('join', { channel: 'den' })));
    await expectNote(ann, 'user_left');
    await expectNote(ann, 'user_joined');
    await expectNote(bob, 'user_left');
    ann.write(wire(command('private', null)));
    const p = await expectNote(ann, 'channel_list');
    bothForms(p, { channel: 'den', visibility: 'private' });
    assert.deepEqual([...p.channels].sort(), ['den', 'general']);
    bob.write(wire(command('channels')));
    bothForms(await expectNote(bob, 'channel_list'), { channels: ['general'] });
    ann.write(wire(command('public')));
    bothForms(await expectNote(ann, 'channel_list'), { channel: 'den', visibility: 'public' });
    bob.write(wire(command('channel_list')));
    assert.deepEqual([...(await expectNote(bob, 'channel_list')).parameters.channels].sort(), ['den', 'general']);
  });

  test('an abrupt disconnect shows as user_left in the channel', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    bob.destroy();
    const left = await expectNote(ann, 'user_left');
    bothForms(left, { username: 'bob', channel: 'general' });
    assert.deepEqual(left.parameters.current_users, ['ann']);
    await nothingElse(ann);
    // The nick is free again.
    await login(t, port, 'bob');
  });
});

describe('bad packages cost an error package, never the connection', () => {
  test('not JSON, wrong shape, unknown command, missing parameter, server-only type', async (t) => {
    const g = await gateway(t);
    const ann = await login(t, inProcess(g), 'ann');
    ann.write('{not json}\n');
    await expectError(ann, 'parse', /^Package could not be read: not valid JSON/);
    ann.write('hello\n');
    await expectError(ann, 'parse', /expected a JSON package/);
    ann.write('[1,2]\n');
    await expectError(ann, 'parse', /package must be a JSON object/);
    ann.write(wire({ type: 'notification', data: {} }));
    await expectError(ann, 'parse', /package\.type must be "message" or "command"/);
    ann.write(wire(command('dance')));
    await expectError(ann, 'dance', /^Unknown command: unknown command "dance"/);
    ann.write(wire(command('join', {})));
    await expectError(ann, 'join', /data\.parameters must have required property 'channel'/);
    ann.write(wire({ type: 'message', data: { message: 7 } }));
    await expectError(ann, 'message', /data\.message must be string/);
    await nothingElse(ann);
  });

  test('oversize and too deep packages: an error, and the stream goes on', async (t) => {
    const g = await gateway(t, { limits: { packageMax: 1024, jsonDepthMax: 8 } });
    const ann = await login(t, inProcess(g), 'ann');
    ann.write(wire(message('x'.repeat(2000))));
    await expectError(ann, 'parse', /^Package too large: package longer than 1024 bytes\.$/);
    ann.write(`{"a":${'['.repeat(20)}${']'.repeat(20)}}\n`);
    await expectError(ann, 'parse', /nested deeper than 8 levels/);
    await nothingElse(ann);
  });

  test('a package split over many writes, and several in one write, are read', async (t) => {
    const g = await gateway(t);
    const port = inProcess(g);
    const ann = await login(t, port, 'ann');
    const bob = await login(t, port, 'bob');
    await expectNote(ann, 'user_joined');
    const bytes = Buffer.from(wire(message('one')) + wire(message('two')) + '  ' + JSON.stringify(message('three')));
    for (let i = 0; i < bytes.length; i += 7) {
      ann.write(bytes.subarray(i, i + 7));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (const text of ['one', 'two', 'three']) assert.equal((await bob.nextJson()).data.message, text);
  });

  test('flood control answers with one error package a second, the rest dropped', async (t) => {
    const g = await gateway(t, { limits: { flood: { enabled: true, burst: 3, ratePerSec: 0.001 } } });
    const ann = await open(t, inProcess(g));
    // Bytes that are no package are a framer fault, which flood control lets through: its error is the sentinel.
    ann.write(wire(command('login', { username: 'ann' })) + wire(command('channels')).repeat(4) + 'nope\n');
    assert.strictEqual((await ann.nextJson()).data.status, true);
    await expectNote(ann, 'user_joined');
    await expectNote(ann, 'channel_list');
    await expectNote(ann, 'channel_list');
    // One error for the two dropped packages (DESIGN.md "Operating limits": at most one rate-limit reply a second).
    await expectError(ann, 'parse', /^Too many packages/);
    await expectError(ann, 'parse', /^Package could not be read: expected a JSON package/);
  });

  test('a client that stops reading gets the queue-full error last, then the close (DESIGN.md "Operating limits")', async (t) => {
    const g = await gateway(t, { limits: { sendQueueMax: 64 * 1024 } });
    const packages = (await slowReaderTail(g, 'chatmaster')).toString('utf8').split('\n');
    assert.equal(packages.at(-1), '');
    assert.deepEqual(JSON.parse(packages.at(-2)!), { type: 'error', data: { error_type: 'parse', message: 'You are not reading fast enough; closing the connection.' } });
  });

  test('too many connections: an error, then close', async (t) => {
    const g = await gateway(t, { limits: { maxConnectionsPerIp: 1 } });
    await open(t, inProcess(g));
    const c = g.pair('chatmaster');
    t.after(() => c.destroy());
    await expectError(c, 'login', /Too many connections/);
    await c.expectClosed();
  });
});

describe('shutdown', () => {
  test('server_shutdown notification, then close', async (t) => {
    const g = await gateway(t);
    const ann = await login(t, inProcess(g), 'ann');
    const paced = await login(t, inProcess(g), 'bob', false);
    await expectNote(ann, 'user_joined');
    const stopping = g.stop();
    for (const c of [ann, paced]) {
      bothForms(await expectNote(c, 'server_shutdown'), { message: 'Server shutting down.' });
      await c.expectClosed();
    }
    await stopping;
  });
});
