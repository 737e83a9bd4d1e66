// The pages alone, not the package's index: its static serving loads node:http, which a gateway of TCP listeners has no use for.
import { CHAT_PAGE_DIALECT } from '@chat-gateway/web/pages';
import { childPath, type ConfigIssue } from './errors.js';

const WS_DEFAULT_PATH = '/ws';

/**
 * A listener's transport keys must fit its transport (DESIGN.md "Transports
 * and the browser"): `tls` needs `cert` and `key`; `websocket` takes `path`,
 * `page` and optionally both files; plain `tcp` takes none of them. Fills the
 * WebSocket defaults in place: `path` /ws, and `page` on when the listener
 * speaks the chat page's dialect. Runs after the schema filled `transport`.
 */
export function checkTransport(l: Record<string, unknown>, path: string): ConfigIssue[] {
  const transport = l.transport;
  const issues: ConfigIssue[] = [];
  const only = (key: string, where: string) => {
    if (l[key] !== undefined) issues.push({ path: childPath(path, key), message: `only a ${where} listener takes \`${key}\`; this one has transport ${String(transport)}` });
  };
  const hasCert = l.cert !== undefined;
  const hasKey = l.key !== undefined;
  if (transport === 'tcp') {
    only('cert', 'tls or websocket');
    only('key', 'tls or websocket');
  } else if (transport === 'tls' && (!hasCert || !hasKey)) {
    issues.push({ path: childPath(path, hasCert ? 'key' : 'cert'), message: 'transport tls needs both `cert` and `key` (PEM files)' });
  } else if (transport === 'websocket' && hasCert !== hasKey) {
    issues.push({ path: childPath(path, hasCert ? 'key' : 'cert'), message: 'wss:// needs both `cert` and `key` (PEM files); leave both out for ws://' });
  }
  if (transport !== 'websocket') {
    only('path', 'websocket');
    only('page', 'websocket');
    return issues;
  }
  l.path ??= WS_DEFAULT_PATH;
  const speaksPage = l.dialect === CHAT_PAGE_DIALECT;
  if (l.page === true && !speaksPage) {
    issues.push({ path: childPath(path, 'page'), message: `the chat page speaks ${CHAT_PAGE_DIALECT}; this listener speaks ${String(l.dialect)}: set page: false or dialect: ${CHAT_PAGE_DIALECT}` });
  }
  l.page ??= speaksPage;
  return issues;
}
