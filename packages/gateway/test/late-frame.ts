import assert from 'node:assert/strict';
import type { WireClient } from '@chat-gateway/testkit';

/**
 * Stops a gateway whose client answers the goodbye with one more frame, and checks the stop did
 * not wait for the end timer (2 s): each pipe must read on after end(), or the client's close sits
 * unread behind that frame (the soak's SIGTERM under load).
 */
export async function assertStopsWithLateFrame(client: WireClient, stop: () => Promise<void>): Promise<void> {
  client.socket.on('data', (chunk: Buffer) => {
    if (chunk.includes('BYE')) client.socket.write('FAST late\n');
  });
  const t0 = performance.now();
  await stop();
  const ms = performance.now() - t0;
  await client.expectClosed();
  assert.ok(ms < 1500, `shutdown took ${Math.round(ms)} ms: the connection waited for the end timer (2 s), not the client's close`);
}
