// The ChatMaster 3000 packages the page sends and reads (packages/chatmaster/README.md): one per WebSocket message.

/** A package from the gateway. */
export interface ServerPackage {
  type: 'request' | 'session' | 'message' | 'notification' | 'error';
  data: Record<string, unknown>;
}

/** Someone online, as the `users` extension lists them. */
export interface OnlineUser {
  username: string;
  dialect: string;
}

/** What the page makes of a package. */
export type Incoming =
  | { kind: 'login-request' }
  | { kind: 'session'; ok: true; username: string; channels: string[] }
  | { kind: 'session'; ok: false; reason: string }
  | { kind: 'room-message'; from: string; room: string; text: string }
  | { kind: 'direct-message'; from: string; text: string }
  | { kind: 'joined' | 'left'; user: string; room: string; members?: string[] }
  | { kind: 'renamed'; from: string; to: string }
  | { kind: 'channels'; channels: string[] }
  | { kind: 'users'; users: OnlineUser[] }
  | { kind: 'shutdown'; text: string }
  | { kind: 'error'; about: string; text: string }
  | { kind: 'other'; raw: ServerPackage };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads one package (one WebSocket message); undefined when it is no package. */
export function parse(text: string): Incoming | undefined {
  let pkg: ServerPackage;
  try {
    pkg = JSON.parse(text) as ServerPackage;
  } catch {
    return undefined;
  }
  if (typeof pkg !== 'object' || pkg === null || typeof pkg.data !== 'object' || pkg.data === null) return undefined;
  const d = pkg.data;
  switch (pkg.type) {
    case 'request':
      return d.request === 'login' ? { kind: 'login-request' } : { kind: 'other', raw: pkg };
    case 'session':
      return d.status === true ? { kind: 'session', ok: true, username: str(d.username), channels: strings(d.channels) } : { kind: 'session', ok: false, reason: str(d.reason) };
    case 'message':
      if (d.direct === true) return { kind: 'direct-message', from: str(d.username), text: str(d.message) };
      return { kind: 'room-message', from: str(d.username), room: str(d.channel), text: str(d.message) };
    case 'error':
      return { kind: 'error', about: str(d.error_type), text: str(d.message) };
    case 'notification':
      return notification(d, pkg);
  }
  return { kind: 'other', raw: pkg };
}

function notification(d: Record<string, unknown>, raw: ServerPackage): Incoming {
  const p = (typeof d.parameters === 'object' && d.parameters !== null ? d.parameters : {}) as Record<string, unknown>;
  switch (d.event_type) {
    case 'user_joined':
    case 'user_left':
      return { kind: d.event_type === 'user_joined' ? 'joined' : 'left', user: str(d.username), room: str(d.channel), members: strings(p.current_users) };
    case 'user_rename':
      return { kind: 'renamed', from: str(d.old_username), to: str(d.new_username) };
    case 'channel_list':
      return { kind: 'channels', channels: strings(d.channels) };
    case 'user_list': {
      const users = Array.isArray(d.users) ? d.users : [];
      return { kind: 'users', users: users.filter((u): u is OnlineUser => typeof u?.username === 'string' && typeof u?.dialect === 'string') };
    }
    case 'server_shutdown':
      return { kind: 'shutdown', text: str(d.message) };
  }
  return { kind: 'other', raw };
}

const command = (name: string, parameters?: Record<string, unknown>) => JSON.stringify({ type: 'command', data: parameters ? { command: name, parameters } : { command: name } });

/** The packages the page sends. */
export const Send = {
  login: (username: string) => command('login', { username }),
  join: (channel: string) => command('join', { channel }),
  channels: () => command('channels'),
  users: () => command('users'),
  say: (text: string) => JSON.stringify({ type: 'message', data: { message: text } }),
  dm: (to: string, text: string) => JSON.stringify({ type: 'message', data: { message: text, to } }),
};
