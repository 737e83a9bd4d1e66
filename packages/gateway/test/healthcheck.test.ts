import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runNode } from './run-cli.js';
import { configFile, serveCli } from './served.js';

// The Dockerfile's HEALTHCHECK script, against a real gateway whose admin port is not the default.
const SCRIPT = fileURLToPath(new URL('../bin/healthcheck.js', import.meta.url));

/** Runs the script; its one line of verdict is on stdout (healthy) or stderr (unhealthy). */
async function check(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const r = await runNode([SCRIPT, ...args], env, 15_000);
  return { code: r.code, out: r.stdout + r.stderr };
}

test('the health check follows the admin port of the config (and CHAT_GATEWAY_ADMIN_PORT), and fails when nothing healthy answers', async (t) => {
  const file = await configFile(t, ['log: { pretty: false }', 'admin: { host: 127.0.0.1, port: 0 }', 'listeners:', '  - { dialect: psu, host: 127.0.0.1, port: 0 }']);
  const served = serveCli(t, file);
  const port = (await served.waitFor('chat-gateway ready')).adminPort as number;
  assert.notEqual(port, 8080);

  // The file the container would mount, naming the port; then the environment overriding the file.
  const named = await configFile(t, [`admin: { host: 0.0.0.0, port: ${port} }`, 'listeners:', '  - { dialect: psu, port: 0 }']);
  assert.deepEqual(await check(['--config', named]), { code: 0, out: `healthy: http://127.0.0.1:${port}/healthz ok\n` });
  assert.deepEqual(await check(['--config', file], { CHAT_GATEWAY_ADMIN_PORT: String(port) }), { code: 0, out: `healthy: http://127.0.0.1:${port}/healthz ok\n` });

  // A server that is not healthy: a gateway shutting down answers 503.
  const draining = http.createServer((_req, res) => res.writeHead(503).end('shutting down'));
  await new Promise<void>((resolve) => draining.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => draining.close(() => resolve())));
  const drainingPort = (draining.address() as AddressInfo).port;
  assert.deepEqual(await check(['--config', named], { CHAT_GATEWAY_ADMIN_PORT: String(drainingPort) }), {
    code: 1,
    out: `unhealthy: http://127.0.0.1:${drainingPort}/healthz answered 503 shutting down\n`,
  });

  const off = await configFile(t, ['admin: { enabled: false }', 'listeners:', '  - { dialect: psu, port: 0 }']);
  const disabled = await check(['--config', off]);
  assert.equal(disabled.code, 1);
  assert.match(disabled.out, /^unhealthy: the admin server is off/);
  const missing = await check(['--config', '/nonexistent/gateway.yaml']);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /^unhealthy: cannot read \/nonexistent\/gateway\.yaml \(ENOENT\)/);
});
