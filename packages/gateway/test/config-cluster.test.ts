import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ConfigError, NODE_ID_PATTERN, parseConfig, type ConfigOverrides } from '../src/config/load.js';
import { discoverDialects } from '../src/registry.js';
import { REPO, runCli } from './run-cli.js';

// One config file for every node of a cluster (config/cluster.yaml, docker-compose.yml profile
// `cluster`): each process names itself with CHAT_GATEWAY_NODE_ID and may move Redis with
// CHAT_GATEWAY_REDIS_URL (config/README.md "Several nodes").

const dialects = await discoverDialects();
const parse = (node: unknown, o: ConfigOverrides = {}) => parseConfig({ node, listeners: [{ dialect: 'sup', port: 4000 }] }, o, { dialects });

test('CHAT_GATEWAY_NODE_ID names the node over the file; one that is no node id is an error naming it', () => {
  assert.equal(parse({ id: 'file' }, { env: { CHAT_GATEWAY_NODE_ID: ' b ' } }).node.id, 'b');
  assert.equal(parse({}, { env: { CHAT_GATEWAY_NODE_ID: '' } }).node.id, undefined, 'empty counts as unset');
  assert.throws(
    () => parse({}, { env: { CHAT_GATEWAY_NODE_ID: 'node one' } }),
    (err: unknown) =>
      err instanceof ConfigError && err.errors.length === 1 && err.errors[0]!.path === 'CHAT_GATEWAY_NODE_ID' && err.errors[0]!.message === 'must be 1-32 characters of A-Z a-z 0-9 _ . -, got "node one"',
  );
});

test("the variable takes what the schema's node.id takes", async () => {
  const schema = JSON.parse(await readFile(`${REPO}config/gateway.schema.json`, 'utf8')) as { properties: { node: { properties: { id: { pattern: string } } } } };
  assert.equal(NODE_ID_PATTERN.source, schema.properties.node.properties.id.pattern);
});

test('config/cluster.yaml is valid as each compose node runs it, and as the README runs it without Docker', async () => {
  const ports = 'ws2017 (ws2017) 0.0.0.0:1030, psu (psu) 0.0.0.0:23456, sup (sup) 0.0.0.0:3000, chatmaster (chatmaster) 0.0.0.0:9000, irc (irc) 0.0.0.0:6667';
  // In the container the image's CHAT_GATEWAY_ADMIN_HOST (Dockerfile) binds the admin to its interfaces.
  const compose = await runCli(['check-config', 'config/cluster.yaml'], { CHAT_GATEWAY_NODE_ID: 'a', CHAT_GATEWAY_ADMIN_HOST: '0.0.0.0' });
  assert.equal(compose.stderr, '');
  assert.equal(compose.stdout, `ok: 5 listeners: ${ports}; admin 0.0.0.0:8080; backend redis redis://redis:6379 prefix chat-gateway:; node a; bots: echo\n`);
  const local = await runCli(['check-config', 'config/cluster.yaml', '--admin-port', '18081', '--port', 'sup=13001'], { CHAT_GATEWAY_NODE_ID: 'n2', CHAT_GATEWAY_REDIS_URL: 'redis://127.0.0.1:6380' });
  assert.equal(local.stderr, '');
  assert.match(local.stdout, /sup \(sup\) 0\.0\.0\.0:13001, .*; admin 127\.0\.0\.1:18081; backend redis redis:\/\/127\.0\.0\.1:6380 prefix chat-gateway:; node n2; bots: echo\n$/);
});

// The two-node commands the READMEs give (found starting them: a listener they did not move kept its
// default port on both nodes, and the second node could not bind it).
test('the READMEs\' two-node commands move every listener of config/cluster.yaml, and no two ports meet', async () => {
  const listeners = [...(await readFile(`${REPO}config/cluster.yaml`, 'utf8')).matchAll(/^\s+- \{ dialect: (\w+),/gm)].map((m) => m[1]!);
  assert.ok(listeners.length >= 5, listeners.join(', '));
  for (const doc of ['README.md', 'config/README.md']) {
    const text = await readFile(`${REPO}${doc}`, 'utf8');
    // Each node's command: its continued lines joined, from `CHAT_GATEWAY_NODE_ID=` on.
    const nodes = [...text.replace(/\\\n\s*/g, ' ').matchAll(/^CHAT_GATEWAY_NODE_ID=(\S+) .*npm start -- --config config\/cluster\.yaml(.*)$/gm)];
    assert.equal(nodes.length, 2, `${doc}: two nodes`);
    const used = new Map<string, string>();
    for (const [, node, flags] of nodes) {
      const moved = [...flags!.matchAll(/--port (\w+)=(\d+)/g)].map((m) => [m[1]!, m[2]!] as const);
      assert.deepEqual(moved.map(([l]) => l).sort(), [...listeners].sort(), `${doc}: node ${node} moves every listener`);
      const admin = /--admin-port (\d+)/.exec(flags!)?.[1];
      assert.ok(admin, `${doc}: node ${node} moves the admin port`);
      for (const [what, port] of [...moved, ['admin', admin] as const]) {
        assert.equal(used.get(port), undefined, `${doc}: port ${port} of node ${node}'s ${what} is taken by ${used.get(port)}`);
        used.set(port, `node ${node}'s ${what}`);
      }
    }
  }
});
