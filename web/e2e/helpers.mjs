// What the end-to-end tests (*.e2e.test.mjs) share: Debian's Chromium through playwright-core,
// the phone and desktop viewports, and a per-file suite (createSuite) that starts qianbaod
// (server.mjs) and the browser, opens named pages, runs steps that are skipped after a failure,
// calls the API with fetch, reads SMS codes from the staff outbox, and logs in to the staff
// console and the merchant portal. Plus the log-in of the customer H5 and bounded waits that say
// what the page shows when they time out.
//
// Not a test file itself (its name matches none of node's test patterns), so `node --test e2e/`
// only imports it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { chromium } from 'playwright-core';

import { REPO_ROOT, startServer } from './server.mjs';

/** The browser binary: $CHROMIUM or Debian's chromium (playwright-core downloads none). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Where screenshots go: <repo>/test-artifacts/e2e/. */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'e2e');
/** The bound on one browser action, navigation, screenshot or download. */
export const STEP_TIMEOUT_MS = 10_000;
/** The bound on one step of a suite (one node:test test), unless the step names another. */
export const STEP_TEST_TIMEOUT_MS = 60_000;
/** The bound on one API call. */
export const FETCH_TIMEOUT_MS = 10_000;
/** How long readOtp waits for a code to show up in the SMS outbox. */
export const OTP_WAIT_MS = 10_000;

/** A phone: the customer H5's viewport. */
export const MOBILE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
/** A desktop: the staff console's and the merchant portal's viewport. */
export const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

