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
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { randomPassword, REPO_ROOT, startServer } from './server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'e2e');
const STEP_TEST_TIMEOUT_MS = 60_000;
/** The payment-code step turns every 30 s: a step that waits for the next code gets longer. */
const CODE_STEP_TEST_TIMEOUT_MS = 120_000;
const CODE_TURN_WAIT_MS = 40_000;
const STEP_TIMEOUT_MS = 10_000;
const FETCH_TIMEOUT_MS = 10_000;
const OTP_WAIT_MS = 10_000;

const MOBILE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

/** Completes a digit string with its Luhn check digit. */
function withLuhnCheckDigit(prefix) {
  let sum = 0;
  for (let i = prefix.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let digit = Number(prefix[i]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${prefix}${(10 - (sum % 10)) % 10}`;
}

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

let server;
let browser;
let staffToken;
let customerToken;
let tempDir;
/** Shared between the steps. */
const state = { orderId: null, scanPaymentId: null };
const pages = new Map();
let brokenAt = null;

function loopbackOnly(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1';
}

async function screenshot(page, name) {
  const path = join(ARTIFACTS, `payments-${name}.png`);
  await page.screenshot({ path, fullPage: true, timeout: STEP_TIMEOUT_MS });
  console.log(`screenshot: ${path}`);
  return path;
}

async function openPage(name, options) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const entry = { context, page, errors: [], offLoopback: [] };
  page.on('pageerror', (error) => entry.errors.push(error.message));
  page.on('request', (request) => {
    if (!loopbackOnly(request.url())) entry.offLoopback.push(request.url());
  });
  pages.set(name, entry);
  return entry;
}

function assertClean(name) {
  const entry = pages.get(name);
  assert.deepEqual(entry.errors, [], `${name}: uncaught page errors`);
  assert.deepEqual(entry.offLoopback, [], `${name}: requests beyond loopback`);
}

/** fetch against the server with a timeout; resolves to { status, body } (body: JSON or bytes). */
async function api(path, { method = 'GET', token, body, idempotencyKey, binary = false } = {}) {
  const headers = { Accept: binary ? '*/*' : 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (binary && response.ok) {
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** Checks the status (a number, or 'ok' for any 2xx) and answers the body. */
function expectStatus(answer, status, what) {
  const message = `${what}: ${answer.status} ${JSON.stringify(answer.body)}`;
  if (status === 'ok') assert.ok(answer.status >= 200 && answer.status < 300, message);
  else assert.equal(answer.status, status, message);
  return answer.body;
}

async function readOtp(phone) {
  const deadline = Date.now() + OTP_WAIT_MS;
  let last;
  while (Date.now() < deadline) {
    last = await api(`/api/v1/staff/sms-outbox?phone=${phone}&limit=5`, { token: staffToken });
    assert.equal(last.status, 200, `sms-outbox: ${JSON.stringify(last.body)}`);
    for (const message of last.body.messages ?? []) {
      if (message.phone !== phone) continue;
      const match = /验证码是(\d{6})/.exec(message.text) ?? /(?<!\d)(\d{6})(?!\d)/.exec(message.text);
      if (match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no SMS code for ${phone} within ${OTP_WAIT_MS} ms: ${JSON.stringify(last?.body)}`);
}

/** Logs a customer page in through /login (the token is put in place by the app itself). */
async function customerLogIn(page, customer) {
  await page.getByTestId('login-phone').fill(customer.phone);
  await page.getByTestId('login-password').fill(customer.password);
  await page.getByTestId('login-submit').tap();
}

/** The merchant token of the portal page, as the app stored it (sessionStorage). */
function portalToken(page) {
  return page.evaluate(() => window.sessionStorage.getItem('qianbao.merchant.token'));
}

/** The form error of a page (H5 or portal), for failure messages. */
async function shownError(page) {
  for (const id of ['form-error', 'merchant-error', 'console-error', 'merchant-form-message']) {
    const locator = page.getByTestId(id);
    if ((await locator.count()) > 0) {
      const code = await locator.first().getAttribute('data-error-code').catch(() => null);
      const text = await locator.first().innerText().catch(() => '');
      return `${id}: ${code ?? ''} ${text}`;
    }
  }
  return '(no error shown)';
}

/** Waits for `locator`, adding what the page shows as an error to a timeout. */
async function waitOrExplain(page, locator, timeout = STEP_TIMEOUT_MS) {
  await locator.waitFor({ timeout }).catch(async (error) => {
    throw new Error(`${error.message}\nshown: ${await shownError(page)}`);
  });
}

function step(name, fn, timeout = STEP_TEST_TIMEOUT_MS) {
  test(name, { timeout }, async (t) => {
    if (brokenAt !== null) {
      t.skip(`an earlier step failed: ${brokenAt}`);
      return;
    }
    try {
      await fn();
    } catch (error) {
      brokenAt = name;
      for (const [pageName, entry] of pages) {
        await screenshot(entry.page, `failure-${pageName}`).catch(() => {});
      }
      const output = server?.output?.() ?? '';
      const tail = output.split('\n').slice(-30).join('\n');
      error.message += `\n--- last qianbaod output ---\n${tail}`;
      throw error;
    }
  });
}

describe('payments: merchant portal, scan, payment code, checkout, refund', { timeout: 900_000 }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tempDir = mkdtempSync(join(tmpdir(), 'qianbao-e2e-payments-'));
    server = await startServer({ admin: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const login = await api('/api/v1/staff/sessions', {
      method: 'POST',
      body: { username: server.admin.username, password: server.admin.password },
    });
    staffToken = expectStatus(login, 201, 'staff log-in').token;
  });

  after(async () => {
    try {
      for (const { context } of pages.values()) await context.close().catch(() => {});
      await browser?.close();
    } finally {
      await server?.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
  });

  step('the admin onboards an active merchant in the console', async () => {
    const { page } = await openPage('console', DESKTOP);
    await page.goto(`${server.baseUrl}/console/login`);
    await page.getByTestId('staff-username').fill(server.admin.username);
    await page.getByTestId('staff-password').fill(server.admin.password);
    await page.getByTestId('staff-login-submit').click();
    await page.getByTestId('staff-name').waitFor();
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
    expectStatus(
      await api('/api/v1/otp', { method: 'POST', body: { phone: CUSTOMER.phone, purpose: 'register' } }),
      202,
      'send OTP',
    );
    const otp = await readOtp(CUSTOMER.phone);
    const registered = await api('/api/v1/customers', {
      method: 'POST',
      body: { phone: CUSTOMER.phone, otp, password: CUSTOMER.password },
    });
    customerToken = expectStatus(registered, 201, 'register').token;
    expectStatus(
      await api('/api/v1/me/identity', {
        method: 'POST',
        token: customerToken,
        body: { real_name: CUSTOMER.realName, resident_id: CUSTOMER.residentId },
      }),
      'ok',
      'identity',
    );
    const card = await api('/api/v1/me/cards', {
      method: 'POST',
      token: customerToken,
      body: { card_number: CUSTOMER.card },
    });
    const cardId = expectStatus(card, 201, 'bind card').id;
    expectStatus(
      await api('/api/v1/me/top-ups', {
        method: 'POST',
        token: customerToken,
        idempotencyKey: `fund-${Date.now()}`,
        body: { card_id: cardId, amount: FUND_FEN, currency: 'CNY' },
      }),
      201,
      'top up',
    );
  });

  step('the merchant logs in to the portal and creates an order', async () => {
    const { page } = await openPage('portal', DESKTOP);
    await page.goto(`${server.baseUrl}/merchant/login`);
    await page.getByTestId('merchant-username').fill(MERCHANT.username);
    await page.getByTestId('merchant-password').fill(MERCHANT.password);
    await page.getByTestId('merchant-login-submit').click();
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
