// The end-to-end journey through a real qianbaod serving the built web app (web/dist):
//
//   customer A (phone, mobile viewport) registers with the SMS code, verifies identity, binds a
//   bank card, tops up ¥500 and transfers ¥123.45 with a memo to customer B (registered the same
//   way in a second browser context); B logs in and sees the money and the memo; A's history
//   shows both movements. Then a staff admin (desktop viewport) logs into the console, finds
//   both customers (masked phones), opens one, checks the SMS outbox and the ledger, and
//   searches the audit log by the network the log-ins came from.
//
// The staff admin is created with the admin CLI before the server starts, with a random
// password made for this run (server.mjs). SMS codes are read from the development outbox
// through the admin-only API with fetch, not through the UI. Everything stays on loopback;
// every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/journey-*.png.
//
// Run with `npm run e2e` in web/ (or `make test-e2e`); QIANBAOD and QIANBAO_CLI override the
// server and CLI binaries, CHROMIUM the browser.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  customerLogIn,
  DESKTOP,
  MOBILE,
  STEP_TIMEOUT_MS,
  withLuhnCheckDigit,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

/** "138****8001": the masking the API promises for phones. */
const maskPhone = (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

const CUSTOMER_A = {
  phone: '13800138001',
  password: randomPassword(),
  realName: '张三',
  realNameMasked: '张*',
  residentId: '11010519491231002X',
  // 19 digits on an ICBC BIN (622202), Luhn-valid.
  card: withLuhnCheckDigit('622202020011223344'),
};
const CUSTOMER_B = { phone: '13900139002', password: randomPassword() };
const TOP_UP_FEN = 50_000;
const TRANSFER_FEN = 12_345;
const MEMO = '午饭AA 谢谢';

const suite = createSuite({ screenshotPrefix: 'journey-' });
const { assertClean, consoleLogIn, openPage, pages, readOtp, screenshot, step } = suite;
let server;
/** The staff session used only to read SMS codes from the outbox. */
let staffToken;

/** Reads the balance shown on /home, in fen, once it is `expectedFen`. */
async function expectHomeBalance(page, expectedFen) {
  await page.waitForURL((url) => url.pathname === '/home');
  const balance = page.getByTestId('balance-value');
  await page
    .locator(`[data-testid="balance-value"][data-fen="${expectedFen}"]`)
    .waitFor()
    .catch(async (error) => {
      const shown = await balance.getAttribute('data-fen').catch(() => '(none)');
      throw new Error(`home balance is ${shown} fen, expected ${expectedFen}: ${error.message}`);
    });
  return balance;
}

/** Registers a customer through /register in `page`, ending on /home. */
async function register(page, customer, shot) {
  await page.goto(`${server.baseUrl}/register`);
  await page.getByTestId('register-phone').fill(customer.phone);
  await page.getByTestId('register-send-code').tap();
  // The button counts down once the server accepted the request.
  await page.locator('[data-testid="register-send-code"]:not([data-seconds-left="0"])').waitFor();
  const code = await readOtp(customer.phone, staffToken);
  await page.getByTestId('register-code').fill(code);
  await page.getByTestId('register-password').fill(customer.password);
  await page.getByTestId('register-password-confirm').fill(customer.password);
  await screenshot(page, `${shot}-register-form`);
  await page.getByTestId('register-submit').tap();
  await page.waitForURL((url) => url.pathname === '/home').catch(async (error) => {
    const formError = await page.getByTestId('form-error').getAttribute('data-error-code', {
      timeout: 1000,
    }).catch(() => null);
    throw new Error(`registration did not reach /home (form error ${formError}): ${error.message}`);
  });
  await expectHomeBalance(page, 0);
  await screenshot(page, `${shot}-registered-home`);
}

describe('journey: two customers, a transfer, and the staff console', { timeout: 600_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    const login = await suite.staffApiLogIn();
    assert.ok(login.staff.roles.includes('admin'));
    staffToken = login.token;
  });

  after(() => suite.stop());

  step('the card number used is Luhn-valid (self-check of the helper)', async () => {
    assert.equal(withLuhnCheckDigit('7992739871'), '79927398713');
    assert.equal(CUSTOMER_A.card.length, 19);
  });

  step('customer A registers by phone with the SMS code', async () => {
    const { page } = await openPage('a', MOBILE);
    await register(page, CUSTOMER_A, '01-a');
  });

  step('customer A verifies identity (real name + resident ID)', async () => {
    const { page } = pages.get('a');
    await page.getByTestId('action-identity').tap();
    await page.waitForURL((url) => url.pathname === '/identity');
    await page.getByTestId('identity-real-name').fill(CUSTOMER_A.realName);
    await page.getByTestId('identity-resident-id').fill(CUSTOMER_A.residentId);
    await screenshot(page, '02-a-identity-form');
    await page.getByTestId('identity-submit').tap();
    await expectHomeBalance(page, 0);
    await page.locator('[data-testid="tier-badge"][data-tier="III"]').waitFor();
    // Coming back shows the masked identity instead of the form.
    await page.getByTestId('action-identity').tap();
    await page.getByTestId('identity-verified').waitFor();
    const text = await page.getByTestId('identity-verified').innerText();
    assert.ok(text.includes(CUSTOMER_A.realNameMasked), `identity page shows: ${text}`);
    assert.ok(!text.includes(CUSTOMER_A.realName), 'the full name is not shown');
    assert.ok(!text.includes(CUSTOMER_A.residentId), 'the full resident ID is not shown');
    await screenshot(page, '02-a-identity-verified');
  });

  step('customer A binds a bank card', async () => {
    const { page } = pages.get('a');
    await page.goto(`${server.baseUrl}/cards`);
    await page.getByTestId('card-number').waitFor();
    assert.equal(await page.getByTestId('cards-need-identity').count(), 0);
    await page.getByTestId('card-number').fill(CUSTOMER_A.card);
    await page.getByTestId('card-bind-submit').tap();
    const last4 = CUSTOMER_A.card.slice(-4);
    const item = page.locator(`[data-testid="card-item"][data-last4="${last4}"]`);
    await item.waitFor();
    const text = await item.innerText();
    assert.ok(!text.includes(CUSTOMER_A.card), `the full card number is shown: ${text}`);
    assert.equal(await page.getByTestId('card-item').count(), 1);
    assert.equal(await page.getByTestId('form-error').count(), 0);
    await screenshot(page, '03-a-card-bound');
  });

  step('customer A tops up ¥500 from the card', async () => {
    const { page } = pages.get('a');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('action-top-up').tap();
    await page.waitForURL((url) => url.pathname === '/top-up');
    const last4 = CUSTOMER_A.card.slice(-4);
    await page.locator(`[data-testid="move-card-option"][data-last4="${last4}"]`).tap();
    await page.getByTestId('move-amount').fill('500');
    await screenshot(page, '04-a-top-up-form');
    await page.getByTestId('move-submit').tap();
    const balance = await expectHomeBalance(page, TOP_UP_FEN);
    assert.match(await balance.innerText(), /500\.00/);
    // The first card moved A from tier III to II.
    await page.locator('[data-testid="tier-badge"][data-tier="II"]').waitFor();
    await screenshot(page, '04-a-topped-up-home');
  });

  step('customer B registers in a second browser context', async () => {
    const { page } = await openPage('b', MOBILE);
    await register(page, CUSTOMER_B, '05-b');
  });

  step('customer A transfers ¥123.45 with a memo to B', async () => {
    const { page } = pages.get('a');
    await page.getByTestId('action-transfer').tap();
    await page.waitForURL((url) => url.pathname === '/transfer');
    await page.getByTestId('transfer-balance').waitFor();
    await page.getByTestId('transfer-phone').fill(CUSTOMER_B.phone);
    await page.getByTestId('transfer-amount').fill('123.45');
    await page.getByTestId('transfer-memo').fill(MEMO);
    await screenshot(page, '06-a-transfer-form');
    await page.getByTestId('transfer-submit').tap();
    const balance = await expectHomeBalance(page, TOP_UP_FEN - TRANSFER_FEN);
    assert.match(await balance.innerText(), /376\.55/);
    await screenshot(page, '06-a-transferred-home');
  });

  step('customer B logs in and sees ¥123.45 and the transfer from A with the memo', async () => {
    const { page } = pages.get('b');
    // Log out of the registration session, then log in with phone + password.
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('logout-button').tap();
    await page.waitForURL((url) => url.pathname === '/login');
    await customerLogIn(page, CUSTOMER_B);
    const balance = await expectHomeBalance(page, TRANSFER_FEN);
    assert.match(await balance.innerText(), /123\.45/);
    await screenshot(page, '07-b-home');

    await page.getByTestId('action-history').tap();
    await page.waitForURL((url) => url.pathname === '/history');
    const entry = page.locator('[data-testid="history-entry"][data-type="p2p_in"]');
    await entry.waitFor();
    assert.equal(await entry.count(), 1);
    assert.equal(await entry.getAttribute('data-amount-fen'), String(TRANSFER_FEN));
    assert.equal(await entry.getAttribute('data-direction'), 'in');
    assert.equal(await entry.getAttribute('data-status'), 'completed');
    assert.equal(await entry.getByTestId('history-entry-amount').innerText(), '+¥123.45');
    const counterparty = await entry.getByTestId('history-entry-counterparty').innerText();
    assert.ok(counterparty.includes(maskPhone(CUSTOMER_A.phone)), `counterparty: ${counterparty}`);
    assert.ok(counterparty.includes(CUSTOMER_A.realNameMasked), `counterparty: ${counterparty}`);
    assert.ok(!counterparty.includes(CUSTOMER_A.phone), 'A\'s full phone is not shown');
    assert.equal((await entry.getByTestId('history-entry-memo').innerText()).trim(), MEMO);
    assert.equal(await page.getByTestId('history-entry').count(), 1);
    await screenshot(page, '07-b-history');
    assertClean('b');
  });

  step('customer A\'s history shows the top-up and the transfer', async () => {
    const { page } = pages.get('a');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('action-history').tap();
    await page.waitForURL((url) => url.pathname === '/history');
    const transferOut = page.locator('[data-testid="history-entry"][data-type="p2p_out"]');
    const topUp = page.locator('[data-testid="history-entry"][data-type="top_up"]');
    await transferOut.waitFor();
    await topUp.waitFor();
    assert.equal(await page.getByTestId('history-entry').count(), 2);
    // Newest first: the transfer, then the top-up.
    const newest = page.getByTestId('history-entry').first();
    assert.equal(await newest.getAttribute('data-type'), 'p2p_out');

    assert.equal(await transferOut.getAttribute('data-amount-fen'), String(TRANSFER_FEN));
    assert.equal(await transferOut.getAttribute('data-direction'), 'out');
    assert.equal(await transferOut.getByTestId('history-entry-amount').innerText(), '-¥123.45');
    const payee = await transferOut.getByTestId('history-entry-counterparty').innerText();
    assert.ok(payee.includes(maskPhone(CUSTOMER_B.phone)), `payee: ${payee}`);
    assert.equal((await transferOut.getByTestId('history-entry-memo').innerText()).trim(), MEMO);

    assert.equal(await topUp.getAttribute('data-amount-fen'), String(TOP_UP_FEN));
    assert.equal(await topUp.getAttribute('data-direction'), 'in');
    assert.equal(await topUp.getAttribute('data-status'), 'completed');
    assert.equal(await topUp.getByTestId('history-entry-amount').innerText(), '+¥500.00');
    const card = await topUp.getByTestId('history-entry-counterparty').innerText();
    assert.ok(card.includes(CUSTOMER_A.card.slice(-4)), `top-up counterparty: ${card}`);
    assert.ok(!card.includes(CUSTOMER_A.card), 'the full card number is not shown');
    await screenshot(page, '08-a-history');
    assertClean('a');
  });

  step('staff admin logs into the console and finds both customers (masked)', async () => {
    const { page } = await openPage('console', DESKTOP);
    await consoleLogIn(page);
    assert.equal(await page.getByTestId('staff-name').innerText(), server.admin.displayName);
    await screenshot(page, '09-console-landing');

    await page.getByTestId('menu-customers').click();
    await page.waitForURL((url) => url.pathname === '/console/customers');
    // Both phones start with "13": a prefix search finds both.
    await page.getByTestId('customer-search').fill('13');
    await page.getByTestId('customer-search-submit').click();
    const rows = page.getByTestId('customer-row');
    await rows.nth(1).waitFor();
    const text = await page.getByTestId('customer-results').innerText();
    for (const customer of [CUSTOMER_A, CUSTOMER_B]) {
      const masked = maskPhone(customer.phone);
      assert.ok(text.includes(masked), `results lack ${masked}`);
      assert.ok(!text.includes(customer.phone), 'a full phone number is shown');
    }
    assert.ok(text.includes(CUSTOMER_A.realNameMasked));
    assert.ok(!text.includes(CUSTOMER_A.realName));
    await screenshot(page, '09-console-customers-both');

    // A full phone number finds exactly that customer.
    await page.getByTestId('customer-search').fill(CUSTOMER_A.phone);
    await page.getByTestId('customer-search').press('Enter');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="customer-row"]').length === 1,
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    assert.ok((await rows.first().innerText()).includes(maskPhone(CUSTOMER_A.phone)));
    await screenshot(page, '09-console-customers-a');
  });

  step('staff admin opens customer A\'s detail', async () => {
    const { page } = pages.get('console');
    await page.getByTestId('customer-row').first().click();
    await page.waitForURL((url) => /^\/console\/customers\/[^/]+$/.test(url.pathname));
    await page.getByTestId('customer-detail').waitFor();
    assert.equal(await page.getByTestId('customer-phone').innerText(), maskPhone(CUSTOMER_A.phone));
    assert.equal(await page.getByTestId('customer-name').innerText(), CUSTOMER_A.realNameMasked);
    const residentId = await page.getByTestId('customer-resident-id').innerText();
    assert.ok(!residentId.includes(CUSTOMER_A.residentId), `resident ID shown: ${residentId}`);
    assert.equal(await page.getByTestId('customer-tier').getAttribute('data-tier'), 'II');
    assert.equal(
      await page.getByTestId('customer-balance').getAttribute('data-fen'),
      String(TOP_UP_FEN - TRANSFER_FEN),
    );
    assert.equal(await page.getByTestId('customer-card-row').count(), 1);
    await page.getByTestId('customer-history-row').nth(1).waitFor();
    assert.equal(await page.getByTestId('customer-history-row').count(), 2);
    const detail = await page.getByTestId('customer-detail').innerText();
    assert.ok(!detail.includes(CUSTOMER_A.phone), 'the full phone is shown');
    await screenshot(page, '10-console-customer-detail');
  });

  step('staff admin opens the SMS outbox: both register codes are there', async () => {
    const { page } = pages.get('console');
    await page.getByTestId('menu-sms-outbox').click();
    await page.waitForURL((url) => url.pathname === '/console/sms-outbox');
    for (const customer of [CUSTOMER_A, CUSTOMER_B]) {
      const row = page.locator(`[data-testid="outbox-row"][data-row-id="${customer.phone}"]`);
      await row.first().waitFor();
    }
    assert.ok((await page.getByTestId('outbox-row').count()) >= 2);
    assert.equal(await page.getByTestId('outbox-unavailable').count(), 0);
    await screenshot(page, '11-console-sms-outbox');
  });

  step('staff admin opens the ledger verification: status ok', async () => {
    const { page } = pages.get('console');
    await page.getByTestId('menu-ledger').click();
    await page.waitForURL((url) => url.pathname === '/console/ledger');
    await page.getByTestId('ledger-status').waitFor();
    assert.equal(await page.getByTestId('ledger-status').getAttribute('data-status'), 'ok');
    assert.equal(await page.getByTestId('ledger-invariants').getAttribute('data-ok'), 'true');
    assert.equal(await page.getByTestId('ledger-read-models').getAttribute('data-ok'), 'true');
    assert.equal(await page.getByTestId('ledger-problem').count(), 0);
    // A top-up and a transfer were posted, at least.
    assert.ok(Number(await page.getByTestId('ledger-transfers').innerText()) >= 2);
    await screenshot(page, '12-console-ledger');
    assertClean('console');
  });

  step('staff admin searches the audit log by network: the log-ins from this address', async () => {
    const { page } = pages.get('console');
    await page.getByTestId('menu-audit').click();
    await page.waitForURL((url) => url.pathname === '/console/audit');
    await page.getByTestId('audit-row').first().waitFor();
    // Everything here came from 127.0.0.1: the admin's and the customers' log-ins.
    await page.getByTestId('audit-ip-filter').fill('127.0.0.1');
    await page.getByTestId('audit-apply').click();
    await page.locator('[data-testid="audit-row"][data-action="staff.login"]').first().waitFor();
    const details = await page.getByTestId('audit-detail').allInnerTexts();
    assert.ok(details.length > 0);
    for (const detail of details) {
      assert.match(detail, /"ip":\s*"[0-9a-f]{16}"/, `an entry without the network: ${detail}`);
      assert.ok(!detail.includes('127.0.0.1'), 'the address itself is in the log');
    }
    await screenshot(page, '13-console-audit-by-ip');
    // Another network has no entries; something that is not an address is refused.
    await page.getByTestId('audit-ip-filter').fill('10.9.9.9');
    await page.getByTestId('audit-apply').click();
    await page.getByTestId('audit-empty').waitFor();
    await page.getByTestId('audit-ip-filter').fill('localhost');
    await page.getByTestId('audit-apply').click();
    await page.getByTestId('audit-filter-invalid').waitFor();
    assert.equal(await page.getByTestId('audit-filter-invalid').getAttribute('data-field'), 'ip');
    assertClean('console');
  });
});
