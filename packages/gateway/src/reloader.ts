import type { Logger } from 'pino';
import { ConfigError, formatIssues } from './config/load.js';
import type { GatewayConfig } from './config/types.js';
import { effectiveLevel } from './logging.js';
import { ReloadRefused } from './reload.js';
import type { RunningGateway } from './runtime-types.js';

/** What a reload request got: what changed, or why nothing did. */
export type ReloadReport =
  | { ok: true; changes: string[]; restartNeeded: string[] }
  | { ok: false; error: string; problems?: string[] };

/**
 * SIGHUP, `chat-gateway reload` and POST /reload (DESIGN.md "Operating"):
 * reads the file as serve loaded it (the same flags and environment on top),
 * validates it, and applies it whole or not at all; the outcome is logged.
 * The handler is installed before anything else in serve, so a SIGHUP during
 * start-up never kills; requests run one at a time, in order.
 */
export class Reloader {
  private gw?: RunningGateway;
  private log?: Logger;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string, private readonly load: () => Promise<GatewayConfig>) {
    process.on('SIGHUP', () => void this.reload('SIGHUP'));
  }

  /** From now on requests are applied to `gw` (before, a SIGHUP is only noted on stderr). */
  ready(gw: RunningGateway, log: Logger): void {
    this.gw = gw;
    this.log = log;
  }

  /** Reloads the config file; `by` names who asked, for the log. */
  reload(by: string): Promise<ReloadReport> {
    const run = this.queue.then(() => this.once(by));
    this.queue = run;
    return run;
  }

  private async once(by: string): Promise<ReloadReport> {
    const { gw, log } = this;
    if (!gw || !log) {
      process.stderr.write(`${by} during start-up: ignored\n`);
      return { ok: false, error: 'the gateway is still starting' };
    }
    const note = { by, config: this.file };
    let next: GatewayConfig;
    try {
      next = await this.load();
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        log.error({ ...note, err }, 'reload refused: the config file could not be read; the running config is kept');
        return { ok: false, error: (err as Error).message };
      }
      const problems = formatIssues(err.errors);
      log.error({ ...note, problems }, 'reload refused: the config file is invalid; the running config is kept');
      return { ok: false, error: 'the config file is invalid', problems };
    }
    try {
      const outcome = await gw.reload(next);
      const level = effectiveLevel(next.log);
      if (log.level !== level) {
        log.level = level;
        outcome.changes.push(`log level ${level}`);
      }
      log.info({ ...note, changes: outcome.changes, restartNeeded: outcome.restartNeeded }, outcome.changes.length > 0 ? 'config reloaded' : 'config reloaded: nothing changed');
      if (outcome.restartNeeded.length > 0) log.warn({ ...note, sections: outcome.restartNeeded }, 'these sections changed but apply only at the next start');
      return { ok: true, ...outcome };
    } catch (err) {
      const error = err instanceof ReloadRefused ? err.message : String(err);
      log.error({ ...note, error }, 'reload refused: the running config is kept');
      return { ok: false, error };
    }
  }
}
