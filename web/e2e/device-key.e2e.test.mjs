// Device keys end to end through a real qianbaod serving the built web app:
//
//   a customer (registered through the API) logs in on a phone-sized page, opens Security and
//   binds this device (the browser makes a non-extractable Ed25519 key with WebCrypto, keeps it
//   in IndexedDB and proves possession by signing the server's binding challenge), logs out,
//   and signs in again with "Sign in with this device" (a signed login challenge, no password).
//   The server lists the key as used; the private key cannot be exported from the page. Then a
//   transfer that takes the day past ¥5,000 (PBoC No. 43: only a device-key signature will do)
//   is refused until the step-up panel signs it with this device, for its payee, amount and
//   request.
//
// Run with `npm run e2e` in web/ (or `make test-e2e`); QIANBAOD and QIANBAO_CLI override the
// server and CLI binaries, CHROMIUM the browser. Screenshots: test-artifacts/e2e/device-key-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { createSuite, customerLogIn, expectStatus, MOBILE, waitOrExplain, withLuhnCheckDigit } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const CUSTOMER = {
  phone: '13800138071',
  password: randomPassword(),
  realName: '周八',
  residentId: '110105194912310070',
  card: withLuhnCheckDigit('622202020011229922'),
};
const PAYEE = {
  phone: '13800138073',
  password: randomPassword(),
  realName: '吴九',
  residentId: '110105194912310089',
  card: withLuhnCheckDigit('622202020011229933'),
};

const suite = createSuite({ screenshotPrefix: 'device-key-' });
const { api, assertClean, openPage, pages, screenshot, step } = suite;
let server;
let token;
let payeeToken;
let staffToken;
let registeredAt;

describe('device key: bind this browser, log out, sign in with it', { timeout: 400_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    ({ token: staffToken } = await suite.staffApiLogIn());
    token = await suite.registerCustomerByApi(CUSTOMER, { staffToken, fundFen: 600_000 });
    registeredAt = Date.now();
    payeeToken = await suite.registerCustomerByApi(PAYEE, { staffToken, fundFen: 100 });
    // The payee signed up a minute ago: ¥2,000 or more to such a new account is the scam-mule
    // pattern the risk rules send to review (risk.e2e tests the rules themselves).
    await suite.shadowRiskRules(staffToken, ['new_payee_mule']);
  });

  after(() => suite.stop());

  step('the customer binds this device from the security page', async () => {
    const { page } = await openPage('c', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-security').tap();
    await page.waitForURL((url) => url.pathname === '/security');
    await waitOrExplain(page, page.locator('[data-testid="device-key-section"][data-state="none"]'));
    await page.getByTestId('device-key-bind').tap();
    await waitOrExplain(page, page.locator('[data-testid="device-key-section"][data-state="active"]'));
    await screenshot(page, '01-bound');
    const keys = expectStatus(await api('/api/v1/me/device-keys', { token }), 200, 'device keys');
    assert.equal(keys.device_keys.length, 1);
    assert.equal(keys.device_keys[0].status, 'active');
    assert.equal(keys.device_keys[0].last_used_at, null);
    // The private key is a non-extractable CryptoKey in IndexedDB: the page cannot export it.
    const exported = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('qianbao-device-keys');
          open.onsuccess = () => {
            const get = open.result.transaction('keys').objectStore('keys').getAll();
            get.onsuccess = async () => {
              const [stored] = get.result;
              const privateKey = stored.keyPair.privateKey;
              try {
                await crypto.subtle.exportKey('pkcs8', privateKey);
                resolve({ extractable: privateKey.extractable, exported: true, publicKey: stored.publicKey });
              } catch {
                resolve({ extractable: privateKey.extractable, exported: false, publicKey: stored.publicKey });
              }
            };
          };
        }),
    );
    assert.deepEqual(
      { extractable: exported.extractable, exported: exported.exported },
      { extractable: false, exported: false },
    );
    assert.equal(exported.publicKey, keys.device_keys[0].public_key);
  });

  step('after logging out, "Sign in with this device" logs in without the password', async () => {
    const { page } = pages.get('c');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('logout-button').tap();
    await page.waitForURL((url) => url.pathname !== '/home');
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-phone').fill(CUSTOMER.phone);
    await waitOrExplain(page, page.getByTestId('login-with-device'));
    await screenshot(page, '02-sign-in-offered');
    await page.getByTestId('login-with-device').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await screenshot(page, '03-signed-in');
    const keys = expectStatus(await api('/api/v1/me/device-keys', { token }), 200, 'device keys');
    assert.notEqual(keys.device_keys[0].last_used_at, null);
    assertClean('c');
  });

  step('a transfer past ¥5,000 a day is sent once this device signs it', async () => {
    // ¥4,500 first, through the API with an SMS code (two factors: up to ¥5,000 a day). A phone
    // gets one code a minute: the registration's came first.
    const wait = 61_000 - (Date.now() - registeredAt);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    expectStatus(
      await api('/api/v1/otp', { method: 'POST', body: { phone: CUSTOMER.phone, purpose: 'payment' } }),
      202,
      'payment code',
    );
    const code = await suite.readOtp(CUSTOMER.phone, staffToken);
    expectStatus(
      await api('/api/v1/me/transfers', {
        method: 'POST',
        token,
        idempotencyKey: `first-${Date.now()}`,
        body: { to_phone: PAYEE.phone, amount: 450_000, currency: 'CNY', sms_code: code },
      }),
      201,
      'first transfer',
    );
    const { page } = pages.get('c');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('action-transfer').tap();
    await page.waitForURL((url) => url.pathname === '/transfer');
    await page.getByTestId('transfer-phone').fill(PAYEE.phone);
    await page.getByTestId('transfer-amount').fill('1000');
    await page.getByTestId('transfer-submit').tap();
    // Nothing moved: the panel offers this phone's key only.
    await waitOrExplain(page, page.locator('[data-testid="step-up"][data-needed="device_key"]'));
    assert.equal(await page.getByTestId('step-up-sms').count(), 0);
    await screenshot(page, '04-transfer-step-up');
    const before = expectStatus(await api('/api/v1/me/balance', { token: payeeToken }), 200, 'balance');
    assert.equal(before.balance, 100 + 450_000);
    await page.getByTestId('step-up-device').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await screenshot(page, '05-transfer-sent');
    const after = expectStatus(await api('/api/v1/me/balance', { token: payeeToken }), 200, 'balance');
    assert.equal(after.balance, 100 + 450_000 + 100_000);
    assertClean('c');
  });

  step('another phone number is not offered the device sign-in', async () => {
    const { page } = await openPage('other', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-phone').fill('13800138072');
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('login-with-device').count(), 0);
  });
});
