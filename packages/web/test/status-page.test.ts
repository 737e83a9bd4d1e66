import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { onlineAs, startTestGateway } from '@chat-gateway/testkit';
import { launch, screenshot, type Browser } from './browser.js';

// The status page in a real browser: the teacher gives the admin token once, sees who is online on which
// dialect, and watches one student's connection live.
const WAIT = { timeout: 10_000 };
const TOKEN = 'teacher-token-5678';
let browser: Browser;
before(async () => {
  browser = await launch();
});
after(() => browser.close());

test('the status page: the token once, users per dialect, rooms, the message rate, errors, and a live trace of one connection', async (t) => {
  const tg = await startTestGateway({ listeners: [{ dialect: 'chatmaster', name: 'web', transport: 'websocket' }, { dialect: 'psu' }, { dialect: 'ws2017', options: { pingIntervalMs: 0 } }], admin: { token: TOKEN } });
  t.after(() => tg.stop());
  const pat = await onlineAs(tg, 'psu', 'pat');
  t.after(() => pat.close());
  assert.ok((await pat.join('general')).ok);
  const wes = await onlineAs(tg, 'ws2017', 'wes');
  t.after(() => wes.close());

  const page = await browser.page({ width: 1100, height: 900 });
  await page.goto(`http://127.0.0.1:${tg.adminPort}/status.html`);
  await page.locator('#token-form').waitFor({ ...WAIT, state: 'visible' });
  await page.fill('#token', 'not-the-token');
  await page.click('#token-form button[type=submit]');
  await page.locator('#token-error', { hasText: 'refused' }).waitFor(WAIT);
  await page.fill('#token', TOKEN);
  await page.click('#token-form button[type=submit]');
  await page.locator('#users li[data-dialect="psu"] [data-nick="pat"]').waitFor(WAIT);
  await page.locator('#users li[data-dialect="ws2017"] [data-nick="wes"]').waitFor(WAIT);
  await page.locator('#rooms tr[data-room="general"]').waitFor(WAIT);
  await page.locator('#listeners tr[data-listener="web"]', { hasText: 'websocket' }).waitFor(WAIT);

  // Traffic for the chart and an error for the table.
  for (let i = 0; i < 5; i++) assert.ok((await wes.dm('pat', `ping ${i}`)).ok);
  assert.equal((await wes.dm('nobody', 'hello?')).ok, false);
  await page.locator('#errors tr[data-code="NO_SUCH_USER"]').waitFor(WAIT);

  // The live trace of pat's connection: what pat's client sends appears as it crosses the wire, controls escaped.
  await page.click('#clients tr[data-nick="pat"] button.trace');
  await page.locator('#trace-title', { hasText: 'pat' }).waitFor(WAIT);
  pat.wire.write(':PRIVMSG #general :watched by the teacher\r\n');
  await page.locator('#trace li[data-dir="in"] code', { hasText: ':PRIVMSG #general :watched by the teacher\\r\\n' }).waitFor(WAIT);
  assert.ok((await wes.dm('pat', 'and a reply')).ok);
  await page.locator('#trace li[data-dir="out"] code', { hasText: '<wes> and a reply\\r\\n' }).waitFor(WAIT);
  await screenshot(page, 'status');
  assert.deepEqual(browser.errors, []);
});
