import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, formatIssues } from '../src/config/load.js';
import { checkAddresses, localAddresses } from '../src/config/addresses.js';
import { closest } from '../src/config/suggest.js';
import { DIALECTS, WS2017, expectIssue, issues, one, parse } from './config-helpers.js';
import { fakeDialect } from './fake-dialects.js';

describe('errors name the key path and the fix', () => {
  test('unknown top-level key', () => {
    expectIssue(one({}, { logg: {} }), 'logg', 'unknown key `logg`; did you mean `log`? allowed: node, cluster, backend, log, trace, bots, admin, names, rooms, limits, shutdown, listeners');
  });

  test('log.trace of a 0.1.0 file says where the trace went', () => {
    expectIssue(one({}, { log: { trace: true } }), 'log.trace', /^moved: the interop trace is its own section now, `trace: \{ enabled: true \}`/);
  });

  test('a node timeout no longer than the heartbeat', () => {
    expectIssue(one({}, { cluster: { heartbeatMs: 2000, nodeTimeoutMs: 2000 } }), 'cluster.nodeTimeoutMs', 'must be greater than cluster.heartbeatMs (2000); three heartbeats (6000) is a good value');
  });

  test('unknown key in a listener', () => {
    expectIssue(one({ prot: 1 }), 'listeners[0].prot', 'unknown key `prot`; did you mean `port`? allowed: name, dialect, host, port, transport, path, cert, key, page, options');
  });

  test('unknown key nested two levels down', () => {
    expectIssue(one({}, { limits: { flood: { burts: 3 } } }), 'limits.flood.burts', 'unknown key `burts`; did you mean `burst`? allowed: enabled, burst, ratePerSec, decompressedBytesPerToken');
  });

  test('wrong type', () => {
    expectIssue(one({}, { limits: { lineMax: 'big' } }), 'limits.lineMax', 'must be an integer between 64 and 16777216, got "big"');
    expectIssue(one({}, { admin: { enabled: 'yes' } }), 'admin.enabled', 'must be true or false, got "yes"');
    expectIssue(one({}, { rooms: { default: 'general' } }), 'rooms.default', /^must be a list \(each a room name\), got "general"$/);
    expectIssue(one({}, { log: { pretty: 'maybe' } }), 'log.pretty', 'must be one of "auto", true, false, got "maybe"');
    expectIssue({ listeners: {} }, 'listeners', /^must be a list/);
  });

  test('port out of range, negative or fractional', () => {
    for (const port of [70000, -1, 1.5, '1030']) {
      expectIssue(one({ port }), 'listeners[0].port', `must be an integer between 0 and 65535, got ${JSON.stringify(port)}`);
    }
  });

  test('missing required keys', () => {
    expectIssue({ listeners: [{ dialect: 'psu' }] }, 'listeners[0].port', 'missing required key `port`: must be an integer between 0 and 65535');
    expectIssue({}, 'listeners', /^missing required key `listeners`/);
    expectIssue({ listeners: [] }, 'listeners', 'must list at least 1 item');
  });

  test('unknown dialect lists the installed ones', () => {
    expectIssue(one({ dialect: 'nosuch' }), 'listeners[0].dialect', `unknown dialect "nosuch"; must be one of the installed dialects: ${[...DIALECTS.keys()].join(', ')}`);
  });

  test('unknown dialect option lists the dialect’s options', () => {
    expectIssue(one({ options: { lineEndng: 'cr' } }), 'listeners[0].options.lineEndng', `unknown key \`lineEndng\`; did you mean \`lineEnding\`? allowed: ${Object.keys(WS2017.optionsSchema).join(', ')}`);
    assert.ok('lineEnding' in WS2017.optionsSchema);
  });

  test('an option on a dialect that has none', () => {
    // Every real dialect takes options, so this needs a toy one that takes none.
    const dialects = new Map([...DIALECTS, ['bare', fakeDialect('bare', 4000)]]);
    expectIssue({ listeners: [{ dialect: 'bare', port: 4000, options: { x: 1 } }] }, 'listeners[0].options.x', 'unknown key `x`; dialect bare takes no options', {}, dialects);
  });

  test('bad option value', () => {
    expectIssue(one({ options: { lineEnding: 'crcr' } }), 'listeners[0].options.lineEnding', 'must be one of "crlf", "cr", "lf", got "crcr"');
  });

  test('duplicate explicit listener names', () => {
    const input = { listeners: [{ name: 'chat', dialect: 'psu', port: 1 }, { name: 'chat', dialect: 'sup', port: 2 }] };
    expectIssue(input, 'listeners[1].name', 'duplicate listener name `chat`, also used by listeners[0]; give each listener its own `name`');
  });

  test('duplicate derived names (one dialect twice on port 0)', () => {
    const input = { listeners: [{ dialect: 'psu', port: 0 }, { dialect: 'psu', port: 0 }] };
    expectIssue(input, 'listeners[1].name', /^duplicate listener name `psu-0` \(derived from dialect and port\).*give each listener its own `name`$/);
  });

  test('names that map to one environment variable', () => {
    const input = { listeners: [{ name: 'a-b', dialect: 'psu', port: 1 }, { name: 'a_b', dialect: 'sup', port: 2 }] };
    expectIssue(input, 'listeners[1].name', 'listener names `a-b` and `a_b` both map to CHAT_GATEWAY_PORT_A_B; rename one');
  });

  test('a listener name that cannot be an environment variable', () => {
    expectIssue(one({ name: 'ws 2017' }), 'listeners[0].name', /^must be 1-64 characters of A-Z a-z 0-9 _ -/);
  });

  test('two sockets on one port', () => {
    expectIssue({ listeners: [{ dialect: 'psu', port: 4000 }, { dialect: 'sup', port: 4000 }] }, 'listeners[1].port', 'port 4000 is already used by listener `psu`; pick another port');
    expectIssue(one({ port: 8080 }), 'admin.port', 'port 8080 is already used by listener `ws2017`; pick another port');
  });

  test('a disabled admin server and different addresses do not collide', () => {
    parse(one({ port: 8080 }, { admin: { enabled: false } }));
    parse({ listeners: [{ dialect: 'psu', host: '127.0.0.1', port: 4000 }, { dialect: 'sup', host: '127.0.0.2', port: 4000 }] });
  });

  test('name patterns must compile and default rooms must obey the room policy', () => {
    expectIssue(one({}, { names: { nickPattern: '([a-z' } }), 'names.nickPattern', /^must be a valid regular expression/);
    expectIssue(one({}, { rooms: { default: ['general', 'bad room'] } }), 'rooms.default[1]', /^"bad room" is not a valid room name: must match/);
  });

  test('every problem is reported at once', () => {
    const found = issues({ logg: 1, admin: { port: 99999 }, listeners: [{ dialect: 'nosuch', port: 1 }, { dialect: 'psu', port: -5 }] });
    assert.deepEqual(found.map((i) => i.path).sort(), ['admin.port', 'listeners[0].dialect', 'listeners[1].port', 'logg']);
  });

  test('YAML syntax errors name the line', () => {
    expectIssue('listeners:\n  - dialect: psu\n    port: [1\n', 'line 4, column 1', /^YAML syntax: /);
  });

  test('a duplicate YAML key is an error, not a silent override', () => {
    expectIssue('listeners:\n  - dialect: psu\n    port: 1\n    port: 2\n', 'line 4, column 5', /^YAML syntax: .*unique/i);
  });

  test('a YAML error says its position once, then shows the line (and the one before) with a caret', () => {
    const [dup] = issues('listeners:\n  - dialect: psu\n    port: 1\n    port: 2\n');
    assert.equal(dup!.message, 'YAML syntax: Map keys must be unique');
    assert.deepEqual(dup!.excerpt, ['    port: 1', '    port: 2', '    ^']);
    assert.deepEqual(formatIssues([dup!]), ['line 4, column 5: YAML syntax: Map keys must be unique', '        port: 1', '        port: 2', '        ^']);
    // A tab shows as one visible column, so the caret stays under it.
    const [tab] = issues('listeners:\n\t- dialect: psu\n');
    assert.equal(tab!.path, 'line 2, column 1');
    assert.deepEqual(tab!.excerpt, ['listeners:', '→- dialect: psu', '^']);
    // A long line is shown around the column.
    const long = `listeners: [{ dialect: psu, port: 1, options: { greeting: "${'x'.repeat(200)}" } }] ]\n`;
    const [far] = issues(long);
    const { col } = /column (?<col>\d+)/.exec(far!.path)!.groups as { col: string };
    const [line, caret] = far!.excerpt!;
    assert.ok(line!.length <= 100, 'cut to the excerpt width');
    assert.equal(line![caret!.indexOf('^')], long[Number(col) - 1], 'the caret is under the offending character');
  });

  test('an unknown dialect or key close to a real one gets a "did you mean"; a far one does not', () => {
    expectIssue(one({ dialect: 'ws2071' }), 'listeners[0].dialect', `unknown dialect "ws2071"; did you mean \`ws2017\`? must be one of the installed dialects: ${[...DIALECTS.keys()].join(', ')}`);
    expectIssue(one({ Port: 1 }), 'listeners[0].Port', /^unknown key `Port`; did you mean `port`\? allowed:/);
    expectIssue(one({ colour: 1 }), 'listeners[0].colour', 'unknown key `colour`; allowed: name, dialect, host, port, transport, path, cert, key, page, options');
    assert.equal(closest('lstn', ['listeners', 'log']), undefined, 'too far from both');
    assert.equal(closest('listener', ['listeners', 'log']), 'listeners');
    assert.equal(closest('ab', ['cd']), undefined, 'never a rewrite of the whole word');
  });

  test('an empty file says what is needed', () => {
    expectIssue('', '(root)', /must be a mapping with at least `listeners`/);
    expectIssue('- a\n- b\n', '(root)', 'must be a mapping (key: value), got ["a","b"]');
  });

  test('ConfigError.message lists every issue on its own line', () => {
    try {
      parse({ listeners: [{ dialect: 'psu', port: -1 }, { dialect: 'nosuch', port: 1 }] });
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^invalid config <input>:\n {2}listeners\[0\]\.port: .*\n {2}listeners\[1\]\.dialect: /);
    }
  });
});

