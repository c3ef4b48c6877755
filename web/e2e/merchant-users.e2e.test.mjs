// End to end: a merchant owner manages the portal's users through a real qianbaod serving the
// built web app.
//
//   The staff admin onboards an active merchant (API). The owner logs in to the portal, opens
//   the users page and adds a cashier. The cashier logs in in a second browser context (no users
//   menu for a cashier). The owner disables the cashier; the cashier's next navigation lands on
//   the log-in page, and logging in again is refused with USER_DISABLED. The owner enables the
//   cashier again and the cashier can log in.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/merchant-users-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { createSuite, DESKTOP, waitOrExplain } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const MERCHANT = {
  legal_name: '福州小吃店',
  // A valid unified social credit code (GB 32100 check characters).
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112233',
  contact_phone: '13900139000',
  username: 'fzshop',
  password: randomPassword(),
  activate: true,
};
const CASHIER = { username: 'till-1', name: '收银一号', password: randomPassword() };

const suite = createSuite({ screenshotPrefix: 'merchant-users-' });
const { assertClean, openPage, pages, portalLogIn, screenshot, step } = suite;
let server;
const state = { cashierId: null };

function cashierRow(page, status) {
  return page.locator(
    `[data-testid="merchant-user-row"][data-username="${CASHIER.username}"][data-status="${status}"]`,
  );
}

/** Clicks the row's disable/enable button and the confirm's OK. */
async function changeCashier(page, action) {
  await page
    .locator(`[data-testid="merchant-user-row"][data-username="${CASHIER.username}"]`)
    .getByTestId(`user-${action}`)
    .click();
  await page.getByTestId('user-status-confirm').click();
}

describe('merchant users: add a cashier, disable, enable', { timeout: 600_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    const { token: staffToken } = await suite.staffApiLogIn();
    await suite.onboardMerchantByApi(staffToken, MERCHANT);
  });

  after(() => suite.stop());

  step('the owner adds a cashier on the users page', async () => {
    const { page } = await openPage('owner', DESKTOP);
    await portalLogIn(page, MERCHANT.username, MERCHANT.password);
    await waitOrExplain(page, page.locator('[data-testid="merchant-status"][data-status="active"]'));
    await page.getByTestId('merchant-menu-users').click();
    await page.waitForURL((url) => url.pathname === '/merchant/users');
    await page.locator('[data-testid="merchant-users"][data-loaded="true"]').waitFor();
    // The owner is listed, and their own row offers no status change.
    const ownerRow = page.locator(
      `[data-testid="merchant-user-row"][data-username="${MERCHANT.username}"]`,
    );
    await ownerRow.waitFor();
    assert.equal(await ownerRow.getAttribute('data-role'), 'owner');
    assert.equal(await ownerRow.getByTestId('user-disable').count(), 0);

    await page.getByTestId('user-add-username').fill(CASHIER.username);
    await page.getByTestId('user-add-name').fill(CASHIER.name);
    await page.getByTestId('user-add-password').fill(CASHIER.password);
    await page.getByTestId('user-add-role-cashier').check();
    await screenshot(page, '01-add-form');
    await page.getByTestId('user-add-submit').click();
    await waitOrExplain(page, page.getByTestId('user-added'));
    state.cashierId = await page.getByTestId('user-added').getAttribute('data-user-id');
    const row = cashierRow(page, 'active');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-row-id'), state.cashierId);
    assert.equal(await row.getAttribute('data-role'), 'cashier');
    await screenshot(page, '02-cashier-added');
    assertClean('owner');
  });

  step('the cashier logs in in a second context, without the users menu', async () => {
    const { page } = await openPage('cashier', DESKTOP);
    await portalLogIn(page, CASHIER.username, CASHIER.password);
    await waitOrExplain(page, page.locator('[data-testid="merchant-status"][data-status="active"]'));
    assert.equal(await page.getByTestId('merchant-user').innerText(), CASHIER.username);
    assert.equal(await page.getByTestId('merchant-menu-users').count(), 0);
    await page.getByTestId('merchant-menu-orders').click();
    await page.waitForURL((url) => url.pathname === '/merchant/orders');
    await page.getByTestId('order-amount').waitFor();
    // The users page itself sends a cashier back to the dashboard.
    await page.goto(`${server.baseUrl}/merchant/users`);
    await page.waitForURL((url) => url.pathname === '/merchant/dashboard');
    assertClean('cashier');
  });

  step('the owner disables the cashier, whose next navigation lands on log-in', async () => {
    const owner = pages.get('owner').page;
    await changeCashier(owner, 'disable');
    await waitOrExplain(owner, cashierRow(owner, 'disabled'));
    await screenshot(owner, '03-cashier-disabled');

    const cashier = pages.get('cashier').page;
    await cashier.getByTestId('merchant-menu-orders').click();
    await cashier.waitForURL((url) => url.pathname === '/merchant/login');
    await cashier.getByTestId('merchant-username').waitFor();
    // Logging in again is refused with a stable code.
    await portalLogIn(cashier, CASHIER.username, CASHIER.password);
    const refused = cashier.locator('[data-testid="merchant-error"][data-error-code="USER_DISABLED"]');
    await waitOrExplain(cashier, refused);
    await screenshot(cashier, '04-cashier-refused');
    assert.equal(new URL(cashier.url()).pathname, '/merchant/login');
    assertClean('owner');
  });

  step('the owner enables the cashier again, who can log in', async () => {
    const owner = pages.get('owner').page;
    await changeCashier(owner, 'enable');
    await waitOrExplain(owner, cashierRow(owner, 'active'));

    const cashier = pages.get('cashier').page;
    await portalLogIn(cashier, CASHIER.username, CASHIER.password);
    await waitOrExplain(
      cashier,
      cashier.locator('[data-testid="merchant-status"][data-status="active"]'),
    );
    assertClean('cashier');
  });
});
