import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionTimers } from '../src/connection-timers.js';

const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('after and every fire; a cancelled one does not, and leaves no timer behind', async () => {
  const timers = new ConnectionTimers();
  const base = timeouts();
  const fired: string[] = [];
  const cancelled = timers.after(1, () => fired.push('cancelled'));
  cancelled();
  let ticks = 0;
  await new Promise<void>((resolve) => {
    const stop = timers.every(1, () => {
      if (++ticks === 3) {
        stop();
        resolve();
      }
    });
  });
  await new Promise<void>((resolve) => timers.after(1, () => (fired.push('once'), resolve())));
  assert.deepEqual(fired, ['once']);
  assert.equal(ticks, 3);
  assert.equal(timeouts(), base, 'no timer left');
});

test('close clears every timer: none fires afterwards, none is left', async () => {
  const timers = new ConnectionTimers();
  const base = timeouts();
  const fired: string[] = [];
  timers.after(5, () => fired.push('after'));
  timers.every(5, () => fired.push('every'));
  timers.after(5, () => fired.push('unref'), true);
  // An unref'd timer is not among the active resources: two are counted.
  assert.equal(timeouts(), base + 2);
  timers.close();
  assert.equal(timeouts(), base, 'cleared at once');
  // Their due time passes (a later timer of the test's own is the bound): nothing ran.
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(fired, []);
});
