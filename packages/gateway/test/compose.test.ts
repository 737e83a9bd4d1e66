import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

// No Docker engine runs where tests run: the compose file is checked against the
// Compose Specification's schema instead of `docker compose config`.
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const read = (rel: string) => readFile(`${REPO}${rel}`, 'utf8');
// The cluster profile shares its nodes' settings through a YAML merge key (`<<: *cluster-node`), as compose reads it.
const compose = async () => parse(await read('docker-compose.yml'), { merge: true }) as Compose;

interface Compose {
  services: Record<string, {
    build?: unknown;
    ports?: (string | number | { target: number | string; published?: number | string })[];
    volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
    healthcheck?: { test?: string | string[] };
    logging?: { driver?: string; options?: Record<string, string> };
    restart?: string;
    profiles?: string[];
    image?: string;
    command?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition?: string }>;
  }>;
}

/** [published, target] pairs from compose's short (`[IP:]HOST:CONTAINER[/PROTO]`) and long port syntax. */
function portPairs(ports: NonNullable<Compose['services'][string]['ports']>): [number, number][] {
  return ports.map((p) => {
    if (typeof p === 'object') return [Number(p.published ?? p.target), Number(p.target)];
    const parts = String(p).replace(/\/\w+$/, '').split(':');
    const target = Number(parts.at(-1));
    return [parts.length > 1 ? Number(parts.at(-2)) : target, target];
  });
}

const byNumber = (a: number, b: number) => a - b;

async function defaults(): Promise<{ listenerPorts: number[]; adminPort: number }> {
  const cfg = parse(await read('config/gateway.yaml')) as { listeners: { port: number }[]; admin?: { port?: number } };
  return { listenerPorts: cfg.listeners.map((l) => l.port), adminPort: cfg.admin?.port ?? 8080 };
}

test('docker-compose.yml is valid against the Compose Specification schema', async () => {
  const schema = JSON.parse(await read('test/fixtures/compose-spec.json')) as Record<string, unknown>;
  // The spec names its meta-schema with https://, which ajv does not ship under that id; it is plain draft-07.
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  const doc = (await compose()) as unknown;
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  // And the schema does reject a broken file, so the check above means something.
  assert.equal(validate({ services: { gateway: { ports: 'not-a-list' } } }), false);
});

test('the gateway service publishes every listener port of config/gateway.yaml and the admin port', async () => {
  const svc = (await compose()).services.gateway;
  assert.ok(svc, 'service `gateway`');
  assert.equal(svc.build, '.');
  assert.equal(svc.restart, 'unless-stopped');
  const pairs = portPairs(svc.ports ?? []);
  const { listenerPorts, adminPort } = await defaults();
  assert.deepEqual([...listenerPorts].sort((a, b) => a - b), [1030, 3000, 6667, 8081, 9000, 23456]);
  for (const port of [...listenerPorts, adminPort]) {
    assert.ok(pairs.some(([pub, target]) => pub === port && target === port), `port ${port} is published as ${port}:${port}`);
  }
  // DESIGN.md "Security": the admin port is published on the host's loopback only, and the image binds it inside.
  assert.ok((svc.ports ?? []).includes(`127.0.0.1:${adminPort}:${adminPort}`), 'admin published on 127.0.0.1 only');
  assert.match(await read('Dockerfile'), /^ENV CHAT_GATEWAY_ADMIN_HOST=0\.0\.0\.0$/m);
});

