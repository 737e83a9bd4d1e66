import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectTesting, runProbe, startTestGateway } from '@chat-gateway/testkit';

// `chat-gateway probe irc` checks what RFC 2812 and DESIGN.md fix, not the gateway's own words: a
// server of another name, on another network, with its own texts passes it too.
test('the IRC probe passes against a server named irc.example.org on network ExampleNet', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'irc', options: { serverName: 'irc.example.org', network: 'ExampleNet' } }] });
  t.after(() => tg.stop());
  const reports = await runProbe(dialectTesting('irc'), { host: '127.0.0.1', port: tg.port('irc') });
  assert.deepEqual(reports.filter((r) => r.status !== 'pass'), []);
  const offline = reports.find((r) => r.name === 'direct message to someone offline')!;
  assert.match(offline.received, /^":irc\.example\.org 401 probe\w+ probe\w+x :/, 'the reply came from the renamed server');
  assert.match(reports.find((r) => r.name.endsWith(' quits'))!.received, /^":probe\w+b!probe\w+b@irc\.ExampleNet QUIT /);
});
