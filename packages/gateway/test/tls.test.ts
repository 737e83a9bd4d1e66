import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { connect, connectTls, selfSignedCert, startTestGateway, WsClient, type TestCert } from '@chat-gateway/testkit';
import { echoDialect } from './fixtures/echo-dialect.js';

// TLS and wss:// with a self-signed certificate made for the test (openssl), trusted by the client as its CA.
let cert: TestCert;
before(async () => {
  cert = await selfSignedCert();
});
after(() => cert.remove());

async function gateway(t: { after(fn: () => unknown): void }, transport: 'tls' | 'websocket') {
  const tg = await startTestGateway({ dialects: [echoDialect], listeners: [{ dialect: 'echo', transport, cert: cert.certFile, key: cert.keyFile }] });
  t.after(() => tg.stop());
  return tg;
}


test('transport tls: the dialect inside TLS; a client that does not speak TLS costs its own socket only', async (t) => {
  const tg = await gateway(t, 'tls');
  const c = await connectTls(tg.port('echo'), cert);
  t.after(() => c.destroy());
  await c.expectLine('HELLO echo');
  c.write('REG alice\nFAST a\n');
  await c.expectLine('OK alice');
  await c.expectLine('DONE a');
  assert.deepEqual(tg.gw.trace.connections().map((x) => x.transport), ['tls']);
  const plain = await connect(tg.port('echo'));
  t.after(() => plain.destroy());
  plain.write('FAST not-tls\n');
  await plain.expectClosed(5000);
  c.write('FAST still\n');
  await c.expectLine('DONE still');
});

test('transport websocket with cert and key: wss:// for the dialect, https:// for the pages', async (t) => {
  const tg = await gateway(t, 'websocket');
  const url = `wss://127.0.0.1:${tg.port('echo')}/ws`;
  const c = await WsClient.open(url, { ca: cert.pem });
  t.after(() => c.destroy());
  await c.expectText('HELLO echo');
  c.send('FAST secure');
  await c.expectText('DONE secure');
  assert.deepEqual((await tg.gw.status()).endpoints.map((e) => e.url), [url]);
  await assert.rejects(WsClient.open(url), /self-signed|certificate/, 'an untrusted certificate is refused by the client');
  const status = await new Promise<number>((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: tg.port('echo'), path: '/', ca: cert.pem, servername: 'localhost' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
  assert.equal(status, 404, 'HTTPS answers (no chat page on a listener of another dialect)');
});
