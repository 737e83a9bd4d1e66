// Bundles each page (its TypeScript and CSS) into one HTML file in dist/ with esbuild: no framework,
// nothing loaded from elsewhere (DESIGN.md "Transports and the browser"). Run by `npm ci` (prepare),
// `npm test` (pretest) and `npm start` (prestart); the output is not committed.
import { build, transform } from 'esbuild';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const PAGES = ['chat', 'status'];

async function bundle(page) {
  const script = await build({
    entryPoints: [here(`page/${page}/main.ts`)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'warning',
  });
  const css = await transform(await readFile(here(`page/${page}.css`), 'utf8'), { loader: 'css', minify: true });
  const html = await readFile(here(`page/${page}.html`), 'utf8');
  // `</script` cannot occur in the bundle's strings unescaped: esbuild escapes it when it inlines.
  const js = script.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  return html.replace('<!-- styles -->', () => `<style>${css.code}</style>`).replace('<!-- script -->', () => `<script>${js}</script>`);
}

await mkdir(here('dist'), { recursive: true });
// Written beside its place and renamed into it: `npm start` rebuilds, and a second node starting at
// the same time may be reading the page (a rename is atomic, a rewrite in place is not).
for (const page of PAGES) {
  const file = here(`dist/${page}.html`);
  await writeFile(`${file}.${process.pid}.tmp`, await bundle(page));
  await rename(`${file}.${process.pid}.tmp`, file);
}
