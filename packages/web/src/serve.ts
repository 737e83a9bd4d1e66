import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PageNotBuilt, type Page } from './pages.js';

// The pages load nothing from elsewhere: script and styles are inline, data comes from their own origin.
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Sends a page (HEAD: headers only), or a 503 saying how to build it when it was not built. */
export async function sendPage(req: IncomingMessage, res: ServerResponse, load: () => Promise<Page>): Promise<void> {
  let page: Page;
  try {
    page = await load();
  } catch (err) {
    if (!(err instanceof PageNotBuilt)) throw err;
    return sendText(res, 503, `${err.message}\n`);
  }
  res.writeHead(200, {
    'Content-Type': page.type,
    'Content-Length': page.body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CSP,
    'Referrer-Policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : page.body);
}

/** A short plain-text answer. */
export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/** The path of a request, '' when its URL does not parse. */
export function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://host').pathname;
  } catch {
    return '';
  }
}

/** Answers an upgrade that will not happen with a plain HTTP status, then closes: a bad upgrade costs its socket, nothing else. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
