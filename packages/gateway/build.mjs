// Bundles the compiled CLI (dist/cli.js, from tsc) with its npm dependencies into dist/bundle/: what
// `npm start`, the `chat-gateway` bin and the Docker image run. One file instead of ~200 modules to
// resolve and link at start: ~8 MB less RSS at start and a faster start (issue #16; README
// "Production build"). The @chat-gateway packages stay outside it, imported as installed: dialects
// are packages found at run time (DESIGN.md "Shape") and must share the one core the gateway uses.
// Dynamic imports (the terminal client, the probe, the WebSocket server) become chunks, loaded when used.
import { build } from 'esbuild';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

await rm(here('dist/bundle'), { recursive: true, force: true });
await build({
  entryPoints: [here('dist/cli.js')],
  outdir: here('dist/bundle'),
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
  logLevel: 'warning',
});

// esbuild leaves a non-ASCII character in a regular expression literal as it is (pino's fast-redact
// has one); one such character makes V8 hold the whole file's source as UTF-16, twice its size.
// A \uXXXX escape means the same in a string, a regex and an identifier.
for (const name of await readdir(here('dist/bundle'))) {
  if (!name.endsWith('.js')) continue;
  const file = here(`dist/bundle/${name}`);
  const text = await readFile(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) await writeFile(file, ascii);
}
