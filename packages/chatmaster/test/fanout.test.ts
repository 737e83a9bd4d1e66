import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { fanoutBound, fanoutSizes, startTestGateway } from '@chat-gateway/testkit';

// Issue #12 item 3, DESIGN.md "Traffic": a ChatMaster join or leave names at most currentUsersMax members
// (`current_users`), read from the Directory. N logins into `general` then cost O(N² · cap) bytes in all,
// where the full lists cost O(N³). `npm run soak` measures 1,000 logins with the default cap of 200;
// here 200 with a cap of 10, the same bound, over TCP.
const N = 200;
const CAP = 10;

/** A ChatMaster client that counts every byte it is sent and can wait for a piece of text in what comes next. */
class Counter {
  bytes = 0;
  private text = '';
  private want?: { needle: string; resolve: () => void };

  constructor(readonly duplex: Duplex) {
    duplex.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (!this.want) return;
      this.text += chunk.toString('utf8');
      if (this.text.includes(this.want.needle)) {
        const w = this.want;
        this.want = undefined;
        w.resolve();
      }
    });
  }

  /** Writes `data` and resolves once `needle` has arrived after it (rejecting after 10 s). */
  ask(data: string, needle: string): Promise<void> {
    this.text = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${needle} within 10 s`)), 10_000);
      this.want = {
        needle,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.duplex.write(data);
    });
  }
}

/** A TCP socket to 127.0.0.1:port, once connected. */
function tcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

test(`${N} ChatMaster logins with current_users capped at ${CAP}: the bytes sent stay within the capped bound, which the full lists would exceed`, async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'chatmaster', options: { currentUsersMax: CAP } }] });
  t.after(() => tg.stop());
  const clients: Counter[] = [];
  t.after(() => clients.forEach((c) => c.duplex.destroy()));
  for (let k = 0; k < N; k++) {
    const c = new Counter(await tcp(tg.port('chatmaster')));
    clients.push(c);
    // Logged in once its own user_joined came (the last thing a login sends it); `\n` ends the package, so no pacing.
    await c.ask(`{"type":"command","data":{"command":"login","parameters":{"username":"u${k}"}}}\n`, `"event_type":"user_joined","username":"u${k}"`);
  }
  // Each client's sentinel: its channel_list comes after every notification queued for it before.
  for (const c of clients) await c.ask('{"type":"command","data":{"command":"channels"}}\n', '"event_type":"channel_list"');
  // The sentinels' replies are counted too: the bound's per-login allowance (request and session) has room for them.
  const total = clients.reduce((n, c) => n + c.bytes, 0);
  const bound = fanoutBound(N, CAP, fanoutSizes(2, 4));
  assert.ok(bound.capped < bound.uncapped, `the bound separates the two: ${bound.capped} < ${bound.uncapped}`);
  assert.ok(total <= bound.capped, `${total} bytes sent, bound ${bound.capped} (the uncapped lists: at least ${bound.uncapped})`);
});
