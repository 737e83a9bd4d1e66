import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { command, compressed, expectError, expectMessage, expectNote, gateway, login, message, nextPackage, open, wire } from './helpers.js';

describe('compression: mirror (default)', () => {
  for (const format of ['zlib', 'gzip'] as const) {
    test(`${format} in, ${format} out; plain in again, plain out`, async (t) => {
      const g = await gateway(t);
      const c = await open(t, g.port('chatmaster'));
      c.write(compressed(command('login', { username: 'ann' }), format));
      const s = await nextPackage(c);
      assert.equal(s.format, format);
      assert.strictEqual(s.value.data.status, true);
      assert.deepEqual(await nextPackage(c).then((p) => [p.format, p.value.data.event_type]), [format, 'user_joined']);
      c.write(wire(command('channels')));
      assert.deepEqual(await nextPackage(c).then((p) => [p.format, p.value.data.event_type]), ['none', 'channel_list']);
    });
  }

  test('one room message reaches a zlib, a gzip and a plain client, each in its own format', async (t) => {
    const g = await gateway(t);
    const port = g.port('chatmaster');
    const z = await open(t, port);
    z.write(Buffer.concat([compressed(command('login', { username: 'zed' }), 'zlib'), Buffer.from('\n')]));
    await nextPackage(z);
    await nextPackage(z);
    const gz = await open(t, port);
    gz.write(Buffer.concat([compressed(command('login', { username: 'gus' }), 'gzip'), Buffer.from('\n')]));
    await nextPackage(gz);
    await nextPackage(gz);
    assert.equal((await nextPackage(z)).value.data.username, 'gus');
    const ann = await login(t, port, 'ann');
    for (const c of [z, gz]) await nextPackage(c);
    ann.write(wire(message('to all')));
    const want = { type: 'message', data: { message: 'to all', username: 'ann', channel: 'general' } };
    assert.deepEqual(await nextPackage(z), { format: 'zlib', value: want });
    assert.deepEqual(await nextPackage(gz), { format: 'gzip', value: want });
  });

  test('a compressed package split over two writes, and two in one write', async (t) => {
    const g = await gateway(t);
    const c = await open(t, g.port('chatmaster'));
    const login = compressed(command('login', { username: 'ann' }), 'gzip');
    c.write(login.subarray(0, 9));
    await new Promise<void>((resolve) => setTimeout(resolve, 20)); // lets the first part arrive as its own read
    c.write(Buffer.concat([login.subarray(9), compressed(command('channels'), 'zlib'), Buffer.from('\n')]));
    assert.strictEqual((await nextPackage(c)).value.data.status, true);
    await nextPackage(c);
    assert.deepEqual(await nextPackage(c).then((p) => [p.format, p.value.data.event_type]), ['zlib', 'channel_list']);
  });
});

describe('compression: listener options', () => {
  test('never: compressed in, plain out', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { compression: 'never' } }] });
    const c = await open(t, g.port('chatmaster'));
    c.write(compressed(command('login', { username: 'ann' }), 'gzip'));
    assert.equal((await nextPackage(c)).format, 'none');
  });

  test('always: even the login request is compressed (zlib); a gzip client gets gzip', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { compression: 'always' } }] });
    const { connect } = await import('@chat-gateway/testkit');
    const c = await connect(g.port('chatmaster'));
    t.after(() => c.destroy());
    assert.deepEqual(await nextPackage(c), { format: 'zlib', value: { type: 'request', data: { request: 'login' } } });
    c.write(wire(command('login', { username: 'ann' })));
    assert.equal((await nextPackage(c)).format, 'zlib');
    await nextPackage(c);
    c.write(Buffer.concat([compressed(command('channels'), 'gzip'), Buffer.from('\n')]));
    assert.equal((await nextPackage(c)).format, 'gzip');
    c.write(wire(command('channels')));
    assert.equal((await nextPackage(c)).format, 'gzip');
  });
});

describe('compression across listeners', () => {
  test('ChatMaster ↔ ChatMaster across listeners with different compression', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster' }, { dialect: 'chatmaster', name: 'cm-zlib', options: { compression: 'always' } }] });
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

describe('fatal framer faults over a socket: error package, then close', () => {
  const bomb = zlib.deflateSync(Buffer.alloc(50 * 1024 * 1024));

  test('a decompression bomb', async (t) => {
    const g = await gateway(t);
    const port = g.port('chatmaster');
    const other = await login(t, port, 'ann');
    const c = await open(t, port);
    c.write(bomb);
    await expectError(c, 'parse', /^Package too large: compressed package inflates past 1048576 bytes; closing the connection\.$/);
    await c.expectClosed();
    // Everyone else is served as before.
    other.write(wire(command('channels')));
    assert.equal((await nextPackage(other)).value.data.event_type, 'channel_list');
  });

  test('a bomb right after login from a paced client: the error is not lost behind paced packages', async (t) => {
    const g = await gateway(t, { listeners: [{ dialect: 'chatmaster', options: { paceMs: 200 } }] });
    const c = await open(t, g.port('chatmaster'));
    c.write(Buffer.concat([Buffer.from(JSON.stringify(command('login', { username: 'ann' }))), bomb]));
    let p = await nextPackage(c);
    while (p.value.type !== 'error') p = await nextPackage(c);
    assert.match(p.value.data.message, /inflates past/);
    await c.expectClosed();
  });

  test('corrupt compressed data', async (t) => {
    const g = await gateway(t);
    const c = await open(t, g.port('chatmaster'));
    c.write(Buffer.from('789cffffffffffffffff', 'hex'));
    await expectError(c, 'parse', /^Package could not be read: corrupt zlib data .*; closing the connection\.$/);
    await c.expectClosed();
  });
});
