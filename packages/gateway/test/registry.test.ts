import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeConditions, DialectLoadError, discoverDialects, findDialectPackages, gatewaySearchPaths, importDialectExport, installedDialectNames, loadDialects } from '../src/registry.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MARK = { 'chat-gateway': { dialect: true } };

/** A whole dialect as plain JS: what a package's main entry exports. */
const dialectSource = (name: string, omit = '') =>
  `export const dialect = { name: ${JSON.stringify(name)}, defaultPort: 4000, optionsSchema: {}, defaultOptions: {}, ` +
  ['createFramer', 'createSession', 'describe'].filter((f) => f !== omit).map((f) => `${f}() {}`).join(', ') +
  ' };\n';

type Files = Record<string, string>;

/** Writes packages into fresh node_modules folders: `{ 'a/node_modules/@chat-gateway/x/package.json': ... }`. */
async function tree(t: { after(fn: () => Promise<void>): void }, files: Files): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'cgw-registry-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** One package's files: its package.json (type module, the given fields) and its entry. */
function pkg(dir: string, manifest: Record<string, unknown>, entry = dialectSource('toy')): Files {
  return { [`${dir}/package.json`]: JSON.stringify({ type: 'module', ...manifest }), [`${dir}/index.js`]: entry };
}

test('the installed dialects are exactly the marked packages under packages/, sorted by dialect name', async () => {
  const marked = (await readdir(join(REPO, 'packages')))
    .map((dir) => ({ dir: join(REPO, 'packages', dir), manifest: JSON.parse(readFileSync(join(REPO, 'packages', dir, 'package.json'), 'utf8')) as Record<string, any> }))
    .filter((p) => p.manifest['chat-gateway']?.dialect !== undefined);
  assert.ok(marked.length >= 4, 'the four dialects the project started with, at least');
  const found = await findDialectPackages();
  assert.deepEqual(found.map((p) => [p.name, p.dir]), marked.map((p) => [p.manifest.name, p.dir]).sort());
  const names = [...(await discoverDialects()).keys()];
  assert.deepEqual(names, [...names].sort());
  assert.equal(names.length, marked.length);
  // Each names its dialect in its manifest (imported only when a listener uses it), and names it right.
  assert.deepEqual(marked.map((p) => p.manifest['chat-gateway'].dialect).sort(), names);
  assert.deepEqual(await installedDialectNames(), names);
  assert.equal((await discoverDialects()).get(names[0]!), (await loadDialects([names[0]!])).get(names[0]!), 'imported once, then cached');
  assert.ok(gatewaySearchPaths().includes(join(REPO, 'node_modules')));
});

test('only marked packages named @chat-gateway/* or chat-gateway-dialect-* count; nearer ones hide farther ones', async (t) => {
  const root = await tree(t, {
    ...pkg('near/node_modules/@chat-gateway/one', { name: '@chat-gateway/one', ...MARK }, dialectSource('one')),
    ...pkg('near/node_modules/chat-gateway-dialect-two', { name: 'chat-gateway-dialect-two', ...MARK }, dialectSource('two')),
    ...pkg('near/node_modules/@chat-gateway/helper', { name: '@chat-gateway/helper' }),
    ...pkg('near/node_modules/@chat-gateway/off', { name: '@chat-gateway/off', 'chat-gateway': { dialect: false } }),
    ...pkg('near/node_modules/some-dialect', { name: 'some-dialect', ...MARK }),
    ...pkg('far/node_modules/@chat-gateway/one', { name: '@chat-gateway/one', ...MARK }, dialectSource('shadowed')),
    ...pkg('far/node_modules/@chat-gateway/three', { name: '@chat-gateway/three', ...MARK, exports: { '.': { import: './index.js' } } }, dialectSource('three')),
  });
  const paths = [join(root, 'near/node_modules'), join(root, 'missing/node_modules'), join(root, 'far/node_modules')];
  const found = await findDialectPackages({ paths });
  assert.deepEqual(found.map((p) => p.name), ['@chat-gateway/one', '@chat-gateway/three', 'chat-gateway-dialect-two']);
  assert.equal(found[0]!.dir, join(root, 'near/node_modules/@chat-gateway/one'));
  assert.deepEqual([...(await discoverDialects({ paths })).keys()], ['one', 'three', 'two']);
});

test('a dialect export missing a part is refused, naming the package and the part', async (t) => {
  const root = await tree(t, pkg('nm/@chat-gateway/broken', { name: '@chat-gateway/broken', ...MARK }, dialectSource('broken', 'createSession')));
  await assert.rejects(discoverDialects({ paths: [join(root, 'nm')] }), (err: unknown) => {
    assert.ok(err instanceof DialectLoadError);
    assert.equal(err.message, '@chat-gateway/broken: its `dialect` export is not a Dialect: createSession must be a function');
    return true;
  });
});

test('a marked package without a dialect export, or one that does not import, is refused by name', async (t) => {
  const root = await tree(t, {
    ...pkg('a/@chat-gateway/empty', { name: '@chat-gateway/empty', ...MARK }, 'export const other = 1;\n'),
    ...pkg('b/@chat-gateway/throws', { name: '@chat-gateway/throws', ...MARK }, 'throw new Error("boom");\n'),
  });
  await assert.rejects(discoverDialects({ paths: [join(root, 'a')] }), /^DialectLoadError: @chat-gateway\/empty: its main entry must export `dialect`/);
  await assert.rejects(discoverDialects({ paths: [join(root, 'b')] }), /^DialectLoadError: @chat-gateway\/throws: cannot import its main entry \(index\.js\): boom/);
});

