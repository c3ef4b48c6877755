// End to end: merchants and payments through a real qianbaod serving the built web app.
//
//   The staff admin onboards a merchant in the console (active at once). The merchant logs in
//   to the portal and creates an order; the test downloads the order's QR PNG through the API
//   and the customer (registered, verified, card bound and funded through the API) uploads it on
//   /scan, where jsQR decodes it, and pays; the portal's order list shows the order paid.
//   The customer turns small payments (免密) on and opens /paycode; the test reads the code and
//   the merchant charges it in the portal (completes at once), then charges a later code beyond
//   the cap, which the customer confirms on /paycode. A second order is paid through its hosted
//   checkout link by a customer who is not logged in yet (log-in and back). Finally the merchant
//   refunds part of the scanned payment and the customer sees the refund on the payment page.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/payments-*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  customerLogIn,
  DESKTOP,
  expectStatus,
  MOBILE,
  portalToken,
  waitOrExplain,
  withLuhnCheckDigit,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

/** The payment-code step turns every 30 s: a step that waits for the next code gets longer. */
const CODE_STEP_TEST_TIMEOUT_MS = 120_000;
const CODE_TURN_WAIT_MS = 40_000;

const MERCHANT = {
  legalName: '福州小吃店',
  // A valid unified social credit code (GB 32100 check characters).
  creditCode: '91350100M000100Y43',
  bankCode: 'ICBC',
  account: '6222020200112233',
  contactPhone: '13900139000',
  username: 'fzshop',
  password: randomPassword(),
};
const CUSTOMER = {
  phone: '13800138011',
  password: randomPassword(),
  realName: '张三',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011223355'),
};
const FUND_FEN = 200_000;
const ORDER_FEN = 8_800;
const SMALL_CHARGE_FEN = 2_500;
const BIG_CHARGE_FEN = 30_000;
const CHECKOUT_FEN = 1_990;
const REFUND_FEN = 3_000;

const suite = createSuite({ screenshotPrefix: 'payments-' });
const {
  api,
  assertClean,
  consoleLogIn,
  openPage,
  pages,
  portalLogIn,
  registerCustomerByApi,
  screenshot,
  step,
} = suite;
let server;
let staffToken;
let customerToken;
let tempDir;
/** Shared between the steps. */
const state = { orderId: null, scanPaymentId: null };

