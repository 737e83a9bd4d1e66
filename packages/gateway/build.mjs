// Bundles the compiled CLI (dist/cli.js, from tsc) with its npm dependencies into dist/bundle/: what
// `npm start`, the `chat-gateway` bin and the Docker image run. One file instead of ~200 modules to
// resolve and link at start: ~8 MB less RSS at start and a faster start (issue #16; README
// "Production build"). The @chat-gateway packages stay outside it, imported as installed: dialects
// are packages found at run time (DESIGN.md "Shape") and must share the one core the gateway uses.
// Dynamic imports (the terminal client, the probe, the WebSocket server) become chunks, loaded when used.
//
// `npm start` runs this every time (prestart), and two nodes started at once run it side by side
// while each may already be loading the bundle: so nothing is written when the bundle is newer than
// everything it is made of, and otherwise each file is written beside its place and renamed into
// it (atomic), the chunks before the entry that imports them, and old chunks are left a minute.
import { build } from 'esbuild';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const OUT = here('dist/bundle');
const ENTRY = join(OUT, 'cli.js');
const STALE_MS = 60_000;

/** The newest modification time among the files under `dir` whose name passes `keep`. */
async function newest(dir, keep) {
  let t = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !keep(join(e.parentPath ?? e.path, e.name))) continue;
    t = Math.max(t, (await stat(join(e.parentPath ?? e.path, e.name))).mtimeMs);
  }
  return t;
}

async function upToDate() {
  const made = await stat(ENTRY).then((s) => s.mtimeMs, () => -1);
  if (made < 0) return false;
  // What goes into it: tsc's output of this package, the locked dependency versions, and this script.
  const inputs = Math.max(
    await newest(here('dist'), (f) => f.endsWith('.js') && !f.startsWith(OUT)),
    (await stat(here('../../package-lock.json'))).mtimeMs,
    (await stat(here('build.mjs'))).mtimeMs,
  );
  return made >= inputs;
}

// esbuild leaves a non-ASCII character in a regular expression literal as it is (pino's fast-redact
// has one); one such character makes V8 hold the whole file's source as UTF-16, twice its size.
// A \uXXXX escape means the same in a string, a regex and an identifier.
const ascii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// prom-client's index requires its Pushgateway client at load, and with it node:http, node:https
// (node:tls, node:crypto) and node:zlib; the gateway never pushes (Prometheus scrapes /metrics), so
// the bundle holds a stand-in that says so if ever constructed: about 1 MB of RSS at start saved.
const noPushgateway = {
  name: 'no-pushgateway',
  setup(b) {
    b.onResolve({ filter: /^\.\/lib\/pushgateway$/ }, (args) =>
      /[\\/]prom-client[\\/]index\.js$/.test(args.importer) ? { path: 'prom-client-pushgateway', namespace: 'no-pushgateway' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-pushgateway' }, () => ({
      contents: "module.exports = class Pushgateway { constructor() { throw new Error('chat-gateway bundles prom-client without its Pushgateway'); } };",
      loader: 'js',
    }));
  },
};

async function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

if (!(await upToDate())) {
  const result = await build({
    entryPoints: [here('dist/cli.js')],
    outdir: OUT,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Whitespace and syntax only: names stay, so a stack trace still names the function.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    external: [
      '@chat-gateway/*',
      // Optional: pino-pretty is required only for pretty logs, ws's native helpers only when installed.
      'pino-pretty',
      'bufferutil',
      'utf-8-validate',
    ],
    // CommonJS dependencies (pino, prom-client, ajv's runtime) call require(): an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [noPushgateway],
    logLevel: 'warning',
  });
  await mkdir(OUT, { recursive: true });
  const last = (f) => (f.path === ENTRY ? 1 : 0);
  const files = [...result.outputFiles].sort((a, b) => last(a) - last(b));
  for (const f of files) await writeAtomic(f.path, f.path.endsWith('.js') ? ascii(f.text) : f.text);
  // A chunk of an earlier build may still be being imported by a gateway that is starting.
  const made = new Set(files.map((f) => f.path));
  for (const name of await readdir(OUT)) {
    const path = join(OUT, name);
    // Another build's file being written (or already renamed away) is that build's business.
    if (made.has(path) || name.endsWith('.tmp')) continue;
    const age = await stat(path).then((st) => Date.now() - st.mtimeMs, () => 0);
    if (age > STALE_MS) await rm(path, { force: true });
  }
}
