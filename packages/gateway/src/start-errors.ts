import { useInstead } from './config/addresses.js';
import { ENV_ADMIN_PORT, portEnvName } from './config/overrides.js';

/**
 * A start that failed because of the config or the machine, not the code:
 * said in one line that names the fix, without a stack trace.
 */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** What was being bound: a listener, by name, or the admin server; `avoid`: the config's other ports, never suggested. */
export type BindTarget = ({ listener: string } | { admin: true }) & { host: string; port: number; avoid?: readonly number[] };

/** The first port after `from` (going down past 65535) that the config does not use already. */
function freeAfter(from: number, avoid: readonly number[] = []): number {
  let p = from;
  do p = p < 65535 ? p + 1 : 1024;
  while (avoid.includes(p) && p !== from);
  return p;
}

/** The StartError for a failed bind, or undefined for an error that is no bind failure (a bug: it keeps its stack). */
export function bindError(err: unknown, target: BindTarget): StartError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const isListener = 'listener' in target;
  const what = isListener ? `listener ${target.listener}` : 'admin server';
  const move = (port: number) => (isListener ? `--port ${target.listener}=${port} or ${portEnvName(target.listener)}` : `--admin-port ${port} or ${ENV_ADMIN_PORT}`);
  const host = isListener ? `the host of listener ${target.listener} (listeners[].host)` : 'admin.host';
  switch (code) {
    case 'EADDRINUSE':
      return new StartError(`${what}: port ${target.port} is already in use (EADDRINUSE); pick another with ${move(freeAfter(target.port, target.avoid))}`);
    case 'EACCES':
      // 80 → 8080, 443 → 8443: the usual unprivileged stand-ins.
      return new StartError(`${what}: port ${target.port} needs privileges here (EACCES); pick one from 1024 up with ${move(target.port < 1024 ? freeAfter(8000 + target.port - 1, target.avoid) : freeAfter(target.port, target.avoid))}`);
    case 'EADDRNOTAVAIL':
      return new StartError(`${what}: ${target.host} is not an address of this machine (EADDRNOTAVAIL); set ${host}: ${useInstead()}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartError(`${what}: ${JSON.stringify(target.host)} does not resolve (${code}); set ${host}: ${useInstead()}`);
    default:
      return undefined;
  }
}
