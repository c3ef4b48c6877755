// The payment PIN (支付密码) end to end through a real qianbaod serving the built web app:
//
//   customer A (set up through the API: registered, verified, a card, ¥100 topped up) logs in
//   on a phone-sized page, opens Security from the home page, sets a payment PIN, then
//   transfers ¥12.34 to customer B: first with a wrong PIN (the form shows PIN_WRONG and 4
//   tries left, and the balance is unchanged), then with the right one (the money moves).
//
// Run with `npm run e2e` in web/ (or `make test-e2e`); QIANBAOD and QIANBAO_CLI override the
// server and CLI binaries, CHROMIUM the browser. Screenshots: test-artifacts/e2e/pin-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { createSuite, customerLogIn, expectStatus, MOBILE, withLuhnCheckDigit } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const CUSTOMER_A = {
  phone: '13800138051',
  password: randomPassword(),
  realName: '王五',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011225566'),
};
const CUSTOMER_B = {
  phone: '13900139052',
  password: randomPassword(),
  realName: '赵六',
  residentId: '110105194912310046',
  card: withLuhnCheckDigit('622202020011227788'),
};
const FUND_FEN = 10_000;
const TRANSFER_FEN = 1_234;
const PIN = '258147';
const WRONG_PIN = '147036';

const suite = createSuite({ screenshotPrefix: 'pin-' });
const { api, assertClean, openPage, pages, screenshot, step } = suite;
let server;
let tokenA;
let tokenB;

async function balanceOf(token) {
  return expectStatus(await api('/api/v1/me/balance', { token }), 200, 'balance').available;
}

describe('payment PIN: set it, pay with a wrong PIN, then the right one', { timeout: 300_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    const { token: staffToken } = await suite.staffApiLogIn();
    tokenA = await suite.registerCustomerByApi(CUSTOMER_A, { staffToken, fundFen: FUND_FEN });
    tokenB = await suite.registerCustomerByApi(CUSTOMER_B, { staffToken, fundFen: 100 });
  });

  after(() => suite.stop());

  step('customer A logs in and sets a payment PIN on the security page', async () => {
    const { page } = await openPage('a', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER_A);
    await page.waitForURL((url) => url.pathname === '/home');
    // No PIN yet: the home page asks for one.
    await page.getByTestId('home-set-pin').waitFor();
    await page.getByTestId('action-security').tap();
    await page.waitForURL((url) => url.pathname === '/security');
    await page.locator('[data-testid="security-pin-status"][data-set="false"]').waitFor();
    await page.getByTestId('security-pin').fill(PIN);
    await page.getByTestId('security-pin-confirm').fill(PIN);
    await screenshot(page, '01-set-form');
    await page.getByTestId('security-pin-submit').tap();
    await page.locator('[data-testid="security-pin-status"][data-set="true"]').waitFor();
    // The signed-in devices: this page's session marked, the API's log-in beside it.
    await page.locator('[data-testid="device-row"][data-current="true"]').waitFor();
    assert.ok((await page.getByTestId('device-row').count()) >= 2);
    const security = expectStatus(await api('/api/v1/me/security', { token: tokenA }), 200, 'sec');
    assert.equal(security.payment_pin_set, true);
    await screenshot(page, '01-set');
  });

  step('a transfer with a wrong PIN is refused and moves nothing', async () => {
    const { page } = pages.get('a');
    await page.goto(`${server.baseUrl}/transfer`);
    await page.getByTestId('transfer-balance').waitFor();
    await page.getByTestId('payment-pin').waitFor();
    await page.getByTestId('transfer-phone').fill(CUSTOMER_B.phone);
    await page.getByTestId('transfer-amount').fill('12.34');
    await page.getByTestId('payment-pin').fill(WRONG_PIN);
    await page.getByTestId('transfer-submit').tap();
    await page.locator('[data-testid="form-error"][data-error-code="PIN_WRONG"]').waitFor();
    await page.locator('[data-testid="pin-tries-left"][data-tries-left="4"]').waitFor();
    await screenshot(page, '02-wrong-pin');
    assert.equal(await balanceOf(tokenA), FUND_FEN);
    assert.equal(await balanceOf(tokenB), 100);
  });

  step('the same transfer with the right PIN moves the money', async () => {
    const { page } = pages.get('a');
    await page.getByTestId('payment-pin').fill(PIN);
    await page.getByTestId('transfer-submit').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await page.locator(`[data-testid="balance-value"][data-fen="${FUND_FEN - TRANSFER_FEN}"]`).waitFor();
    await screenshot(page, '03-paid');
    assert.equal(await balanceOf(tokenB), 100 + TRANSFER_FEN);
    assertClean('a');
  });
});
