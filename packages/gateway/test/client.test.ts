import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { onlineAs, startTestGateway } from '@chat-gateway/testkit';
import { cleanEnv, REPO } from './run-cli.js';

// DESIGN.md "Interop bench": `chat-gateway client <dialect> <host:port>` in a real pseudo-terminal
// (util-linux `script`, Debian's bsdutils, gives it one: no native module; required, .ci/run installs
// it when absent), chatting with a WS_2017 user.
// Cursor moves and line clears readline draws with: what the terminal shows is the rest.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

test('a PSU user at the terminal client chats with a WS_2017 user; arriving lines leave the half-typed one intact', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'psu' }, { dialect: 'ws2017' }] });
  t.after(() => tg.stop());
  const wanda = await onlineAs(tg, 'ws2017', 'wanda');
  t.after(() => wanda.close());
  const cmd = `${JSON.stringify(process.execPath)} packages/gateway/bin/chat-gateway.js client psu 127.0.0.1:${tg.port('psu')}`;
  const term = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: REPO, env: cleanEnv({ TERM: 'xterm' }), stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => term.kill('SIGKILL'));
  let screen = '';
  const waiters: { text: string | RegExp; resolve(): void }[] = [];
  const seen = (text: string | RegExp) => (typeof text === 'string' ? screen.replace(ANSI, '').includes(text) : text.test(screen.replace(ANSI, '')));
  term.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    for (const w of waiters.filter((w) => seen(w.text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const shows = (text: string | RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (seen(text)) return resolve();
      const timer = setTimeout(() => reject(new Error(`the terminal never showed ${String(text)}:\n${screen.replace(ANSI, '')}`)), timeoutMs);
      waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
    });
  const type = (keys: string) => term.stdin.write(keys);

  await shows('/help for commands');
  await shows('Welcome to chat-gateway (PSU chat)');
  type('/nick pat\r');
  await shows('pat: welcome!');
  type('/msg wanda hello wanda\r');
  assert.equal((await wanda.waitFor('dm', (s) => s.from === 'pat')).text, 'hello wanda');
  await wanda.dm('pat', 'hi pat');
  await shows('wanda → you: hi pat');
  // Half a line typed, then a message arrives: it is printed above, and the prompt comes back with the half line.
  type('half typ');
  await shows('> half typ');
  await wanda.dm('pat', 'while you type');
  await shows(/wanda → you: while you type\r?\n> half typ/);
  type('ed\r');
  assert.equal((await wanda.waitFor('dm', (s) => s.from === 'pat')).text, 'half typed');
  type('/raw :PRIVMSG wanda :sent raw\\r\\n\r');
  assert.equal((await wanda.waitFor('dm', (s) => s.from === 'pat')).text, 'sent raw');
  const closed = new Promise<number | null>((resolve) => term.once('close', resolve));
  type('/quit\r');
  await shows('* connection closed');
  await wanda.waitFor('offline', (s) => s.nick === 'pat');
  assert.equal(await closed, 0);
});

test('--raw shows every read and write as bytes; /raw sends what was typed, escapes understood (no terminal: plain lines)', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }] });
  t.after(() => tg.stop());
  const child = spawn(process.execPath, ['packages/gateway/bin/chat-gateway.js', 'client', 'sup', String(tg.port('sup')), '--raw'], { cwd: REPO, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  const got = new Promise<void>((resolve) =>
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('← "status 001 Online\\x04"')) resolve();
    }),
  );
  child.stdin.write('/nick ray\n/raw contact ray\\x04\n');
  await got;
  child.stdin.end();
  assert.equal(await closed, 0);
  assert.match(out, /^connected to 127\.0\.0\.1:\d+ \(sup\); \/help for commands\n→ "login ray\\x04"\n← "status 000 OK\\x04"\n→ "contact ray\\x04"\n← "status 001 Online\\x04"\n/);
  assert.match(out, /→ "quit ray\\x04"\n← "status 000 OK\\x04"\n\* connection closed\n$/, 'end of input quits as the dialect does');
});
