import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { REPO } from './run-cli.js';

// No Docker engine runs where tests run: what `docker build` would send is computed from
// .dockerignore with Docker's rules, on the repository's files (git ls-files: tracked and new ones, not what .gitignore leaves out).

interface Rule {
  negate: boolean;
  re: RegExp;
}

/** .dockerignore's rules, in order: Go filepath.Match patterns plus `**`, relative to the context root; `!` re-includes. */
function rules(text: string): Rule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      if (/[[\]\\]/.test(pattern)) throw new Error(`this test does not handle character classes or escapes: ${l}`);
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === '*' && pattern[i + 1] === '*') {
          // `**/` is any number of folders (none included); a trailing `**` anything below.
          re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += pattern[i + 2] === '/' ? 2 : 1;
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|]/g, '\\$&');
      }
      return { negate, re: new RegExp(`^${re}$`) };
    });
}

/** Whether the context leaves `path` out: the last rule matching it or one of its folders decides. */
function ignored(path: string, rs: Rule[]): boolean {
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let out = false;
  for (const r of rs) if (prefixes.some((p) => r.re.test(p))) out = !r.negate;
  return out;
}

test('the build context keeps everything the Dockerfile copies and runs, and leaves out tests, bench, docs, CI and history', async () => {
  const rs = rules(await readFile(`${REPO}.dockerignore`, 'utf8'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean);
  const sent = files.filter((f) => !ignored(f, rs));
  const has = (path: string) => sent.some((f) => f === path || f.startsWith(`${path}/`));

  // Every COPY source from the context (not --from=another stage) must still be in it.
  const dockerfile = await readFile(`${REPO}Dockerfile`, 'utf8');
  const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
  assert.ok(copies.length >= 2, 'the Dockerfile copies from the context');
  for (const src of copies.flat()) assert.ok(src === '.' || has(src), `COPY ${src}: left out by .dockerignore`);

  // What the image runs: CMD and HEALTHCHECK, the config and its schema, every package's manifest and main entry.
  const exec = (line: string) => JSON.parse(new RegExp(`^${line} .*?(\\[.*\\])$`, 'm').exec(dockerfile)![1]!) as string[];
  // A script in a package's dist/ is compiled in the image's build stage: its TypeScript source must be sent;
  // one in dist/bundle/ is bundled from dist/ by the package's build.mjs, which must be sent too.
  const source = (f: string): string[] => {
    const bundled = /^(packages\/[^/]+)\/dist\/bundle\/(.+)\.js$/.exec(f);
    if (bundled) return [`${bundled[1]}/build.mjs`, `${bundled[1]}/src/${bundled[2]}.ts`];
    return [f.replace(/^(packages\/[^/]+)\/dist\/(.+)\.js$/, '$1/src/$2.ts')];
  };
  const runs = [...exec('CMD'), ...exec('HEALTHCHECK')].filter((a) => /\.(ts|js)$/.test(a)).flatMap(source);
  assert.ok(runs.length >= 2, `CMD and HEALTHCHECK name their scripts: ${runs.join(', ')}`);
  const needed = ['package.json', 'package-lock.json', 'config/gateway.yaml', 'config/gateway.schema.json', 'tsconfig.base.json', 'tsconfig.json', ...runs];
  for (const manifest of files.filter((f) => /^packages\/[^/]+\/package\.json$/.test(f))) {
    needed.push(manifest);
    const { exports } = JSON.parse(await readFile(`${REPO}${manifest}`, 'utf8')) as { exports?: Record<string, string | { source?: string }> | string };
    // The main entry's sources (the `source` condition): the build stage compiles them to its `default`.
    const entry = typeof exports === 'string' ? exports : exports?.['.'];
    const main = typeof entry === 'string' ? entry : entry?.source;
    const dir = manifest.replace(/package\.json$/, '');
    if (main) needed.push(`${dir}${main.replace(/^\.\//, '')}`);
    if (files.includes(`${dir}tsconfig.json`)) needed.push(`${dir}tsconfig.json`);
  }
  for (const f of needed) assert.ok(sent.includes(f), `${f} is needed in the image but left out`);
  for (const f of files.filter((x) => /^packages\/[^/]+\/src\//.test(x))) assert.ok(sent.includes(f), `${f}: sources are never left out`);

  // And what it does not need is not sent.
  for (const dir of ['test', 'bench', 'docs', '.ci', 'contrib', 'tools', 'packages/gateway/test', 'packages/core/test']) {
    assert.ok(files.some((f) => f.startsWith(`${dir}/`)), `${dir} exists in the repository`);
    assert.ok(!has(dir), `${dir} is left out`);
  }
  for (const f of ['.git/HEAD', 'node_modules/yaml/package.json', 'packages/gateway/node_modules/x/package.json', 'packages/core/dist/index.d.ts']) {
    assert.ok(ignored(f, rs), `${f} is left out`);
  }
});

test('the .dockerignore reader follows Docker\'s rules', () => {
  const rs = rules('**/node_modules\ntest\n*.md\n!README.md\ndocs/**\n');
  assert.equal(ignored('a/b/node_modules/x.js', rs), true);
  assert.equal(ignored('node_modules/x.js', rs), true);
  assert.equal(ignored('test/a.ts', rs), true);
  assert.equal(ignored('packages/x/test/a.ts', rs), false, 'a root pattern is anchored at the root');
  assert.equal(ignored('CHANGELOG.md', rs), true);
  assert.equal(ignored('README.md', rs), false, '! re-includes');
  assert.equal(ignored('packages/x/README.md', rs), false, '*.md has no / : root files only');
  assert.equal(ignored('docs/specs/a.txt', rs), true);
});
