// Marketing end to end through a real qianbaod serving the built web app:
//
//   Ops (the staff admin) create two campaigns in the console's editor, not through the API: a
//   first-order discount (首单立减 ¥8) and a threshold-coupon campaign (满减) with a coupon
//   template "满100减15"; both go live. A new customer (registered, verified and funded through
//   the API, never paid before) opens the offers page, grabs the coupon, and opens a merchant's
//   ¥120 checkout order: before paying, the page shows both discounts and ¥97.00 to pay. After
//   paying, the result shows ¥23.00 saved, the wallet lost exactly ¥97.00, the coupon shows as
//   used, and each campaign's figures in the console show what it spent and one rewarded
//   payment. Then ops make a 2% cashback held for 7 days (the editor's hold field), dry-running
//   it over the payments so far before creating it; the
//   customer's next checkout says when the cashback arrives, and after paying the home page
//   shows it on its way, not in the balance. Last, ops switch the points programme on in the
//   console with a ×2 rule: the next payment earns points (shown at checkout and on the home
//   page), and the one after pays part of its amount with them. Finally the merchant co-funds an
//   instant discount at its own till in its region (联合营销, for Fujian, where its credit code
//   was issued): ops top it up from the merchant in the console,
//   the settlement card shows each side's share of the cost, ending the campaign returns the
//   unspent budget to both in proportion, and the merchant's portal shows its own side.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/marketing-*.png.
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
  legal_name: '福州茶叶店',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112235',
  contact_phone: '13900139081',
  username: 'fztea',
  password: randomPassword(),
  activate: true,
};
const CUSTOMER = {
  phone: '13800138081',
  password: randomPassword(),
  realName: '周八',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011229921'),
};
const FUND_FEN = 50_000;
const ORDER_FEN = 12_000;
const FIRST_ORDER_FEN = 800;
const COUPON_SAVE_FEN = 1_500;
const SECOND_ORDER_FEN = 5_000;
const HELD_CASHBACK_FEN = 100; // 2 % of the second order
const HOLD_DAYS = 7;
const THIRD_ORDER_FEN = 3_000;
const FOURTH_ORDER_FEN = 1_000;
const EARNED_FIRST = 60; // ¥30 × 1 point × 2
const COFUND_BANK_FEN = 10_000;
const COFUND_MERCHANT_FEN = 2_000;
const COFUND_DISCOUNT_FEN = 500;
const FIFTH_ORDER_FEN = 2_000;

