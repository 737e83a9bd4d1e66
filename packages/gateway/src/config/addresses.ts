import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ConfigIssue } from './errors.js';
import type { GatewayConfig } from './types.js';

/**
 * Every host the gateway would bind (listeners, the admin server when on)
 * must resolve (dns.lookup) to an address of this machine, which a bind on
 * port 0 of that address proves and releases at once. So `check-config`
 * catches `999.1.1.1`, a name that does not resolve or an IP of another
 * machine, and `serve` says the same before binding anything.
 */
export async function checkAddresses(cfg: GatewayConfig): Promise<ConfigIssue[]> {
  const wanted: { path: string; host: string }[] = cfg.listeners.map((l, i) => ({ path: `listeners[${i}].host`, host: l.host }));
  if (cfg.admin.enabled) wanted.push({ path: 'admin.host', host: cfg.admin.host });
  const verdicts = new Map<string, Promise<string | undefined>>();
  const issues: ConfigIssue[] = [];
  for (const { path, host } of wanted) {
    if (!verdicts.has(host)) verdicts.set(host, hostProblem(host));
    const problem = await verdicts.get(host)!;
    if (problem !== undefined) issues.push({ path, message: problem });
  }
  return issues;
}

/** What is wrong with binding `host` here, or undefined when it can be bound. */
export async function hostProblem(host: string): Promise<string | undefined> {
  let address: string;
  try {
    address = (await lookup(host)).address;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
    const notIp = /^[\d.]+$/.test(host) ? ' is not an IPv4 address (four numbers 0-255) and' : '';
    return `${JSON.stringify(host)}${notIp} does not resolve (${code}); ${useInstead()}`;
  }
  const code = await trialBind(address);
  if (code === undefined) return undefined;
  const shown = address === host ? host : `${JSON.stringify(host)} (${address})`;
  if (code === 'EADDRNOTAVAIL') return `${shown} is not an address of this machine (EADDRNOTAVAIL); ${useInstead()}`;
  return `${shown} cannot be bound here (${code}); ${useInstead()}`;
}

/** Binds port 0 of the address and closes again; the error code, or undefined when it worked. */
function trialBind(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen(0, address, () => server.close(() => resolve(undefined)));
  });
}

/** The fix for a host that cannot be bound: the addresses that can. */
export function useInstead(): string {
  return `use one of this machine's addresses (${localAddresses().join(', ') || 'none found'}), 0.0.0.0 for all of them, or a name that resolves to one`;
}

/** This machine's interface addresses, IPv4 first, link-local IPv6 left out (they need a scope to bind). */
export function localAddresses(): string[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const v4 = all.filter((a) => a.family === 'IPv4').map((a) => a.address);
  const v6 = all.filter((a) => a.family === 'IPv6' && !a.address.startsWith('fe80:')).map((a) => a.address);
  return [...new Set([...v4, ...v6])];
}
