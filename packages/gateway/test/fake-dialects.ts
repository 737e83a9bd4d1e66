import type { Dialect } from '@chat-gateway/core';

/**
 * A toy dialect for config tests that need a dialect no real one is like (one that takes
 * no options, or whose defaults are not frozen): a name, a port and an options schema; it never serves.
 */
export function fakeDialect(name: string, defaultPort: number, optionsSchema: Record<string, object> = {}, defaultOptions: Record<string, unknown> = {}): Dialect {
  return {
    name,
    defaultPort,
    optionsSchema,
    defaultOptions,
    createFramer() {
      throw new Error(`${name} is a config-test toy`);
    },
    createSession() {
      throw new Error(`${name} is a config-test toy`);
    },
    describe: (frame: unknown) => String(frame),
  };
}
