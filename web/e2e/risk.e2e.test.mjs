// Risk control end to end through a real qianbaod serving the built web app:
//
//   A risk analyst (the staff admin) publishes, in the console's rule editor, a rule set that
//   holds every payment of ¥400 or more for review. A customer (set up through the API) pays a
//   merchant's ¥450 checkout order: the page says the payment is under review and the money is
//   held (the merchant has nothing yet). The analyst opens the review queue, sees the payment
//   with the rule that fired and the engine's explanation, labels it legitimate and approves it;
//   the customer's payment page then shows it completed and the balance is debited.
//   Then the analyst puts a phone's device id on the block list, and registering a new account
//   from that phone is refused with RISK_DENIED (the page never says which rule).
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/risk-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  DESKTOP,
  expectStatus,
  MOBILE,
  waitOrExplain,
  withLuhnCheckDigit,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

const MERCHANT = {
  legal_name: '福州电器行',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112236',
  contact_phone: '13900139091',
  username: 'fzappliance',
  password: randomPassword(),
  activate: true,
};
const CUSTOMER = {
  phone: '13800138091',
  password: randomPassword(),
  realName: '吴九',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011229931'),
};
const NEWCOMER_PHONE = '13800138092';
const BLOCKED_DEVICE = 'e2e-blocked-phone-0001';
const FUND_FEN = 100_000;
// Below ¥500, so the new-device rule of PBoC No. 43 asks no second factor.
const ORDER_FEN = 45_000;
const RULE_NAME = 'large_payment_review';
const RULE_SET = {
  challenge_at: null,
  review_at: null,
  deny_at: null,
  rules: [
    {
      id: 1,
      name: RULE_NAME,
      // Payments only: a transfer sent to review is refused outright.
      expression: 'event == "payment" and amount >= 40000',
      score: 60,
      action: 'review',
      shadow: false,
    },
  ],
};

