import type { Log } from '@chat-gateway/core';

/**
 * A connection's logger, its pino child made on the first record that is
 * really written: an idle connection on an info-level gateway never logs at
 * debug, and a child per connection (bindings, its own prototype) cost more
 * heap than the rest of the connection layer's objects together.
 */
export class LazyChildLog implements Log {
  private made?: Log;

  constructor(
    private readonly parent: Log,
    // An object with a method, not a closure: one fewer allocation per connection (issue #16).
    private readonly source: { logBindings(): Record<string, unknown> },
  ) {}

  private get log(): Log {
    return (this.made ??= this.parent.child(this.source.logBindings()));
  }

  private on(level: string): boolean {
    return this.made !== undefined || (this.parent.isLevelEnabled?.(level) ?? true);
  }

  trace(obj: object, msg?: string): void {
    if (this.on('trace')) this.log.trace(obj, msg);
  }

  debug(obj: object, msg?: string): void {
    if (this.on('debug')) this.log.debug(obj, msg);
  }

  info(obj: object, msg?: string): void {
    if (this.on('info')) this.log.info(obj, msg);
  }

  warn(obj: object, msg?: string): void {
    if (this.on('warn')) this.log.warn(obj, msg);
  }

  error(obj: object, msg?: string): void {
    if (this.on('error')) this.log.error(obj, msg);
  }

  child(bindings: Record<string, unknown>): Log {
    return this.log.child(bindings);
  }

  isLevelEnabled(level: string): boolean {
    return this.made?.isLevelEnabled?.(level) ?? this.parent.isLevelEnabled?.(level) ?? true;
  }
}
