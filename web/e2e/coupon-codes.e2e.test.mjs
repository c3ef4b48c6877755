// Coupons by uploaded list and by redeem code (兑换码), end to end through a real qianbaod
// serving the built web app:
//
//   Ops (the staff admin) create a 满减 coupon campaign in the console's editor with a template
//   "满50减5" (stock 100, no per-customer limit) and make it live. They generate 3 redeem codes
//   for the template and download the batch: `code` and three codes like 7K3M-Q9TD-X2BE-HN4R.
//   Then they issue the template to an uploaded CSV (header phone,name) naming two registered
//   customers and one phone nobody holds: 2 issued, 1 not found, and the not-issued CSV names
//   that phone. The first customer sees the coupon on the offers page, types one of the codes
//   in lower case with spaces into the 兑换码 box and gets a second coupon; the same code again
//   is refused as used, a made-up one as invalid. The console's batch then shows 1 redeemed.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/coupon-codes-*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  customerLogIn,
  DESKTOP,
  expectStatus,
  MOBILE,
  STEP_TIMEOUT_MS,
  waitOrExplain,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

const CUSTOMER_A = { phone: '13800138111', password: randomPassword() };
const CUSTOMER_B = { phone: '13900139112', password: randomPassword() };
/** A phone no customer holds. */
const UNKNOWN_PHONE = '13700137113';
const CODE_COUNT = 3;
const CODE_PATTERN = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/;
/** Well formed (Crockford base32) but never generated. */
const MADE_UP_CODE = 'ZZZZ-ZZZZ-ZZZZ-ZZZZ';

const suite = createSuite({ screenshotPrefix: 'coupon-codes-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let tokenB;
const listDir = mkdtempSync(join(tmpdir(), 'qianbao-e2e-list-'));
const state = { campaignId: null, templateId: null, codes: [] };

/** Registers a customer through the API (SMS code from the outbox); answers the live token. */
async function registerByApi(customer) {
  expectStatus(
    await api('/api/v1/otp', { method: 'POST', body: { phone: customer.phone, purpose: 'register' } }),
    202,
    'send register OTP',
  );
  const otp = await suite.readOtp(customer.phone, staffToken);
  const registered = await api('/api/v1/customers', {
    method: 'POST',
    body: { phone: customer.phone, otp, password: customer.password },
  });
  return suite.newestToken(expectStatus(registered, 201, 'register').token);
}

/** Clicks `trigger` and answers the name and text of the download it starts (bounded wait). */
async function downloadText(page, trigger) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }),
    trigger.click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** The lines of a CSV text, without a BOM, line ends or a last empty line. */
function csvLines(text) {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line !== '');
}

/** Opens the campaign's console page with the template's row shown. */
async function openCampaign(page) {
  await page.goto(`${server.baseUrl}/console/campaigns/${state.campaignId}`);
  await waitOrExplain(page, page.locator(`[data-testid="coupon-template-row"][data-row-id="${state.templateId}"]`));
}

