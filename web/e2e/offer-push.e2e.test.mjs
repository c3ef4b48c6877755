// Offer push into the message inbox (定向推送), end to end through a real qianbaod serving the
// built web app:
//
//   A tea shop (catering) and two customers: Alice pays there, Bob pays nowhere. Ops open a live
//   campaign's console page and, in its 定向推送 card, choose the customers whose top category
//   is catering: the preview finds 1 (Alice). They push the offer; the card lists the push with
//   1 delivered. Alice's home page shows 1 unread message; she opens the inbox, taps the offer,
//   which is marked read, and its button takes her to the offers page. The push then shows 1
//   read. Bob's inbox stays empty. Alice turns personalised offers off: a second campaign's
//   preview of the same audience finds nobody and counts her as opted out.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/offer-push-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  customerLogIn,
  DESKTOP,
  expectStatus,
  MOBILE,
  waitOrExplain,
  withLuhnCheckDigit,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

const MERCHANT = {
  legal_name: '福州茶餐厅',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112271',
  contact_phone: '13900139401',
  username: 'fzcha',
  password: randomPassword(),
  activate: true,
};
// Phones from different blocks of 100 (the risk rules' phone_block_burst).
const ALICE = {
  phone: '13800138701',
  password: randomPassword(),
  realName: '林爱丽',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011230081'),
};
const BOB = {
  phone: '13700137802',
  password: randomPassword(),
  realName: '陈博',
  residentId: '110105194912310070',
  card: withLuhnCheckDigit('622202020011230091'),
};
const TITLE = '茶餐厅立减';
const BODY = '本周在茶餐厅付款立减1元';
const CATERING_AUDIENCE = { top_categories: ['catering'] };

