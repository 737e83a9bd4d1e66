import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startTestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import type { TraceOutput } from '../src/trace-print.js';

// DESIGN.md "Interop bench": --trace shows what a client really sent, one line per record, the nick
// once known, filters; bytes that end no frame are reported with the dialect's hint.

/** A trace output a test reads: every line kept, and a wait for the line it expects. */
function capture(isTty: boolean) {
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve(line: string): void }[] = [];
  const out: TraceOutput = {
    isTty,
    write(text) {
      for (const line of text.split('\n').filter(Boolean)) {
        lines.push(line);
        for (const w of waiters.filter((w) => w.re.test(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    },
  };
  const line = (re: RegExp, timeoutMs = 3000) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => re.test(l));
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no trace line ${re}; got:\n${lines.join('\n')}`)), timeoutMs);
      waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  return { out, lines, line };
}

async function gateway(t: { after(fn: () => unknown): void }, trace: TestGatewayOptions['trace'], isTty = true) {
  const cap = capture(isTty);
  const tg = await startTestGateway({ listeners: [{ dialect: 'ws2017' }, { dialect: 'sup' }], trace: { enabled: true, pendingMs: 300, ...trace }, traceOutput: cap.out });
  t.after(() => tg.stop());
  return { tg, ...cap };
}

test('a Sup login ended by \\n instead of EOT: the bytes as read, then once the EOT hint; the client is sent nothing', async (t) => {
  const { tg, line, lines } = await gateway(t, {});
  const c = await connect(tg.port('sup'));
  t.after(() => c.destroy());
  await line(/^\d\d:\d\d:\d\d sup c\d+ - \+ connected from 127\.0\.0\.1 over tcp$/);
  c.write('login alice\n');
  assert.match(await line(/ ← /), /^\d\d:\d\d:\d\d sup c\d+ - ← "login alice\\n"$/);
  const started = Date.now();
  const hint = await line(/ ⚠ /);
  assert.match(hint, /^\d\d:\d\d:\d\d sup c\d+ - ⚠ "login alice\\n" no EOT \(\\x04\) after 300 ms \(a line break does not end a Sup message\)$/);
  assert.ok(Date.now() - started < 2000, 'reported about pendingMs after the read');
  // DESIGN.md "Security": Sup gets nothing it did not ask for. Its first bytes are the login's reply.
  c.write('\x04');
  assert.equal((await c.nextDelimited(0x04)).toString(), 'status 000 OK');
  await line(/sup c\d+ alice → "status 000 OK\\x04"$/);
  assert.equal(lines.filter((l) => l.includes(' ⚠ ')).length, 1, 'reported once');
});

test('a WS_2017 line without a line end: the client gets one -ERR saying so, and the line still counts once ended', async (t) => {
  const { tg, line } = await gateway(t, {});
  const c = await connect(tg.port('ws2017'));
  t.after(() => c.destroy());
  await c.expectLine(/^\+OK /);
  c.write('uname alice');
  await c.expectLine('-ERR no line end (\\r\\n) after 300 ms: uname alice');
  await line(/ws2017 c\d+ - ⚠ "uname alice" no line end \(\\r\\n\) after 300 ms$/);
  c.write('\r\n');
  await c.expectLine('+OK you are alice');
  // Once per connection: a second unended line is traced but not told again.
  c.write('ping');
  await line(/alice ⚠ "ping" no line end/);
  c.write('\r\n');
  await c.expectLine('+OK pong');
  assert.equal(c.received().length, 0);
});

test('records carry the nick once known; filters: listener, ip, nick (a connection without a nick passes a nick filter)', async (t) => {
  const { tg, lines, line } = await gateway(t, { filters: ['listener=ws2017', 'nick=bob', 'ip=127.0.0.1'] });
  const sup = await connect(tg.port('sup'));
  t.after(() => sup.destroy());
  sup.write('login carol\x04');
  await sup.nextDelimited(0x04);
  const [alice, bob] = [await connect(tg.port('ws2017')), await connect(tg.port('ws2017'))];
  t.after(() => (alice.destroy(), bob.destroy()));
  for (const [c, nick] of [[alice, 'alice'], [bob, 'bob']] as const) {
    await c.expectLine(/^\+OK /);
    c.write(`uname ${nick}\r\n`);
    await c.expectLine(`+OK you are ${nick}`);
  }
  await line(/ws2017 c\d+ bob → "\+OK you are bob\\r\\n"$/);
  bob.write('chatm bob alice hi\r\n');
  await line(/ bob ← "chatm bob alice hi\\r\\n"$/);
  await alice.waitForLine("chatm bob alice 'hi'");
  assert.ok(lines.some((l) => / ws2017 c\d+ - ← "uname alice\\r\\n"$/.test(l)), 'before its nick, alice passes the nick filter');
  assert.ok(!lines.some((l) => / c\d+ alice /.test(l)), 'after it, alice is filtered out');
  assert.ok(!lines.some((l) => l.includes(' sup ')), 'another listener is not traced at all');
});

test('piped, each record is one JSON object: text, or base64 for bytes that are no UTF-8', async (t) => {
  const { tg, line } = await gateway(t, { pendingMs: 0 }, false);
  const c = await connect(tg.port('sup'));
  t.after(() => c.destroy());
  c.write(Buffer.from([0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x20, 0xff, 0x04]));
  const rec = JSON.parse(await line(/"trace":"in"/)) as Record<string, unknown>;
  assert.deepEqual([rec.listener, rec.dialect, rec.transport, rec.remote, rec.bytes, rec.base64, rec.text], ['sup', 'sup', 'tcp', '127.0.0.1', 8, Buffer.from('login \xff\x04', 'latin1').toString('base64'), undefined]);
  assert.match(String(rec.time), /^\d{4}-\d\d-\d\dT/);
  const out = JSON.parse(await line(/"trace":"out"/)) as Record<string, unknown>;
  assert.deepEqual([out.text, out.bytes], ['status 102 Username Invalid\x04', 28]);
});

test('PSU, IRC and ChatMaster clients are told once in their own words; ChatMaster\'s hint is about the JSON', async (t) => {
  const cap = capture(true);
  const tg = await startTestGateway({ listeners: [{ dialect: 'psu' }, { dialect: 'irc' }, { dialect: 'chatmaster' }], trace: { enabled: true, pendingMs: 200 }, traceOutput: cap.out });
  t.after(() => tg.stop());
  const [psu, irc, cm] = await Promise.all(['psu', 'irc', 'chatmaster'].map((l) => connect(tg.port(l))));
  t.after(() => [psu, irc, cm].forEach((c) => c!.destroy()));
  await psu!.nextLine();
  psu!.write(':NICK alice');
  await psu!.expectLine('Line not ended yet, no line end (\\r\\n) after 200 ms: :NICK alice');
  irc!.write('NICK bob');
  await irc!.expectLine(':chat-gateway NOTICE * :no line end (\\r\\n) after 200 ms: NICK bob');
  await cm!.nextJson();
  cm!.write('{"type":"command","data":{"command":"login"');
  assert.deepEqual(await cm!.nextJson(), { type: 'error', data: { error_type: 'parse', message: 'Package not ended yet, incomplete JSON (its closing } has not arrived) after 200 ms: {"type":"command","data":{"command":"login"' } });
  await cap.line(/chatmaster c\d+ - ⚠ "\{\\"type\\":\\"command\\",\\"data\\":\{\\"command\\":\\"login\\"" incomplete JSON/);
});
