// Friend referral (好友推荐 / 邀请有礼) end to end through a real qianbaod serving the built web app:
//
//   Ops (the staff admin) set the programme in the console's form, not through the API: on,
//   30 days to qualify, a first payment of at least ¥10, ¥10 cash for the inviter, 500 points
//   for the invitee, at most 10 rewarded invitees a month, a ¥1,000 budget (and the default:
//   the invitee must verify a real name first). Alice (set up through the API) opens her invite
//   page in her own browser: code, link and QR. Bob opens her link in another browser (another
//   device): the code is filled in, he registers there, verifies and tops up (API), and pays a
//   merchant's ¥12 order at its checkout in his browser. Bob's points page then shows the 500
//   points as a referral entry, and Alice's invite page shows him rewarded with ¥10 earned,
//   which her home balance shows too.
//   Then a self-referral: in Alice's own browser (her device) Carol signs up with Alice's link;
//   the referral is refused at sign-up (same_device). Carol's page says so, Alice still earned
//   ¥10 only, and the console lists Carol's referral refused with the reason. Last, a code that
//   names nobody is refused on the register page with INVITE_CODE_INVALID.
//
// On loopback every registration comes from one network, which two default risk rules rightly
// find suspicious: referral_young_chain (a day-old inviter whose invitee registers from the same
// network within the hour: the registration goes to review and its referral is refused) and
// referral_ring_reward (the rewards such a registration would earn are denied). The suite puts
// both in shadow first.
//
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/referral-*.png.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  customerLogIn,
  DESKTOP,
  expectStatus,
  MOBILE,
  waitOrExplain,
  withLuhnCheckDigit,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

const MERCHANT = {
  legal_name: '厦门咖啡馆',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112241',
  contact_phone: '13900139101',
  username: 'xmcafe',
  password: randomPassword(),
  activate: true,
};
// Phones from different blocks of 100: registrations from one block within a day look like a
// SIM-card pool to the risk rules (phone_block_burst). Each phone gets one SMS code only (one a
// minute).
const ALICE = {
  phone: '13800138101',
  password: randomPassword(),
  realName: '李爱丽',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011230011'),
};
const BOB = {
  phone: '13700137202',
  password: randomPassword(),
  realName: '王博',
  residentId: '110105194912310070',
  card: withLuhnCheckDigit('622202020011230021'),
};
const CAROL = {
  phone: '13600136303',
  password: randomPassword(),
  realName: '陈卡罗',
  residentId: '110105194912310089',
  card: withLuhnCheckDigit('622202020011230031'),
};
const STRANGER_PHONE = '13500135404';
const WRONG_CODE = 'ZZZZZZZZ';

const FUND_FEN = 50_000;
const ORDER_FEN = 1_200; // at least the programme's ¥10
const INVITER_CASH_FEN = 1_000;
const INVITEE_POINTS = 500;

