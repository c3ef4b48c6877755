// Paying with a step-up (PBoC 2015 No. 43) end to end through a real qianbaod serving the
// built web app:
//
//   a tier II customer (set up through the API, ¥2,000 topped up) pays a merchant's ¥1,500
//   checkout order on a phone-sized page. Past the day's one-factor ¥1,000 the server answers
//   CHALLENGE_REQUIRED and holds the money; the page shows the step-up panel, the customer asks
//   for an SMS code (read from the staff outbox), types it, and the held payment completes.
//   Before the code, the merchant has not been paid and the balance shows the money held.
//
// Run with `npm run e2e` in web/ (or `make test-e2e`); QIANBAOD and QIANBAO_CLI override the
// server and CLI binaries, CHROMIUM the browser. Screenshots: test-artifacts/e2e/stepup-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { createSuite, expectStatus, waitOrExplain, withLuhnCheckDigit } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const MERCHANT = {
  legal_name: '福州书店',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112234',
  contact_phone: '13900139071',
  username: 'fzbooks',
  password: randomPassword(),
  activate: true,
};
const CUSTOMER = {
  phone: '13800138071',
  password: randomPassword(),
  realName: '孙七',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011229911'),
};
const FUND_FEN = 200_000;
const ORDER_FEN = 150_000;
/** One SMS a minute per phone: the sign-up sent one. */
const SMS_INTERVAL_MS = 61_000;

const suite = createSuite({ screenshotPrefix: 'stepup-' });
const { api, screenshot, step } = suite;
let server;
let staffToken;
let customerToken;
let portal;
let signedUpAt;

/** The newest payment code sent to `phone` (its text names the payment), polled briefly. */
async function readPaymentCode(phone) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const outbox = expectStatus(
      await api(`/api/v1/staff/sms-outbox?phone=${phone}&limit=5`, { token: staffToken }),
      200,
      'sms outbox',
    );
    for (const message of outbox.messages ?? []) {
      const match = /验证码是(\d{6}).*付款/.exec(message.text);
      if (message.phone === phone && match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no payment code for ${phone}`);
}

describe('step-up: a payment past ¥1,000 a day is held until an SMS code confirms it', { timeout: 300_000 }, () => {
  before(async () => {
    ({ server, staffToken, customerToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: CUSTOMER,
      fundFen: FUND_FEN,
    }));
    signedUpAt = Date.now();
  });

  after(() => suite.stop());

  step('the customer pays a ¥1,500 order and is asked for a second factor', async () => {
    const order = await suite.createOrderByApi(portal, ORDER_FEN, 'E2E-STEPUP');
    const page = await suite.openCheckoutAsCustomer('customer', CUSTOMER, order);
    await page.getByTestId('pay-submit').tap();
    const panel = page.locator('[data-testid="step-up"][data-needed="two_factors"]');
    await waitOrExplain(page, panel);
    const paymentId = await panel.getAttribute('data-payment-id');
    assert.ok(paymentId, 'the held payment is named');
    await screenshot(page, '01-challenge');

    // Held: the merchant has nothing yet, the customer's available balance shows the hold.
    const held = expectStatus(await api(`/api/v1/me/payments/${paymentId}`, { token: customerToken }), 200, 'p');
    assert.equal(held.status, 'awaiting_confirmation');
    const balance = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'b');
    assert.equal(balance.balance, FUND_FEN);
    assert.equal(balance.available, FUND_FEN - ORDER_FEN);
  });

  step('an SMS code confirms the held payment', async () => {
    const page = suite.pages.get('customer').page;
    const wait = SMS_INTERVAL_MS - (Date.now() - signedUpAt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await page.getByTestId('step-up-send-sms').tap();
    const code = await readPaymentCode(CUSTOMER.phone);
    await page.getByTestId('step-up-sms').fill(code);
    await screenshot(page, '02-code');
    await page.getByTestId('step-up-confirm').tap();
    await waitOrExplain(page, page.locator('[data-testid="pay-success"][data-status="completed"]'));
    await screenshot(page, '03-paid');
    const balance = expectStatus(await api('/api/v1/me/balance', { token: customerToken }), 200, 'b');
    assert.equal(balance.balance, FUND_FEN - ORDER_FEN);
    assert.equal(balance.available, FUND_FEN - ORDER_FEN);
    suite.assertClean('customer');
  });
});
