import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { TestContext } from 'node:test';
import { connect, startTestGateway, type TestGateway, type TestGatewayOptions, type WireClient } from '@chat-gateway/testkit';

/** A package as a client writes it: one JSON text, `\n`-ended by default (a stream client, so no pacing). */
export function wire(pkg: unknown, newline = true): string {
  return JSON.stringify(pkg) + (newline ? '\n' : '');
}

/** A command package. */
export const command = (name: string, parameters?: unknown) => ({ type: 'command', data: parameters === undefined ? { command: name } : { command: name, parameters } });
/** A message package (to the current channel, or to one user with `to`). */
export const message = (text: string, to?: string) => ({ type: 'message', data: to === undefined ? { message: text } : { message: text, to } });

/** Starts a gateway (ChatMaster only unless told) and stops it after the test. */
export async function gateway(t: TestContext, opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const g = await startTestGateway({ listeners: [{ dialect: 'chatmaster' }], ...opts });
  t.after(() => g.stop());
  return g;
}

/**
 * Where a test client connects: a TCP port, or a gateway's in-process pipe (no socket: for session
 * behaviour, where a socket adds nothing; what crosses the wire stays on TCP).
 */
export type Target = number | { pair(): WireClient };

/** The ChatMaster listener of a test gateway, in process. */
export const inProcess = (g: TestGateway, listener = 'chatmaster'): Target => ({ pair: () => g.pair(listener) });

/** Connects a raw client, closed after the test, and reads the login request. */
export async function open(t: TestContext, at: Target): Promise<WireClient> {
  const c = typeof at === 'number' ? await connect(at) : at.pair();
  t.after(() => c.destroy());
  assert.deepEqual(await c.nextJson(), { type: 'request', data: { request: 'login' } });
  return c;
}

/** Connects and logs in as `name` (a stream client unless told), reading the session and the `general` join. */
export async function login(t: TestContext, at: Target, name: string, newline = true): Promise<WireClient> {
  const c = await open(t, at);
  c.write(wire(command('login', { username: name }), newline));
  const s = await c.nextJson();
  assert.equal(s.type, 'session');
  assert.equal(s.data.status, true, JSON.stringify(s));
  const j = await c.nextJson();
  assert.equal(j.data.event_type, 'user_joined');
  assert.equal(j.data.username, name);
  return c;
}

/**
 * Proves nothing else was sent: a `channels` command must be answered by the
 * very next package (GUIDE: a sentinel, not a sleep).
 */
export async function nothingElse(c: WireClient): Promise<void> {
  c.write(wire(command('channels')));
  const p = await c.nextJson();
  assert.equal(p.type, 'notification', `expected the sentinel's channel_list, got ${JSON.stringify(p)}`);
  assert.equal(p.data.event_type, 'channel_list', `expected the sentinel's channel_list, got ${JSON.stringify(p)}`);
}

/** The next package, which must be an `error` of this type whose message matches. */
export async function expectError(c: WireClient, errorType: string, msg: RegExp): Promise<void> {
  const p = await c.nextJson();
  assert.equal(p.type, 'error', JSON.stringify(p));
  assert.equal(p.data.error_type, errorType, JSON.stringify(p));
  assert.match(p.data.message, msg);
}

/** The next package, which must be a notification of this event type; returns its data. */
export async function expectNote(c: WireClient, eventType: string): Promise<Record<string, any>> {
  const p = await c.nextJson();
  assert.equal(p.type, 'notification', JSON.stringify(p));
  assert.equal(p.data.event_type, eventType, JSON.stringify(p));
  return p.data;
}

/** The next package must be a `message` with exactly this data. */
export async function expectMessage(c: WireClient, data: Record<string, unknown>): Promise<void> {
  assert.deepEqual(await c.nextJson(), { type: 'message', data });
}

/** Checks a notification carries its fields both flat and under `parameters` (DESIGN.md ChatMaster). */
export function bothForms(data: Record<string, any>, fields: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(fields)) {
    assert.deepEqual(data[k], v, `flat ${k}`);
    assert.deepEqual(data.parameters?.[k], v, `parameters.${k}`);
  }
}

/** The next package with the format it came in: the raw bytes up to the `\n` that ends it. */
export function nextPackage(c: WireClient, timeoutMs = 2000): Promise<{ format: 'none' | 'zlib' | 'gzip'; value: any }> {
  return c.next((b) => {
    const format = b[0] === 0x78 ? 'zlib' : b[0] === 0x1f && b[1] === 0x8b ? 'gzip' : 'none';
    for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) {
      try {
        const raw = b.subarray(0, i);
        const text = format === 'zlib' ? zlib.inflateSync(raw) : format === 'gzip' ? zlib.gunzipSync(raw) : raw;
        return { value: { format, value: JSON.parse(text.toString('utf8')) }, used: i + 1 };
      } catch (err) {
        if (format === 'none') throw err;
      }
    }
    return undefined;
  }, timeoutMs, 'a package');
}

/** Compresses a package as a client would. */
export function compressed(pkg: unknown, format: 'zlib' | 'gzip'): Buffer {
  const json = JSON.stringify(pkg);
  return format === 'zlib' ? zlib.deflateSync(json) : zlib.gzipSync(json);
}
