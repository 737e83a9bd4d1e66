import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_TESTING, startTestGateway } from '@chat-gateway/testkit';
import { runProbe } from '@chat-gateway/gateway';

// DESIGN.md "Interop bench": "CI runs it against the gateway itself" — every installed dialect's
// probe (its testing module's driver, contract and probe data) passes against the gateway.
const tg = await startTestGateway();

for (const testing of DIALECT_TESTING) {
  test(`${testing.dialect}: the probe passes against the gateway, every check`, async () => {
    assert.ok(testing.probe, `${testing.dialect}'s testing module has no probe data`);
    const reports = await runProbe(testing, { host: '127.0.0.1', port: tg.port(testing.dialect) });
    assert.deepEqual(reports.filter((r) => r.status !== 'pass'), []);
    assert.ok(reports.length >= 15, `${reports.length} checks`);
  });
}

test('the gateway stops', () => tg.stop());
