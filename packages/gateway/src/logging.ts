import { pino, destination, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import type { GatewayConfig } from './config/types.js';

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
  const options = { name: 'chat-gateway', level };
  if (opts.destination) {
    return pino(options, wantsPretty(cfg, isTty) ? PinoPretty({ colorize: false, destination: opts.destination as never, sync: true }) : opts.destination);
  }
  if (wantsPretty(cfg, isTty)) {
    return pino(options, PinoPretty({ colorize: isTty, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', destination: 1, sync: true }));
  }
  return pino(options, destination({ dest: 1, sync: true }));
}
