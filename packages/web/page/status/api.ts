// The admin server's data, read with the admin token when it needs one (DESIGN.md "Security").
// The page asks for the token once and keeps it for this tab only (sessionStorage).
import { BEARER_PROTOCOL_PREFIX, TRACE_PROTOCOL } from '../../src/trace-protocol.js';

const TOKEN_KEY = 'chat-gateway-admin-token';

/** /status as the page reads it. */
export interface Status {
  node: string;
  backend: { type: string; up: boolean };
  endpoints: { name: string; transport: string; url: string; page: boolean }[];
  listeners: { name: string; dialect: string }[];
  connections: number;
  usersByDialect: Record<string, number>;
  users: { nick: string; dialect: string; node: string }[];
  clients: { id: string; listener: string; dialect: string; transport: string; remote: string; nick?: string }[];
  rooms: { name: string; visibility: string; members: number }[];
  privateRooms: number;
  messages: { direct: number; room: number };
  errors: { byCode: Record<string, number>; recent: { at: number; dialect: string; code: string }[] };
  tokenRequired: boolean;
}

export class Unauthorized extends Error {}

export function token(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function setToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value);
}

/** GET /status, with the token when there is one. */
export async function fetchStatus(): Promise<Status> {
  const t = token();
  const res = await fetch('/status', { headers: t ? { Authorization: `Bearer ${t}` } : {}, cache: 'no-store' });
  if (res.status === 401) throw new Unauthorized('the admin token is needed');
  if (!res.ok) throw new Error(`/status answered ${res.status}`);
  return (await res.json()) as Status;
}

/** Opens the live trace of one connection. */
export function openTrace(conn: string): WebSocket {
  const t = token();
  const protocols = [TRACE_PROTOCOL, ...(t ? [BEARER_PROTOCOL_PREFIX + base64url(t)] : [])];
  return new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/trace?conn=${encodeURIComponent(conn)}`, protocols);
}

function base64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
