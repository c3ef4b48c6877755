// Group red packets (拼手气红包) end to end through a real qianbaod serving the built web app:
//
//   Ops (the staff admin) set the programme in the console's form, not through the API: on, a
//   payment of at least ¥10 earns a packet (one a day), each packet ¥10.00 in 3 shares, open for
//   24 hours, at most 5 shares a customer a day, a ¥100 budget. Alice (set up through the API)
//   opens her red packets from her home page in her browser: nothing to send yet, and the button
//   says why. A ¥10 payment (API, as the lottery suite pays) earns her one; she taps 发红包 and
//   gets the packet's link and QR code. Bob opens the link in another browser (another device):
//   the log-in comes first and returns to the packet; he taps 开 and sees his share, which his
//   wallet balance and his history (as 红包) show too. Opening the link again shows the same
//   share and no 开. Alice's page counts the share taken, and the console counts 1 packet sent and
//   1 share taken, with the budget figures to match.
//
// The split is the server's random draw: the suite checks whichever share Bob got (1 fen to
// twice the average). Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/red-packets-*.png.
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
  legal_name: '漳州茶铺',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112261',
  contact_phone: '13900139301',
  username: 'zzcha',
  password: randomPassword(),
  activate: true,
};
// Phones from different blocks of 100: registrations from one block within a day look like a
// SIM-card pool to the risk rules (phone_block_burst).
const ALICE = {
  phone: '13800138601',
  password: randomPassword(),
  realName: '李爱丽',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011230061'),
};
const BOB = {
  phone: '13700137602',
  password: randomPassword(),
  realName: '王博',
  residentId: '110105194912310070',
  card: withLuhnCheckDigit('622202020011230071'),
};

const FUND_FEN = 50_000;
const PAYMENT_FEN = 1_000; // the programme's ¥10 threshold
const PACKET_FEN = 1_000;
const SHARES = 3;
const BUDGET_FEN = 10_000;
/** The largest share a packet may give: twice the average, rounded down. */
const MAX_SHARE_FEN = Math.floor((2 * PACKET_FEN) / SHARES);

