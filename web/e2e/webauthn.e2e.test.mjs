// WebAuthn device keys end to end through a real qianbaod serving the built web app, with
// Chromium's virtual authenticator (DevTools protocol: WebAuthn.addVirtualAuthenticator, an
// internal CTAP2 authenticator with user verification, standing in for a fingerprint reader):
//
//   a customer logs in on a phone-sized page, opens Security, where the browser offers "Use
//   fingerprint / face (WebAuthn)", and binds a WebAuthn credential (navigator.credentials
//   .create with the server's binding challenge; the server checks the attestation's client
//   data, rp id hash and flags and keeps the ES256 key). After logging out, "Sign in with this
//   device" logs in with an assertion (no password). Then a transfer that takes the day past
//   ¥5,000 (only a device key will do) is sent once the step-up panel confirms it with the
//   credential: the server requires UV for payment confirmation and a rising signature counter.
//
// The page is opened at http://localhost:<port>, not 127.0.0.1: browsers refuse an IP address
// as a WebAuthn rp id, and qianbaod's development default is rp id "localhost" with origin
// http://localhost:<listen_port>.
//
// Run with `node --test e2e/webauthn.e2e.test.mjs` in web/ after `npm run build`; QIANBAOD and
// QIANBAO_CLI override the binaries, CHROMIUM the browser. Screenshots:
// test-artifacts/e2e/webauthn-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { createSuite, customerLogIn, expectStatus, MOBILE, waitOrExplain, withLuhnCheckDigit } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const CUSTOMER = {
  phone: '13800138081',
  password: randomPassword(),
  realName: '郑十',
  residentId: '11010519491231010X',
  card: withLuhnCheckDigit('622202020011229944'),
};
const PAYEE = {
  phone: '13800138083',
  password: randomPassword(),
  realName: '冯十一',
  residentId: '110105194912310118',
  card: withLuhnCheckDigit('622202020011229955'),
};

const suite = createSuite({ screenshotPrefix: 'webauthn-' });
const { api, openPage, pages, screenshot, step } = suite;
let server;
let base;
let token;
let payeeToken;
let staffToken;
let registeredAt;
let cdp;
let authenticatorId;

/** The virtual authenticator's one credential (sign count and id as CDP reports them). */
async function theCredential() {
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1, 'one credential in the virtual authenticator');
  return credentials[0];
}

/** No uncaught page errors and no request beyond this machine (localhost or 127.0.0.1). */
function assertCleanOnLocalhost(name) {
  const entry = pages.get(name);
  assert.deepEqual(entry.errors, [], `${name}: uncaught page errors`);
  const beyond = entry.offLoopback.filter((url) => new URL(url).hostname !== 'localhost');
  assert.deepEqual(beyond, [], `${name}: requests beyond loopback`);
}

describe('WebAuthn: bind with the platform authenticator, sign in, confirm a payment', { timeout: 400_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    base = `http://localhost:${server.port}`;
    ({ token: staffToken } = await suite.staffApiLogIn());
    token = await suite.registerCustomerByApi(CUSTOMER, { staffToken, fundFen: 600_000 });
    registeredAt = Date.now();
    payeeToken = await suite.registerCustomerByApi(PAYEE, { staffToken, fundFen: 100 });
    await suite.shadowRiskRules(staffToken, ['new_payee_mule']);
  });

  after(() => suite.stop());

  step('the security page offers WebAuthn and binds a credential', async () => {
    const { page } = await openPage('c', MOBILE);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    }));
    await page.goto(`${base}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.goto(`${base}/security`);
    await waitOrExplain(
      page,
      page.locator('[data-testid="device-key-section"][data-state="none"][data-webauthn="yes"]'),
    );
    await page.getByTestId('device-key-bind-webauthn').tap();
    await waitOrExplain(
      page,
      page.locator('[data-testid="device-key-section"][data-state="active"][data-kind="webauthn"]'),
    );
    await screenshot(page, '01-bound');
    const keys = expectStatus(await api('/api/v1/me/device-keys', { token }), 200, 'device keys');
    assert.equal(keys.device_keys.length, 1);
    const [key] = keys.device_keys;
    assert.equal(key.kind, 'webauthn');
    assert.equal(key.public_key, null);
    assert.equal(key.status, 'active');
    // The server keeps the credential the authenticator made (CDP reports it in base64).
    const credential = await theCredential();
    assert.equal(Buffer.from(key.credential_id, 'base64url').toString('base64'), credential.credentialId);
    assert.equal(credential.rpId, 'localhost');
    assertCleanOnLocalhost('c');
  });

  step('after logging out, "Sign in with this device" logs in with an assertion', async () => {
    const { page } = pages.get('c');
    const before = (await theCredential()).signCount;
    await page.goto(`${base}/home`);
    await page.getByTestId('logout-button').tap();
    await page.waitForURL((url) => url.pathname !== '/home');
    await page.goto(`${base}/login`);
    await page.getByTestId('login-phone').fill(CUSTOMER.phone);
    await waitOrExplain(page, page.getByTestId('login-with-device'));
    await page.getByTestId('login-with-device').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await screenshot(page, '02-signed-in');
    assert.ok((await theCredential()).signCount > before, 'the authenticator signed');
    const keys = expectStatus(await api('/api/v1/me/device-keys', { token }), 200, 'device keys');
    assert.notEqual(keys.device_keys[0].last_used_at, null);
    assertCleanOnLocalhost('c');
  });

  step('a transfer past ¥5,000 a day is sent once the credential confirms it', async () => {
    // ¥4,500 first through the API with an SMS code; a phone gets one code a minute.
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
    await page.goto(`${base}/home`);
    await page.getByTestId('action-transfer').tap();
    await page.waitForURL((url) => url.pathname === '/transfer');
    await page.getByTestId('transfer-phone').fill(PAYEE.phone);
    await page.getByTestId('transfer-amount').fill('1000');
    await page.getByTestId('transfer-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="step-up"][data-needed="device_key"]'));
    await screenshot(page, '03-transfer-step-up');
    const before = expectStatus(await api('/api/v1/me/balance', { token: payeeToken }), 200, 'balance');
    assert.equal(before.balance, 100 + 450_000);
    const countBefore = (await theCredential()).signCount;
    await page.getByTestId('step-up-device').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await screenshot(page, '04-transfer-sent');
    const after = expectStatus(await api('/api/v1/me/balance', { token: payeeToken }), 200, 'balance');
    assert.equal(after.balance, 100 + 450_000 + 100_000);
    assert.ok((await theCredential()).signCount > countBefore, 'the authenticator signed');
    assertCleanOnLocalhost('c');
  });
});
