// Closing the account (注销账户) end to end through a real qianbaod serving the built web app:
//
//   customer B (set up through the API: verified, a card, ¥100 topped up) opens Security on a phone-sized
//   page: the closure section shows the balance, a hint and a link to withdraw, and its confirm
//   button stays disabled; the API refuses B's closure with 409 BALANCE_NOT_ZERO.
//   customer A (registered through the API with no money, a payment PIN set) opens Security,
//   asks for the close_account SMS code (read from the staff outbox), types it, the PIN and
//   the word 注销, and closes the account. The app drops its token and the log-in page says
//   when the account closed; the token of A's API session now gets 401, and A's phone and
//   password no longer log in.
//   then B pays a merchant ¥30, withdraws the rest and closes through the API; the merchant
//   refunds ¥10 after that. The staff console's customer record of B shows ¥10 of refunds
//   owed; the admin records paying ¥6 out through the bank (amount and reference in a form),
//   then the other ¥4, and the owed line goes.
//
// Run with `npm run e2e` in web/ (or `make test-e2e`), or this file alone with
// `node --test e2e/close-account.e2e.test.mjs`; QIANBAOD and QIANBAO_CLI override the server
// and CLI binaries, CHROMIUM the browser. Screenshots: test-artifacts/e2e/close-account-*.png.
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

const CUSTOMER_A = { phone: '13800138091', password: randomPassword() };
const CUSTOMER_B = {
  phone: '13900139092',
  password: randomPassword(),
  realName: '吴九',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011229933'),
};
const FUND_FEN = 10_000;
const MERCHANT = {
  legal_name: '福州面馆',
  // A valid unified social credit code (GB 32100 check characters).
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112235',
  contact_phone: '13900139003',
  username: 'fznoodle',
  password: randomPassword(),
  activate: true,
};
const PAID_FEN = 3_000;
const REFUND_FEN = 1_000;
const PIN = '258147';
/** One SMS a minute per phone: the sign-up sent one. */
const SMS_INTERVAL_MS = 61_000;
/** The wait for the per-phone SMS interval plus the step's own work. */
const WAITING_STEP_TIMEOUT_MS = 120_000;

const suite = createSuite({ screenshotPrefix: 'close-account-' });
const { api, assertClean, openPage, pages, screenshot, step } = suite;
let server;
let staffToken;
let tokenA;
let tokenB;
/** When each phone was last sent an SMS code. */
const signedUpAt = new Map();

/**
 * Registers a customer through the API; with `fund`, also verifies the identity, binds the
 * card and tops up `fundFen`. Answers the live token (after the session rotations).
 */
async function registerByApi(customer, { fundFen = 0 } = {}) {
  expectStatus(
    await api('/api/v1/otp', { method: 'POST', body: { phone: customer.phone, purpose: 'register' } }),
    202,
    'send register OTP',
  );
  const otp = await suite.readOtp(customer.phone, staffToken);
  const token = expectStatus(
    await api('/api/v1/customers', {
      method: 'POST',
      body: { phone: customer.phone, otp, password: customer.password },
    }),
    201,
    'register',
  ).token;
  signedUpAt.set(customer.phone, Date.now());
  // suite.api follows the session rotations verification and binding answer.
  const post = async (path, what, status, options) =>
    expectStatus(await api(path, { method: 'POST', token, ...options }), status, what);
  if (fundFen > 0) {
    await post('/api/v1/me/identity', 'identity', 'ok', {
      body: { real_name: customer.realName, resident_id: customer.residentId },
    });
    const card = await post('/api/v1/me/cards', 'bind card', 201, {
      body: { card_number: customer.card },
    });
    await post('/api/v1/me/top-ups', 'top up', 201, {
      idempotencyKey: `fund-${customer.phone}`,
      body: { card_id: card.id, amount: fundFen, currency: 'CNY' },
    });
  }
  return suite.newestToken(token);
}

/** A fresh session through the API log-in: the token the closure must end. */
async function apiLogIn(customer) {
  const answer = await api('/api/v1/sessions', {
    method: 'POST',
    body: { phone: customer.phone, password: customer.password },
  });
  return expectStatus(answer, 'ok', 'API log-in').token;
}

