import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverDialects, METRIC_NAMES } from '@chat-gateway/gateway';
import { DIALECT_TESTING, scrape } from '@chat-gateway/testkit';
import { setup } from './support/setup.js';

// Every error a client gets passes through core's SessionBase.error, which counts it: one error
// provoked in every installed dialect must move that dialect's series, and no other.
test('an error replied in any dialect is counted under its listener, dialect and canonical code', async (t) => {
  const dialects = DIALECT_TESTING.map((d) => d.dialect);
  assert.deepEqual(dialects, [...(await discoverDialects()).keys()], 'every installed dialect is in this test');
  const { tg, online } = await setup(t, { admin: true });
  const before = await scrape(tg.adminPort!);
  for (const dialect of dialects) assert.equal(before.value(METRIC_NAMES.errors, { dialect }), 0, `${dialect}: no errors yet`);

  for (const dialect of dialects) {
    // A DM to nobody: a verb every dialect's driver has, refused by the Hub with NO_SUCH_USER.
    // (Drivers may provoke errors of their own, e.g. in a sentinel: only this code is compared.)
    const d = await online(dialect, `u_${dialect}`);
    const series = { listener: dialect, dialect, code: 'NO_SUCH_USER' };
    const was = (await scrape(tg.adminPort!)).value(METRIC_NAMES.errors, series);
    const r = await d.dm('nobody', 'is anyone there');
    assert.equal(r.ok, false, `${dialect}: the DM is refused (${r.raw})`);
    assert.equal((await scrape(tg.adminPort!)).value(METRIC_NAMES.errors, series) - was, 1, `${dialect}: ${JSON.stringify(series)} moved by one`);
  }
});
