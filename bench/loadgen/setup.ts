import { BenchClient, type StampHandler } from './client.js';
import type { Codec } from './codecs/types.js';

/** Where a client connects and which protocol it speaks there. */
export interface Endpoint {
  codec: Codec;
  port: number;
  host?: string;
}

export interface ClientPlan {
  endpoint: Endpoint;
  nick: string;
  /** Room to join after login (room mode); undefined for none. */
  room?: string;
}

export interface SetupResult {
  /** The registered clients (failed ones left out). */
  clients: BenchClient[];
  ms: number;
  /** Registered connections per second over the whole setup. */
  rate: number;
  /** Handshakes that failed (only with `tolerate`; otherwise the first failure throws). */
  failed: number;
  firstError?: string;
}

/**
 * Opens and registers clients with at most `concurrency` handshakes in
 * flight at once (the "setup rate at 100 concurrent handshakes").
 * A failed login aborts the whole setup (every client opened is closed),
 * unless `tolerate` says how many failures to count and skip first.
 */
export async function openClients(
  plans: ClientPlan[],
  opts: { concurrency: number; timeoutMs: number; onStamp: StampHandler; tolerate?: number },
): Promise<SetupResult> {
  const clients: BenchClient[] = new Array(plans.length);
  const t0 = performance.now();
  let next = 0;
  let failed: Error | undefined;
  let failures = 0;
  const bad = new Set<number>();
  let firstError: string | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < plans.length) {
      const i = next++;
      const p = plans[i]!;
      const c = new BenchClient(p.endpoint.codec, p.nick, p.endpoint.port, p.endpoint.host ?? '127.0.0.1', opts.onStamp);
      c.index = i;
      clients[i] = c;
      try {
        await c.login(opts.timeoutMs);
        if (p.room !== undefined) await c.join(p.room, opts.timeoutMs);
      } catch (err) {
        c.destroy();
        bad.add(i);
        failures++;
        firstError ??= (err as Error).message;
        if (failures > (opts.tolerate ?? 0)) failed ??= err as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, plans.length) }, worker));
  const ms = performance.now() - t0;
  if (failed) {
    closeClients(clients.filter(Boolean));
    throw failed;
  }
  const ok = failures === 0 ? clients : clients.filter((_, i) => !bad.has(i));
  return { clients: ok, ms, rate: (ok.length / ms) * 1000, failed: failures, firstError };
}

/** Closes every client at once. */
export function closeClients(clients: BenchClient[]): void {
  for (const c of clients) c?.destroy();
}
