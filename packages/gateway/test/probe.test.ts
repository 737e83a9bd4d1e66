import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dialectTesting, startTestGateway } from '@chat-gateway/testkit';
import { runProbe } from '../src/probe/checks.js';
import { textReport } from '../src/probe/report.js';
import { REPO, runCli } from './run-cli.js';

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

/** A probe report as docs/testing-your-server.md shows it: the run's tag, port and timeout, and long runs of x, left out. */
const normal = (text: string) =>
  text
    .replace(/probe( ?)[0-9a-f]{4}/g, 'probe$1TAG')
    .replace(/127\.0\.0\.1:\d+/g, 'HOST')
    .replace(/after \d+ ms/g, 'after N ms')
    .replace(/x{8,}…?/g, 'X')
    .split('\n');

test('docs/testing-your-server.md shows real runs: every line it shows is a line of the report, in order', async (t) => {
  const doc = await readFile(join(REPO, 'docs/testing-your-server.md'), 'utf8');
  const shown = [...doc.matchAll(/```\n\$ npx chat-gateway probe sup \S+\n([\s\S]*?)```/g)].map((m) => normal(m[1]!.split('\n$ ')[0]!).filter((l) => l !== '' && l !== '...'));
  assert.equal(shown.length, 2, 'a run against the gateway and one against a wrong server');
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }], bots: ['echo'] });
  t.after(() => tg.stop());
  const wrong = await wrongSupServer(t);
  const sup = dialectTesting('sup');
  for (const [i, port] of [tg.port('sup'), wrong].entries()) {
    const report = normal(textReport('sup', `127.0.0.1:${port}`, await runProbe(sup, { host: '127.0.0.1', port }, { timeoutMs: 300 })));
    let at = 0;
    for (const line of shown[i]!) {
      const found = report.indexOf(line, at);
      assert.ok(found >= 0, `not in the report (or out of order): ${line}\nreport:\n${report.join('\n')}`);
      at = found + 1;
    }
  }
});
