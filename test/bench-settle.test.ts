import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sample, waitSettled } from '../bench/servers/proc.js';

// The bench's settled idle RSS (proc.ts waitSettled) on a real process: the lowest RSS of the
// wait, whether the process gives memory back within it or keeps it.

const MB = 1048576;

/** A node process holding about 50 MB in arrays, which it frees (and collects) on its first stdin byte when `frees`. */
async function holder(frees: boolean): Promise<ChildProcess> {
  const code = `let a = []; for (let i = 0; i < 400; i++) a.push(new Array(16384).fill(i));
    process.stdin.once('data', () => { if (${frees}) { a = null; gc(); } process.stdout.write('done\\n'); });
    process.stdout.write('grown\\n');`;
  const child = spawn(process.execPath, ['--expose-gc', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

test('waitSettled reads the RSS after a process gave back what it grew, and when', async (t) => {
  const child = await holder(true);
  t.after(() => child.kill());
  const after = sample(child.pid!)!;
  const settled = waitSettled(child.pid!, { everyMs: 100, maxMs: 1500 });
  // Freed while the wait runs, so the lowest sample comes after its first.
  setTimeout(() => child.stdin!.write('x'), 300);
  const s = await settled;
  assert.ok(s, 'the process is alive');
  assert.ok(s.rss < after.rss - 30 * MB, `RSS ${(s.rss / MB).toFixed(1)} MB, grown to ${(after.rss / MB).toFixed(1)}`);
  assert.ok(s.afterMs >= 300 && s.afterMs <= 1500, `read ${s.afterMs.toFixed(0)} ms into the wait`);
});

test('waitSettled keeps what it saw first for a process that gives nothing back', async (t) => {
  const child = await holder(false);
  t.after(() => child.kill());
  const after = sample(child.pid!)!;
  const settled = await waitSettled(child.pid!, { everyMs: 100, maxMs: 800 });
  assert.ok(settled);
  assert.ok(settled.rss > after.rss - 5 * MB, `RSS ${(settled.rss / MB).toFixed(1)} MB of ${(after.rss / MB).toFixed(1)}`);
});
