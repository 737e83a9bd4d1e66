import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram, startTestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';

// The README's `nc` example runs as shown in dash (Debian's /bin/sh): both commands exit by
// themselves, alice sees what the README shows and bob what it says. The port is the test
// gateway's, and alice's `sleep 30` (her time to wait for bob) becomes a read from a FIFO the test
// writes once bob is done, so that the test takes no 30 s.
const README = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const tryIt = README.slice(README.indexOf('## Try it'));
const [alice, bob] = [...tryIt.matchAll(/```sh\n(.*)\n```/g)].map((m) => m[1]!);
const aliceSees = /```\n([\s\S]*?)```/.exec(tryIt.slice(tryIt.indexOf('Alice sees')))?.[1];
const bobSees = [.../Bob sees ((?:`[^`]*`,?\s)+)/.exec(tryIt)?.[1]?.matchAll(/`([^`]*)`/g) ?? []].map((m) => m[1]!);

/** A trace output that resolves once a line matching `re` was printed. */
function traceWatch(re: RegExp): { out: NonNullable<TestGatewayOptions['traceOutput']>; seen: Promise<void> } {
  let resolve!: () => void;
  const seen = new Promise<void>((r) => (resolve = r));
  return { out: { isTty: true, write: (text) => void (re.test(text) && resolve()) }, seen };
}

test('the Sup nc example of the README: alice and bob in dash, each command exits, the output as shown', async (t) => {
  assert.ok(alice?.includes('sleep 30') && bob && aliceSees && bobSees.length === 5, 'the README has both commands and what each sees');
  const online = traceWatch(/ alice → .*contacts echo/);
  const tg = await startTestGateway({ listeners: [{ dialect: 'sup' }], bots: ['echo'], trace: { enabled: true }, traceOutput: online.out });
  t.after(() => tg.stop());
  const dir = await mkdtemp(join(tmpdir(), 'sup-readme-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const go = join(dir, 'go');
  execFileSync('mkfifo', [go]);
  const here = (cmd: string) => cmd.replace('nc -N localhost 3000', `nc -N 127.0.0.1 ${tg.port('sup')}`);

  const a = spawn('dash', ['-c', here(alice!).replace('sleep 30', `read go < ${go}`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => a.kill('SIGKILL'));
  let aliceOut = '';
  a.stdout.setEncoding('utf8').on('data', (d: string) => (aliceOut += d));
  a.stderr.setEncoding('utf8').on('data', (d: string) => (aliceOut += d));
  const aliceExit = new Promise<number | null>((resolve) => a.once('close', resolve));
  await online.seen;

  const b = await runProgram('dash', ['-c', here(bob)], { timeoutMs: 10_000 });
  assert.deepEqual([b.code, b.stderr], [0, '']);
  assert.deepEqual(b.stdout.trimEnd().split('\n'), bobSees);
  await writeFile(go, 'go\n');
  assert.equal(await aliceExit, 0, aliceOut);
  assert.equal(aliceOut, aliceSees);
});