const suite = createSuite({ screenshotPrefix: 'risk-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let customerToken;
let portal;
const state = { paymentId: null };

describe('risk: a held payment is approved from the review queue; a blocked device cannot register', { timeout: 600_000 }, () => {
  before(async () => {
    ({ server, staffToken, customerToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: CUSTOMER,
      fundFen: FUND_FEN,
    }));
  });

  after(() => suite.stop());

  step('the analyst publishes a rule that holds payments of ¥400 or more for review', async () => {
    const { page } = await openPage('analyst', DESKTOP);
    await suite.consoleLogIn(page);
    await page.goto(`${server.baseUrl}/console/risk/rules`);
    // qianbaod installed the default rules at its first start: version 1 or later, once loaded.
    const loaded = page.locator('[data-testid="rules-active"]:not([data-version="0"])');
    await waitOrExplain(page, loaded);
    const before = Number(await loaded.getAttribute('data-version'));
    await page.getByTestId('rules-edit').click();
    await page.getByTestId('rules-json').fill(JSON.stringify(RULE_SET, null, 2));
    await page.getByTestId('rules-publish').click();
    await waitOrExplain(
      page,
      page.locator(`[data-testid="rules-active"][data-version="${before + 1}"]`),
    );
    await page.locator(`[data-testid="rule-row"][data-row-id="1"]`).waitFor();
    await screenshot(page, '01-rules');
  });

  step('a ¥450 payment is held for review and the page says so', async () => {
    const order = await suite.createOrderByApi(portal, ORDER_FEN, 'E2E-RISK');
    const page = await suite.openCheckoutAsCustomer('customer', CUSTOMER, order);
    await page.getByTestId('pay-submit').tap();
    const held = page.locator('[data-testid="pay-success"][data-status="under_review"]');
    await waitOrExplain(page, held);
    await page.getByTestId('pay-under-review').waitFor();
    state.paymentId = await held.getAttribute('data-payment-id');
    assert.ok(state.paymentId, 'the held payment is named');
    await screenshot(page, '02-under-review');

    const payment = expectStatus(await api(`/api/v1/me/payments/${state.paymentId}`, { token: customerToken }), 200, 'p');
    assert.equal(payment.status, 'under_review');
    const balance = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'b');
    assert.equal(balance.balance, FUND_FEN);
    assert.equal(balance.available, FUND_FEN - ORDER_FEN);
  });

  step('the analyst reads why in the queue and approves; the payment completes', async () => {
    const page = suite.pages.get('analyst').page;
    await page.goto(`${server.baseUrl}/console/risk/reviews`);
    const row = page.locator(`[data-testid="review-row"][data-row-id="${state.paymentId}"][data-state="open"]`);
    await waitOrExplain(page, row);
    await row.locator(`[data-testid="review-rule"][data-rule="${RULE_NAME}"]`).waitFor();
    const explanation = await row.getByTestId('review-explanation').textContent();
    assert.match(explanation ?? '', new RegExp(RULE_NAME));
    assert.equal(await row.getByTestId('review-amount').getAttribute('data-fen'), String(ORDER_FEN));
    await screenshot(page, '03-queue');
    await row.getByText('正常').click();
    await row.getByTestId('review-approve').click();
    await waitOrExplain(
      page,
      page.locator(`[data-testid="review-row"][data-row-id="${state.paymentId}"][data-state="approved"]`),
    );
    suite.assertClean('analyst');

    const customer = suite.pages.get('customer').page;
    await customer.goto(`${server.baseUrl}/payments/${state.paymentId}`);
    await waitOrExplain(customer, customer.locator('[data-testid="payment-detail"][data-status="completed"]'));
    await screenshot(customer, '04-completed');
    const balance = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'b');
    assert.equal(balance.balance, FUND_FEN - ORDER_FEN);
    assert.equal(balance.available, FUND_FEN - ORDER_FEN);
    suite.assertClean('customer');
  });

  step('a device on the block list cannot register a new account', async () => {
    const page = suite.pages.get('analyst').page;
    await page.goto(`${server.baseUrl}/console/risk/lists`);
    await page.getByTestId('list-value').fill(BLOCKED_DEVICE);
    await page.getByTestId('list-reason').fill('device farm seen by the e2e test');
    await page.getByTestId('list-add').click();
    // The server keeps only a keyed hash of a device id, and lists the device by it.
    await waitOrExplain(page, page.locator('[data-testid="list-row"][data-row-id^="device:hash:"]'));
    await screenshot(page, '05-block-list');

    // A fresh phone whose app names itself BLOCKED_DEVICE (the id the H5 app keeps).
    const { page: phone } = await openPage('newcomer', MOBILE);
    await phone.addInitScript((id) => window.localStorage.setItem('qianbao.deviceId', id), BLOCKED_DEVICE);
    await phone.goto(`${server.baseUrl}/register`);
    await phone.getByTestId('register-phone').fill(NEWCOMER_PHONE);
    await phone.getByTestId('register-send-code').tap();
    const otp = await suite.readOtp(NEWCOMER_PHONE, staffToken);
    await phone.getByTestId('register-code').fill(otp);
    const password = randomPassword();
    await phone.getByTestId('register-password').fill(password);
    await phone.getByTestId('register-password-confirm').fill(password);
    await phone.getByTestId('register-submit').tap();
    await waitOrExplain(phone, phone.locator('[data-testid="form-error"][data-error-code="RISK_DENIED"]'));
    const text = await phone.getByTestId('form-error').textContent();
    assert.doesNotMatch(text ?? '', /device|rule|block/i, 'the customer is not told which rule');
    await screenshot(phone, '06-register-refused');
    // Nothing was created: no customer has the number.
    const search = expectStatus(
      await api(`/api/v1/staff/customers?q=${NEWCOMER_PHONE}`, { token: staffToken }),
      200,
      'search',
    );
    assert.deepEqual(search.customers, []);
    const known = expectStatus(
      await api(`/api/v1/staff/customers?q=${CUSTOMER.phone}`, { token: staffToken }),
      200,
      'search',
    );
    assert.equal(known.customers.length, 1, 'the search finds a customer by the full number');
  });
});