describe('coupons issued to an uploaded list and redeemed by code', { timeout: 600_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    ({ token: staffToken } = await suite.staffApiLogIn());
    await registerByApi(CUSTOMER_A);
    tokenB = await registerByApi(CUSTOMER_B);
  });

  after(async () => {
    rmSync(listDir, { recursive: true, force: true });
    await suite.stop();
  });

  step('ops create a live 满减 campaign with a 满50减5 template in the console', async () => {
    const { page } = await openPage('ops', DESKTOP);
    await suite.consoleLogIn(page);
    await page.goto(`${server.baseUrl}/console/campaigns`);
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('campaign-editor').waitFor();
    await page.getByTestId('campaign-name').fill('兑换码与名单发券');
    await page.getByTestId('campaign-type-threshold_coupon').click();
    await page.getByTestId('campaign-budget-total').fill('500');
    await page.getByTestId('campaign-submit').click();
    const draft = page.locator('[data-testid="campaign-detail"][data-status="draft"]');
    await waitOrExplain(page, draft);
    state.campaignId = await draft.getAttribute('data-campaign-id');
    await page.getByTestId('campaign-to-live').click();
    await waitOrExplain(page, page.locator('[data-testid="campaign-detail"][data-status="live"]'));

    await page.getByTestId('coupon-template-new').click();
    await page.getByTestId('coupon-name').fill('满50减5');
    await page.getByTestId('coupon-threshold').fill('50');
    await page.getByTestId('coupon-save').fill('5');
    await page.getByTestId('coupon-stock').fill('100');
    // No per-customer limit: the first customer gets one by the list and one by a code.
    await page.getByTestId('coupon-per-customer').fill('0');
    await page.getByTestId('coupon-submit').click();
    const row = page.getByTestId('coupon-template-row');
    await waitOrExplain(page, row);
    state.templateId = await row.getAttribute('data-row-id');
    assert.ok(state.templateId, 'the new template is named');
    await screenshot(page, '01-template');
    suite.assertClean('ops');
  });

  step('ops generate 3 redeem codes and download them as CSV', async () => {
    const page = suite.pages.get('ops').page;
    await page.getByTestId(`coupon-codes-${state.templateId}`).click();
    await page.getByTestId('coupon-codes-count').fill(String(CODE_COUNT));
    await page.getByTestId('coupon-codes-generate').click();
    const batch = page.locator(`[data-testid="coupon-code-batch"][data-count="${CODE_COUNT}"]`);
    await waitOrExplain(page, batch);
    assert.equal(await batch.getAttribute('data-redeemed'), '0');
    assert.equal(await page.getByTestId('coupon-codes-large').count(), 0, 'no large-download warning for 3');
    await screenshot(page, '02-batch');

    const { name, text } = await downloadText(page, batch.getByTestId('coupon-code-batch-download'));
    assert.match(name, /\.csv$/);
    const lines = csvLines(text);
    assert.equal(lines.length, CODE_COUNT + 1, `codes.csv: ${text}`);
    assert.equal(lines[0], 'code');
    for (const code of lines.slice(1)) assert.match(code, CODE_PATTERN);
    assert.equal(new Set(lines.slice(1)).size, CODE_COUNT, 'the codes differ');
    state.codes = lines.slice(1);
    suite.assertClean('ops');
  });

  step('ops issue the template to an uploaded CSV: 2 issued, 1 not found', async () => {
    const page = suite.pages.get('ops').page;
    await openCampaign(page);
    const file = join(listDir, 'vip-list.csv');
    // Customer B's phone as people write it: the server normalises it.
    writeFileSync(file, `phone,name\r\n${CUSTOMER_A.phone},甲\r\n+86 139 0013 9112,乙\r\n${UNKNOWN_PHONE},丙\r\n`);
    await page.getByTestId(`coupon-issue-csv-${state.templateId}`).click();
    await page.getByTestId('coupon-issue-csv-file').setInputFiles(file);
    await waitOrExplain(page, page.locator('[data-testid="coupon-issue-csv-read"][data-rows="3"][data-phones="3"]'));
    await page.getByTestId('coupon-issue-csv-start').click();
    const summary = page.getByTestId('coupon-issue-csv-summary');
    await waitOrExplain(page, summary);
    assert.equal(await summary.getAttribute('data-issued'), '2');
    assert.equal(await summary.getAttribute('data-not-found'), '1');
    assert.equal(await summary.getAttribute('data-invalid'), '0');
    await screenshot(page, '03-list-issued');

    const { text } = await downloadText(page, page.getByTestId('coupon-issue-csv-unmatched'));
    assert.deepEqual(csvLines(text), ['phone,reason', `${UNKNOWN_PHONE},not_found`]);

    const coupons = expectStatus(await api('/api/v1/me/coupons', { token: tokenB }), 200, "B's coupons");
    assert.deepEqual(
      coupons.items.map((c) => [c.template_id, c.state]),
      [[state.templateId, 'available']],
    );
    suite.assertClean('ops');
  });

  step('the first customer sees the issued coupon on the offers page', async () => {
    const { page } = await openPage('customer', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER_A);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-offers').tap();
    await waitOrExplain(page, page.locator('[data-testid="my-coupon"][data-state="available"]'));
    assert.equal(await page.getByTestId('my-coupon').count(), 1);
    await screenshot(page, '04-issued-coupon');
  });

  step('a code typed in lower case with spaces adds a coupon; used and made-up codes are refused', async () => {
    const page = suite.pages.get('customer').page;
    const input = page.getByTestId('redeem-code-input');
    const typed = state.codes[0].toLowerCase().replace(/-/g, ' ');
    await input.fill(typed);
    await page.getByTestId('redeem-code-submit').tap();
    await waitOrExplain(page, page.getByTestId('my-coupon').nth(1));
    assert.equal(await page.locator('[data-testid="my-coupon"][data-state="available"]').count(), 2);
    assert.equal(await input.inputValue(), '', 'the box is cleared after redeeming');
    await screenshot(page, '05-redeemed');

    await input.fill(typed);
    await page.getByTestId('redeem-code-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="redeem-code-error"][data-error-code="COUPON_CODE_USED"]'));
    assert.match(await page.getByTestId('redeem-code-error').innerText(), /已经被使用/);
    assert.equal(await page.getByTestId('my-coupon').count(), 2, 'no second coupon for a used code');
    await screenshot(page, '06-code-used');

    await input.fill(MADE_UP_CODE);
    await page.getByTestId('redeem-code-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="redeem-code-error"][data-error-code="COUPON_CODE_INVALID"]'));
    assert.match(await page.getByTestId('redeem-code-error').innerText(), /兑换码无效/);
    await screenshot(page, '07-code-invalid');
    suite.assertClean('customer');
  });

  step("the console's batch shows the code redeemed", async () => {
    const page = suite.pages.get('ops').page;
    await openCampaign(page);
    await page.getByTestId(`coupon-codes-${state.templateId}`).click();
    await waitOrExplain(page, page.locator(`[data-testid="coupon-code-batch"][data-count="${CODE_COUNT}"][data-redeemed="1"]`));
    await screenshot(page, '08-batch-redeemed');
    suite.assertClean('ops');
  });
});
