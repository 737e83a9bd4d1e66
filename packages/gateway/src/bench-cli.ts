import type { Argv } from 'yargs';
import type { DialectTesting } from '@chat-gateway/core/testing';
import { loadDialectTestings } from './dialect-testing.js';

/** Where a probe or a client connects: `host:port`, `[v6]:port`, or a bare port on 127.0.0.1. */
export function parseTarget(s: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s) ?? /^()()(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

/** The two positionals `probe` and `client` share: a dialect (`what` says its role) and where to connect. */
export function dialectAndTarget(y: Argv, what: string) {
  return y
    .positional('dialect', { type: 'string', demandOption: true, describe: what })
    .positional('target', { type: 'string', demandOption: true, describe: 'host:port (a bare port means 127.0.0.1)' });
}

/** parseTarget for the command line: a UsageError when `s` is no host:port. */
export function targetArg(s: string): { host: string; port: number } {
  const target = parseTarget(s);
  if (!target) throw new UsageError(`expected host:port, got ${JSON.stringify(s)}`);
  return target;
}

/** The installed dialect's testing module, which `probe` and `client` drive; an error naming the installed ones otherwise. */
export async function testingFor(dialect: string, needs: 'probe' | 'attach'): Promise<DialectTesting> {
  const all = (await loadDialectTestings()).filter((t) => t[needs] !== undefined);
  const t = all.find((d) => d.dialect === dialect);
  if (!t) throw new UsageError(`unknown dialect ${JSON.stringify(dialect)}; installed: ${all.map((d) => d.dialect).join(', ') || '(none)'}`);
  return t;
}

/** A mistake on the command line: said in one line, exit 1, no stack trace (asUsage). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs a command's body; a UsageError is one line on stderr and exit code 1, not yargs' help and a stack trace. */
export async function asUsage(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`chat-gateway: ${err.message}\n`);
    process.exitCode = 1;
  }
}
