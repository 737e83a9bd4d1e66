import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { DIALECT_TESTING, startTestGateway } from '@chat-gateway/testkit';
import { runClient } from '../src/client/client.js';

// DESIGN.md "Interop bench": the terminal client speaks every dialect. In process (the CLI and its
// terminal are client.test.ts's), over real sockets: each dialect's client registers, DMs echo,
// shows its answer, and /quit closes the connection.
const tg = await startTestGateway({ bots: ['echo'] });

/** What the client printed, and a wait for a line it will print. */
function screen(output: PassThrough) {
  let text = '';
  const waiters: { line: string; resolve(): void }[] = [];
  output.setEncoding('utf8').on('data', (d: string) => {
    text += d;
    for (const w of waiters.filter((w) => text.split('\n').includes(w.line))) waiters.splice(waiters.indexOf(w), 1), w.resolve();
  });
  const shows = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (text.split('\n').includes(line)) return resolve();
      const timer = setTimeout(() => reject(new Error(`the client never printed ${JSON.stringify(line)}:\n${text}`)), 5000);
      waiters.push({ line, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { shows, text: () => text };
}

for (const { dialect } of DIALECT_TESTING) {
  test(`${dialect}: the client registers, chats with echo and quits`, async () => {
    const [input, output] = [new PassThrough(), new PassThrough()];
    const out = screen(output);
    const done = runClient(DIALECT_TESTING.find((d) => d.dialect === dialect)!, { host: '127.0.0.1', port: tg.port(dialect) }, {}, { input, output, terminal: false });
    await out.shows(`connected to 127.0.0.1:${tg.port(dialect)} (${dialect}); /help for commands`);
    input.write(`/nick cl_${dialect}\n/msg echo hello from ${dialect}\n`);
    await out.shows(`echo → you: hello from ${dialect}`);
    assert.equal((await tg.hub.user(`cl_${dialect}`))?.nick, `cl_${dialect}`);
    input.write('/quit\n');
    await done;
    assert.match(out.text(), /\n\* connection closed\n$/);
    assert.equal(await tg.hub.user(`cl_${dialect}`), undefined, 'the nick is free again');
  });
}

test('the gateway stops', () => tg.stop());
