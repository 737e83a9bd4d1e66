import assert from 'node:assert/strict';
import type { Dialect } from '@chat-gateway/core';
import { ConfigError, parseConfig, type ConfigIssue, type ConfigOverrides } from '../src/config/load.js';
import type { GatewayConfig } from '../src/config/types.js';
import { discoverDialects } from '../src/registry.js';

// What the config tests share: the installed dialects and ways to see what a config raises.
export const DIALECTS = await discoverDialects();
export const WS2017 = DIALECTS.get('ws2017')!;

/** parseConfig against the installed dialects (`dialects` swaps in another registry). */
export function parse(input: unknown, overrides: ConfigOverrides = {}, dialects: ReadonlyMap<string, Dialect> = DIALECTS): GatewayConfig {
  return parseConfig(input, overrides, { dialects });
}

/** The issues a bad config raises (fails the test when it does not raise a ConfigError). */
export function issues(input: unknown, overrides: ConfigOverrides = {}, dialects?: ReadonlyMap<string, Dialect>): ConfigIssue[] {
  try {
    parse(input, overrides, dialects);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return [...err.errors];
  }
  assert.fail('the config was accepted');
}

/** Asserts exactly one issue, at `path`, whose message matches. */
export function expectIssue(input: unknown, path: string, message: string | RegExp, overrides: ConfigOverrides = {}, dialects?: ReadonlyMap<string, Dialect>): void {
  const found = issues(input, overrides, dialects);
  assert.equal(found.length, 1, `expected one issue, got ${JSON.stringify(found)}`);
  assert.equal(found[0]!.path, path);
  if (typeof message === 'string') assert.equal(found[0]!.message, message);
  else assert.match(found[0]!.message, message);
}

export const one = (listener: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  ...top,
  listeners: [{ dialect: 'ws2017', port: 1030, ...listener }],
});