test('the service mounts ./config read-only, caps its logs, and keeps the image\'s health check', async () => {
  const svc = (await compose()).services.gateway!;
  assert.ok((svc.volumes ?? []).includes('./config:/app/config:ro'), 'mounts ./config:/app/config:ro');
  assert.deepEqual(svc.logging, { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
  // Not overridden here: the Dockerfile's follows the admin port of the mounted config.
  assert.equal(svc.healthcheck, undefined);
  const dockerfile = await read('Dockerfile');
  const check = /^HEALTHCHECK (.*) CMD (\[.*\])$/m.exec(dockerfile);
  assert.ok(check, 'a HEALTHCHECK in exec form');
  assert.deepEqual(JSON.parse(check[2]!), ['node', 'packages/gateway/bin/healthcheck.js'], 'node, not curl or wget (slim images have neither)');
  assert.match(check[1]!, /--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+/);
  assert.ok(existsSync(`${REPO}packages/gateway/bin/healthcheck.js`));
});

test('the Dockerfile is node:20-slim, runs npm ci, starts what npm start starts, and exposes every port', async () => {
  const dockerfile = await read('Dockerfile');
  assert.match(dockerfile, /^FROM node:20-slim$/m);
  assert.match(dockerfile, /^RUN npm ci\b/m);
  // node must be PID 1 (SIGTERM from `docker stop` reaches the gateway), running the same CLI as `npm start`.
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
  const start = (JSON.parse(await read('package.json')) as { scripts: { start: string } }).scripts.start;
  // Compiled JavaScript, no tsx (DESIGN.md "Operating"): `npm run build` made it in the build stage.
  assert.deepEqual(cmd.slice(0, 2), ['node', 'packages/gateway/dist/bundle/cli.js']);
  // npm start execs the same command in place of npm's shell (packages/gateway/test/launch.test.ts).
  assert.equal(`exec ${cmd.join(' ')}`, start);
  const exposed = new Set((/^EXPOSE (.+)$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).map(Number));
  const { listenerPorts, adminPort } = await defaults();
  for (const port of [...listenerPorts, adminPort]) assert.ok(exposed.has(port), `EXPOSE ${port}`);
});

test('the Dockerfile copies every workspace manifest before npm ci, and names no package', async (t) => {
  const dockerfile = await read('Dockerfile');
  const root = JSON.parse(await read('package.json')) as { workspaces: string[] };
  assert.deepEqual(root.workspaces, ['packages/*'], 'workspaces is a glob: a new package needs no edit here');
  // A package added under packages/ must reach the image with no COPY naming it.
  for (const dir of await readdir(`${REPO}packages`)) assert.doesNotMatch(dockerfile, new RegExp(`^COPY .*packages/${dir}\\b`, 'm'), `a COPY names packages/${dir}`);
  // The manifests stage: the whole packages/ tree, pruned by one command to the package.json files.
  const stage = /^FROM node:20-slim AS (\w+)\n([\s\S]*?)^FROM /m.exec(dockerfile);
  assert.ok(stage, 'a first stage that prepares the manifests');
  const [, name, body] = stage;
  assert.match(body!, /^WORKDIR \/app$/m);
  assert.match(body!, /^COPY packages packages$/m);
  const prune = /^RUN (.+)$/m.exec(body!)?.[1];
  assert.ok(prune, 'the stage prunes the tree');
  // Run the prune on a copy of the real tree: exactly the workspaces' package.json files must be left.
  const dir = await mkdtemp(join(tmpdir(), 'cgw-docker-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(`${REPO}packages`, join(dir, 'packages'), { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  execFileSync('sh', ['-c', prune], { cwd: dir });
  const left = (await readdir(dir, { recursive: true })).filter((p) => statSync(join(dir, p)).isFile());
  const manifests = (await readdir(`${REPO}packages`)).map((p) => `packages/${p}/package.json`).filter((p) => existsSync(`${REPO}${p}`));
  assert.ok(manifests.length >= 5);
  assert.deepEqual(left.sort(), manifests.sort());
  // The final stage takes them before npm ci, and everything else after it.
  const copied = dockerfile.indexOf(`COPY --from=${name} /app/packages packages`);
  const ci = dockerfile.indexOf('RUN npm ci');
  assert.ok(copied > stage.index && copied < ci, 'the manifests are copied from that stage before npm ci');
  assert.ok(dockerfile.indexOf('COPY package.json package-lock.json ./') < ci, 'and the root manifest and lock file');
  assert.ok(dockerfile.indexOf('COPY . .') > ci, 'the sources come after the dependency layer');
});

test('profile cluster: redis with a healthcheck, two gateway nodes on config/cluster.yaml once it is healthy, every port apart', async () => {
  const { services } = await compose();
  const inProfile = Object.keys(services).filter((name) => services[name]!.profiles?.includes('cluster'));
  assert.deepEqual(inProfile.sort(), ['gateway-a', 'gateway-b', 'redis']);
  assert.equal(services.gateway!.profiles, undefined, 'the default service runs without a profile, as before');

  const redis = services.redis!;
  assert.match(redis.image ?? '', /^redis:7(-alpine)?$/);
  assert.deepEqual(redis.healthcheck?.test, ['CMD', 'redis-cli', 'ping']);
  // Without persistence (config/README.md "Several nodes": the nodes re-create what a restart lost).
  assert.deepEqual(redis.command, ['redis-server', '--save', '', '--appendonly', 'no']);

  const cfg = parse(await read('config/cluster.yaml')) as { backend: { type: string; url: string }; listeners: { port: number }[] };
  assert.equal(cfg.backend.type, 'redis');
  assert.equal(cfg.backend.url, 'redis://redis:6379', 'the redis service, by its compose name');
  const { adminPort } = await defaults();
  const nodes = ['gateway-a', 'gateway-b'].map((name) => services[name]!);
  for (const [i, svc] of nodes.entries()) {
    assert.equal(svc.build, '.');
    assert.deepEqual(svc.command?.slice(-3), ['serve', '--config', 'config/cluster.yaml']);
    assert.ok((svc.volumes ?? []).includes('./config:/app/config:ro'));
    assert.deepEqual(svc.depends_on, { redis: { condition: 'service_healthy' } });
    assert.deepEqual(svc.healthcheck, services.gateway!.healthcheck, 'the same /healthz check');
    const targets = portPairs(svc.ports ?? []).map(([, target]) => target);
    assert.deepEqual(targets.sort(byNumber), [...cfg.listeners.map((l) => l.port), adminPort].sort(byNumber), `node ${i}: every listener and the admin port`);
    assert.ok((svc.ports ?? []).includes(`127.0.0.1:${[18080, 28080][i]}:${adminPort}`), 'admin published on this host only');
  }
  assert.notEqual(nodes[0]!.environment?.CHAT_GATEWAY_NODE_ID, nodes[1]!.environment?.CHAT_GATEWAY_NODE_ID, 'distinct node ids');
  assert.ok(nodes.every((n) => n.environment?.CHAT_GATEWAY_NODE_ID), 'each node names itself');
  // All three gateways can run at once: no host port published twice.
  const published = ['gateway', 'gateway-a', 'gateway-b'].flatMap((name) => portPairs(services[name]!.ports ?? []).map(([pub]) => pub));
  assert.equal(new Set(published).size, published.length, `published twice: ${published}`);
});