describe('payments: merchant portal, scan, payment code, checkout, refund', { timeout: 900_000 }, () => {
  before(async () => {
    tempDir = mkdtempSync(join(tmpdir(), 'qianbao-e2e-payments-'));
    server = await suite.start({ admin: true });
    staffToken = (await suite.staffApiLogIn()).token;
    // One customer pays five times within a minute here, which the burst rule would challenge
    // (step-up is tested in step-up.e2e, the rules in risk.e2e).
    await suite.shadowRiskRules(staffToken, ['burst_1m']);
  });

  after(async () => {
    try {
      await suite.stop();
    } finally {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });

  step('the admin onboards an active merchant in the console', async () => {
    const { page } = await openPage('console', DESKTOP);
    await consoleLogIn(page);
    await page.getByTestId('menu-merchants').click();
    await page.waitForURL((url) => url.pathname === '/console/merchants');
    await page.getByTestId('merchant-onboard').click();
    await page.getByTestId('onboard-legal-name').fill(MERCHANT.legalName);
    await page.getByTestId('onboard-credit-code').fill(MERCHANT.creditCode);
    await page.getByTestId('onboard-bank-code').fill(MERCHANT.bankCode);
    await page.getByTestId('onboard-account').fill(MERCHANT.account);
    await page.getByTestId('onboard-contact-phone').fill(MERCHANT.contactPhone);
    await page.getByTestId('onboard-username').fill(MERCHANT.username);
    await page.getByTestId('onboard-password').fill(MERCHANT.password);
    await screenshot(page, '01-console-onboard-form');
    await page.getByTestId('onboard-submit').click();
    await waitOrExplain(page, page.locator('[data-testid="merchant-detail"][data-status="active"]'));
    await screenshot(page, '01-console-merchant-active');
    await page.getByTestId('menu-merchants').click();
    await page.locator('[data-testid="merchant-row"][data-status="active"]').first().waitFor();
    assert.equal(await page.getByTestId('merchant-row').count(), 1);
    assertClean('console');
  });

  step('a customer is registered, verified, given a card and funded (API)', async () => {
    customerToken = await registerCustomerByApi(CUSTOMER, { staffToken, fundFen: FUND_FEN });
  });

  step('the merchant logs in to the portal and creates an order', async () => {
    const { page } = await openPage('portal', DESKTOP);
    await portalLogIn(page, MERCHANT.username, MERCHANT.password);
    await waitOrExplain(page, page.locator('[data-testid="merchant-status"][data-status="active"]'));
    await page.getByTestId('merchant-static-qr').waitFor();
    await screenshot(page, '02-portal-dashboard');

    await page.getByTestId('merchant-menu-orders').click();
    await page.getByTestId('order-amount').fill('88.00');
    await page.getByTestId('order-description').fill('午餐套餐');
    await page.getByTestId('order-submit').click();
    const panel = page.getByTestId('order-qr-panel');
    await waitOrExplain(page, panel);
    await page.getByTestId('order-qr').waitFor();
    state.orderId = await panel.getAttribute('data-order-id');
    assert.ok(state.orderId, 'the QR dialog names the order');
    await screenshot(page, '03-portal-order-qr');
    await page.getByTestId('order-qr-close').click();
    await page
      .locator(`[data-testid="order-row"][data-row-id="${state.orderId}"][data-status="open"]`)
      .waitFor();
  });

  step('the customer uploads the order QR on /scan and pays it', async () => {
    const token = await portalToken(pages.get('portal').page);
    const png = await api(`/api/v1/merchant/orders/${state.orderId}/qr?format=png`, {
      token,
      binary: true,
    });
    assert.equal(png.status, 200, `order QR: ${JSON.stringify(png.body)}`);
    const file = join(tempDir, 'order-qr.png');
    writeFileSync(file, png.body);

    const { page } = await openPage('customer', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-scan').tap();
    await page.waitForURL((url) => url.pathname === '/scan');
    await page.getByTestId('scan-upload').setInputFiles(file);
    await waitOrExplain(page, page.locator('[data-testid="pay-preview"][data-kind="dynamic"]'));
    assert.equal(await page.getByTestId('pay-amount').getAttribute('data-fen'), String(ORDER_FEN));
    assert.equal((await page.getByTestId('pay-merchant').innerText()).trim(), MERCHANT.legalName);
    await screenshot(page, '04-customer-scan-preview');
    await page.getByTestId('pay-submit').tap();
    const success = page.getByTestId('pay-success');
    await waitOrExplain(page, success);
    assert.equal(await success.getAttribute('data-status'), 'completed');
    assert.equal(
      await page.getByTestId('pay-success-amount').getAttribute('data-fen'),
      String(ORDER_FEN),
    );
    state.scanPaymentId = await success.getAttribute('data-payment-id');
    await screenshot(page, '04-customer-paid');
  });

  step("the portal's order list shows the order paid", async () => {
    const { page } = pages.get('portal');
    await page
      .locator(`[data-testid="order-row"][data-row-id="${state.orderId}"][data-status="paid"]`)
      .waitFor();
    await screenshot(page, '05-portal-order-paid');
    assertClean('portal');
  });

  step('the customer turns small payments on', async () => {
    const { page } = pages.get('customer');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('action-small-payments').tap();
    await page.waitForURL((url) => url.pathname === '/small-payments');
    const toggle = page.getByTestId('small-enabled');
    await page.locator('[data-testid="small-per-payment"]').waitFor();
    // The defaults: off, ¥200 a payment, ¥1,000 a day.
    await page.locator('[data-testid="small-per-payment"][value="200.00"]').waitFor();
    assert.equal(await toggle.getAttribute('data-checked'), 'false');
    await toggle.locator('.adm-switch').tap();
    await page.locator('[data-testid="small-enabled"][data-checked="true"]').waitFor();
    await page.getByTestId('small-save').tap();
    await page.getByText('已保存').waitFor();
    const saved = await api('/api/v1/me/small-payments', { token: customerToken });
    assert.equal(expectStatus(saved, 200, 'small payments').enabled, true);
    await screenshot(page, '06-customer-small-payments');
  });

  step('the merchant charges the payment code within the cap: it completes', async () => {
    const customer = pages.get('customer').page;
    await customer.goto(`${server.baseUrl}/paycode`);
    const digits = customer.getByTestId('paycode-digits');
    await waitOrExplain(customer, digits);
    const code = await digits.getAttribute('data-code');
    assert.match(code, /^\d{18}$/);
    await screenshot(customer, '07-customer-paycode');

    const { page } = pages.get('portal');
    await page.getByTestId('merchant-menu-charge').click();
    await page.getByTestId('charge-code').fill(code);
    await page.getByTestId('charge-amount').fill('25.00');
    await page.getByTestId('charge-submit').click();
    await waitOrExplain(page, page.locator('[data-testid="charge-result"][data-status="completed"]'));
    await screenshot(page, '07-portal-charged');
  });

  step(
    'beyond the cap the charge waits, and the customer confirms it on /paycode',
    async () => {
      const customer = pages.get('customer').page;
      const digits = customer.getByTestId('paycode-digits');
      const used = await digits.getAttribute('data-code');
      // A code is good once: wait for the next time step's code.
      await customer
        .locator(`[data-testid="paycode-digits"]:not([data-code="${used}"])`)
        .waitFor({ timeout: CODE_TURN_WAIT_MS });
      const code = await digits.getAttribute('data-code');

      const { page } = pages.get('portal');
      await page.getByTestId('charge-code').fill(code);
      await page.getByTestId('charge-amount').fill('300.00');
      await page.getByTestId('charge-submit').click();
      const waiting = page.locator('[data-testid="charge-result"][data-status="awaiting_confirmation"]');
      await waitOrExplain(page, waiting);
      const paymentId = await waiting.getAttribute('data-payment-id');
      await screenshot(page, '08-portal-awaiting');

      const pending = customer.locator(`[data-testid="paycode-pending"][data-payment-id="${paymentId}"]`);
      await pending.waitFor();
      assert.equal(await pending.getAttribute('data-amount-fen'), String(BIG_CHARGE_FEN));
      await screenshot(customer, '08-customer-confirm');
      await pending.getByTestId('paycode-confirm').tap();
      await customer.locator(`[data-testid="paycode-answered"][data-payment-id="${paymentId}"]`).waitFor();
      await page
        .locator(`[data-testid="charge-result"][data-payment-id="${paymentId}"][data-status="completed"]`)
        .waitFor();
      await screenshot(page, '08-portal-confirmed');
    },
    CODE_STEP_TEST_TIMEOUT_MS,
  );

  step('a second order is paid through its checkout link, logging in on the way', async () => {
    const portal = pages.get('portal').page;
    await portal.getByTestId('merchant-menu-orders').click();
    await portal.getByTestId('order-amount').fill('19.90');
    await portal.getByTestId('order-return-url').fill(`${server.baseUrl}/home`);
    await portal.getByTestId('order-submit').click();
    await waitOrExplain(portal, portal.getByTestId('order-checkout-link'));
    const link = await portal.getByTestId('order-checkout-link').getAttribute('href');
    const orderId = await portal.getByTestId('order-qr-panel').getAttribute('data-order-id');
    assert.ok(link.startsWith(`${server.baseUrl}/pay?qr=`), `checkout link: ${link}`);
    await portal.getByTestId('order-qr-close').click();

    // A fresh browser: not logged in, so the checkout sends the customer to log in and back.
    const { page } = await openPage('checkout', MOBILE);
    await page.goto(link);
    await page.waitForURL((url) => url.pathname === '/login');
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/pay');
    await waitOrExplain(page, page.locator('[data-testid="pay-preview"][data-kind="dynamic"]'));
    assert.equal(await page.getByTestId('pay-amount').getAttribute('data-fen'), String(CHECKOUT_FEN));
    await screenshot(page, '09-checkout');
    await page.getByTestId('pay-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="pay-success"][data-status="completed"]'));
    await screenshot(page, '09-checkout-paid');
    // Back to the merchant's site: the return_url the order was created with.
    await page.getByTestId('pay-return').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await portal
      .locator(`[data-testid="order-row"][data-row-id="${orderId}"][data-status="paid"]`)
      .waitFor();
    assertClean('checkout');
  });

  step('the merchant refunds part of the scanned payment; the customer sees it', async () => {
    const portal = pages.get('portal').page;
    await portal.getByTestId('merchant-menu-payments').click();
    const row = portal.locator(`[data-testid="merchant-payment-row"][data-row-id="${state.scanPaymentId}"]`);
    await row.waitFor();
    assert.equal(await portal.getByTestId('merchant-payment-row').count(), 4);
    await row.click();
    await portal.waitForURL((url) => url.pathname === `/merchant/payments/${state.scanPaymentId}`);
    await portal.getByTestId('refund-amount').fill('30.00');
    await portal.getByTestId('refund-reason').fill('少一份');
    await portal.getByTestId('refund-submit').click();
    await waitOrExplain(
      portal,
      portal.locator(`[data-testid="merchant-payment-detail"][data-refunded-fen="${REFUND_FEN}"]`),
    );
    assert.equal(await portal.getByTestId('merchant-refund-row').count(), 1);
    await screenshot(portal, '10-portal-refunded');

    const { page } = pages.get('customer');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('action-payments').tap();
    const item = page.locator(`[data-testid="payment-item"][data-payment-id="${state.scanPaymentId}"]`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-refunded-fen'), String(REFUND_FEN));
    await screenshot(page, '10-customer-payments');
    await item.tap();
    await page.locator(`[data-testid="payment-refunded"][data-fen="${REFUND_FEN}"]`).waitFor();
    const refund = page.getByTestId('refund-item');
    assert.equal(await refund.count(), 1);
    assert.equal(await refund.getAttribute('data-fen'), String(REFUND_FEN));
    assert.ok((await refund.getByTestId('refund-status').innerText()).includes('退款状态'));
    await screenshot(page, '10-customer-refund');

    const balance = await api('/api/v1/me/balance', { token: customerToken });
    const expected =
      FUND_FEN - ORDER_FEN - SMALL_CHARGE_FEN - BIG_CHARGE_FEN - CHECKOUT_FEN + REFUND_FEN;
    assert.equal(expectStatus(balance, 200, 'balance').balance, expected);
    assertClean('customer');
  });
});