describe('addresses: every host must be one this machine can bind', () => {
  // Documentation ranges (RFC 5737): no traffic goes there, and one of them is not this machine's.
  const foreign = ['198.51.100.7', '203.0.113.7', '192.0.2.7'].find((a) => !localAddresses().includes(a))!;
  const at = (host: string, admin: Record<string, unknown> = { enabled: false }) => parse(one({ host }, { admin }));

  test('a host that does not resolve, or resolves elsewhere, is named with the addresses that would work', async () => {
    const [bogus] = await checkAddresses(at('999.1.1.1'));
    assert.equal(bogus!.path, 'listeners[0].host');
    assert.match(bogus!.message, /^"999\.1\.1\.1" is not an IPv4 address \(four numbers 0-255\) and does not resolve \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\); use one of this machine's addresses \(127\.0\.0\.1\b.*\), 0\.0\.0\.0 for all of them/);
    const [unknown] = await checkAddresses(at('no-such-host.invalid'));
    assert.match(unknown!.message, /^"no-such-host\.invalid" does not resolve \(\w+\); use one of/);
    const [elsewhere] = await checkAddresses(at(foreign));
    assert.match(elsewhere!.message, new RegExp(`^${foreign.replace(/\./g, '\\.')} is not an address of this machine \\(EADDRNOTAVAIL\\); use one of`));
  });

  test('local addresses, localhost and the wildcard pass; the admin host is checked only when the admin server is on', async () => {
    for (const host of ['127.0.0.1', 'localhost', '0.0.0.0']) assert.deepEqual(await checkAddresses(at(host)), [], host);
    assert.deepEqual(await checkAddresses(at('127.0.0.1', { enabled: true, host: foreign, port: 0 })).then((i) => i.map((x) => x.path)), ['admin.host']);
    assert.deepEqual(await checkAddresses(at('127.0.0.1', { enabled: false, host: foreign })), []);
  });
});
