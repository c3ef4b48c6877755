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
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { randomPassword, REPO_ROOT, startServer } from './server.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'e2e');
const STEP_TEST_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 10_000;
const FETCH_TIMEOUT_MS = 10_000;
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

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

let server;
let browser;
const state = { cashierId: null };
const pages = new Map();
let brokenAt = null;

function loopbackOnly(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1';
}

async function screenshot(page, name) {
  const path = join(ARTIFACTS, `merchant-users-${name}.png`);
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

/** fetch against the server with a timeout; resolves to { status, body }. */
async function api(path, { method = 'GET', token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

function expectStatus(answer, status, what) {
  assert.equal(answer.status, status, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The form error of a portal page, for failure messages. */
async function shownError(page) {
  for (const id of ['merchant-error', 'merchant-form-message']) {
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

async function portalLogIn(page, username, password) {
  await page.goto(`${server.baseUrl}/merchant/login`);
  await page.getByTestId('merchant-username').fill(username);
  await page.getByTestId('merchant-password').fill(password);
  await page.getByTestId('merchant-login-submit').click();
}

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

describe('merchant users: add a cashier, disable, enable', { timeout: 600_000 }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
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
    const staffToken = expectStatus(login, 201, 'staff log-in').token;
    const merchant = await api('/api/v1/staff/merchants', {
      method: 'POST',
      token: staffToken,
      body: MERCHANT,
    });
    expectStatus(merchant, 201, 'onboard merchant');
  });

  after(async () => {
    try {
      for (const { context } of pages.values()) await context.close().catch(() => {});
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

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