/** Waits out the per-phone SMS interval since `phone` last had a code. */
async function smsIntervalSince(phone) {
  const wait = SMS_INTERVAL_MS - (Date.now() - signedUpAt.get(phone));
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** The newest close_account code sent to `phone` (its text names the closure), polled briefly. */
async function readCloseCode(phone) {
  const deadline = Date.now() + 10_000;
  let last;
  while (Date.now() < deadline) {
    last = expectStatus(
      await api(`/api/v1/staff/sms-outbox?phone=${phone}&limit=5`, { token: staffToken }),
      200,
      'sms outbox',
    );
    for (const message of last.messages ?? []) {
      const match = /验证码是(\d{6}).*注销/.exec(message.text);
      if (message.phone === phone && match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no close_account code for ${phone}: ${JSON.stringify(last)}`);
}

async function openSecurity(name, customer) {
  const { page } = await openPage(name, MOBILE);
  await page.goto(`${server.baseUrl}/login`);
  await customerLogIn(page, customer);
  await page.waitForURL((url) => url.pathname === '/home');
  await page.getByTestId('action-security').tap();
  await page.waitForURL((url) => url.pathname === '/security');
  return page;
}

describe('close account: refused while money is left, then closed with an SMS code and the PIN', { timeout: 420_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    ({ token: staffToken } = await suite.staffApiLogIn());
    const registeredA = await registerByApi(CUSTOMER_A);
    expectStatus(
      await api('/api/v1/me/payment-pin', { method: 'PUT', token: registeredA, body: { pin: PIN } }),
      'ok',
      'set PIN',
    );
    // Setting the PIN may rotate the registration's session; a log-in of its own is one the
    // closure must end whatever happened to that one.
    tokenA = await apiLogIn(CUSTOMER_A);
    tokenB = await registerByApi(CUSTOMER_B, { fundFen: FUND_FEN });
  });

  after(() => suite.stop());

  step('with money in the wallet the closure is disabled, with a link to withdraw', async () => {
    const page = await openSecurity('b', CUSTOMER_B);
    const section = page.locator('[data-testid="close-account-section"][data-state="balance"]');
    await waitOrExplain(page, section);
    await page.locator(`[data-testid="close-account-balance"][data-fen="${FUND_FEN}"]`).waitFor();
    await page.getByTestId('close-account-balance-hint').waitFor();
    await page.getByTestId('close-account-data-export').waitFor();
    assert.equal(await page.getByTestId('close-account-submit').isDisabled(), true);
    assert.equal(await page.getByTestId('close-account-send-code').isDisabled(), true);
    assert.equal(await page.getByTestId('close-account-pin').count(), 0, 'B has no PIN');
    await page.getByTestId('close-account-submit').scrollIntoViewIfNeeded();
    await screenshot(page, '01-balance-not-zero');
    await page.getByTestId('close-account-withdraw').tap();
    await page.waitForURL((url) => url.pathname === '/withdraw');
    assertClean('b');
  });

  step(
    'the API refuses to close a wallet that holds money: 409 BALANCE_NOT_ZERO',
    async () => {
      await smsIntervalSince(CUSTOMER_B.phone);
      expectStatus(
        await api('/api/v1/otp', {
          method: 'POST',
          body: { phone: CUSTOMER_B.phone, purpose: 'close_account' },
        }),
        202,
        'send close_account OTP',
      );
      signedUpAt.set(CUSTOMER_B.phone, Date.now());
      const code = await readCloseCode(CUSTOMER_B.phone);
      const refused = await api('/api/v1/me/close-account', {
        method: 'POST',
        token: tokenB,
        body: { sms_code: code },
      });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'BALANCE_NOT_ZERO');
      expectStatus(await api('/api/v1/me', { token: tokenB }), 200, 'B is still signed in');
    },
    WAITING_STEP_TIMEOUT_MS,
  );

  step(
    'customer A closes the empty account with the SMS code, the PIN and the typed word',
    async () => {
      const page = await openSecurity('a', CUSTOMER_A);
      await waitOrExplain(page, page.locator('[data-testid="close-account-section"][data-state="ready"]'));
      await page.locator('[data-testid="close-account-balance"][data-fen="0"]').waitFor();
      await page.getByTestId('close-account-pin').waitFor();
      const submit = page.getByTestId('close-account-submit');
      assert.equal(await submit.getAttribute('data-blocker'), 'code');
      assert.equal(await submit.isDisabled(), true);

      await smsIntervalSince(CUSTOMER_A.phone);
      await page.getByTestId('close-account-send-code').tap();
      await waitOrExplain(page, page.locator('[data-testid="close-account-send-code"]:not([data-seconds-left="0"])'));
      const code = await readCloseCode(CUSTOMER_A.phone);
      await page.getByTestId('close-account-code').fill(code);
      await page.getByTestId('close-account-pin').fill(PIN);
      assert.equal(await submit.getAttribute('data-blocker'), 'confirmation');
      await page.getByTestId('close-account-confirmation').fill('注销');
      await page.locator('[data-testid="close-account-submit"][data-blocker=""]').waitFor();
      assert.equal(await submit.isDisabled(), false);
      await submit.scrollIntoViewIfNeeded();
      await screenshot(page, '02-ready');

      await submit.tap();
      await page.waitForURL((url) => url.pathname === '/login');
      const notice = page.getByTestId('login-account-closed');
      await waitOrExplain(page, notice);
      const closedAt = await notice.getAttribute('data-closed-at');
      assert.ok(!Number.isNaN(Date.parse(closedAt)), `closed_at is a time: ${closedAt}`);
      await screenshot(page, '03-closed');
      const stored = await page.evaluate(() => window.sessionStorage.getItem('qianbao.customer.token'));
      assert.equal(stored, null, 'the app dropped its token');
    },
    WAITING_STEP_TIMEOUT_MS,
  );

  step('the old session is dead and the phone and password no longer log in', async () => {
    const me = await api('/api/v1/me', { token: tokenA });
    assert.equal(me.status, 401, `GET /me with the old token: ${JSON.stringify(me.body)}`);
    const login = await api('/api/v1/sessions', {
      method: 'POST',
      body: { phone: CUSTOMER_A.phone, password: CUSTOMER_A.password },
    });
    assert.equal(login.status, 401, `API log-in after closing: ${JSON.stringify(login.body)}`);

    const { page } = pages.get('a');
    await customerLogIn(page, CUSTOMER_A);
    await waitOrExplain(page, page.getByTestId('form-error'));
    const shown = await page.getByTestId('form-error').getAttribute('data-error-code');
    assert.equal(shown, login.body.error.code);
    assert.equal(new URL(page.url()).pathname, '/login');
    await screenshot(page, '04-log-in-refused');
    assertClean('a');
  });
  step(
    'a refund after B closed waits as owed, and the console records paying it out',
    async () => {
      const staff = (path, options = {}) => api(path, { token: staffToken, ...options });
      await suite.onboardMerchantByApi(staffToken, MERCHANT);
      const portal = await suite.portalApiLogIn(MERCHANT.username, MERCHANT.password);
      const qr = expectStatus(await api('/api/v1/merchant/qr', { token: portal }), 200, 'static QR');
      const customerB = expectStatus(await api('/api/v1/me', { token: tokenB }), 200, 'B');
      const paid = expectStatus(
        await api('/api/v1/me/payments', {
          method: 'POST',
          token: tokenB,
          idempotencyKey: 'b-pays-noodles',
          body: { qr: qr.text, amount: PAID_FEN, currency: 'CNY' },
        }),
        201,
        'B pays',
      );
      const cards = expectStatus(await api('/api/v1/me/cards', { token: tokenB }), 200, 'cards');
      expectStatus(
        await api('/api/v1/me/withdrawals', {
          method: 'POST',
          token: tokenB,
          idempotencyKey: 'b-empties-wallet',
          body: { card_id: cards.cards[0].id, amount: FUND_FEN - PAID_FEN, currency: 'CNY' },
        }),
        201,
        'B withdraws the rest',
      );
      await smsIntervalSince(CUSTOMER_B.phone);
      expectStatus(
        await api('/api/v1/otp', { method: 'POST', body: { phone: CUSTOMER_B.phone, purpose: 'close_account' } }),
        202,
        'send close_account OTP',
      );
      const code = await readCloseCode(CUSTOMER_B.phone);
      expectStatus(
        await api('/api/v1/me/close-account', { method: 'POST', token: tokenB, body: { sms_code: code } }),
        200,
        'B closes',
      );
      expectStatus(
        await api(`/api/v1/merchant/payments/${paid.id}/refunds`, {
          method: 'POST',
          token: portal,
          idempotencyKey: 'refund-after-close',
          body: { amount: REFUND_FEN, currency: 'CNY' },
        }),
        201,
        'the merchant refunds after the closure',
      );

      const { page } = await openPage('console', DESKTOP);
      await suite.consoleLogIn(page);
      await page.goto(`${server.baseUrl}/console/customers/${customerB.id}`);
      const owed = page.getByTestId('customer-refunds-owed');
      await waitOrExplain(page, page.locator(`[data-testid="customer-refunds-owed"][data-fen="${REFUND_FEN}"]`));
      await page.getByTestId('refund-payout').click();
      await page.getByTestId('refund-payout-amount').fill('6.00');
      await page.getByTestId('refund-payout-reference').fill('ICBC-E2E-0001');
      await screenshot(page, '05-refund-payout-form');
      await page.getByTestId('refund-payout-submit').click();
      await waitOrExplain(page, page.locator(`[data-testid="customer-refunds-owed"][data-fen="${REFUND_FEN - 600}"]`));
      await screenshot(page, '06-refund-partly-paid-out');
      // More than is still owed is refused in the form; the rest goes through.
      await page.getByTestId('refund-payout').click();
      await page.getByTestId('refund-payout-amount').fill('5.00');
      await page.getByTestId('refund-payout-reference').fill('ICBC-E2E-0002');
      await page.getByTestId('refund-payout-submit').click();
      await page.locator('.ant-form-item-explain-error').waitFor();
      await page.getByTestId('refund-payout-amount').fill('4.00');
      await page.getByTestId('refund-payout-submit').click();
      await owed.waitFor({ state: 'detached' });

      const record = expectStatus(await staff(`/api/v1/staff/customers/${customerB.id}`), 200, 'record');
      assert.equal(record.refunds_owed, 0);
      const audit = expectStatus(
        await staff('/api/v1/staff/audit?action=customer.refund_payout'),
        200,
        'audit',
      );
      assert.deepEqual(
        audit.entries.map((entry) => JSON.parse(entry.detail).reference),
        ['ICBC-E2E-0002', 'ICBC-E2E-0001'],
      );
      assertClean('console');
    },
    WAITING_STEP_TIMEOUT_MS,
  );
});