/** Launches headless Chromium without sandbox, GPU, QUIC or any background traffic. */
export function launchBrowser() {
  return chromium.launch({
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
}

/** Completes a digit string with its Luhn check digit. */
export function withLuhnCheckDigit(prefix) {
  let sum = 0;
  // Walking from the right of the prefix, every first digit gets doubled (the check digit
  // will be the new rightmost, undoubled one).
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

/** Whether a page's request stays on this machine (127.0.0.1, or data:, blob:, about:). */
export function loopbackOnly(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1';
}

/**
 * Checks an api() answer's status (a number, or 'ok' for any 2xx) and answers its body; the
 * failure message names `what`, the status and the body.
 */
export function expectStatus(answer, status, what) {
  const message = `${what}: ${answer.status} ${JSON.stringify(answer.body)}`;
  if (status === 'ok') assert.ok(answer.status >= 200 && answer.status < 300, message);
  else assert.equal(answer.status, status, message);
  return answer.body;
}

/**
 * Fills in and submits the H5 log-in form the page shows (/login); the app puts the token in
 * place itself. Does not wait for where it lands.
 */
export async function customerLogIn(page, customer) {
  await page.getByTestId('login-phone').fill(customer.phone);
  await page.getByTestId('login-password').fill(customer.password);
  await page.getByTestId('login-submit').tap();
}

/** The merchant token of a portal page, as the app stored it (sessionStorage). */
export function portalToken(page) {
  return page.evaluate(() => window.sessionStorage.getItem('qianbao.merchant.token'));
}

/** The form error a page (H5, portal or console) shows, for failure messages. */
export async function shownError(page) {
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
export async function waitOrExplain(page, locator, timeout = STEP_TIMEOUT_MS) {
  await locator.waitFor({ timeout }).catch(async (error) => {
    throw new Error(`${error.message}\nshown: ${await shownError(page)}`);
  });
}

/**
 * The shared state of one test file: its qianbaod, its browser and its named pages. Call
 * `start()` in `before` and `stop()` in `after`; the other functions need a started suite.
 * The functions do not use `this`, so they can be destructured.
 *
 * screenshotPrefix goes in front of every screenshot's file name ('journey-' gives
 * test-artifacts/e2e/journey-<name>.png).
 */
export function createSuite({ screenshotPrefix = '' } = {}) {
  let server = null;
  let browser = null;
  /** The pages opened with openPage, by name: screenshotted when a step fails. */
  const pages = new Map();
  /** Set by the first failing step: the later steps depend on it and are skipped. */
  let brokenAt = null;

  /**
   * Creates the artifacts folder, starts qianbaod (options go to startServer, e.g.
   * { admin: true }) and launches the browser; resolves to the server handle.
   */
  async function start(options) {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer(options);
    browser = await launchBrowser();
    return server;
  }

  /** Closes every named page's context and the browser, then always stops the server. */
  async function stop() {
    try {
      for (const { context } of pages.values()) await context.close().catch(() => {});
      await browser?.close();
    } finally {
      await server?.stop();
    }
  }

  /** Takes a full-page screenshot to <artifacts>/<prefix><name>.png; answers its path. */
  async function screenshot(page, name) {
    const path = join(ARTIFACTS, `${screenshotPrefix}${name}.png`);
    await page.screenshot({ path, fullPage: true, timeout: STEP_TIMEOUT_MS });
    console.log(`screenshot: ${path}`);
    return path;
  }

  /**
   * A fresh browser context with one page (fresh storage: the language starts at its default),
   * bounded by STEP_TIMEOUT_MS; answers { context, page, errors } where `errors` collects the
   * page's uncaught errors. The caller closes the context.
   */
  async function newPage(options) {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { context, page, errors };
  }

  /**
   * newPage, kept in `pages` under `name` (closed by stop(), screenshotted when a step fails),
   * that also records requests beyond loopback in `offLoopback`.
   */
  async function openPage(name, options) {
    const entry = { ...(await newPage(options)), offLoopback: [] };
    entry.page.on('request', (request) => {
      if (!loopbackOnly(request.url())) entry.offLoopback.push(request.url());
    });
    pages.set(name, entry);
    return entry;
  }

  /** Checks a named page stayed clean: no uncaught errors, nothing fetched beyond loopback. */
  function assertClean(name) {
    const entry = pages.get(name);
    assert.deepEqual(entry.errors, [], `${name}: uncaught page errors`);
    assert.deepEqual(entry.offLoopback, [], `${name}: requests beyond loopback`);
  }

  /**
   * One step (a node:test test): skipped when an earlier step failed; on failure, every named
   * page is screenshotted (<prefix>failure-<page>.png) and the last 30 lines of qianbaod's
   * output are added to the error.
   */
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

  /** Session rotations seen by api(): the token presented → the token the server gave back. */
  const rotatedTokens = new Map();

  /** The token a session presented as `token` goes by now, after any rotations api() saw. */
  function newestToken(token) {
    let newest = token;
    while (rotatedTokens.has(newest)) newest = rotatedTokens.get(newest);
    return newest;
  }

  /**
   * fetch against the server, bounded by FETCH_TIMEOUT_MS; resolves to { status, body }: the
   * body parsed as JSON (or the text, or null when empty), or a Buffer for a successful
   * `binary` call.
   *
   * @param {string} path
   * @param {{ method?: string, token?: string, body?: unknown, idempotencyKey?: string,
   *   binary?: boolean }} [options]
   * @returns {Promise<{ status: number, body: any }>}
   */
  async function api(
    path,
    { method = 'GET', token: given, body, idempotencyKey, binary = false, followRotation = true } = {},
  ) {
    const headers = { Accept: binary ? '*/*' : 'application/json' };
    // Like the web app, present the newest token a session was rotated to (X-Session-Token,
    // after a privilege change); followRotation: false sends `token` as given.
    const token = given && followRotation ? newestToken(given) : given;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    const rotated = response.headers.get('x-session-token');
    if (rotated && token) rotatedTokens.set(token, rotated);
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

  /**
   * The newest 6-digit code sent to `phone`, read from the SMS outbox through the admin-only
   * API with `staffToken`; polls for up to OTP_WAIT_MS.
   */
  async function readOtp(phone, staffToken) {
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
    const seen = JSON.stringify(last?.body);
    throw new Error(`no SMS code for ${phone} within ${OTP_WAIT_MS} ms: ${seen}`);
  }

  /** Logs the server's staff admin in through the API (expects 201); answers { token, staff }. */
  async function staffApiLogIn() {
    const login = await api('/api/v1/staff/sessions', {
      method: 'POST',
      body: { username: server.admin.username, password: server.admin.password },
    });
    return expectStatus(login, 201, 'staff log-in');
  }

  /** Logs the server's staff admin in to the console in `page`, up to their name showing. */
  async function consoleLogIn(page) {
    await page.goto(`${server.baseUrl}/console/login`);
    await page.getByTestId('staff-username').fill(server.admin.username);
    await page.getByTestId('staff-password').fill(server.admin.password);
    await page.getByTestId('staff-login-submit').click();
    await page.getByTestId('staff-name').waitFor();
  }

  /** Opens the portal's log-in page in `page` and submits it; does not wait for the result. */
  async function portalLogIn(page, username, password) {
    await page.goto(`${server.baseUrl}/merchant/login`);
    await page.getByTestId('merchant-username').fill(username);
    await page.getByTestId('merchant-password').fill(password);
    await page.getByTestId('merchant-login-submit').click();
  }

  /** Onboards `merchant` (the API's request body) with a staff token; expects 201. */
  async function onboardMerchantByApi(staffToken, merchant) {
    const answer = await api('/api/v1/staff/merchants', {
      method: 'POST',
      token: staffToken,
      body: merchant,
    });
    return expectStatus(answer, 201, 'onboard merchant');
  }

  /** Logs a merchant user in to the portal through the API (expects 201); answers the token. */
  async function portalApiLogIn(username, password) {
    const login = await api('/api/v1/merchant/sessions', { method: 'POST', body: { username, password } });
    return expectStatus(login, 201, 'portal log-in').token;
  }

  /**
   * The common start of a payments suite: qianbaod with a staff admin, `merchant` onboarded
   * (the staff API's body, with username and password), `customer` registered, verified, with
   * a card and `fundFen` topped up. Answers { server, staffToken, customerToken, portal }.
   */
  async function startWithMerchantAndCustomer({ merchant, customer, fundFen }) {
    const started = await start({ admin: true });
    const { token: staffToken } = await staffApiLogIn();
    await onboardMerchantByApi(staffToken, merchant);
    const customerToken = await registerCustomerByApi(customer, { staffToken, fundFen });
    const portal = await portalApiLogIn(merchant.username, merchant.password);
    return { server: started, staffToken, customerToken, portal };
  }

  /**
   * Opens a phone page named `name`, logs `customer` in, and opens `order`'s hosted checkout up
   * to its preview; answers the page.
   */
  async function openCheckoutAsCustomer(name, customer, order) {
    const { page } = await openPage(name, MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, customer);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.goto(`${server.baseUrl}${order.checkout_path}`);
    await waitOrExplain(page, page.locator('[data-testid="pay-preview"][data-kind="dynamic"]'));
    return page;
  }

  /** Creates a merchant order of `amountFen` with the portal token (expects 201); answers it. */
  async function createOrderByApi(portalToken, amountFen, prefix) {
    const order = await api('/api/v1/merchant/orders', {
      method: 'POST',
      token: portalToken,
      body: { merchant_order_no: `${prefix}-${Date.now()}`, amount: amountFen, currency: 'CNY' },
    });
    return expectStatus(order, 201, 'create order');
  }

  /**
   * Puts the named rules of the active risk rule set in shadow (evaluated and reported, not
   * enforced), as an analyst would, through the staff API with `staffToken`. For suites that
   * squeeze a day of money movements into a minute, which the velocity and scam rules rightly
   * find suspicious; the risk suite tests the rules themselves.
   */
  async function shadowRiskRules(staffToken, names) {
    const sets = expectStatus(await api('/api/v1/staff/risk/rules', { token: staffToken }), 200, 'risk rules');
    // The version and the hit counters are the server's, not part of what is published.
    const { version: _version, evaluated: _evaluated, verdicts: _verdicts, ...active } = sets.active;
    const unknown = names.filter((name) => !active.rules.some((rule) => rule.name === name));
    assert.deepEqual(unknown, [], 'rules to shadow exist');
    active.rules = active.rules.map(({ hits: _hits, ...rule }) =>
      names.includes(rule.name) ? { ...rule, shadow: true } : rule,
    );
    expectStatus(
      await api('/api/v1/staff/risk/rules', { method: 'PUT', token: staffToken, body: { ...active, shadow: false } }),
      200,
      'shadow risk rules',
    );
  }

  /**
   * Through the API: registers `customer` ({ phone, password, realName, residentId, card })
   * with the SMS code read with `staffToken`, verifies the identity, binds the card and tops up
   * `fundFen` from it. Answers the customer's token.
   */
  async function registerCustomerByApi(customer, { staffToken, fundFen }) {
    expectStatus(
      await api('/api/v1/otp', {
        method: 'POST',
        body: { phone: customer.phone, purpose: 'register' },
      }),
      202,
      'send OTP',
    );
    const otp = await readOtp(customer.phone, staffToken);
    const registered = await api('/api/v1/customers', {
      method: 'POST',
      body: { phone: customer.phone, otp, password: customer.password },
    });
    const customerToken = expectStatus(registered, 201, 'register').token;
    expectStatus(
      await api('/api/v1/me/identity', {
        method: 'POST',
        token: customerToken,
        body: { real_name: customer.realName, resident_id: customer.residentId },
      }),
      'ok',
      'identity',
    );
    const card = await api('/api/v1/me/cards', {
      method: 'POST',
      token: customerToken,
      body: { card_number: customer.card },
    });
    const cardId = expectStatus(card, 201, 'bind card').id;
    expectStatus(
      await api('/api/v1/me/top-ups', {
        method: 'POST',
        token: customerToken,
        idempotencyKey: `fund-${Date.now()}`,
        body: { card_id: cardId, amount: fundFen, currency: 'CNY' },
      }),
      201,
      'top up',
    );
    // Verifying and binding rotated the session: the token the customer holds now.
    return newestToken(customerToken);
  }

  return {
    pages,
    start,
    stop,
    screenshot,
    newPage,
    openPage,
    assertClean,
    step,
    api,
    newestToken,
    readOtp,
    staffApiLogIn,
    consoleLogIn,
    portalLogIn,
    onboardMerchantByApi,
    registerCustomerByApi,
    shadowRiskRules,
    portalApiLogIn,
    createOrderByApi,
    startWithMerchantAndCustomer,
    openCheckoutAsCustomer,
  };
}
