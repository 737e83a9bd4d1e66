import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestGateway } from '@chat-gateway/testkit';
import { runCli } from './run-cli.js';

// DESIGN.md "Interop bench": `chat-gateway probe` checks a server, one line per check with the bytes
// sent, expected and received, exit 1 on a failure. (test/probe.test.ts runs it against every dialect.)

/** A Sup server with the commonest student bug: every reply ends in CR LF instead of EOT. */
async function wrongSupServer(t: { after(fn: () => unknown): void }): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\x04'); i >= 0; i = buf.indexOf('\x04')) {
        buf = buf.slice(i + 1);
        s.write('status 000 OK\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

test('against a wrong server the probe shows the wrong bytes and exits 1; against the gateway it passes and exits 0', async (t) => {
  const port = await wrongSupServer(t);
  const bad = await runCli(['probe', 'sup', `127.0.0.1:${port}`, '--timeout', '300']);
  assert.equal(bad.code, 1, bad.stderr);
  const lines = bad.stdout.split('\n');
  assert.equal(lines[0], `probe sup 127.0.0.1:${port}`);
  const register = lines.find((l) => /^FAIL {2}register probe\w+a /.test(l));
  assert.match(register ?? '', /sent "login probe\w+a\\x04" {2}expected "status 000 OK\\x04" {2}received "status 000 OK\\r\\n" {2}\(timed out after 300 ms waiting for a frame ended by 0x4\)$/, bad.stdout);
  assert.match(lines.find((l) => l.includes('register an invalid nick')) ?? '', /^FAIL .* expected "status 102 Username Invalid\\x04" {2}received "status 000 OK\\r\\n"/);
  assert.match(bad.stdout, /^sup 127\.0\.0\.1:\d+: 1 passed, \d+ failed, \d+ skipped$/m);

  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }] });
  t.after(() => tg.stop());
  const good = await runCli(['probe', 'sup', `127.0.0.1:${tg.port('sup')}`, '--json']);
  assert.equal(good.code, 0, good.stdout);
  const report = JSON.parse(good.stdout) as { ok: boolean; failed: number; checks: { name: string; status: string; sent: string; received: string }[] };
  assert.deepEqual([report.ok, report.failed], [true, 0]);
  const dm = report.checks.find((c) => c.name.startsWith('direct message probe'))!;
  assert.match(dm.sent, /^"send probe\w+b probe \w+ says hi to probe\w+b\\x04"$/);
  assert.match(dm.received, /^"recv probe\w+a probe \w+ says hi to probe\w+b\\x04"$/);
});