const suite = createSuite({ screenshotPrefix: 'offer-push-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let aliceToken;
let bobToken;
const state = { campaignId: null, pushId: null };

/** Creates a live instant-discount campaign through the staff API; answers its id. */
async function liveCampaign(name) {
  const now = Date.now();
  const campaign = expectStatus(
    await api('/api/v1/staff/campaigns', {
      method: 'POST',
      token: staffToken,
      body: {
        name,
        type: 'instant_discount',
        reward: { shape: 'fixed', fixed: 100 },
        eligibility: {
          starts_at: new Date(now - 3_600_000).toISOString(),
          ends_at: new Date(now + 30 * 86_400_000).toISOString(),
        },
        caps: { budget_total: 10_000 },
      },
    }),
    201,
    'create campaign',
  );
  expectStatus(
    await api(`/api/v1/staff/campaigns/${campaign.id}/status`, {
      method: 'POST',
      token: staffToken,
      body: { status: 'live' },
    }),
    200,
    'campaign live',
  );
  return campaign.id;
}

async function preview(campaignId) {
  return expectStatus(
    await api(`/api/v1/staff/campaigns/${campaignId}/offer-pushes/preview`, {
      method: 'POST',
      token: staffToken,
      body: { audience: CATERING_AUDIENCE },
    }),
    200,
    'preview',
  );
}

describe('an offer pushed by spending profile reaches the inbox', { timeout: 600_000 }, () => {
  before(async () => {
    let portal;
    ({ server, staffToken, customerToken: aliceToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: ALICE,
      fundFen: 50_000,
    }));
    bobToken = await suite.registerCustomerByApi(BOB, { staffToken, fundFen: 10_000 });
    state.campaignId = await liveCampaign(TITLE);
    const qr = expectStatus(await api('/api/v1/merchant/qr', { token: portal }), 200, 'static QR');
    const paid = expectStatus(
      await api('/api/v1/me/payments', {
        method: 'POST',
        token: aliceToken,
        idempotencyKey: 'alice-pays-tea',
        body: { qr: qr.text, amount: 2_000, currency: 'CNY' },
      }),
      201,
      'Alice pays ¥20',
    );
    assert.equal(paid.status, 'completed', JSON.stringify(paid));
  });

  after(async () => {
    await suite.stop();
  });

  step('ops preview the catering regulars in the console and push the offer to them', async () => {
    const { page } = await openPage('ops', DESKTOP);
    await suite.consoleLogIn(page);
    await page.goto(`${server.baseUrl}/console/campaigns/${state.campaignId}`);
    const card = page.locator('[data-testid="offer-push-card"][data-mode="push"]');
    await waitOrExplain(page, card);
    await page.getByTestId('offer-push-categories').click();
    await page.getByTestId('offer-push-category-catering').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('offer-push-preview').click();
    const count = page.getByTestId('offer-push-preview-count');
    await waitOrExplain(page, count);
    assert.equal(await count.getAttribute('data-count'), '1', 'Alice, and not Bob, who never paid');
    await page.getByTestId('offer-push-title').fill(TITLE);
    await page.getByTestId('offer-push-body').fill(BODY);
    await page.getByTestId('offer-push-send').click();
    await page.getByTestId('offer-push-send-confirm').click();
    const row = page.locator('[data-testid="offer-push-row"][data-delivered="1"]');
    await waitOrExplain(page, row);
    state.pushId = await row.getAttribute('data-row-id');
    assert.ok(state.pushId, 'the push is listed with its id');
    assert.equal(await row.getAttribute('data-read'), '0');
    await screenshot(page, '01-pushed');
    suite.assertClean('ops');
  });

  step('Alice sees 1 unread message, reads the offer and goes to the offers page', async () => {
    const { page } = await openPage('alice', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, ALICE);
    await page.waitForURL((url) => url.pathname === '/home');
    const badge = page.getByTestId('messages-unread-badge');
    await waitOrExplain(page, badge);
    assert.equal(await badge.getAttribute('data-count'), '1');
    await page.getByTestId('action-messages').tap();
    const item = page.locator(`[data-testid="message-item"][data-message-id="${state.pushId}"]`);
    await waitOrExplain(page, item);
    assert.equal(await item.getAttribute('data-read'), 'false');
    assert.equal(await item.getByTestId('message-title').innerText(), TITLE);
    await screenshot(page, '02-inbox');
    await item.tap();
    await waitOrExplain(page, page.locator(`[data-testid="message-item"][data-read="true"]`));
    await screenshot(page, '03-read');
    await page.getByTestId('message-open-offer').tap();
    await page.waitForURL((url) => url.pathname === '/offers');
    const inbox = expectStatus(await api('/api/v1/me/messages', { token: aliceToken }), 200, 'inbox');
    assert.equal(inbox.unread, 0);
    suite.assertClean('alice');
  });

  step('the push shows 1 read; Bob, who never paid, has no message', async () => {
    const page = suite.pages.get('ops').page;
    await page.getByTestId('offer-push-refresh').click();
    await waitOrExplain(page, page.locator('[data-testid="offer-push-row"][data-read="1"]'));
    await screenshot(page, '04-read-count');
    const inbox = expectStatus(await api('/api/v1/me/messages', { token: bobToken }), 200, "Bob's inbox");
    assert.deepEqual(inbox.messages, []);
    suite.assertClean('ops');
  });

  step('Alice turns personalised offers off: the same audience no longer finds her', async () => {
    const page = suite.pages.get('alice').page;
    await page.goto(`${server.baseUrl}/messages`);
    const toggle = page.locator('[data-testid="offer-personalised-switch"][data-checked="true"]');
    await waitOrExplain(page, toggle);
    await toggle.tap();
    await waitOrExplain(page, page.locator('[data-testid="offer-personalised-switch"][data-checked="false"]'));
    await screenshot(page, '05-personalised-off');
    const prefs = expectStatus(await api('/api/v1/me/offer-preferences', { token: aliceToken }), 200, 'preferences');
    assert.equal(prefs.personalised, false);
    const counts = await preview(await liveCampaign('第二个活动'));
    assert.deepEqual(counts, { customers: 0, opted_out: 1, already_pushed: 0 });
    suite.assertClean('alice');
  });
});
