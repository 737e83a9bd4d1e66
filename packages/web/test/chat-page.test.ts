import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { onlineAs, startTestGateway, type TestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { launch, screenshot, type Browser } from './browser.js';

// The chat page in a real browser (headless Chromium), against a real gateway: the page is a ChatMaster
// client over WebSocket; the other users are the dialects' test drivers over TCP.
const WAIT = { timeout: 10_000 };
let browser: Browser;
before(async () => {
  browser = await launch();
});
after(() => browser.close());

function gateway(port = 0): Promise<TestGateway> {
  const listeners: TestGatewayOptions['listeners'] = [
    { dialect: 'chatmaster', name: 'web', transport: 'websocket', port },
    { dialect: 'psu' },
    { dialect: 'ws2017', options: { pingIntervalMs: 0 } },
    { dialect: 'sup' },
  ];
  return startTestGateway({ listeners });
}

/** Waits for a line of the open conversation that holds `text`. */
const line = (page: Page, text: string) => page.locator('#messages li', { hasText: text }).waitFor(WAIT);

test('the chat page: log in, rooms with a PSU user, DMs with WS_2017 and Sup users, the user list, joins/leaves/renames, a reconnect after a restart', async (t) => {
  let tg = await gateway();
  t.after(() => tg.stop());
  const port = tg.port('web');
  const pat = await onlineAs(tg, 'psu', 'pat');
  t.after(() => pat.close());
  assert.ok((await pat.join('general')).ok);
  const wes = await onlineAs(tg, 'ws2017', 'wes');
  t.after(() => wes.close());
  const sue = await onlineAs(tg, 'sup', 'sue');
  t.after(() => sue.close());

  const page = await browser.page();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.fill('#nick', 'bea');
  await page.click('#login-form button[type=submit]');
  await page.locator('#conn-state', { hasText: 'connected as bea' }).waitFor(WAIT);
  // Everyone online, with each one's dialect.
  for (const [nick, dialect] of [['pat', 'psu'], ['wes', 'ws2017'], ['sue', 'sup'], ['bea', 'chatmaster']]) {
    await page.locator(`#people li[data-nick="${nick}"][data-dialect="${dialect}"]`).waitFor(WAIT);
  }
  await page.locator('#rooms li.here[data-room="general"]').waitFor(WAIT);

  // A room with a PSU user on TCP, both ways.
  await page.fill('#text', 'hello from the browser');
  await page.click('#send');
  const heard = await pat.waitFor('room', (s) => s.from === 'bea');
  assert.deepEqual([heard.room, heard.text], ['general', 'hello from the browser']);
  assert.ok((await pat.roomSay('general', 'hi bea, pat here')).ok);
  await line(page, 'hi bea, pat here');
  // Leaves, joins and renames of someone in the room.
  assert.ok((await pat.part('general')).ok);
  await line(page, 'pat left #general');
  assert.ok((await pat.join('general')).ok);
  await line(page, 'pat joined #general');
  assert.ok((await pat.rename('patty')).ok);
  await line(page, 'pat is now known as patty');
  await page.locator('#people li[data-nick="patty"][data-dialect="psu"]').waitFor(WAIT);

  // DMs with a WS_2017 user and a Sup user.
  for (const [peer, driver] of [['wes', wes], ['sue', sue]] as const) {
    await page.click(`#people li[data-nick="${peer}"] button`);
    await page.locator('#conv-title', { hasText: `@${peer}` }).waitFor(WAIT);
    await page.fill('#text', `hi ${peer}`);
    await page.click('#send');
    const dm = await driver.waitFor('dm', (s) => s.from === 'bea');
    assert.equal(dm.text, `hi ${peer}`);
    assert.ok((await driver.dm('bea', `hi bea, ${peer} here`)).ok);
    await line(page, `hi bea, ${peer} here`);
  }
  // A room of its own, then back to general.
  await page.fill('#room-name', 'study');
  await page.click('#new-room button');
  await page.locator('#rooms li.here[data-room="study"]').waitFor(WAIT);
  await page.click('#rooms li[data-room="general"] button');
  await page.locator('#rooms li.here[data-room="general"]').waitFor(WAIT);
  await line(page, 'hi bea, pat here');
  await screenshot(page, 'chat');

  // The gateway restarts on the same port: the page reconnects with backoff and logs in again as bea.
  await tg.stop();
  await page.locator('#conn-state[data-ok="false"]', { hasText: 'reconnecting' }).waitFor(WAIT);
  tg = await gateway(port);
  await page.locator('#conn-state', { hasText: 'connected as bea' }).waitFor(WAIT);
  assert.equal((await tg.hub.user('bea'))?.dialect, 'chatmaster');
  const pam = await onlineAs(tg, 'psu', 'pam');
  t.after(() => pam.close());
  assert.ok((await pam.join('general')).ok);
  await page.click('#rooms li[data-room="general"] button');
  await line(page, 'pam joined #general');
  await page.fill('#text', 'back again');
  await page.click('#send');
  assert.equal((await pam.waitFor('room', (s) => s.from === 'bea')).text, 'back again');
  assert.deepEqual(browser.errors, []);
});

test('the chat page fits a phone: the rooms and people are behind the menu button', async (t) => {
  const tg = await gateway();
  t.after(() => tg.stop());
  const page = await browser.page({ width: 390, height: 760 });
  await page.goto(`http://127.0.0.1:${tg.port('web')}/`);
  await page.fill('#nick', 'phil');
  await page.click('#login-form button[type=submit]');
  await page.locator('#conn-state', { hasText: 'connected as phil' }).waitFor(WAIT);
  assert.equal(await page.isVisible('#sidebar'), false);
  await page.click('#menu-toggle');
  await page.locator('#people li[data-nick="phil"]').waitFor({ ...WAIT, state: 'visible' });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling (${width} px)`);
  await screenshot(page, 'chat-phone');
  assert.deepEqual(browser.errors, []);
});
