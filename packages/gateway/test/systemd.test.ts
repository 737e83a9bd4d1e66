import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './run-cli.js';

const UNIT = `${REPO}contrib/chat-gateway.service`;
const ANALYZE = '/usr/bin/systemd-analyze';

/** The unit's [Service] (or another section's) settings; a key set twice keeps both values. */
async function section(name: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of (await readFile(UNIT, 'utf8')).split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) current = head[1]!;
    else if (current === name) {
      const [key, ...value] = line.split('=');
      out.set(key!, [...(out.get(key!) ?? []), value.join('=')]);
    }
  }
  return out;
}

test('the systemd unit runs serve with /etc/chat-gateway/gateway.yaml as a dedicated user, hardened, reloading with SIGHUP', async () => {
  const svc = await section('Service');
  const one = (k: string) => svc.get(k)?.[0];
  assert.equal(one('Type'), 'simple');
  assert.match(one('ExecStart') ?? '', /^\/usr\/bin\/node \/opt\/chat-gateway\/packages\/gateway\/bin\/chat-gateway\.js serve --config \/etc\/chat-gateway\/gateway\.yaml$/);
  assert.equal(one('ExecReload'), '/bin/kill -HUP $MAINPID');
  assert.equal(one('Restart'), 'on-failure');
  assert.equal(one('User'), 'chat-gateway');
  for (const [k, v] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes']]) assert.equal(one(k!), v, k);
  // The stop timeout covers the gateway's own bound (shutdown.graceMs 5 s + 2 s).
  assert.ok(Number.parseInt(one('TimeoutStopSec') ?? '0', 10) >= 7);
  assert.equal((await section('Install')).get('WantedBy')?.[0], 'multi-user.target');
});

test('systemd-analyze verify accepts the unit without a warning', { skip: !existsSync(ANALYZE) && `${ANALYZE} is not installed here (Debian: the systemd package)` }, async (t) => {
  let unit = UNIT;
  // verify checks that ExecStart's program exists: where node is not /usr/bin/node, check a copy naming this one.
  if (process.execPath !== '/usr/bin/node') {
    const dir = await mkdtemp(join(tmpdir(), 'cgw-unit-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    unit = join(dir, 'chat-gateway.service');
    await writeFile(unit, (await readFile(UNIT, 'utf8')).replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `));
  }
  const r = spawnSync(ANALYZE, ['verify', unit], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  // It exits 0 on unknown keys and bad values too, saying so: any output is a finding.
  assert.equal(`${r.stdout}${r.stderr}`, '');
});
