import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from '@chat-gateway/core';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { BOTS, DIALECTS, WS2017, expectIssue, one, parse } from './config-helpers.js';
import { fakeDialect } from './fake-dialects.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DEFAULT_YAML = join(REPO, 'config/gateway.yaml');

describe('defaults', () => {
  test('a file with only a listener gets every default of DESIGN.md', () => {
    const cfg = parse({ listeners: [{ dialect: 'ws2017', port: 1030 }] });
    assert.deepEqual(cfg, {
      node: {},
      cluster: { ackTimeoutMs: 2000, heartbeatMs: 2000, nodeTimeoutMs: 6000 },
      backend: { type: 'memory' },
      log: { level: 'info', pretty: 'auto' },
      // DESIGN.md "Interop bench": the trace is off and no bot runs unless the file says so (config/gateway.yaml runs echo).
      trace: { enabled: false, pendingMs: 1000, format: 'auto', filters: [] },
      bots: [],
      // DESIGN.md "Security": the admin binds loopback unless told otherwise.
      admin: { enabled: true, host: '127.0.0.1', port: 8080 },
      names: {},
      rooms: { default: ['general'] },
      limits: {
        lineMax: 8192,
        packageMax: 65536,
        decompressedMax: 1048576,
        jsonDepthMax: 32,
        textMax: 4096,
        sendQueueMax: 1048576,
        registrationTimeoutMs: 30000,
        // DESIGN.md "Operating limits": TCP keepalive on every socket.
        tcpKeepaliveMs: 60000,
        maxConnections: 10000,
        maxConnectionsPerIp: 256,
        // DESIGN.md "Operating limits": "charged for decompressed bytes too".
        flood: { enabled: true, burst: 50, ratePerSec: 20, decompressedBytesPerToken: 16384 },
      },
      shutdown: { graceMs: 5000 },
      // A listener's options default to its dialect's own (the dialect's business, not DESIGN.md's).
      listeners: [{ name: 'ws2017', dialect: 'ws2017', host: '0.0.0.0', port: 1030, transport: 'tcp', options: { ...WS2017.defaultOptions } }],
    });
  });

  test('the schema defaults agree with core DEFAULT_LIMITS', () => {
    const cfg = parse(one());
    for (const [k, v] of Object.entries(DEFAULT_LIMITS)) assert.equal(cfg.limits[k as keyof typeof DEFAULT_LIMITS], v, k);
  });

  test('given values are kept; absent siblings still get defaults', () => {
    const cfg = parse(one({}, { limits: { lineMax: 100, flood: { burst: 5 } }, log: { pretty: false } }));
    assert.equal(cfg.limits.lineMax, 100);
    assert.equal(cfg.limits.textMax, 4096);
    assert.deepEqual(cfg.limits.flood, { enabled: true, burst: 5, ratePerSec: 20, decompressedBytesPerToken: 16384 });
    assert.equal(cfg.log.pretty, false);
    assert.equal(cfg.log.level, 'info');
  });

  test('given dialect options win over the dialect defaults, missing ones are filled', () => {
    const cfg = parse(one({ options: { lineEnding: 'cr' } }));
    assert.deepEqual(cfg.listeners[0]!.options, { ...WS2017.defaultOptions, lineEnding: 'cr' });
    assert.notEqual(WS2017.defaultOptions.lineEnding, 'cr', 'the given option is not the default anyway');
  });

  test('YAML text and a parsed object give the same config', () => {
    const yaml = 'listeners:\n  - dialect: psu\n    port: 23456\n';
    assert.deepEqual(parse(yaml), parse({ listeners: [{ dialect: 'psu', port: 23456 }] }));
  });

  test('the caller’s object is not modified', () => {
    const input = one();
    const before = structuredClone(input);
    parse(input);
    assert.deepEqual(input, before);
  });
});

describe('several listeners of one dialect', () => {
  const yaml = `
listeners:
  - dialect: ws2017
    port: 1030
  - dialect: ws2017
    port: 1031
    options: { lineEnding: cr }
  - dialect: psu
    port: 23456
`;

  test('unnamed listeners of one dialect are named <dialect>-<port>; a lone one keeps the dialect name', () => {
    const cfg = parse(yaml);
    assert.deepEqual(cfg.listeners.map((l) => l.name), ['ws2017-1030', 'ws2017-1031', 'psu']);
    assert.equal(cfg.listeners[0]!.options.lineEnding, 'crlf');
    assert.equal(cfg.listeners[1]!.options.lineEnding, 'cr');
  });

  test('a named second listener leaves the first its dialect name', () => {
    const cfg = parse({ listeners: [{ dialect: 'ws2017', port: 1030 }, { name: 'ws2017-reva', dialect: 'ws2017', port: 1031, options: { lineEnding: 'cr' } }] });
    assert.deepEqual(cfg.listeners.map((l) => l.name), ['ws2017', 'ws2017-reva']);
  });

  test('each listener can be moved by name', () => {
    const cfg = parse(yaml, { ports: ['ws2017-1031=2031'], env: { CHAT_GATEWAY_PORT_WS2017_1030: '2030' } });
    assert.deepEqual(cfg.listeners.map((l) => [l.name, l.port]), [['ws2017-1030', 2030], ['ws2017-1031', 2031], ['psu', 23456]]);
  });
});

