import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The dialect the chat page speaks: it is a ChatMaster 3000 client over
 * WebSocket (DESIGN.md "Transports and the browser"). A listener serves the
 * page only when it speaks this dialect.
 */
export const CHAT_PAGE_DIALECT = 'chatmaster';

/** Where the build (build.mjs, run by `npm ci`, `npm test` and `npm start`) puts the pages. */
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/** A page ready to send. */
export interface Page {
  body: Buffer;
  type: string;
}

/** The page was not built: the error says how to build it. */
export class PageNotBuilt extends Error {}

// Replaced in the built HTML by the WebSocket path the listener accepts upgrades on.
const WS_PATH_MARK = '%%WS_PATH%%';

async function built(file: string): Promise<string> {
  try {
    return await readFile(`${DIST_DIR}${file}`, 'utf8');
  } catch {
    throw new PageNotBuilt(`${file} is not built; run \`npm run build -w @chat-gateway/web\` (npm ci, npm test and npm start run it)`);
  }
}

/** The chat page (one HTML file, script and styles inlined), told where to open its WebSocket. */
export async function chatPage(wsPath: string): Promise<Page> {
  const html = await built('chat.html');
  return { body: Buffer.from(html.replace(WS_PATH_MARK, escapeAttribute(wsPath)), 'utf8'), type: 'text/html; charset=utf-8' };
}

/** The teacher's status page, served by the admin server at /status.html. */
export async function statusPage(): Promise<Page> {
  return { body: Buffer.from(await built('status.html'), 'utf8'), type: 'text/html; charset=utf-8' };
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
