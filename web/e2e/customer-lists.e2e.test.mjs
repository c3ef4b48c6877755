// Custom customer lists (自定义人群包) end to end through a real qianbaod serving the built web
// app:
//
//   The admin makes a marketer (role marketing) through the API. The marketer opens 人群包 from
//   the console's menu, names a list "双11老客" and uploads a CSV (header phone,name) naming one
//   registered customer and one phone nobody holds: 1 added, 1 not found, and the list shows 1
//   customer. They create an instant discount in the campaign editor targeted at the list and
//   make it live: the campaign's page names the list, the editor reads it back and saves it
//   again, the campaigns table names it, and the list links the campaign. Deleting the list
//   while the campaign is live is refused with the in-use error, in Chinese, and the list stays.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/customer-lists-*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import { createSuite, DESKTOP, expectStatus, waitOrExplain } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const CUSTOMER = { phone: '13800138521', password: randomPassword() };
/** A phone no customer holds. */
const UNKNOWN_PHONE = '13700137522';
const MARKETER = {
  username: 'e2e.marketer',
  display_name: 'E2E 营销',
  password: randomPassword(),
  roles: ['marketing'],
};
const LIST_NAME = '双11老客';
const CAMPAIGN_NAME = '老客立减 ¥1';

const suite = createSuite({ screenshotPrefix: 'customer-lists-' });
const { api, openPage, screenshot, step } = suite;
let server;
const listDir = mkdtempSync(join(tmpdir(), 'qianbao-e2e-customer-list-'));
const state = { listId: null, campaignId: null };

/** The list's row on the 人群包 page. */
const listRow = (page) => page.locator(`[data-testid="customer-list-row"][data-row-id="${state.listId}"]`);

