import type { Dialect } from '@chat-gateway/core';

/** A dialect stand-in for config tests: a name, a port and an options schema; it never serves. */
export function fakeDialect(name: string, defaultPort: number, optionsSchema: Record<string, object> = {}, defaultOptions: object = {}): Dialect {
  return {
    name,
    defaultPort,
    optionsSchema,
    defaultOptions,
    createFramer() {
      throw new Error(`${name} is a config-test stand-in`);
    },
    createSession() {
      throw new Error(`${name} is a config-test stand-in`);
    },
    describe: (frame: unknown) => String(frame),
  };
}

/** The four dialects as config sees them, with options shaped like the real ones. */
export const FAKE_DIALECTS: ReadonlyMap<string, Dialect> = new Map([
  [
    'ws2017',
    fakeDialect(
      'ws2017',
      1030,
      {
        lineEnding: { type: 'string', enum: ['crlf', 'cr', 'lf'] },
        pingIntervalMs: { type: 'integer', minimum: 0 },
      },
      { lineEnding: 'crlf', pingIntervalMs: 60000 },
    ),
  ],
  ['psu', fakeDialect('psu', 23456, { charset: { type: 'string', enum: ['utf8', 'ascii'] } }, { charset: 'utf8' })],
  ['sup', fakeDialect('sup', 3000)],
  ['chatmaster', fakeDialect('chatmaster', 9000, { compression: { type: 'string', enum: ['mirror', 'always', 'never'] }, paceMs: { type: 'integer', minimum: 0 } }, { compression: 'mirror', paceMs: 10 })],
]);
