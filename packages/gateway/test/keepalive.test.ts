import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect, connectTls, selfSignedCert, startTestGateway, WsClient, type TestCert, type TestGateway } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';

// DESIGN.md "Operating limits": "TCP keepalive on every socket, so a vanished peer loses its nick"
// (limits.tcpKeepaliveMs). Node cannot read SO_KEEPALIVE back, so the kernel is asked: /proc/net/tcp
// shows, per socket, which timer is armed (2: keepalive) and when it fires, in clock ticks (USER_HZ 100).
const PROC = '/proc/net/tcp';
const skip = existsSync(PROC) ? false : 'needs Linux /proc/net/tcp to see the kernel keepalive timer';
const KEEPALIVE_MS = 45_000;

type T = { after(fn: () => unknown): void };

let cert: TestCert;
before(async () => {
  cert = await selfSignedCert();
});
after(() => cert?.remove());

/** The gateway side of the loopback connection from `clientPort` to `serverPort`: its timer kind and ms left. */
function serverSocketTimer(serverPort: number, clientPort: number): { timer: number; ms: number } | undefined {
  const hexPort = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync(PROC, 'latin1').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] !== `0100007F:${hexPort(serverPort)}` || f[2] !== `0100007F:${hexPort(clientPort)}`) continue;
    const [timer, when] = f[5]!.split(':');
    return { timer: parseInt(timer!, 16), ms: parseInt(when!, 16) * 10 };
  }
  return undefined;
}

/** Polls (bounded) until the socket is idle (no retransmission timer armed after the last exchange). */
async function idleTimer(serverPort: number, clientPort: number): Promise<{ timer: number; ms: number }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = serverSocketTimer(serverPort, clientPort);
    if (s && s.timer !== 1) return s;
    if (Date.now() > deadline) throw new Error(`no idle server socket for client port ${clientPort}: ${JSON.stringify(s)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function gateway(t: T, transport: 'tcp' | 'tls' | 'websocket', tcpKeepaliveMs = KEEPALIVE_MS): Promise<TestGateway> {
  const creds = transport === 'tcp' ? {} : { cert: cert.certFile, key: cert.keyFile };
  const tg = await startTestGateway({ dialects: [echoDialect], listeners: [{ dialect: 'echo', transport, ...creds }], limits: { tcpKeepaliveMs } });
  t.after(() => tg.stop());
  return tg;
}


/** Asserts the gateway armed the keepalive timer on its side, due in about limits.tcpKeepaliveMs. */
async function assertKeepalive(port: number, clientSocket: Socket): Promise<void> {
  const s = await idleTimer(port, clientSocket.localPort!);
  assert.equal(s.timer, 2, 'the keepalive timer is armed');
  assert.ok(s.ms > KEEPALIVE_MS - 5000 && s.ms <= KEEPALIVE_MS, `first probe due in ${s.ms} ms`);
}

describe('TCP keepalive on every socket (limits.tcpKeepaliveMs)', { skip }, () => {
  test('tcp', async (t) => {
    const tg = await gateway(t, 'tcp');
    const c = await connect(tg.port('echo'));
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    await assertKeepalive(tg.port('echo'), c.socket as Socket);
    // The test's own client has none: the line read is the gateway's socket, not ours.
    assert.equal(serverSocketTimer((c.socket as Socket).localPort!, tg.port('echo'))?.timer, 0);
  });

  test('tls', async (t) => {
    const tg = await gateway(t, 'tls');
    const c = await connectTls(tg.port('echo'), cert);
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    await assertKeepalive(tg.port('echo'), c.socket as Socket);
  });

  test('websocket (the upgraded socket)', async (t) => {
    const tg = await gateway(t, 'websocket');
    const c = await WsClient.open(`wss://127.0.0.1:${tg.port('echo')}/ws`, { ca: cert.pem });
    t.after(() => c.destroy());
    await c.expectText('HELLO echo');
    // ws keeps its socket private; its local port is what names the connection in /proc/net/tcp.
    const raw = (c.ws as unknown as { _socket: Socket })._socket;
    await assertKeepalive(tg.port('echo'), raw);
  });

  test('0 turns it off', async (t) => {
    const tg = await gateway(t, 'tcp', 0);
    const c = await connect(tg.port('echo'));
    t.after(() => c.destroy());
    await c.expectLine('HELLO echo');
    assert.equal((await idleTimer(tg.port('echo'), (c.socket as Socket).localPort!)).timer, 0, 'no timer armed');
  });
});
