import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { findDialectPackages, importDialectExport, type DialectPackage } from '@chat-gateway/gateway';
import { DIALECT_TESTING } from '@chat-gateway/testkit';

// DESIGN.md "Shape": a dialect is one package. It may lean on core and on its own dependencies, never
// on another dialect; and nothing outside the dialect packages may name one, so that adding a
// dialect needs no edit anywhere else.
const REPO = fileURLToPath(new URL('../', import.meta.url));
const PACKAGES = await findDialectPackages();
const NAMES = new Map<DialectPackage, string>();
for (const pkg of PACKAGES) NAMES.set(pkg, ((await importDialectExport(pkg))!.dialect as { name: string }).name);
const DIALECT_NAMES = [...NAMES.values()];
const BUILTINS = new Set(builtinModules);

/** Every .ts file below a folder (none when it does not exist). */
function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => f.endsWith('.ts') && statSync(f).isFile());
}

/** What a file imports: static imports and re-exports, side-effect imports, import() with a literal, as TypeScript reads them. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

/** Dialect names the file spells out as a string literal (in any quotes), other than its own. */
function dialectNamesIn(file: string, own?: string): string[] {
  const text = readFileSync(file, 'utf8');
  return DIALECT_NAMES.filter((n) => n !== own && new RegExp(`(['"\`])${n}\\1`).test(text));
}

/** The package an import names (`@scope/name` or `name`), or undefined for node: and relative imports. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith('node:') || spec.startsWith('.')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

type Folder = 'src' | 'testing' | 'test';

/** Why an import in a dialect package's folder is not allowed; undefined when it is. */
function violation(pkg: DialectPackage, folder: Folder, file: string, spec: string): string | undefined {
  if (spec.startsWith('node:')) return undefined;
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    if (!(target + sep).startsWith(pkg.dir + sep)) return 'reaches outside its package';
    const into = relative(pkg.dir, target).split(sep)[0];
    if (folder === 'src' && (into === 'testing' || into === 'test')) return `production code imports its ${into}/ folder`;
    return undefined;
  }
  const name = packageOf(spec)!;
  if (BUILTINS.has(spec) || BUILTINS.has(name)) return `a Node builtin: import it as node:${spec}`;
  if (name === '@chat-gateway/core') return folder === 'src' && spec !== name && spec.startsWith(`${name}/testing`) ? 'production code imports core/testing' : undefined;
  if (PACKAGES.some((p) => p.name === name && p !== pkg)) return 'another dialect package';
  // testing/ is compiled on its own (the probe and the terminal client run it), so it reaches src/ through the package's exports.
  if (name === pkg.name) return folder === 'src' ? 'imports its own package by name (use a relative import)' : undefined;
  if (name === '@chat-gateway/testkit') return folder === 'test' ? undefined : 'testkit is for tests/ only';
  if (name.startsWith('@chat-gateway/') || name.startsWith('chat-gateway-')) return 'a gateway package other than core';
  const deps = (pkg.manifest.dependencies ?? {}) as Record<string, string>;
  if (name in deps) return undefined;
  // Its tests may also use what it declares for development only (a real third-party client, say).
  const dev = (pkg.manifest.devDependencies ?? {}) as Record<string, string>;
  if (folder === 'test' && name in dev) return undefined;
  return `${name} is not in ${pkg.name}'s ${folder === 'test' ? 'dependencies or devDependencies' : 'dependencies'}`;
}

