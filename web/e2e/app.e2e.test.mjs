// End-to-end tests: a real qianbaod serving the built web app (web/dist), driven by Debian's
// headless Chromium through playwright-core (no browser is downloaded). Run with
// `npm run e2e` in web/ (or `make test-e2e`); QIANBAOD overrides the server binary.
// Screenshots go to <repo>/test-artifacts/e2e/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createSuite, DESKTOP, MOBILE, STEP_TIMEOUT_MS } from './helpers.mjs';

const TEST_TIMEOUT_MS = 30_000;

const suite = createSuite();
const { newPage, screenshot } = suite;
let server;

/** Collects the URLs of the page's /api/ requests from now on (the array fills as they go). */
function recordApiRequests(page) {
  const apiRequests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests.push(request.url());
  });
  return apiRequests;
}

describe('web app through qianbaod', { timeout: 120_000 }, () => {
  before(async () => {
    server = await suite.start();
  });

  after(() => suite.stop());

  test('H5 welcome page: Chinese by default on a phone, English after the toggle', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { context, page, errors } = await newPage(MOBILE);
    try {
      const response = await page.goto(`${server.baseUrl}/`);
      assert.equal(response?.status(), 200);
      await page.getByRole('heading', { name: '欢迎使用钱包' }).waitFor();
      assert.ok(await page.getByRole('button', { name: '注册新账户' }).isVisible());
      assert.ok(await page.getByRole('button', { name: '登录' }).isVisible());
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      // The page fits the phone: no horizontal scrolling.
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= 390, `page is ${scrollWidth}px wide on a 390px phone`);
      await screenshot(page, 'h5-welcome-zh');

      await page.getByRole('button', { name: 'English' }).tap();
      await page.getByRole('heading', { name: 'Welcome to qianbao' }).waitFor();
      assert.ok(await page.getByRole('button', { name: 'Create an account' }).isVisible());
      assert.ok(await page.getByRole('button', { name: 'Log in' }).isVisible());
      assert.ok(await page.getByRole('button', { name: '中文' }).isVisible());
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await screenshot(page, 'h5-welcome-en');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('H5 register page rejects an invalid phone number without calling the API', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { context, page, errors } = await newPage(MOBILE);
    const apiRequests = recordApiRequests(page);
    try {
      await page.goto(`${server.baseUrl}/register`);
      await page.getByText('注册', { exact: true }).waitFor();
      const phone = page.getByPlaceholder('请输入 11 位手机号');
      await phone.fill('12345');
      assert.equal(await phone.inputValue(), '12345');
      assert.equal(await page.getByText('请输入有效的中国大陆手机号').count(), 0);

      await page.getByRole('button', { name: '提交' }).tap();
      await page.getByText('请输入有效的中国大陆手机号').waitFor();
      // The other empty fields are flagged too, and nothing claims the form was sent.
      assert.ok(await page.getByText('验证码为 6 位数字').isVisible());
      assert.ok(await page.getByText('密码需 8–64 位，且同时包含字母和数字').isVisible());
      assert.equal(await page.getByText('服务尚未接入，敬请期待').count(), 0);
      assert.equal(await page.getByTestId('form-error').count(), 0);
      assert.deepEqual(apiRequests, []);
      await screenshot(page, 'h5-register-invalid-phone');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('console login page shows the antd staff login form', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { context, page, errors } = await newPage(DESKTOP);
    try {
      const response = await page.goto(`${server.baseUrl}/console`);
      assert.equal(response?.status(), 200);
      await page.waitForURL(/\/console\/login$/);
      await page.getByText('员工登录').waitFor();
      const username = page.getByLabel('用户名');
      const password = page.getByLabel('密码', { exact: true });
      assert.ok(await username.isVisible());
      assert.ok(await password.isVisible());
      assert.equal(await password.getAttribute('type'), 'password');
      // Username and password only: the staff log-in has no TOTP field (any more).
      assert.equal(await page.getByLabel('动态口令（TOTP）').count(), 0);
      assert.equal(await page.locator('.ant-card .ant-form input').count(), 2);
      // antd rendered it (its classes), not a bare HTML form.
      assert.equal(await page.locator('.ant-card .ant-form').count(), 1);

      // antd's own required-field validation runs on an empty submit: one error per field,
      // and nothing is sent to the server.
      const apiRequests = recordApiRequests(page);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.locator('.ant-form-item-explain-error').first().waitFor();
      await page.locator('.ant-form-item-explain-error').nth(1).waitFor();
      assert.equal(await page.locator('.ant-form-item-explain-error').count(), 2);
      assert.deepEqual(apiRequests, []);

      await username.fill('ops.alice');
      assert.equal(await username.inputValue(), 'ops.alice');
      await screenshot(page, 'console-login');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('/healthz answers {"status":"ok"} on the same server', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const response = await fetch(`${server.baseUrl}/healthz`, {
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('a deep link (/history) is answered by the SPA and, without a session, goes to /login', {
    timeout: TEST_TIMEOUT_MS,
  }, async () => {
    const { context, page, errors } = await newPage(MOBILE);
    const apiRequests = recordApiRequests(page);
    try {
      const response = await page.goto(`${server.baseUrl}/history`);
      // The server answers the deep link with the SPA (not a 404) ...
      assert.equal(response?.status(), 200);
      assert.match(response?.headers()['content-type'] ?? '', /text\/html/);
      // ... and the app, finding no customer session, sends the visitor to log in.
      await page.waitForURL((url) => url.pathname === '/login');
      await page.getByTestId('login-phone').waitFor();
      assert.ok(await page.getByTestId('login-password').isVisible());
      assert.ok(await page.getByTestId('login-submit').isVisible());
      assert.equal(await page.getByTestId('history-list').count(), 0);
      assert.deepEqual(apiRequests, []);
      await screenshot(page, 'h5-history-deep-link-login');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
