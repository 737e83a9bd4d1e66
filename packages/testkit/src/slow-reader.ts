import type { SessionPort } from '@chat-gateway/core';
import { onlineAs } from './dialects.js';
import type { TestGateway } from './gateway.js';

/**
 * DMs `nick` 4,000-character texts from a user registered straight on the Hub
 * until the gateway has cut it off as a slow reader (its client must have
 * stopped reading): the nick is released the moment the send queue overflows,
 * so a DM answered NO_SUCH_USER says it happened. Rejects after `timeoutMs`.
 * Returns how many DMs it took.
 */
export async function floodUntilCutOff(tg: TestGateway, nick: string, timeoutMs = 20_000): Promise<number> {
  const sender: SessionPort = { id: `flood-${nick}`, dialect: 'test', receipts: true, presence: false, address: '127.0.0.1', deliver() {} };
  const reg = await tg.hub.register(sender, `fl${nick}`.slice(0, 24));
  if (!reg.ok) throw new Error(`the flood sender could not register: ${reg.code}`);
  const text = 'x'.repeat(4000);
  const deadline = Date.now() + timeoutMs;
  let sent = 0;
  try {
    while (Date.now() < deadline) {
      // A turn's worth, then a turn for the gateway to write it out (its queue is flushed once per turn).
      for (let i = 0; i < 64; i++, sent++) {
        const r = await tg.hub.sendDirect(sender, nick, text);
        if (!r.ok) {
          if (r.code === 'NO_SUCH_USER') return sent;
          throw new Error(`DM to ${nick} failed: ${r.code}`);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`${nick} was not cut off after ${sent} DMs in ${timeoutMs} ms`);
  } finally {
    await tg.hub.unregister(sender);
  }
}

/**
 * A client of `dialect` registered as `nick` through its test driver, which
 * then stops reading while a Hub-level sender floods it; resolves with the
 * last bytes it finds when it reads its backlog to the close: its dialect's
 * SEND_QUEUE_FULL reply must be there (DESIGN.md "Operating limits").
 */
export async function slowReaderTail(tg: TestGateway, dialect: string, nick = 'slow'): Promise<Buffer> {
  const d = await onlineAs(tg, dialect, nick);
  d.wire.socket.pause();
  try {
    await floodUntilCutOff(tg, nick);
    return await d.wire.tailUntilClosed();
  } finally {
    d.close();
  }
}
