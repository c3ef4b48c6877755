// Two-step log-in (TOTP) end to end through a real qianbaod serving the built web app:
//
//   a customer (registered through the API) logs in on a phone-sized page, opens Security,
//   turns two-step log-in on (the page shows the otpauth QR and the base32 secret; the test
//   computes codes from that secret as an authenticator app would: RFC 6238 with node's
//   HMAC-SHA-1), keeps the recovery codes shown once, logs out, logs in again: the password
//   alone gets the code prompt (TOTP_REQUIRED), password + code gets in, and the same code
//   again is refused (TOTP_INVALID: a step is accepted once).
//
// Run with `npm run e2e` in web/ (or `make test-e2e`); QIANBAOD and QIANBAO_CLI override the
// server and CLI binaries, CHROMIUM the browser. Screenshots: test-artifacts/e2e/totp-*.png.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe } from 'node:test';

import { createSuite, customerLogIn, expectStatus, MOBILE, withLuhnCheckDigit } from './helpers.mjs';
import { randomPassword } from './server.mjs';

const CUSTOMER = {
  phone: '13800138061',
  password: randomPassword(),
  realName: '孙七',
  residentId: '110105194912310062',
  card: withLuhnCheckDigit('622202020011229911'),
};

/** RFC 4648 base32 (upper case, unpadded) to bytes. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of text.replace(/=+$/, '')) {
    const index = alphabet.indexOf(char);
    assert.ok(index >= 0, `not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA-1, 6 digits) of `step`. */
function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / 1000 / 30);

const suite = createSuite({ screenshotPrefix: 'totp-' });
const { api, assertClean, openPage, pages, screenshot, step } = suite;
let server;
let token;
let secret;
let usedCode;

describe('two-step log-in: enrol, log out, log in with a code, a reused code is refused', { timeout: 300_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    const { token: staffToken } = await suite.staffApiLogIn();
    token = await suite.registerCustomerByApi(CUSTOMER, { staffToken, fundFen: 100 });
  });

  after(() => suite.stop());

  step('the customer turns two-step log-in on from the security page', async () => {
    const { page } = await openPage('c', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-security').tap();
    await page.waitForURL((url) => url.pathname === '/security');
    await page.locator('[data-testid="totp-section"][data-state="off"]').waitFor();
    await page.getByTestId('totp-enable').tap();
    await page.getByTestId('totp-qr').waitFor();
    const shown = (await page.getByTestId('totp-secret').innerText()).trim();
    assert.match(shown, /^[A-Z2-7]{32}$/);
    secret = base32Decode(shown);
    assert.equal(secret.length, 20);
    await screenshot(page, '01-enrol');
    usedCode = totpCode(secret, currentStep());
    await page.getByTestId('totp-code').fill(usedCode);
    await page.getByTestId('totp-confirm').tap();
    const list = page.getByTestId('totp-recovery-codes');
    await list.waitFor();
    const codes = (await list.innerText()).split('\n').filter((line) => line.trim() !== '');
    assert.equal(codes.length, 10);
    for (const code of codes) assert.match(code.trim(), /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    await screenshot(page, '02-recovery-codes');
    await page.getByTestId('totp-recovery-done').tap();
    await page.locator('[data-testid="totp-section"][data-state="on"]').waitFor();
    const state = expectStatus(await api('/api/v1/me/totp', { token }), 200, 'totp state');
    assert.equal(state.state, 'on');
    assert.equal(state.recovery_codes_left, 10);
  });

  step('after logging out, the password alone asks for the code; password + code gets in', async () => {
    const { page } = pages.get('c');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('logout-button').tap();
    await page.waitForURL((url) => url.pathname !== '/home');
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.getByTestId('login-totp-code').waitFor();
    await screenshot(page, '03-code-asked');
    // The enrolment used this step's code: wait for the next step, as an app shows a new code.
    const used = currentStep();
    while (currentStep() === used) await page.waitForTimeout(500);
    usedCode = totpCode(secret, currentStep());
    await page.getByTestId('login-totp-code').fill(usedCode);
    await page.getByTestId('login-submit').tap();
    await page.waitForURL((url) => url.pathname === '/home');
    await screenshot(page, '04-logged-in');
    assertClean('c');
  });

  step('the same code again is refused', async () => {
    const { page } = await openPage('again', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.getByTestId('login-totp-code').waitFor();
    await page.getByTestId('login-totp-code').fill(usedCode);
    await page.getByTestId('login-submit').tap();
    await page.locator('[data-testid="form-error"][data-error-code="TOTP_INVALID"]').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await screenshot(page, '05-reused-refused');
    const answer = await api('/api/v1/sessions', {
      method: 'POST',
      body: { phone: CUSTOMER.phone, password: CUSTOMER.password, totp_code: usedCode },
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'TOTP_INVALID');
  });
});
