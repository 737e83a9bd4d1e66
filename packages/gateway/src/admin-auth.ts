import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BEARER_PROTOCOL_PREFIX } from '@chat-gateway/web';

/** Who is asking: no token configured (`open`), the right token (`token`), or neither (`denied`). */
export type Access = 'open' | 'token' | 'denied';

/**
 * The admin token check (DESIGN.md "Security"): `Authorization: Bearer
 * <token>`, or for a WebSocket upgrade the `bearer.` subprotocol. Compared in
 * constant time.
 */
export function accessOf(req: IncomingMessage, token: string | undefined): Access {
  if (token === undefined) return 'open';
  const header = req.headers.authorization;
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (m && same(m[1]!, token)) return 'token';
  for (const p of offeredProtocols(req)) {
    if (!p.startsWith(BEARER_PROTOCOL_PREFIX)) continue;
    const given = Buffer.from(p.slice(BEARER_PROTOCOL_PREFIX.length), 'base64url').toString('utf8');
    if (same(given, token)) return 'token';
  }
  return 'denied';
}

/**
 * True when a WebSocket upgrade comes from a page of this server, or from no page at all (a non-browser
 * client sends no Origin). A browser lets any site open a WebSocket to 127.0.0.1, and no CORS rule
 * stops it reading the trace: without this, any page the teacher visits could watch the class.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The subprotocols a WebSocket upgrade offers. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  return (typeof h === 'string' ? h : '').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
