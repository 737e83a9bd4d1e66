/** The logging surface core and dialects use: a pino-compatible subset. */
export interface Log {
  trace(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Log;
  isLevelEnabled?(level: string): boolean;
}

/** A Log that drops everything (tests, tools). */
export const SILENT_LOG: Log = {
  trace() {}, debug() {}, info() {}, warn() {}, error() {},
  child() { return SILENT_LOG; },
  isLevelEnabled() { return false; },
};