describe('overrides', () => {
  const base = { listeners: [{ dialect: 'psu', port: 23456 }, { dialect: 'sup', port: 3000 }], log: { level: 'warn' }, admin: { port: 8081 } };

  test('environment overrides the file', () => {
    const cfg = parse(base, { env: { CHAT_GATEWAY_LOG_LEVEL: 'debug', CHAT_GATEWAY_ADMIN_PORT: '9091', CHAT_GATEWAY_PORT_PSU: '2323' } });
    assert.equal(cfg.log.level, 'debug');
    assert.equal(cfg.admin.port, 9091);
    assert.equal(cfg.listeners[0]!.port, 2323);
    assert.equal(cfg.listeners[1]!.port, 3000);
  });

  test('flags override the environment and the file', () => {
    const env = { CHAT_GATEWAY_LOG_LEVEL: 'debug', CHAT_GATEWAY_ADMIN_PORT: '9091', CHAT_GATEWAY_PORT_PSU: '2323' };
    const cfg = parse(base, { env, logLevel: 'error', adminPort: '9092', ports: ['psu=2424', 'sup=3001'] });
    assert.equal(cfg.log.level, 'error');
    assert.equal(cfg.admin.port, 9092);
    assert.deepEqual(cfg.listeners.map((l) => l.port), [2424, 3001]);
  });

  test('ports can be given as a record', () => {
    const cfg = parse(base, { ports: { sup: 0 } });
    assert.equal(cfg.listeners[1]!.port, 0);
  });

  test('empty environment variables count as unset', () => {
    const cfg = parse(base, { env: { CHAT_GATEWAY_LOG_LEVEL: '', CHAT_GATEWAY_PORT_PSU: ' ' } });
    assert.equal(cfg.log.level, 'warn');
    assert.equal(cfg.listeners[0]!.port, 23456);
  });

  test('--trace turns the trace on, leaving the log level alone; its values are filters that replace the file\'s', () => {
    const on = parse(base, { trace: true, logLevel: 'error' });
    assert.deepEqual([on.trace.enabled, on.log.level, on.trace.filters], [true, 'error', []]);
    const file = { ...base, trace: { filters: ['nick=bob'] } };
    assert.deepEqual(parse(file, { trace: [''] }).trace.filters, ['nick=bob'], 'a bare --trace keeps the file\'s filters');
    assert.deepEqual(parse(file, { trace: ['nick=alice', 'listener=sup'] }).trace.filters, ['nick=alice', 'listener=sup']);
    expectIssue(base, '--trace', 'expected nick=<nick>, ip=<address>, listener=<listener>, got "who=alice"', { trace: ['who=alice'] });
  });

  test('trace filters and bots are checked against the listeners and the installed bots', () => {
    expectIssue({ ...base, trace: { filters: ['listener=nosuch'] } }, 'trace.filters[0]', 'no listener named `nosuch`; listeners: psu, sup');
    expectIssue({ ...base, trace: { filters: ['nick alice'] } }, 'trace.filters[0]', /^must be `nick=<nick>`, `ip=<address>` or `listener=<listener name>`, got "nick alice"$/);
    expectIssue({ ...base, bots: ['echo', 'nosuch'] }, 'bots[1]', `unknown bot "nosuch"; installed bots: ${BOTS.join(', ')}`);
    assert.deepEqual(parse({ ...base, bots: ['echo'] }).bots, ['echo']);
  });

  test('bad override values name their source', () => {
    expectIssue(base, 'CHAT_GATEWAY_ADMIN_PORT', 'must be an integer between 0 and 65535, got "80a"', { env: { CHAT_GATEWAY_ADMIN_PORT: '80a' } });
    expectIssue(base, 'CHAT_GATEWAY_LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent, got "loud"', { env: { CHAT_GATEWAY_LOG_LEVEL: 'loud' } });
    expectIssue(base, '--admin-port', 'must be an integer between 0 and 65535, got "65536"', { adminPort: '65536' });
    expectIssue(base, '--port psu', 'must be an integer between 0 and 65535, got "x"', { ports: ['psu=x'] });
    expectIssue(base, '--log-level', /^must be one of/, { logLevel: 'verbose' });
  });

  test('an override for a listener that does not exist lists the listeners', () => {
    expectIssue(base, '--port nosuch', 'no listener named `nosuch`; listeners: psu, sup', { ports: ['nosuch=1'] });
    expectIssue(base, 'CHAT_GATEWAY_PORT_IRC', /^no listener is named by this variable; listeners: psu, sup \(variables: CHAT_GATEWAY_PORT_PSU, CHAT_GATEWAY_PORT_SUP\)$/, {
      env: { CHAT_GATEWAY_PORT_IRC: '1' },
    });
    expectIssue(base, '--port', 'expected <listener>=<port> (e.g. --port psu=2323), got "psu"', { ports: ['psu'] });
  });

  test('a listener name, variable or log level with a typo gets a suggestion', () => {
    expectIssue(base, '--port pus', 'no listener named `pus`; did you mean `psu`? listeners: psu, sup', { ports: ['pus=1'] });
    expectIssue(base, 'CHAT_GATEWAY_PORT_SUPP', /^no listener is named by this variable; did you mean `CHAT_GATEWAY_PORT_SUP`\? listeners: psu, sup/, { env: { CHAT_GATEWAY_PORT_SUPP: '1' } });
    expectIssue(base, '--log-level', 'must be one of fatal, error, warn, info, debug, trace, silent, got "infoo"; did you mean `info`?', { logLevel: 'infoo' });
  });

  test('an override that makes two sockets collide is caught', () => {
    expectIssue(base, 'listeners[1].port', 'port 23456 is already used by listener `psu`; pick another port', { ports: ['sup=23456'] });
  });

  test('parseConfig reads no environment unless given one', () => {
    process.env.CHAT_GATEWAY_LOG_LEVEL = 'fatal';
    try {
      assert.equal(parse(base).log.level, 'warn');
    } finally {
      delete process.env.CHAT_GATEWAY_LOG_LEVEL;
    }
  });
});

