// Device keys end to end through a real qianbaod serving the built web app:
//
//   a customer (registered through the API) logs in on a phone-sized page, opens Security and
//   binds this device (the browser makes a non-extractable Ed25519 key with WebCrypto, keeps it
//   in IndexedDB and proves possession by signing the server's binding challenge), logs out,
//   and signs in again with "Sign in with this device" (a signed login challenge, no password).
//   The server lists the key as used; the private key cannot be exported from the page.
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

const suite = createSuite({ screenshotPrefix: 'device-key-' });
const { api, assertClean, openPage, pages, screenshot, step } = suite;
let server;
let token;

describe('device key: bind this browser, log out, sign in with it', { timeout: 300_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    const { token: staffToken } = await suite.staffApiLogIn();
    token = await suite.registerCustomerByApi(CUSTOMER, { staffToken, fundFen: 100 });
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

  step('another phone number is not offered the device sign-in', async () => {
    const { page } = await openPage('other', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-phone').fill('13800138072');
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('login-with-device').count(), 0);
  });
});
