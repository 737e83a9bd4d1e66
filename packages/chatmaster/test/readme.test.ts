import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { startTestGateway } from '@chat-gateway/testkit';

// The README's Python examples work verbatim (the port aside), run with python3 as a student would
// (python3 is required, as redis-server and chromium are: .ci/run installs it when absent).
const README = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...README.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);

function python(code: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => (p.kill('SIGKILL'), reject(new Error(`python3 did not finish: ${out}`))), 20_000);
    p.on('close', (code) => (clearTimeout(timer), resolve({ code, out })));
  });
}

test('the plain and the compressed Python example of the README run as shown', async (t) => {
  assert.equal(examples.length, 2, 'the README has its two Python examples');
  const tg = await startTestGateway({ listeners: [{ dialect: 'chatmaster' }], bots: ['echo'] });
  t.after(() => tg.stop());
  const port = String(tg.port('chatmaster'));
  const run = (code: string) => python(code.replace("('localhost', 9000)", `('127.0.0.1', ${port})`));
  const plain = await run(examples[0]!);
  assert.equal(plain.code, 0, plain.out);
  assert.match(plain.out, /^channels: \['general'\]\nin general\n/);
  assert.match(plain.out, /'message': 'psst', 'username': 'PythonMaster2K16', 'direct': True/);
  const zipped = await run(examples[1]!);
  assert.equal(zipped.code, 0, zipped.out);
  assert.equal(zipped.out, "True\nin general\n{'message': 'psst', 'username': 'echo', 'direct': True}\n");
});