describe('import boundaries of every dialect package', () => {
  test('the dialect packages are found, and there are several', () => {
    assert.ok(PACKAGES.length >= 2, PACKAGES.map((p) => p.name).join(', '));
  });

  test('the rules refuse what they must', () => {
    const [pkg, other] = PACKAGES as [DialectPackage, DialectPackage];
    const file = join(pkg.dir, 'src', 'index.ts');
    const testFile = join(pkg.dir, 'test', 'x.test.ts');
    assert.equal(violation(pkg, 'test', testFile, other.name), 'another dialect package');
    assert.equal(violation(pkg, 'testing', file, `${other.name}/testing`), 'another dialect package');
    assert.equal(violation(pkg, 'src', file, '../../gateway/src/index.js'), 'reaches outside its package');
    assert.equal(violation(pkg, 'src', file, '../testing/index.js'), 'production code imports its testing/ folder');
    assert.equal(violation(pkg, 'src', file, '@chat-gateway/core/testing'), 'production code imports core/testing');
    assert.equal(violation(pkg, 'src', file, '@chat-gateway/testkit'), 'testkit is for tests/ only');
    assert.equal(violation(pkg, 'src', file, '@chat-gateway/gateway'), 'a gateway package other than core');
    assert.equal(violation(pkg, 'src', file, 'zlib'), 'a Node builtin: import it as node:zlib');
    assert.equal(violation(pkg, 'src', file, 'left-pad'), `left-pad is not in ${pkg.name}'s dependencies`);
    assert.equal(violation(pkg, 'test', testFile, 'left-pad'), `left-pad is not in ${pkg.name}'s dependencies or devDependencies`);
    const withDev: DialectPackage = { ...pkg, manifest: { ...pkg.manifest, devDependencies: { 'left-pad': '1.3.0' } } };
    assert.equal(violation(withDev, 'test', testFile, 'left-pad'), undefined, 'a devDependency in test/');
    assert.equal(violation(withDev, 'src', file, 'left-pad'), `left-pad is not in ${pkg.name}'s dependencies`, 'never in src/');
    assert.equal(violation(withDev, 'testing', join(pkg.dir, 'testing', 'index.ts'), 'left-pad'), `left-pad is not in ${pkg.name}'s dependencies`, 'nor in testing/, which other packages load');
    for (const ok of ['node:net', '@chat-gateway/core', './framer.js']) assert.equal(violation(pkg, 'src', file, ok), undefined, ok);
    assert.equal(violation(pkg, 'testing', join(pkg.dir, 'testing', 'index.ts'), '../src/index.js'), undefined);
    assert.equal(violation(pkg, 'test', testFile, '@chat-gateway/testkit'), undefined);
    assert.deepEqual(dialectNamesIn(fileURLToPath(import.meta.url)), [], 'this file names no dialect either');
  });

  for (const pkg of PACKAGES) {
    const own = NAMES.get(pkg)!;
    test(`${pkg.name}: src/ and testing/ import only core, node:*, their own files and dependencies; test/ also testkit; none names another dialect`, () => {
      const problems: string[] = [];
      for (const folder of ['src', 'testing', 'test'] as const) {
        for (const file of tsFiles(join(pkg.dir, folder))) {
          const where = relative(REPO, file);
          for (const spec of importsOf(file)) {
            const why = violation(pkg, folder, file, spec);
            if (why) problems.push(`${where}: import ${JSON.stringify(spec)}: ${why}`);
          }
          for (const other of dialectNamesIn(file, own)) problems.push(`${where}: names dialect ${JSON.stringify(other)}: a cross-dialect check belongs in test/, written against drivers`);
        }
      }
      assert.deepEqual(problems, []);
    });

    test(`${pkg.name}: exports ./testing for its own dialect, and builds src/ only`, () => {
      assert.ok(DIALECT_TESTING.some((t) => t.dialect === own), `no ./testing module with dialect ${own}: the cross-dialect suites would leave it out`);
      const tsconfig = JSON.parse(readFileSync(join(pkg.dir, 'tsconfig.json'), 'utf8')) as { include: string[] };
      assert.ok(tsconfig.include.every((p) => p.startsWith('src/')), `tsconfig include ${JSON.stringify(tsconfig.include)}: testing/ must stay out of the build`);
    });
  }
});

describe('nothing outside the dialect packages names one', () => {
  const dialectPackage = (spec: string) => PACKAGES.some((p) => p.name === packageOf(spec)) || /^chat-gateway-dialect-/.test(spec);
  // core/test keeps toy dialect names in Hub tests that no dialect package backs.
  const places = ['packages/gateway/src', 'packages/bots/src', 'packages/testkit/src', 'packages/core/src', 'packages/core/testing', 'test', 'bench'];

  for (const place of places) {
    test(`${place}: no import of a dialect package, no dialect name in a string`, () => {
      const problems: string[] = [];
      for (const file of tsFiles(join(REPO, place))) {
        const where = relative(REPO, file);
        for (const spec of importsOf(file)) if (dialectPackage(spec)) problems.push(`${where}: imports ${spec}`);
        if (place !== 'bench') for (const name of dialectNamesIn(file)) problems.push(`${where}: names dialect ${JSON.stringify(name)}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  test('the gateway package depends on no dialect package', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'packages/gateway/package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}).filter(dialectPackage), []);
  });
});
