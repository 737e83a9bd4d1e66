import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { StreamPipe } from '../src/transports/stream-pipe.js';
import type { PipeEvents } from '../src/transports/pipe.js';

/** PipeEvents that keep what they were told. */
function recorder(): PipeEvents & { chunks: string[]; closed: Promise<void> } {
  let closed!: () => void;
  const r = {
    chunks: [] as string[],
    closed: new Promise<void>((resolve) => (closed = resolve)),
    pipeData: (chunk: Buffer) => void r.chunks.push(chunk.toString()),
    pipeTooLarge: () => assert.fail('a stream has no message limit'),
    pipeError: () => {},
    pipeClosed: () => closed(),
  };
  return r;
}

// Issue #16: a connection's socket listeners are functions every socket shares, each finding its own
// connection on the socket it is called on: no closures per connection, and no cross-talk.
test('two stream pipes share their socket listeners and each tells only its own connection', async (t) => {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address() as net.AddressInfo;
  const clients = [net.connect(port, '127.0.0.1'), net.connect(port, '127.0.0.1')];
  t.after(() => clients.forEach((c) => c.destroy()));
  await Promise.all(clients.map((c) => once(c, 'connect')));
  while (accepted.length < 2) await once(server, 'connection');

  const events = [recorder(), recorder()];
  accepted.forEach((s, i) => new StreamPipe(s, 'tcp', 0).start(events[i]!));
  for (const name of ['data', 'error', 'close'] as const) {
    assert.equal(accepted[0]!.listeners(name).length, 1);
    assert.equal(accepted[0]!.listeners(name)[0], accepted[1]!.listeners(name)[0], `one shared '${name}' listener`);
  }
  clients[0]!.write('to the first');
  clients[1]!.write('to the second');
  clients[1]!.end();
  await events[1]!.closed;
  while (events[0]!.chunks.length === 0) await once(accepted[0]!, 'data');
  assert.deepEqual(events[0]!.chunks, ['to the first']);
  assert.deepEqual(events[1]!.chunks, ['to the second']);
});