const suite = createSuite({ screenshotPrefix: 'referral-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let aliceToken;
let portal;
const state = { code: null, link: null, bobId: null, carolId: null };

/** Chooses a reward kind in the console form's antd Select. */
async function chooseKind(page, who, kind) {
  await page.getByTestId(`referral-${who}-kind`).click();
  await page.getByTestId(`referral-${who}-kind-${kind}`).click();
  await waitOrExplain(page, page.locator(`[data-testid="referral-${who}-amount"][data-unit="${kind}"]`));
}

/**
 * Registers `customer` on the register page `page` shows (the invite code already filled in by
 * the invite link), up to /home.
 */
async function registerInBrowser(page, customer, shot) {
  await page.getByTestId('register-phone').fill(customer.phone);
  await page.getByTestId('register-send-code').tap();
  // The button counts down once the server accepted the request.
  await page.locator('[data-testid="register-send-code"]:not([data-seconds-left="0"])').waitFor();
  const otp = await suite.readOtp(customer.phone, staffToken);
  await page.getByTestId('register-code').fill(otp);
  await page.getByTestId('register-password').fill(customer.password);
  await page.getByTestId('register-password-confirm').fill(customer.password);
  await screenshot(page, `${shot}-register-form`);
  await page.getByTestId('register-submit').tap();
  await page.waitForURL((url) => url.pathname === '/home').catch(async (error) => {
    const shown = await page.getByTestId('form-error').innerText({ timeout: 1000 }).catch(() => '(none)');
    throw new Error(`registration did not reach /home (form error ${shown}): ${error.message}`);
  });
}

/**
 * Through the API, in a session of its own (so the browser's stays as it is; the API sends no
 * X-Device-Id): verifies the identity, binds the card, tops up `fundFen`. Answers the customer's
 * id and the API session's newest token.
 */
async function verifyAndFundByApi(customer, fundFen) {
  const login = expectStatus(
    await api('/api/v1/sessions', { method: 'POST', body: { phone: customer.phone, password: customer.password } }),
    'ok',
    'API log-in',
  );
  const token = login.token;
  const post = async (path, what, status, options) =>
    expectStatus(await api(path, { method: 'POST', token, ...options }), status, what);
  await post('/api/v1/me/identity', 'identity', 'ok', {
    body: { real_name: customer.realName, resident_id: customer.residentId },
  });
  const card = await post('/api/v1/me/cards', 'bind card', 201, { body: { card_number: customer.card } });
  await post('/api/v1/me/top-ups', 'top up', 201, {
    idempotencyKey: `fund-${customer.phone}`,
    body: { card_id: card.id, amount: fundFen, currency: 'CNY' },
  });
  return { id: login.customer.id, token: suite.newestToken(token) };
}

/** Waits for `locator`; on a timeout the error adds the server's referrals (what staff see). */
async function waitOrShowReferrals(page, locator) {
  await waitOrExplain(page, locator).catch(async (error) => {
    const answer = await api('/api/v1/staff/referrals', { token: staffToken }).catch(() => null);
    error.message += `\nGET /staff/referrals: ${answer?.status} ${JSON.stringify(answer?.body)}`;
    // Which risk rules fired, should a referral be refused for risk.
    const rules = await api('/api/v1/staff/risk/rules', { token: staffToken }).catch(() => null);
    const hit = (rules?.body?.active?.rules ?? [])
      .filter((rule) => rule.hits)
      .map((rule) => `${rule.name}${rule.shadow ? ' (shadow)' : ''}: ${JSON.stringify(rule.hits)}`);
    error.message += `\nrisk rules hit: ${hit.join('; ') || '(none)'}`;
    throw error;
  });
}

/** Pays a fresh ¥12 order of the merchant at its hosted checkout in `page`. */
async function payOrderInBrowser(page, prefix) {
  const order = await suite.createOrderByApi(portal, ORDER_FEN, prefix);
  await page.goto(`${server.baseUrl}${order.checkout_path}`);
  await waitOrExplain(page, page.locator('[data-testid="pay-preview"][data-kind="dynamic"]'));
  await page.getByTestId('pay-submit').tap();
  const success = page.locator('[data-testid="pay-success"][data-status="completed"]');
  await waitOrExplain(page, success);
  return success.getAttribute('data-payment-id');
}

describe('referral: a friend invited by link is rewarded, a self-referral is not', { timeout: 600_000 }, () => {
  before(async () => {
    ({ server, staffToken, customerToken: aliceToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: ALICE,
      fundFen: FUND_FEN,
    }));
  });

  after(() => suite.stop());

  step('ops set the referral programme in the console form', async () => {
    const { page } = await openPage('ops', DESKTOP);
    await suite.consoleLogIn(page);
    await page.goto(`${server.baseUrl}/console/referral`);
    await waitOrExplain(page, page.locator('[data-testid="referral-version"][data-version="0"]'));
    // The invitee must verify a real name: on unless ops switch it off.
    const verify = page.getByTestId('referral-invitee-must-verify');
    assert.equal(await verify.getAttribute('aria-checked'), 'true', 'invitee-must-verify is on by default');
    await page.getByTestId('referral-enabled').click();
    await page.getByTestId('referral-qualify-days').fill('30');
    await page.getByTestId('referral-min-payment').fill('10');
    await chooseKind(page, 'inviter', 'cash');
    await page.getByTestId('referral-inviter-amount').fill('10');
    await chooseKind(page, 'invitee', 'points');
    await page.getByTestId('referral-invitee-amount').fill(String(INVITEE_POINTS));
    await page.getByTestId('referral-monthly-cap').fill('10');
    await page.getByTestId('referral-budget').fill('1,000');
    await screenshot(page, '01-programme-form');
    await page.getByTestId('referral-save').click();
    await waitOrExplain(page, page.locator('[data-testid="referral-version"][data-version="1"]'));
    assert.equal(await page.getByTestId('referral-remaining').getAttribute('data-fen'), '100000');
    await screenshot(page, '02-programme-saved');

    const program = expectStatus(
      await api('/api/v1/staff/referral-program', { token: staffToken }),
      200,
      'referral programme',
    );
    assert.deepEqual(
      {
        enabled: program.enabled,
        qualify_days: program.qualify_days,
        min_payment: program.min_payment,
        inviter_reward: program.inviter_reward,
        invitee_reward: program.invitee_reward,
        inviter_monthly_cap: program.inviter_monthly_cap,
        budget: program.budget,
        invitee_must_verify: program.invitee_must_verify,
      },
      {
        enabled: true,
        qualify_days: 30,
        min_payment: 1_000,
        inviter_reward: { kind: 'cash', amount: INVITER_CASH_FEN },
        invitee_reward: { kind: 'points', amount: INVITEE_POINTS },
        inviter_monthly_cap: 10,
        budget: 100_000,
        invitee_must_verify: true,
      },
    );
    // Every registration here comes from 127.0.0.1, and Alice is minutes old: both the
    // registration rule and the reward rule of a young same-network chain would refuse Bob.
    await suite.shadowRiskRules(staffToken, ['referral_young_chain', 'referral_ring_reward']);
    suite.assertClean('ops');
  });

  step('Alice opens her invite page: code, link and QR', async () => {
    const { page } = await openPage('alice', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, ALICE);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-referral').tap();
    await page.waitForURL((url) => url.pathname === '/referral');
    const codeShown = page.getByTestId('referral-code');
    await waitOrExplain(page, codeShown);
    state.code = (await codeShown.innerText()).trim();
    assert.match(state.code, /^[0-9A-Z]{8}$/, 'an eight-character invite code');
    state.link = await page.getByTestId('referral-link').getAttribute('data-link');
    assert.equal(state.link, `${server.baseUrl}/register?invite=${state.code}`);
    const qr = page.getByTestId('referral-qr');
    assert.equal(await qr.evaluate((element) => element.tagName), 'CANVAS');
    assert.equal(await qr.getAttribute('data-link'), state.link);
    assert.ok((await qr.evaluate((canvas) => canvas.width)) > 0, 'the QR is drawn');
    const rules = await page.getByTestId('referral-rules').innerText();
    assert.match(rules, /实名认证/, 'the rules say the friend must verify a real name first');
    await page.getByTestId('referral-none').waitFor();
    await screenshot(page, '03-alice-invite');
    suite.assertClean('alice');
  });

  step("Bob signs up with Alice's link on his own phone, pays ¥12, and both are rewarded", async () => {
    const { page } = await openPage('bob', MOBILE);
    await page.goto(state.link);
    await page.waitForURL((url) => url.pathname === '/register');
    const invite = page.getByTestId('register-invite-code');
    await invite.waitFor();
    assert.equal(await invite.inputValue(), state.code, 'the invite link fills the code in');
    await registerInBrowser(page, BOB, '04-bob');

    const bob = await verifyAndFundByApi(BOB, FUND_FEN);
    state.bobId = bob.id;
    // Before paying: Bob's referral is pending, with the 500 points to come.
    await page.goto(`${server.baseUrl}/referral`);
    await waitOrShowReferrals(page, page.locator('[data-testid="referral-invited-by"][data-status="pending"]'));
    await screenshot(page, '05-bob-pending');

    await payOrderInBrowser(page, 'E2E-REF-BOB');
    await screenshot(page, '06-bob-paid');

    await page.goto(`${server.baseUrl}/points`);
    await waitOrShowReferrals(page, page.locator(`[data-testid="points-page-balance"][data-points="${INVITEE_POINTS}"]`));
    const entry = page.locator(`[data-testid="points-entry"][data-kind="referral"][data-points="${INVITEE_POINTS}"]`);
    await waitOrExplain(page, entry);
    assert.match(await entry.innerText(), /邀请奖励/);
    await screenshot(page, '07-bob-points');
    await page.goto(`${server.baseUrl}/referral`);
    await waitOrShowReferrals(page, page.locator('[data-testid="referral-invited-by"][data-status="rewarded"]'));
    suite.assertClean('bob');

    const alice = suite.pages.get('alice').page;
    await alice.goto(`${server.baseUrl}/referral`);
    await waitOrShowReferrals(alice, alice.locator('[data-testid="referral-invitee"][data-status="rewarded"]'));
    assert.equal(await alice.getByTestId('referral-invitee').count(), 1);
    assert.equal(await alice.getByTestId('referral-earned-cash').getAttribute('data-fen'), String(INVITER_CASH_FEN));
    assert.equal(await alice.getByTestId('referral-month').getAttribute('data-rewarded'), '1');
    await screenshot(alice, '08-alice-rewarded');
    await alice.goto(`${server.baseUrl}/home`);
    await waitOrExplain(
      alice,
      alice.locator(`[data-testid="balance-value"][data-fen="${FUND_FEN + INVITER_CASH_FEN}"]`),
    );
    await screenshot(alice, '09-alice-home');
    suite.assertClean('alice');
  });

  step("Carol signs up with Alice's link on Alice's own phone: refused as the same device", async () => {
    const page = suite.pages.get('alice').page;
    await page.getByTestId('logout-button').tap();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto(state.link);
    await page.waitForURL((url) => url.pathname === '/register');
    await registerInBrowser(page, CAROL, '10-carol');

    // The refusal is made at sign-up; paying as Bob did changes nothing.
    const carol = await verifyAndFundByApi(CAROL, FUND_FEN);
    state.carolId = carol.id;
    await payOrderInBrowser(page, 'E2E-REF-CAROL');
    await page.goto(`${server.baseUrl}/referral`);
    await waitOrShowReferrals(page, page.locator('[data-testid="referral-invited-by"][data-status="refused"]'));
    await screenshot(page, '11-carol-refused');
    const points = expectStatus(await api('/api/v1/me/points', { token: carol.token }), 200, "Carol's points");
    assert.equal(points.balance, 0, 'Carol got no points');

    // Back to Alice on her phone: still ¥10 earned, Carol listed as not rewarded.
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('logout-button').tap();
    await page.waitForURL((url) => url.pathname === '/login');
    await customerLogIn(page, ALICE);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.goto(`${server.baseUrl}/referral`);
    await waitOrExplain(page, page.locator('[data-testid="referral-invitee"][data-status="refused"]'));
    assert.equal(await page.getByTestId('referral-earned-cash').getAttribute('data-fen'), String(INVITER_CASH_FEN));
    assert.equal(await page.locator('[data-testid="referral-invitee"][data-status="rewarded"]').count(), 1);
    await screenshot(page, '12-alice-after-carol');
    const balance = expectStatus(await api('/api/v1/me/balance', { token: aliceToken }), 200, "Alice's balance");
    assert.equal(balance.balance, FUND_FEN + INVITER_CASH_FEN);
    suite.assertClean('alice');

    const ops = suite.pages.get('ops').page;
    await ops.goto(`${server.baseUrl}/console/referral`);
    const carolRow = ops.locator(`[data-testid="referral-row"][data-invitee-id="${state.carolId}"]`);
    await waitOrExplain(ops, carolRow);
    assert.equal(await carolRow.getAttribute('data-status'), 'refused');
    assert.equal(await carolRow.getAttribute('data-reason'), 'same_device');
    const bobRow = ops.locator(`[data-testid="referral-row"][data-invitee-id="${state.bobId}"]`);
    assert.equal(await bobRow.getAttribute('data-status'), 'rewarded');
    assert.equal(await bobRow.getAttribute('data-reason'), '');
    assert.equal(await ops.getByTestId('referral-figure-rewarded').getAttribute('data-value'), '1');
    assert.equal(await ops.getByTestId('referral-figure-refused').getAttribute('data-value'), '1');
    assert.equal(await ops.getByTestId('referral-figure-invited').getAttribute('data-value'), '2');
    assert.equal(await ops.getByTestId('referral-spent').getAttribute('data-fen'), String(INVITER_CASH_FEN));
    await screenshot(ops, '13-console-referrals');
    suite.assertClean('ops');
  });

  step('a code that names nobody is refused on the register page', async () => {
    const { page } = await openPage('stranger', MOBILE);
    await page.goto(`${server.baseUrl}/register?invite=${WRONG_CODE}`);
    await page.getByTestId('register-phone').fill(STRANGER_PHONE);
    await page.getByTestId('register-send-code').tap();
    await page.locator('[data-testid="register-send-code"]:not([data-seconds-left="0"])').waitFor();
    const otp = await suite.readOtp(STRANGER_PHONE, staffToken);
    await page.getByTestId('register-code').fill(otp);
    const password = randomPassword();
    await page.getByTestId('register-password').fill(password);
    await page.getByTestId('register-password-confirm').fill(password);
    await page.getByTestId('register-submit').tap();
    await waitOrExplain(page, page.locator('[data-testid="form-error"][data-error-code="INVITE_CODE_INVALID"]'));
    assert.equal(new URL(page.url()).pathname, '/register');
    await screenshot(page, '14-wrong-code');
    const search = expectStatus(
      await api(`/api/v1/staff/customers?q=${STRANGER_PHONE}`, { token: staffToken }),
      200,
      'search',
    );
    assert.deepEqual(search.customers, [], 'nobody was registered');
    suite.assertClean('stranger');
  });
});
