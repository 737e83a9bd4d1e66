import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runProgram, startTestGateway } from '@chat-gateway/testkit';

// The README's Python examples work verbatim (the port aside), run with python3 as a student would
// (python3 is required, as redis-server and chromium are: .ci/run installs it when absent).
const README = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...README.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('the plain and the compressed Python example of the README run as shown', async (t) => {
  assert.equal(examples.length, 2, 'the README has its two Python examples');
  const tg = await startTestGateway({ listeners: [{ dialect: 'chatmaster' }], bots: ['echo'] });
  t.after(() => tg.stop());
  const port = String(tg.port('chatmaster'));
  const run = async (code: string) => {
    const r = await runProgram('python3', ['-c', code.replace("('localhost', 9000)", `('127.0.0.1', ${port})`)]);
    return { code: r.code, out: r.stdout + r.stderr };
  };
  const plain = await run(examples[0]!);
  assert.equal(plain.code, 0, plain.out);
  assert.match(plain.out, /^channels: \['general'\]\nin general\n/);
  assert.match(plain.out, /'message': 'psst', 'username': 'PythonMaster2K16', 'direct': True/);
  const zipped = await run(examples[1]!);
  assert.equal(zipped.code, 0, zipped.out);
  assert.equal(zipped.out, "True\nin general\n{'message': 'psst', 'username': 'echo', 'direct': True}\n");
});