const suite = createSuite({ screenshotPrefix: 'red-packets-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let aliceToken;
let bobToken;
let portal;
/** The packet Alice sent, and Bob's share and balance before it. */
const state = { packetId: null, link: null, share: null, bobBalanceBefore: null };

/** "¥4.17" for 417, from the integer fen (as the app formats it). */
function yuan(fen) {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** The masked phone the server shows: 138****8601. */
function masked(phone) {
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}

/** Waits for `locator`; on a timeout the error adds the packet as the server answers it to staff. */
async function waitOrShowPackets(page, locator) {
  await waitOrExplain(page, locator).catch(async (error) => {
    const program = await api('/api/v1/staff/red-packets', { token: staffToken }).catch(() => null);
    error.message += `\nGET /staff/red-packets: ${program?.status} ${JSON.stringify(program?.body)}`;
    throw error;
  });
}

describe('red packets: ops set the programme, a payment earns a packet, a friend opens a share', { timeout: 600_000 }, () => {
  before(async () => {
    ({ server, staffToken, customerToken: aliceToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: ALICE,
      fundFen: FUND_FEN,
    }));
    bobToken = await suite.registerCustomerByApi(BOB, { staffToken, fundFen: FUND_FEN });
  });

  after(() => suite.stop());

  step('ops set the red packets in the console form', async () => {
    const { page } = await openPage('ops', DESKTOP);
    await suite.consoleLogIn(page);
    await page.getByTestId('menu-red-packets').click();
    await page.waitForURL((url) => url.pathname === '/console/red-packets');
    await waitOrExplain(page, page.locator('[data-testid="red-packets-version"][data-version="0"]'));

    const enabled = page.getByTestId('red-packets-enabled');
    assert.equal(await enabled.getAttribute('aria-checked'), 'false');
    await enabled.click();
    assert.equal(await enabled.getAttribute('aria-checked'), 'true');
    await page.getByTestId('red-packets-payment-min').fill('10');
    await page.getByTestId('red-packets-packets-daily').fill('1');
    await page.getByTestId('red-packets-claims-daily').fill('5');
    await page.getByTestId('red-packets-packet-amount').fill('10.00');
    await page.getByTestId('red-packets-shares').fill(String(SHARES));
    await page.getByTestId('red-packets-valid-hours').fill('24');
    await page.getByTestId('red-packets-budget').fill('100');
    await screenshot(page, '01-console-form');
    await page.getByTestId('red-packets-save').click();
    await waitOrExplain(page, page.locator('[data-testid="red-packets-version"][data-version="1"]'));
    assert.equal(await page.getByTestId('red-packets-remaining').getAttribute('data-fen'), String(BUDGET_FEN));
    assert.equal(await page.getByTestId('red-packets-spent').getAttribute('data-fen'), '0');
    assert.equal(await page.getByTestId('red-packets-reserved').getAttribute('data-fen'), '0');
    assert.equal(await page.getByTestId('red-packets-packets-sent').getAttribute('data-value'), '0');
    assert.equal(await page.getByTestId('red-packets-claims').getAttribute('data-value'), '0');
    assert.equal(await page.getByTestId('red-packets-row').count(), 0);
    await screenshot(page, '02-console-saved');

    const program = expectStatus(await api('/api/v1/staff/red-packets', { token: staffToken }), 200, 'red packets');
    assert.deepEqual(
      {
        enabled: program.enabled,
        starts_at: program.starts_at,
        ends_at: program.ends_at,
        payment_min: program.payment_min,
        packets_daily: program.packets_daily,
        packet_amount: program.packet_amount,
        shares: program.shares,
        valid_hours: program.valid_hours,
        claims_daily: program.claims_daily,
        budget: program.budget,
      },
      {
        enabled: true,
        starts_at: null,
        ends_at: null,
        payment_min: PAYMENT_FEN,
        packets_daily: 1,
        packet_amount: PACKET_FEN,
        shares: SHARES,
        valid_hours: 24,
        claims_daily: 5,
        budget: BUDGET_FEN,
      },
    );
    suite.assertClean('ops');
  });

  step('Alice opens her red packets from home: nothing to send before she pays', async () => {
    const { page } = await openPage('alice', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, ALICE);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-red-packets').tap();
    await page.waitForURL((url) => url.pathname === '/red-packets');
    await waitOrShowPackets(page, page.locator('[data-testid="red-packets-page"][data-active="true"]'));
    await waitOrShowPackets(page, page.locator('[data-testid="red-packets-to-send"][data-count="0"]'));
    assert.equal(await page.getByTestId('red-packets-off').count(), 0);
    const terms = await page.getByTestId('red-packets-terms').innerText();
    assert.match(terms, /单笔支付满 ¥10\.00/);
    assert.match(terms, /随机分成 3 份/);
    const send = page.getByTestId('red-packets-send');
    assert.ok(await send.isDisabled(), 'nothing to send: the button is off');
    assert.match(await page.getByTestId('red-packets-send-blocked').innerText(), /¥10\.00/);
    await page.getByTestId('red-packets-sent-none').waitFor();
    await page.getByTestId('red-packets-opened-none').waitFor();
    await screenshot(page, '03-alice-nothing-to-send');
    suite.assertClean('alice');
  });

  step('a ¥10 payment earns Alice a packet; she sends it and gets its link and QR code', async () => {
    const qr = expectStatus(await api('/api/v1/merchant/qr', { token: portal }), 200, 'static QR');
    const paid = expectStatus(
      await api('/api/v1/me/payments', {
        method: 'POST',
        token: aliceToken,
        idempotencyKey: 'alice-pays-tea',
        body: { qr: qr.text, amount: PAYMENT_FEN, currency: 'CNY' },
      }),
      201,
      'Alice pays ¥10',
    );
    assert.equal(paid.status, 'completed', JSON.stringify(paid));

    const page = suite.pages.get('alice').page;
    await page.reload();
    await waitOrShowPackets(page, page.locator('[data-testid="red-packets-to-send"][data-count="1"]'));
    assert.equal(await page.getByTestId('red-packets-send-blocked').count(), 0);
    await page.getByTestId('red-packets-send').tap();

    const sent = page.locator('[data-testid="red-packet-sent"][data-just-sent="true"]');
    await waitOrShowPackets(page, sent);
    state.packetId = await sent.getAttribute('data-packet-id');
    assert.match(state.packetId ?? '', /^\d+$/, 'a packet id');
    assert.equal(await sent.getAttribute('data-status'), 'open');
    assert.equal(await sent.getAttribute('data-claimed'), '0');
    assert.equal(await sent.getAttribute('data-shares'), String(SHARES));
    state.link = await sent.getByTestId('red-packet-link').getAttribute('data-link');
    assert.equal(state.link, `${server.baseUrl}/red-packets/${state.packetId}`);
    const qrCanvas = sent.getByTestId('red-packet-qr');
    assert.equal(await qrCanvas.evaluate((element) => element.tagName), 'CANVAS');
    assert.equal(await qrCanvas.getAttribute('data-link'), state.link);
    assert.ok((await qrCanvas.evaluate((canvas) => canvas.width)) > 0, 'the QR is drawn');
    await waitOrShowPackets(page, page.locator('[data-testid="red-packets-to-send"][data-count="0"]'));
    assert.ok(await page.getByTestId('red-packets-send').isDisabled(), 'the one packet earned is sent');
    await screenshot(page, '04-alice-sent');

    const mine = expectStatus(await api('/api/v1/me/red-packets', { token: aliceToken }), 200, "Alice's packets");
    assert.deepEqual(
      mine.sent.map((packet) => [packet.id, packet.amount, packet.shares, packet.claimed, packet.mine]),
      [[state.packetId, PACKET_FEN, SHARES, 0, true]],
    );
    assert.equal(mine.to_send, 0);
    suite.assertClean('alice');
  });

  step("Bob opens Alice's link on his own phone, logs in, taps 开 and gets a share", async () => {
    const balance = expectStatus(await api('/api/v1/me/balance', { token: bobToken }), 200, "Bob's balance");
    state.bobBalanceBefore = balance.balance;

    const { page } = await openPage('bob', MOBILE);
    await page.goto(state.link);
    // Not logged in: the log-in page first, which comes back to the packet.
    await page.waitForURL((url) => url.pathname === '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), `/red-packets/${state.packetId}`);
    await customerLogIn(page, BOB);
    await page.waitForURL((url) => url.pathname === `/red-packets/${state.packetId}`);

    const unopened = `[data-testid="red-packet-page"][data-packet-id="${state.packetId}"][data-status="open"][data-my-share=""]`;
    await waitOrShowPackets(page, page.locator(unopened));
    assert.equal(await page.getByTestId('red-packet-sender').getAttribute('data-phone'), masked(ALICE.phone));
    const amount = page.getByTestId('red-packet-amount');
    assert.equal(await amount.getAttribute('data-fen'), String(PACKET_FEN));
    assert.equal(await amount.getAttribute('data-shares'), String(SHARES));
    assert.equal(await page.getByTestId('red-packet-mine').count(), 0, "Bob's page: not his packet");
    await page.getByTestId('red-packet-claims-none').waitFor();
    await screenshot(page, '05-bob-packet');

    await page.getByTestId('red-packet-open').tap();
    const myShare = page.getByTestId('red-packet-my-share');
    await waitOrShowPackets(page, myShare);
    state.share = Number(await myShare.getAttribute('data-fen'));
    assert.ok(
      Number.isInteger(state.share) && state.share >= 1 && state.share <= MAX_SHARE_FEN,
      `a share of 1..${MAX_SHARE_FEN} fen, not ${state.share}`,
    );
    assert.equal(await myShare.innerText(), `你抢到 ${yuan(state.share)}，已存入钱包`);
    assert.equal(await page.getByTestId('red-packet-open').count(), 0, 'no 开 after taking a share');
    const claims = page.getByTestId('red-packet-claim');
    assert.equal(await claims.count(), 1);
    assert.equal(await claims.first().getAttribute('data-phone'), masked(BOB.phone));
    assert.equal(await claims.first().getAttribute('data-fen'), String(state.share));
    // 手气最佳 is named only once the packet is settled (empty or expired): 2 shares are left.
    assert.equal(await claims.first().getAttribute('data-best'), 'false');
    assert.equal(await page.getByTestId('red-packet-progress').getAttribute('data-claimed'), '1');
    await screenshot(page, '06-bob-opened');
    suite.assertClean('bob');
  });

  step("the share is in Bob's wallet: his balance and his history as 红包", async () => {
    const balance = expectStatus(await api('/api/v1/me/balance', { token: bobToken }), 200, "Bob's balance");
    assert.equal(balance.balance, state.bobBalanceBefore + state.share);

    const page = suite.pages.get('bob').page;
    await page.goto(`${server.baseUrl}/home`);
    await waitOrExplain(page, page.locator(`[data-testid="balance-value"][data-fen="${balance.balance}"]`));
    await screenshot(page, '07-bob-home');
    await page.getByTestId('action-history').tap();
    await page.waitForURL((url) => url.pathname === '/history');
    const entry = page.locator(
      `[data-testid="history-entry"][data-type="red_packet"][data-amount-fen="${state.share}"][data-direction="in"]`,
    );
    await waitOrExplain(page, entry);
    assert.equal((await entry.getByTestId('history-entry-type').innerText()).trim(), '红包');
    assert.equal((await entry.getByTestId('history-entry-amount').innerText()).trim(), `+${yuan(state.share)}`);
    await screenshot(page, '08-bob-history');
    suite.assertClean('bob');
  });

  step('opening the link again shows the same share and no 开', async () => {
    const page = suite.pages.get('bob').page;
    await page.goto(state.link);
    await waitOrShowPackets(page, page.locator(`[data-testid="red-packet-page"][data-my-share="${state.share}"]`));
    assert.equal(await page.getByTestId('red-packet-my-share').getAttribute('data-fen'), String(state.share));
    assert.equal(await page.getByTestId('red-packet-open').count(), 0);
    assert.equal(await page.getByTestId('red-packet-claim').count(), 1, 'still one share taken');
    await screenshot(page, '09-bob-again');

    const packet = expectStatus(
      await api(`/api/v1/me/red-packets/${state.packetId}`, { token: bobToken }),
      200,
      'the packet, as Bob sees it',
    );
    assert.equal(packet.claimed, 1);
    assert.equal(packet.my_share, state.share);
    assert.equal(packet.claimed_amount, state.share);
    const balance = expectStatus(await api('/api/v1/me/balance', { token: bobToken }), 200, "Bob's balance");
    assert.equal(balance.balance, state.bobBalanceBefore + state.share, 'no second share');

    // Bob's own page lists the packet he opened.
    await page.goto(`${server.baseUrl}/red-packets`);
    const opened = page.locator(`[data-testid="red-packet-opened"][data-packet-id="${state.packetId}"]`);
    await waitOrShowPackets(page, opened);
    assert.equal(await opened.getAttribute('data-my-share'), String(state.share));
    await waitOrShowPackets(page, page.locator('[data-testid="red-packets-claims-today"][data-count="1"]'));
    suite.assertClean('bob');
  });

  step("Alice's page counts the share taken", async () => {
    const page = suite.pages.get('alice').page;
    await page.reload();
    const sent = page.locator(`[data-testid="red-packet-sent"][data-packet-id="${state.packetId}"]`);
    await waitOrShowPackets(page, page.locator(`[data-testid="red-packet-sent"][data-packet-id="${state.packetId}"][data-claimed="1"]`));
    assert.equal(await sent.getAttribute('data-status'), 'open');
    const claim = sent.getByTestId('red-packet-claim');
    assert.equal(await claim.count(), 1);
    assert.equal(await claim.first().getAttribute('data-fen'), String(state.share));
    await screenshot(page, '10-alice-after-claim');
    suite.assertClean('alice');
  });

  step('the console counts 1 packet sent and 1 share taken', async () => {
    const page = suite.pages.get('ops').page;
    await page.reload();
    await waitOrExplain(page, page.locator('[data-testid="red-packets-packets-sent"][data-value="1"]'));
    assert.equal(await page.getByTestId('red-packets-claims').getAttribute('data-value'), '1');
    assert.equal(await page.getByTestId('red-packets-spent').getAttribute('data-fen'), String(state.share));
    assert.equal(await page.getByTestId('red-packets-reserved').getAttribute('data-fen'), String(PACKET_FEN - state.share));
    assert.equal(await page.getByTestId('red-packets-returned').getAttribute('data-fen'), '0');
    // Available: the budget less what is spent and what the packet still holds.
    assert.equal(await page.getByTestId('red-packets-remaining').getAttribute('data-fen'), String(BUDGET_FEN - PACKET_FEN));
    const row = page.locator(`[data-testid="red-packets-row"][data-row-id="${state.packetId}"]`);
    await waitOrExplain(page, row);
    assert.equal(await row.getAttribute('data-status'), 'open');
    assert.equal(await row.getAttribute('data-claimed'), '1');
    assert.equal(await row.getAttribute('data-shares'), String(SHARES));
    assert.equal(await page.getByTestId('red-packets-row').count(), 1);
    await screenshot(page, '11-console-after-claim');
    suite.assertClean('ops');
  });
});