describe('custom customer lists: a list uploaded in the console targets a campaign', { timeout: 300_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    const { token: staffToken } = await suite.staffApiLogIn();
    expectStatus(
      await api('/api/v1/staff/staff', { method: 'POST', token: staffToken, body: MARKETER }),
      201,
      'create the marketer',
    );
    // One customer, so one code and no wait for the SMS interval.
    expectStatus(
      await api('/api/v1/otp', { method: 'POST', body: { phone: CUSTOMER.phone, purpose: 'register' } }),
      202,
      'send register OTP',
    );
    const otp = await suite.readOtp(CUSTOMER.phone, staffToken);
    expectStatus(
      await api('/api/v1/customers', {
        method: 'POST',
        body: { phone: CUSTOMER.phone, otp, password: CUSTOMER.password },
      }),
      201,
      'register',
    );
  });

  after(async () => {
    rmSync(listDir, { recursive: true, force: true });
    await suite.stop();
  });

  step('the marketer names a list and uploads a CSV: 1 added, 1 not found', async () => {
    const { page } = await openPage('marketer', DESKTOP);
    await page.goto(`${server.baseUrl}/console/login`);
    await page.getByTestId('staff-username').fill(MARKETER.username);
    await page.getByTestId('staff-password').fill(MARKETER.password);
    await page.getByTestId('staff-login-submit').click();
    await waitOrExplain(page, page.getByTestId('menu-customer-lists'));
    await page.getByTestId('menu-customer-lists').click();
    await waitOrExplain(page, page.getByTestId('customer-lists'));

    await page.getByTestId('customer-list-name').fill(LIST_NAME);
    await page.getByTestId('customer-list-create').click();
    const row = page.locator(`[data-testid="customer-list-row"][data-name="${LIST_NAME}"]`);
    await waitOrExplain(page, row);
    state.listId = await row.getAttribute('data-row-id');
    assert.ok(state.listId, 'the new list is named');
    assert.equal(await row.getAttribute('data-members'), '0');

    const file = join(listDir, 'double-11.csv');
    writeFileSync(file, `phone,name\r\n${CUSTOMER.phone},甲\r\n${UNKNOWN_PHONE},乙\r\n`);
    await row.getByTestId('customer-list-upload').click();
    await page.getByTestId('customer-list-csv-file').setInputFiles(file);
    await waitOrExplain(page, page.locator('[data-testid="customer-list-csv-read"][data-rows="2"][data-phones="2"]'));
    await page.getByTestId('customer-list-csv-start').click();
    const summary = page.getByTestId('customer-list-csv-summary');
    await waitOrExplain(page, summary);
    assert.equal(await summary.getAttribute('data-added'), '1');
    assert.equal(await summary.getAttribute('data-already'), '0');
    assert.equal(await summary.getAttribute('data-not-found'), '1');
    assert.equal(await summary.getAttribute('data-invalid'), '0');
    await screenshot(page, '01-uploaded');
    await page.keyboard.press('Escape');
    await waitOrExplain(page, page.locator(`[data-testid="customer-list-row"][data-row-id="${state.listId}"][data-members="1"]`));
    suite.assertClean('marketer');
  });

  step('the marketer targets an instant discount at the list in the editor, makes it live and edits it', async () => {
    const page = suite.pages.get('marketer').page;
    await page.goto(`${server.baseUrl}/console/campaigns/new`);
    await page.getByTestId('campaign-editor').waitFor();
    await page.getByTestId('campaign-name').fill(CAMPAIGN_NAME);
    await page.getByTestId('campaign-type-instant_discount').click();
    await page.getByTestId('campaign-shape-fixed').click();
    await page.getByTestId('campaign-fixed').fill('1');
    await page.getByTestId('campaign-budget-total').fill('100');
    await page.getByTestId('campaign-customer-list').click();
    await page.getByTestId(`campaign-customer-list-option-${state.listId}`).click();
    await page.getByTestId('campaign-submit').click();
    const draft = page.locator('[data-testid="campaign-detail"][data-status="draft"]');
    await waitOrExplain(page, draft);
    state.campaignId = await draft.getAttribute('data-campaign-id');
    await page.getByTestId('campaign-to-live').click();
    await waitOrExplain(page, page.locator('[data-testid="campaign-detail"][data-status="live"]'));

    const targeting = page.getByTestId('campaign-targeting');
    assert.equal(await targeting.getAttribute('data-customer-list'), state.listId);
    await waitOrExplain(page, targeting.filter({ hasText: `人群包：${LIST_NAME}` }));
    await screenshot(page, '02-campaign');

    // Editing reads the list back into the select and saves it unchanged.
    await page.getByTestId('campaign-edit').click();
    await page.getByTestId('campaign-editor').waitFor();
    await waitOrExplain(page, page.getByTestId('campaign-customer-list').filter({ hasText: `${LIST_NAME}（1 人）` }));
    await page.getByTestId('campaign-submit').click();
    const saved = page.locator(`[data-testid="campaign-detail"][data-campaign-id="${state.campaignId}"]`);
    await waitOrExplain(page, saved);
    assert.equal(await page.getByTestId('campaign-targeting').getAttribute('data-customer-list'), state.listId);

    await page.goto(`${server.baseUrl}/console/campaigns`);
    const cell = page
      .locator(`[data-testid="campaign-row"][data-row-id="${state.campaignId}"]`)
      .getByTestId('campaign-row-customer-list');
    await waitOrExplain(page, cell.filter({ hasText: LIST_NAME }));
    assert.equal(await cell.getAttribute('data-list-id'), state.listId);
    suite.assertClean('marketer');
  });

  step('the list links the live campaign and cannot be deleted while it runs', async () => {
    const page = suite.pages.get('marketer').page;
    await page.getByTestId('menu-customer-lists').click();
    await waitOrExplain(page, listRow(page));
    const link = listRow(page).getByTestId('customer-list-campaign');
    assert.equal(await link.getAttribute('data-campaign-id'), state.campaignId);
    assert.equal(await link.innerText(), CAMPAIGN_NAME);

    await listRow(page).getByTestId('customer-list-delete').click();
    await page.getByTestId('customer-list-delete-confirm').click();
    const refused = page.locator('[data-testid="console-error"][data-error-code="CUSTOMER_LIST_IN_USE"]');
    await waitOrExplain(page, refused);
    assert.match(await refused.innerText(), /未结束的活动/);
    assert.equal(await listRow(page).count(), 1, 'the list stays');
    await screenshot(page, '03-in-use');
    suite.assertClean('marketer');
  });
});