describe('the result', () => {
  test('is deeply frozen', () => {
    const cfg = parse(one({ options: { lineEnding: 'cr' } }));
    assert.ok(Object.isFrozen(cfg));
    assert.ok(Object.isFrozen(cfg.limits.flood));
    assert.ok(Object.isFrozen(cfg.listeners));
    assert.ok(Object.isFrozen(cfg.listeners[0]!.options));
    assert.throws(() => {
      (cfg.listeners[0] as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => {
      (cfg.listeners as unknown[]).push({});
    }, TypeError);
  });

  test('does not freeze or share the dialect’s defaultOptions', () => {
    assert.notEqual(parse(one()).listeners[0]!.options, WS2017.defaultOptions);
    // The real dialects freeze their own defaults; a toy with mutable ones shows the loader leaves them alone.
    const defaults = { mode: 'a' };
    const dialects = new Map([['toy', fakeDialect('toy', 4000, { mode: { type: 'string' } }, defaults)]]);
    const cfg = parse({ listeners: [{ dialect: 'toy', port: 4000 }] }, {}, dialects);
    assert.notEqual(cfg.listeners[0]!.options, defaults);
    assert.deepEqual(cfg.listeners[0]!.options, { mode: 'a' });
    assert.ok(Object.isFrozen(cfg.listeners[0]!.options));
    assert.ok(!Object.isFrozen(defaults));
  });
});

describe('files', () => {
  test('loadConfig reads a file and names it in errors', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'cgw-config-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const good = join(dir, 'good.yaml');
    await writeFile(good, 'listeners:\n  - dialect: sup\n    port: 3000\n');
    const cfg = await loadConfig(good, { env: { CHAT_GATEWAY_PORT_SUP: '3300' } });
    assert.equal(cfg.listeners[0]!.port, 3300);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'listeners:\n  - dialect: sup\n    port: 3000\n    prot: 1\n');
    await assert.rejects(loadConfig(bad, { env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.source, bad);
      assert.equal(err.errors[0]!.path, 'listeners[0].prot');
      return true;
    });
    await assert.rejects(loadConfig(join(dir, 'missing.yaml'), { env: {} }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.errors[0]!.message, /no such file; pass the config file with --config FILE/);
      return true;
    });
  });

  test('the schema names no dialect: the list comes from the installed packages', async () => {
    const schema = configSchema() as { definitions: { listener: { properties: { dialect: Record<string, unknown> } } } };
    assert.equal(schema.definitions.listener.properties.dialect.enum, undefined);
    const text = await readFile(join(REPO, 'config/gateway.schema.json'), 'utf8');
    for (const d of DIALECTS.keys()) assert.doesNotMatch(text, new RegExp(`"${d}"`), `the schema names ${d}`);
    // A toy registry is all a listener may name, and the refusal lists exactly it.
    const toys = new Map([['toy', fakeDialect('toy', 4000)]]);
    expectIssue(one({ dialect: 'psu' }), 'listeners[0].dialect', 'unknown dialect "psu"; must be one of the installed dialects: toy', {}, toys);
    assert.equal(parse({ listeners: [{ dialect: 'toy', port: 4000 }] }, {}, toys).listeners[0]!.dialect, 'toy');
  });

  test('config/gateway.yaml is valid and puts each dialect it lists on its spec port', async () => {
    const cfg = await loadConfig(DEFAULT_YAML, { env: {} });
    // The file is the user's to edit; as shipped it has one TCP listener per installed dialect, named after it, and the browser's listener.
    const tcp = cfg.listeners.filter((l) => l.transport === 'tcp');
    assert.deepEqual(tcp.map((l) => l.name), tcp.map((l) => l.dialect));
    assert.deepEqual(tcp.map((l) => l.dialect).sort(), [...DIALECTS.keys()].sort());
    for (const l of tcp) assert.equal(l.port, DIALECTS.get(l.dialect)!.defaultPort, `${l.name} port`);
    const web = cfg.listeners.find((l) => l.name === 'web')!;
    assert.deepEqual([web.transport, web.port, web.path, web.page], ['websocket', 8081, '/ws', true]);
    assert.deepEqual(cfg.admin, { enabled: true, host: '127.0.0.1', port: 8080 });
    // The file spells out the defaults: it must say what the schema says, but for the bot it turns on (the default is none).
    assert.deepEqual(cfg.bots, ['echo']);
    const { listeners: _a, bots: _c, ...settings } = cfg;
    const { listeners: _b, bots: _d, ...defaults } = parse(one());
    assert.deepEqual(settings, defaults);
  });

  test('the commented-out second WS_2017 listener in config/gateway.yaml is valid once uncommented', async () => {
    const text = await readFile(DEFAULT_YAML, 'utf8');
    const uncommented = text.replace(/^ {2}# (- name: ws2017-reva|  (dialect|port|options|  lineEnding):.*)$/gm, '  $1');
    assert.notEqual(uncommented, text, 'the example is in the file');
    // Against the real ws2017 options schema: `lineEnding: cr` must be one of its options and values.
    const cfg = parse(uncommented);
    const reva = cfg.listeners.find((l) => l.name === 'ws2017-reva');
    assert.ok(reva);
    assert.equal(reva.port, 1031);
    assert.deepEqual(reva.options, { ...WS2017.defaultOptions, lineEnding: 'cr' });
    assert.equal(cfg.listeners[0]!.name, 'ws2017');
    // The check is real: the same block with a value ws2017 does not take is refused.
    assert.throws(() => parse(uncommented.replace(/lineEnding: cr$/m, 'lineEnding: rc')), /listeners\[\d+\]\.options\.lineEnding: must be one of/);
  });
});

describe('config/README.md', () => {
  test('every YAML example in the reference is a valid config', async () => {
    const text = await readFile(join(REPO, 'config/README.md'), 'utf8');
    // But for the one that shows check-config's errors.
    const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => !b.startsWith('# my.yaml: wrong on purpose'));
    assert.ok(blocks.length >= 4, `found ${blocks.length} yaml examples`);
    // Against the real dialects: their option names and values are the truth.
    for (const block of blocks) {
      assert.doesNotThrow(() => parse(block), (err: unknown) => `${String(err)}\nin:\n${block}`);
    }
  });

  test('its table of defaults matches what the loader fills in', async () => {
    const text = await readFile(join(REPO, 'config/README.md'), 'utf8');
    const cfg = parse(one()) as unknown as Record<string, Record<string, unknown>>;
    const rows = [...text.matchAll(/^\| `((?:node|cluster|log|trace|admin|limits|shutdown)\.[\w.]+)` \| `([^`]*)` \|/gm)];
    assert.ok(rows.length >= 20, `found ${rows.length} rows`);
    for (const [, key, shown] of rows) {
      const value = key!.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], cfg);
      assert.equal(Array.isArray(value) ? JSON.stringify(value) : String(value), shown, key);
    }
  });
});