const suite = createSuite({ screenshotPrefix: 'marketing-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let customerToken;
let portal;
const state = { firstOrderId: null, couponCampaignId: null, templateId: null, paymentId: null };

/** Fills the console's campaign editor and creates the draft; answers the new campaign's id. */
async function createCampaignInConsole(page, { name, type, fill }) {
  await page.goto(`${server.baseUrl}/console/campaigns`);
  await page.getByTestId('campaign-new').click();
  await page.getByTestId('campaign-editor').waitFor();
  await page.getByTestId('campaign-name').fill(name);
  await page.getByTestId(`campaign-type-${type}`).click();
  await fill(page);
  await page.getByTestId('campaign-submit').click();
  const detail = page.locator('[data-testid="campaign-detail"][data-status="draft"]');
  await waitOrExplain(page, detail);
  return detail.getAttribute('data-campaign-id');
}

async function goLive(page) {
  await page.getByTestId('campaign-to-live').click();
  await waitOrExplain(page, page.locator('[data-testid="campaign-detail"][data-status="live"]'));
}

describe('marketing: campaigns made in the console discount a new customer\'s payment', { timeout: 600_000 }, () => {
  before(async () => {
    ({ server, staffToken, customerToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: CUSTOMER,
      fundFen: FUND_FEN,
    }));
  });

  after(() => suite.stop());

  step('ops create a 首单立减 campaign in the console and make it live', async () => {
    const { page } = await openPage('ops', DESKTOP);
    await suite.consoleLogIn(page);
    state.firstOrderId = await createCampaignInConsole(page, {
      name: '首单立减 ¥8',
      type: 'first_order',
      fill: async (p) => {
        await p.getByTestId('campaign-shape-fixed').click();
        await p.getByTestId('campaign-fixed').fill('8');
        await p.getByTestId('campaign-budget-total').fill('1,000');
        await p.getByTestId('campaign-customer-count-lifetime').fill('1');
      },
    });
    assert.ok(state.firstOrderId, 'the new campaign is named');
    await goLive(page);
    const figures = page.getByTestId('campaign-figure-budget');
    assert.equal(await figures.getAttribute('data-fen'), '100000');
    await screenshot(page, '01-first-order-live');
  });

  step('ops create a 满减 coupon campaign with a 满100减15 template', async () => {
    const page = suite.pages.get('ops').page;
    state.couponCampaignId = await createCampaignInConsole(page, {
      name: '满减券 11.11',
      type: 'threshold_coupon',
      fill: async (p) => {
        await p.getByTestId('campaign-budget-total').fill('500');
      },
    });
    await goLive(page);
    await page.getByTestId('coupon-template-new').click();
    await page.getByTestId('coupon-name').fill('满100减15');
    await page.getByTestId('coupon-threshold').fill('100');
    await page.getByTestId('coupon-save').fill('15');
    await page.getByTestId('coupon-stock').fill('100');
    await page.getByTestId('coupon-submit').click();
    const row = page.getByTestId('coupon-template-row');
    await waitOrExplain(page, row);
    state.templateId = await row.getAttribute('data-row-id');
    await screenshot(page, '02-coupon-template');
    suite.assertClean('ops');
  });

  step('the new customer grabs the coupon on the offers page', async () => {
    const { page } = await openPage('customer', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-offers').tap();
    const offer = page.locator(`[data-testid="offer-template"][data-template-id="${state.templateId}"]`);
    await waitOrExplain(page, offer);
    await page
      .locator(`[data-testid="offer-campaign"][data-campaign-id="${state.firstOrderId}"]`)
      .waitFor();
    await offer.getByTestId('offer-grab').tap();
    await waitOrExplain(page, page.locator('[data-testid="my-coupon"][data-state="available"]'));
    await screenshot(page, '03-offers');
  });

  step('the checkout shows both discounts before paying, and the payment gets them', async () => {
    const page = suite.pages.get('customer').page;
    const order = await suite.createOrderByApi(portal, ORDER_FEN, 'E2E-MKT');
    await page.goto(`${server.baseUrl}${order.checkout_path}`);
    const discount = FIRST_ORDER_FEN + COUPON_SAVE_FEN;
    const quote = page.locator(`[data-testid="pay-quote"][data-discount="${discount}"]`);
    await waitOrExplain(page, quote);
    assert.equal(await page.getByTestId('pay-quote-pay').getAttribute('data-fen'), String(ORDER_FEN - discount));
    await screenshot(page, '04-quote');
    await page.getByTestId('pay-submit').tap();
    const success = page.locator('[data-testid="pay-success"][data-status="completed"]');
    await waitOrExplain(page, success);
    state.paymentId = await success.getAttribute('data-payment-id');
    assert.equal(await page.getByTestId('pay-success-discount').getAttribute('data-fen'), String(discount));
    assert.equal(await page.getByTestId('pay-success-amount').getAttribute('data-fen'), String(ORDER_FEN - discount));
    await screenshot(page, '05-paid');

    const balance = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'balance');
    assert.equal(balance.balance, FUND_FEN - (ORDER_FEN - discount));
    const coupons = expectStatus(await api('/api/v1/me/coupons', { token: customerToken }), 200, 'coupons');
    assert.deepEqual(
      coupons.items.map((c) => c.state),
      ['redeemed'],
    );
    suite.assertClean('customer');
  });

  step("each campaign's figures in the console show the spend and the rewarded payment", async () => {
    const page = suite.pages.get('ops').page;
    for (const [id, spent] of [
      [state.firstOrderId, FIRST_ORDER_FEN],
      [state.couponCampaignId, COUPON_SAVE_FEN],
    ]) {
      await page.goto(`${server.baseUrl}/console/campaigns/${id}`);
      await waitOrExplain(page, page.locator(`[data-testid="campaign-figure-spent"][data-fen="${spent}"]`));
      assert.equal(await page.getByTestId('campaign-figure-rewarded').getAttribute('data-count'), '1');
    }
    await page.locator(`[data-testid="coupon-template-row"][data-row-id="${state.templateId}"]`).waitFor();
    assert.equal(await page.getByTestId('coupon-template-claimed').getAttribute('data-count'), '1');
    await screenshot(page, '06-figures');
    await page.goto(`${server.baseUrl}/console/campaigns`);
    await waitOrExplain(page, page.locator(`[data-testid="campaign-row"][data-row-id="${state.firstOrderId}"]`));
    suite.assertClean('ops');
  });
  step('a cashback held for 7 days shows its date at checkout and waits on the home page', async () => {
    const ops = suite.pages.get('ops').page;
    const cashbackId = await createCampaignInConsole(ops, {
      name: '返现 2% 冻结 7 天',
      type: 'cashback',
      fill: async (p) => {
        await p.getByTestId('campaign-shape-percent').click();
        await p.getByTestId('campaign-percent').fill('2');
        await p.getByTestId('campaign-hold-days').fill(String(HOLD_DAYS));
        await p.getByTestId('campaign-budget-total').fill('100');
        // Before creating it: the dry run prices it over the payments so far (the ¥120 order).
        await p.getByTestId('campaign-dry-run').click();
        const result = p.locator(`[data-testid="campaign-dry-run-result"][data-rewarded="1"]`);
        await waitOrExplain(p, result);
        assert.equal(await result.getAttribute('data-cost'), String((ORDER_FEN * 2) / 100));
        await screenshot(p, '07a-dry-run');
        // Then a 10 % holdout: this customer's bucket for this campaign is in the treated part.
        // (The dry run's split differs: a candidate has no campaign id yet.)
        await p.getByTestId('campaign-holdout').fill('10');
      },
    });
    await goLive(ops);
    const read = expectStatus(await api(`/api/v1/staff/campaigns/${cashbackId}`, { token: staffToken }), 200, 'campaign');
    assert.equal(read.reward.hold_seconds, HOLD_DAYS * 86_400);

    const page = suite.pages.get('customer').page;
    const order = await suite.createOrderByApi(portal, SECOND_ORDER_FEN, 'E2E-MKT-2');
    await page.goto(`${server.baseUrl}${order.checkout_path}`);
    const release = page.getByTestId('pay-quote-cashback-release');
    await waitOrExplain(page, release);
    const releaseAt = Date.parse(await release.getAttribute('data-release-at'));
    const days = (releaseAt - Date.now()) / 86_400_000;
    assert.ok(days > HOLD_DAYS - 0.1 && days <= HOLD_DAYS, `released in ${days} days`);
    await screenshot(page, '07-held-cashback-quote');
    await page.getByTestId('pay-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="pay-success"][data-status="completed"]'));

    const before = FUND_FEN - (ORDER_FEN - FIRST_ORDER_FEN - COUPON_SAVE_FEN);
    const balance = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'balance');
    assert.equal(balance.balance, before - SECOND_ORDER_FEN);
    assert.equal(balance.pending_in, HELD_CASHBACK_FEN);
    await page.goto(`${server.baseUrl}/home`);
    await waitOrExplain(page, page.locator(`[data-testid="pending-in-value"][data-fen="${HELD_CASHBACK_FEN}"]`));
    await screenshot(page, '08-cashback-on-its-way');

    // The campaign's page measures it against its holdout: the one customer is treated and paid
    // in its window (the window opens at the minute the editor was filled, so the ¥120 order
    // may fall in it too); nobody is held out, so there is no uplift to show.
    await ops.goto(`${server.baseUrl}/console/campaigns/${cashbackId}`);
    const uplift = ops.locator('[data-testid="campaign-uplift"][data-loaded="true"]');
    await waitOrExplain(ops, uplift);
    assert.equal(await ops.getByTestId('campaign-uplift-treated-paying-customers').getAttribute('data-count'), '1');
    const payments = await ops.getByTestId('campaign-uplift-treated-payments').getAttribute('data-count');
    assert.ok(['1', '2'].includes(payments), `treated payments ${payments}`);
    assert.equal(await ops.getByTestId('campaign-uplift-holdout-customers').getAttribute('data-count'), '0');
    await ops.getByTestId('campaign-uplift-none').waitFor();
    await screenshot(ops, '08a-uplift');
    suite.assertClean('customer');
    suite.assertClean('ops');
  });

  step('ops switch points on with a ×2 rule; a payment earns them and the next pays with them', async () => {
    // Four payments inside a minute: the velocity rule would rightly ask for a second factor.
    await suite.shadowRiskRules(staffToken, ['burst_1m']);
    const ops = suite.pages.get('ops').page;
    await ops.goto(`${server.baseUrl}/console/points`);
    await waitOrExplain(ops, ops.locator('[data-testid="points-version"][data-version="0"]'));
    await ops.getByTestId('points-enabled').click();
    await ops.getByTestId('points-add-multiplier').click();
    await ops.getByTestId('points-multiplier-name-0').fill('全场双倍');
    await ops.getByTestId('points-multiplier-value-0').fill('2');
    await ops.getByTestId('points-save').click();
    await waitOrExplain(ops, ops.locator('[data-testid="points-version"][data-version="1"]'));
    await screenshot(ops, '09-points-programme');
    const program = expectStatus(await api('/api/v1/staff/points-program', { token: staffToken }), 200, 'points programme');
    assert.equal(program.enabled, true);
    assert.equal(program.earn_points_per_yuan, 1);
    assert.equal(program.multipliers[0].multiplier, 2);

    // ¥30 paid in cash (the held cashback applies, it does not lower what is paid): 60 points.
    const page = suite.pages.get('customer').page;
    const third = await suite.createOrderByApi(portal, THIRD_ORDER_FEN, 'E2E-MKT-3');
    await page.goto(`${server.baseUrl}${third.checkout_path}`);
    await waitOrExplain(page, page.locator(`[data-testid="points-earn"][data-points="${EARNED_FIRST}"]`));
    await page.getByTestId('pay-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="pay-success"][data-status="completed"]'));
    await page.goto(`${server.baseUrl}/home`);
    await waitOrExplain(page, page.locator(`[data-testid="points-balance"][data-points="${EARNED_FIRST}"]`));

    // ¥10 with the points switched on: all 60 go (worth ¥0.60, under the 50 % cap).
    const before = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'balance');
    const fourth = await suite.createOrderByApi(portal, FOURTH_ORDER_FEN, 'E2E-MKT-4');
    await page.goto(`${server.baseUrl}${fourth.checkout_path}`);
    const toggle = page.locator(`[data-testid="use-points"][data-points="${EARNED_FIRST}"]`);
    await waitOrExplain(page, toggle);
    await toggle.tap();
    await waitOrExplain(page, page.locator(`[data-testid="pay-quote-pay"][data-fen="${FOURTH_ORDER_FEN - EARNED_FIRST}"]`));
    await screenshot(page, '10-pay-with-points');
    await page.getByTestId('pay-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="pay-success"][data-status="completed"]'));
    const after = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'balance');
    assert.equal(before.balance - after.balance, FOURTH_ORDER_FEN - EARNED_FIRST);

    // ¥9.40 in cash earns 9 × 2; the points page lists the three entries.
    await page.goto(`${server.baseUrl}/points`);
    await waitOrExplain(page, page.locator(`[data-testid="points-page-balance"]`));
    const entries = page.getByTestId('points-entry');
    await waitOrExplain(page, entries.nth(2));
    const kinds = [];
    for (let i = 0; i < 3; i++) {
      kinds.push([await entries.nth(i).getAttribute('data-kind'), await entries.nth(i).getAttribute('data-points')]);
    }
    assert.deepEqual(kinds.sort(), [['earn', '18'], ['earn', String(EARNED_FIRST)], ['redeem', String(-EARNED_FIRST)]].sort());
    const mine = expectStatus(await api('/api/v1/me/points', { token: customerToken }), 200, 'points');
    assert.equal(mine.balance, 18);
    await screenshot(page, '11-points-page');
    suite.assertClean('customer');
    suite.assertClean('ops');
  });
  step('the merchant co-funds a discount at its till; ending it settles each side in proportion', async () => {
    const me = expectStatus(await api('/api/v1/merchant/me', { token: portal }), 200, 'merchant');
    const ops = suite.pages.get('ops').page;
    const id = await createCampaignInConsole(ops, {
      name: '茶叶店联合立减',
      type: 'instant_discount',
      fill: async (p) => {
        await p.getByTestId('campaign-shape-fixed').click();
        await p.getByTestId('campaign-fixed').fill('5');
        await p.getByTestId('campaign-budget-total').fill('100');
        await p.getByTestId('campaign-merchant-ids').fill(me.id);
        // Fujian: the shop's credit code (91350100…) was issued in Fuzhou, 350100.
        await p.getByTestId('campaign-regions').fill('350000');
      },
    });
    await goLive(ops);
    const made = expectStatus(await api(`/api/v1/staff/campaigns/${id}`, { token: staffToken }), 200, 'campaign');
    assert.deepEqual(made.eligibility.regions, [350000]);

    const page = suite.pages.get('customer').page;
    const order = await suite.createOrderByApi(portal, FIFTH_ORDER_FEN, 'E2E-MKT-5');
    await page.goto(`${server.baseUrl}${order.checkout_path}`);
    await waitOrExplain(page, page.locator(`[data-testid="pay-quote"][data-discount="${COFUND_DISCOUNT_FEN}"]`));
    await page.getByTestId('pay-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="pay-success"][data-status="completed"]'));

    await ops.goto(`${server.baseUrl}/console/campaigns/${id}`);
    await waitOrExplain(ops, ops.locator(`[data-testid="campaign-figure-spent"][data-fen="${COFUND_DISCOUNT_FEN}"]`));
    await ops.getByTestId('campaign-top-up').click();
    await ops.getByTestId('campaign-top-up-amount').fill(String(COFUND_MERCHANT_FEN / 100));
    await ops.getByTestId('campaign-top-up-merchant').fill(me.id);
    await ops.getByTestId('campaign-top-up-submit').click();
    // ¥120 in, ¥5 spent: were it to end now the merchant would get ⌊11,500 × 2,000 / 12,000⌋ back.
    const total = COFUND_BANK_FEN + COFUND_MERCHANT_FEN;
    const wouldReturn = Math.floor(((total - COFUND_DISCOUNT_FEN) * COFUND_MERCHANT_FEN) / total);
    const card = ops.locator('[data-testid="campaign-co-funding"][data-settled="false"]');
    await waitOrExplain(ops, card);
    const merchantRow = ops.locator(`[data-testid="co-funder"][data-kind="merchant"][data-merchant-id="${me.id}"]`);
    assert.equal(await merchantRow.getByTestId('co-funder-funded').getAttribute('data-fen'), String(COFUND_MERCHANT_FEN));
    assert.equal(await merchantRow.getByTestId('co-funder-returned').getAttribute('data-fen'), String(wouldReturn));
    const bankRow = ops.locator('[data-testid="co-funder"][data-kind="bank"]');
    assert.equal(
      await bankRow.getByTestId('co-funder-cost').getAttribute('data-fen'),
      String(COFUND_DISCOUNT_FEN - (COFUND_MERCHANT_FEN - wouldReturn)),
    );
    await screenshot(ops, '12-co-funding');

    await ops.getByTestId('campaign-to-ended').click();
    await ops.getByTestId('campaign-end-confirm').click();
    await waitOrExplain(ops, ops.locator('[data-testid="campaign-co-funding"][data-settled="true"]'));
    assert.equal(await merchantRow.getByTestId('co-funder-returned').getAttribute('data-fen'), String(wouldReturn));
    const read = expectStatus(await api(`/api/v1/staff/campaigns/${id}`, { token: staffToken }), 200, 'campaign');
    const returned = read.co_funding.funders.reduce((sum, f) => sum + f.returned, 0);
    assert.equal(returned, total - COFUND_DISCOUNT_FEN);
    await screenshot(ops, '13-co-funding-settled');

    // The merchant's portal shows its own side: what it put in, its share, what came back.
    const { page: shop } = await openPage('merchant', DESKTOP);
    await suite.portalLogIn(shop, MERCHANT.username, MERCHANT.password);
    await shop.getByTestId('merchant-menu-co-funding').click();
    const row = shop.locator(`[data-testid="co-funding-row"][data-row-id="${id}"][data-settled="true"]`);
    await waitOrExplain(shop, row);
    assert.equal(await row.getAttribute('data-funded'), String(COFUND_MERCHANT_FEN));
    assert.equal(await row.getAttribute('data-returned'), String(wouldReturn));
    assert.equal(await row.getAttribute('data-cost'), String(COFUND_MERCHANT_FEN - wouldReturn));
    await screenshot(shop, '14-merchant-co-funding');
    suite.assertClean('customer');
    suite.assertClean('ops');
    suite.assertClean('merchant');
  });
});
