import type { Logger } from 'pino';
import type { AdminServer } from './admin.js';
import type { GatewayConfig } from './config/types.js';
import type { RunningGateway } from './runtime-types.js';

// How long past shutdown.graceMs the process may take before it is cut off.
const HARD_EXIT_MARGIN_MS = 2000;
// A Ctrl-C under `npm start` reaches the gateway twice: from the terminal (the whole foreground
// process group) and forwarded by npm. A second signal this soon after the first is that echo,
// not a person insisting.
const REPEAT_WINDOW_MS = 1000;
// How often the gateway looks whether npm, which started it, is still there.
const LAUNCHER_POLL_MS = 500;

/** What asks for a shutdown: a signal, or the launcher (npm) going away. */
export type Cause = { signal: NodeJS.Signals } | { launcherGone: number };

/**
 * What each stop request means: the first one starts the shutdown; a signal
 * within a second of it is its echo (npm passing Ctrl-C on); any later one
 * is a person insisting, and forces the exit.
 */
export class StopRequests {
  private startedAt?: number;

  next(cause: Cause, now = performance.now()): 'stop' | 'echo' | 'force' {
    if (this.startedAt === undefined) {
      this.startedAt = now;
      return 'stop';
    }
    return 'signal' in cause && now - this.startedAt < REPEAT_WINDOW_MS ? 'echo' : 'force';
  }
}

/**
 * SIGTERM and SIGINT (DESIGN.md "Operating"): stop accepting, tell every
 * session in its dialect, flush, close, exit 0, all within graceMs + 2 s. A
 * second signal a second or more after the first exits at once, with 1.
 * Under npm the launcher is watched too (watchLauncher).
 */
export function handleStopSignals(cfg: GatewayConfig, gw: RunningGateway, adminServer: () => AdminServer | undefined, log: Logger): void {
  const requests = new StopRequests();
  const stop = (cause: Cause) => {
    const meaning = requests.next(cause);
    if (meaning === 'echo') return log.debug(cause, 'a signal again (npm passes Ctrl-C on too): already shutting down');
    if (meaning === 'force') {
      log.warn(cause, 'second signal during shutdown: exiting now');
      process.exit(1);
    }
    if ('signal' in cause) log.info({ signal: cause.signal, graceMs: cfg.shutdown.graceMs }, 'signal received: shutting down');
    else log.info({ launcher: cause.launcherGone, graceMs: cfg.shutdown.graceMs }, 'npm, which started the gateway, is gone: shutting down');
    adminServer()?.markShuttingDown();
    // The gateway bounds its own goodbye by graceMs; this bounds everything else (DESIGN.md: exit within a bounded time).
    setTimeout(() => {
      log.error({ limitMs: cfg.shutdown.graceMs + HARD_EXIT_MARGIN_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, cfg.shutdown.graceMs + HARD_EXIT_MARGIN_MS);
    gw.shutdown()
      .then(() => adminServer()?.close())
      .then(
        () => {
          log.info({}, 'bye');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', (signal) => stop({ signal }));
  process.on('SIGINT', (signal) => stop({ signal }));
  watchLauncher((pid) => stop({ launcherGone: pid }));
}

/**
 * Under `npx chat-gateway` npm runs the gateway through `sh -c`, and a SIGTERM
 * npm passes on kills that shell only, leaving the gateway behind, holding
 * its ports. So when npm started the gateway (npm_lifecycle_event is set for
 * `npm start`, `npm exec` and `npx`), a parent that goes away is taken as the
 * request to stop. Elsewhere (systemd, Docker, nohup) an orphan is meant to run on.
 */
export function watchLauncher(gone: (pid: number) => void, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    gone(parent);
  }, LAUNCHER_POLL_MS);
  timer.unref();
}