test('two packages with one dialect name is an error naming both', async (t) => {
  const root = await tree(t, {
    ...pkg('nm/@chat-gateway/first', { name: '@chat-gateway/first', ...MARK }, dialectSource('same')),
    ...pkg('nm/chat-gateway-dialect-second', { name: 'chat-gateway-dialect-second', ...MARK }, dialectSource('same')),
  });
  await assert.rejects(
    discoverDialects({ paths: [join(root, 'nm')] }),
    new DialectLoadError('dialect name "same" is taken twice: by @chat-gateway/first and by chat-gateway-dialect-second; rename one'),
  );
});

test('a dialect name must be usable as a listener name', async (t) => {
  const root = await tree(t, pkg('nm/@chat-gateway/spaced', { name: '@chat-gateway/spaced', ...MARK }, dialectSource('has space')));
  await assert.rejects(discoverDialects({ paths: [join(root, 'nm')] }), /name must be 1-64 characters of A-Z a-z 0-9 _ -, got "has space"/);
});

test('subpath exports are imported through the package.json exports map, conditions included', async (t) => {
  const root = await tree(t, {
    ...pkg('nm/@chat-gateway/sub', { name: '@chat-gateway/sub', ...MARK, exports: { '.': './index.js', './testing': { import: './testing.js' } } }),
    'nm/@chat-gateway/sub/testing.js': 'export const testing = "here";\n',
  });
  const [found] = await findDialectPackages({ paths: [join(root, 'nm')] });
  assert.equal((await importDialectExport(found!, './testing'))?.testing, 'here');
  assert.equal(await importDialectExport(found!, './missing'), undefined);
});

test('conditions are matched as Node does: the first active key in the exports object\'s order wins', async (t) => {
  // npm test runs with --conditions=source (the TypeScript); production with none (dist/, the `default`).
  assert.ok(activeConditions().has('source'), 'the test runner passes --conditions=source on');
  assert.deepEqual([...activeConditions([], '')].sort(), ['default', 'import', 'node']);
  assert.ok(activeConditions(['-C', 'a'], '--conditions=b --conditions c').has('a'));
  assert.ok(activeConditions(['-C', 'a'], '--conditions=b --conditions c').has('b'));
  assert.ok(activeConditions(['-C', 'a'], '--conditions=b --conditions c').has('c'));
  const root = await tree(t, {
    ...pkg('nm/@chat-gateway/cond', { name: '@chat-gateway/cond', ...MARK, exports: { '.': './index.js', './which': { other: './other.js', source: './source.js', default: './default.js' } } }),
    'nm/@chat-gateway/cond/source.js': 'export const which = "source";\n',
    'nm/@chat-gateway/cond/default.js': 'export const which = "default";\n',
  });
  const [found] = await findDialectPackages({ paths: [join(root, 'nm')] });
  assert.equal((await importDialectExport(found!, './which'))?.which, 'source', 'an inactive condition (other) is skipped; source comes before default');
});

test('the search stops at the project\'s own node_modules: nothing installed further up is served', () => {
  const paths = gatewaySearchPaths();
  assert.equal(paths.at(-1), join(REPO, 'node_modules'));
  assert.ok(paths.every((p) => p.startsWith(REPO)), JSON.stringify(paths));
});

const named = (name: string) => ({ 'chat-gateway': { dialect: name } });

// Issue #16: a gateway holds the code of the dialects it serves, not of every one installed.
test('a dialect named in its manifest is imported only when its name is asked for', async (t) => {
  const root = await tree(t, {
    ...pkg('nm/@chat-gateway/used', { name: '@chat-gateway/used', ...named('used') }, dialectSource('used')),
    ...pkg('nm/@chat-gateway/unused', { name: '@chat-gateway/unused', ...named('unused') }, 'throw new Error("imported");\n'),
    ...pkg('nm/@chat-gateway/old', { name: '@chat-gateway/old', ...MARK }, dialectSource('old')),
  });
  const paths = [join(root, 'nm')];
  assert.deepEqual(await installedDialectNames({ paths }), ['old', 'unused', 'used'], 'names from manifests, `true` imported');
  assert.deepEqual([...(await loadDialects(['used', 'nowhere'], { paths })).keys()], ['used'], 'unused never imported, an unknown name left out');
  assert.deepEqual([...(await loadDialects(['old'], { paths })).keys()], ['old']);
  await assert.rejects(loadDialects(['unused'], { paths }), /^DialectLoadError: @chat-gateway\/unused: cannot import its main entry \(index\.js\): imported/);
});

test('a manifest that names another dialect than its export, or no usable name, is refused by name', async (t) => {
  const root = await tree(t, {
    ...pkg('a/@chat-gateway/liar', { name: '@chat-gateway/liar', ...named('alpha') }, dialectSource('beta')),
    ...pkg('b/@chat-gateway/spaced', { name: '@chat-gateway/spaced', ...named('has space') }, dialectSource('x')),
    ...pkg('c/@chat-gateway/first', { name: '@chat-gateway/first', ...named('same') }, 'throw new Error("imported");\n'),
    ...pkg('c/@chat-gateway/second', { name: '@chat-gateway/second', ...named('same') }, 'throw new Error("imported");\n'),
  });
  await assert.rejects(
    loadDialects(['alpha'], { paths: [join(root, 'a')] }),
    new DialectLoadError('@chat-gateway/liar: its package.json names the dialect "alpha" but it exports "beta"; make them one'),
  );
  await assert.rejects(installedDialectNames({ paths: [join(root, 'b')] }), /@chat-gateway\/spaced: "chat-gateway": \{ "dialect": \.\.\. \} in its package.json must be true or the dialect's name .*, got "has space"/);
  await assert.rejects(
    installedDialectNames({ paths: [join(root, 'c')] }),
    new DialectLoadError('dialect name "same" is taken twice: by @chat-gateway/first and by @chat-gateway/second; rename one'),
    'refused before either is imported',
  );
});
