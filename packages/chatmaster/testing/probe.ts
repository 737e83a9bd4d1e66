import { isDeepStrictEqual } from 'node:util';
import type { DialectProbe } from '@chat-gateway/core/testing';

const cmd = (command: string, parameters?: Record<string, unknown>) => `${JSON.stringify({ type: 'command', data: { command, ...(parameters ? { parameters } : {}) } })}\n`;
/** A package with these fields, in any order (DESIGN.md ChatMaster: JSON packages, key order free). */
const has = (...pairs: string[]) => new RegExp(`^${pairs.map((p) => `(?=.*${p.replace(/[{}[\]()]/g, '\\$&')})`).join('')}`);
const error = (type: string) => has('"type":"error"', `"error_type":"${type}"`);

/** ChatMaster 3000 as specs/chatmaster3000.md and DESIGN.md "ChatMaster" fix it, for `chat-gateway probe chatmaster`. */
export const probe: DialectProbe = {
  terminator: '\n',
  greeting: '{"type":"request","data":{"request":"login"}}',
  welcome: () => has('"type":"session"', '"status":true'),
  taken: () => has('"type":"session"', '"status":false'),
  invalid: { nick: '9lives!', reply: () => has('"type":"session"', '"status":false') },
  requests: [
    { name: 'a command before login', registered: false, send: () => cmd('channels'), reply: () => error('channels') },
    { name: 'no JSON', registered: false, send: () => 'hello\n', reply: () => error('parse') },
    { name: 'unknown command', registered: true, send: () => cmd('dance'), reply: () => error('dance') },
    { name: 'join without a channel', registered: true, send: () => cmd('join'), reply: () => error('join') },
  ],
  echo: { name: 'channels', registered: true, send: () => cmd('channels'), reply: () => has('"type":"notification"', '"event_type":"channel_list"') },
  loose: { dmOffline: () => error('message') },
  oversize: { size: 65537, build: (n) => `${JSON.stringify({ type: 'message', data: { message: 'x'.repeat(n) } })}\n`, reply: error('parse') },
  same: (expected, received) => {
    try {
      return isDeepStrictEqual(JSON.parse(expected), JSON.parse(received));
    } catch {
      return false;
    }
  },
};
