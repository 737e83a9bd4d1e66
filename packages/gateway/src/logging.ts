import { pino, destination, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import type PinoPrettyModule from 'pino-pretty';
import type { GatewayConfig } from './config/types.js';

// pino-pretty is required only when a human watches: JSON logging (production) never loads it.
const require = createRequire(import.meta.url);

export interface LoggerOptions {
  /** Where log lines go; default stdout. */
  destination?: DestinationStream;
  /** Whether stdout is a terminal, for `pretty: auto`; default process.stdout.isTTY. */
  isTty?: boolean;
}

/** True when the config asks for human-readable lines here: forced, or `auto` on a terminal. */
export function wantsPretty(cfg: GatewayConfig['log'], isTty: boolean): boolean {
  return cfg.pretty === 'auto' ? isTty : cfg.pretty;
}

/**
 * The gateway's pino logger: JSON lines by default, pino-pretty when a human
 * is watching. Both write synchronously to stdout so nothing is lost when the
 * process exits right after shutdown, and no worker thread is spawned.
 */
export function createLogger(cfg: GatewayConfig['log'], opts: LoggerOptions = {}): Logger {
  const isTty = opts.isTty ?? process.stdout.isTTY === true;
  // `--trace` is no log level: it prints the interop trace beside the log (trace-print.ts).
  const level = cfg.level;
  // ISO 8601 times: readable in JSON as it is, and what log shippers parse without a hint.
  const options = { name: 'chat-gateway', level, timestamp: stdTimeFunctions.isoTime };
  if (wantsPretty(cfg, isTty)) {
    // One line per record, its fields inline: a trace or a busy log stays one event per line.
    const pretty = { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', sync: true };
    const PinoPretty = require('pino-pretty') as typeof PinoPrettyModule;
    return pino(options, PinoPretty({ ...pretty, colorize: opts.destination ? false : isTty, destination: (opts.destination ?? 1) as never }));
  }
  return pino(options, opts.destination ?? destination({ dest: 1, sync: true }));
}
