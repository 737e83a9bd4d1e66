import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it): playwright-core drives it, and downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where the tests write their screenshots (gitignored; the README's are docs/img/). */
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

// Headless and quiet: no GPU, no QUIC, nothing fetched from the network, no first-run dialogs.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A headless Chromium with a fresh profile (its own --user-data-dir), closed and its profile deleted by close(). */
export interface Browser {
  page(viewport?: { width: number; height: number }): Promise<Page>;
  /** Uncaught errors and console errors of every page so far: a test ends by checking there are none. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Starts the browser; a missing Chromium is an error that says how to install it. */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  const profile = await mkdtemp(join(tmpdir(), 'cgw-chromium-'));
  let context: BrowserContext;
  try {
    // Playwright passes the profile as --user-data-dir itself; it may not be given among the flags.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 720 } });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const errors: string[] = [];
  return {
    errors,
    async page(viewport) {
      const p = await context.newPage();
      if (viewport) await p.setViewportSize(viewport);
      // A page error is a test failure, not a line nobody reads.
      p.on('pageerror', (err) => errors.push(`${p.url()}: ${err.message}`));
      p.on('console', (m) => {
        // Expected ones: a reconnect that finds the gateway down, and the status page's probe for whether a token is needed.
        if (m.type() === 'error' && !/WebSocket connection to .* failed|status of 401 \(Unauthorized\)/.test(m.text())) errors.push(`${p.url()}: console: ${m.text()}`);
      });
      return p;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Writes a screenshot of the page to SCREENSHOTS/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
