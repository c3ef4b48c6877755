// The lottery (抽奖, a 幸运大转盘) end to end through a real qianbaod serving the built web app:
//
//   Ops (the staff admin) set the lottery in the console's form, not through the API: on, two
//   prizes that share all 100 % between them ("¥1 红包": ¥1 cash, 1,000 of them, 50 %; "50 积分":
//   50 points, 1,000 of them, 50 %), so every draw wins something; the daily sign-in earns a
//   draw, a payment of at least ¥10 earns one (at most one a day), at most 3 draws a day, a ¥100
//   cash budget. Dan (set up through the API) opens the lucky draw from his home page in his
//   browser: no draws yet; he signs in (one draw), draws, and the wheel stops on a prize that
//   the result and his draw list show. Pressing again without draws left shows the server's
//   refusal, LOTTERY_NO_DRAWS. A ¥10 payment (API) earns him one more draw, which the page shows.
//   The console then counts the draw, and the prize won has one fewer left. Last, the prize
//   landed: his wallet balance (cash) or his points balance, with a 抽奖奖励 entry (points).
//
// Which prize is won is the server's random draw: the suite checks whichever it was.
// Every wait is bounded; the server is stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/lottery-*.png.
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
  legal_name: '泉州面馆',
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112251',
  contact_phone: '13900139201',
  username: 'qzmian',
  password: randomPassword(),
  activate: true,
};
const DAN = {
  phone: '13800138501',
  password: randomPassword(),
  realName: '林丹',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011230051'),
};

const FUND_FEN = 50_000;
const PAYMENT_FEN = 1_000; // the lottery's ¥10 payment threshold
const CASH_PRIZE = { name: '¥1 红包', kind: 'cash', amount: 100, inventory: 1000, chance_bps: 5000 };
const POINTS_PRIZE = { name: '50 积分', kind: 'points', amount: 50, inventory: 1000, chance_bps: 5000 };
const PRIZES = [CASH_PRIZE, POINTS_PRIZE];
const BUDGET_FEN = 10_000;

const suite = createSuite({ screenshotPrefix: 'lottery-' });
const { api, openPage, screenshot, step } = suite;
let server;
let staffToken;
let danToken;
let portal;
/** What the first draw won, and Dan's balances before it. */
const state = { drawId: null, prize: null, balanceBefore: null, pointsBefore: null };

/** Fills the prize row `index` of the console's prize table. */
async function fillPrizeRow(page, index, prize) {
  const row = page.locator(`[data-testid="lottery-prize-row"][data-index="${index}"]`);
  await waitOrExplain(page, row);
  await row.getByTestId('lottery-prize-name').fill(prize.name);
  const kind = row.getByTestId('lottery-prize-kind');
  if ((await kind.getAttribute('data-kind')) !== prize.kind) {
    await kind.click();
    // antd keeps a closed row's dropdown in the page: the option of the open one is the visible one.
    await page.getByTestId(`lottery-prize-kind-${prize.kind}`).filter({ visible: true }).click();
    await waitOrExplain(page, row.locator(`[data-testid="lottery-prize-kind"][data-kind="${prize.kind}"]`));
  }
  await waitOrExplain(page, row.locator(`[data-testid="lottery-prize-amount"][data-unit="${prize.kind}"]`));
  await row.getByTestId('lottery-prize-amount').fill(prize.kind === 'cash' ? String(prize.amount / 100) : String(prize.amount));
  await row.getByTestId('lottery-prize-inventory').fill(String(prize.inventory));
  await row.getByTestId('lottery-prize-chance').fill(String(prize.chance_bps / 100));
}

/** Waits for `locator`; on a timeout the error adds Dan's lottery as the server answers it. */
async function waitOrShowLottery(page, locator) {
  await waitOrExplain(page, locator).catch(async (error) => {
    const mine = await api('/api/v1/me/lottery', { token: danToken }).catch(() => null);
    error.message += `\nGET /me/lottery: ${mine?.status} ${JSON.stringify(mine?.body)}`;
    throw error;
  });
}

async function danBalances() {
  const balance = expectStatus(await api('/api/v1/me/balance', { token: danToken }), 200, "Dan's balance");
  const points = expectStatus(await api('/api/v1/me/points', { token: danToken }), 200, "Dan's points");
  return { balance: balance.balance, points: points.balance, entries: points.entries };
}

describe('lottery: ops set a wheel, a customer signs in, draws and wins', { timeout: 600_000 }, () => {
  before(async () => {
    ({ server, staffToken, customerToken: danToken, portal } = await suite.startWithMerchantAndCustomer({
      merchant: MERCHANT,
      customer: DAN,
      fundFen: FUND_FEN,
    }));
  });

  after(() => suite.stop());

  step('ops set the lottery in the console form', async () => {
    const { page } = await openPage('ops', DESKTOP);
    await suite.consoleLogIn(page);
    await page.getByTestId('menu-lottery').click();
    await page.waitForURL((url) => url.pathname === '/console/lottery');
    await waitOrExplain(page, page.locator('[data-testid="lottery-version"][data-version="0"]'));
    assert.equal(await page.getByTestId('lottery-prize-row').count(), 0, 'no prizes before any is set');
    assert.equal(await page.getByTestId('lottery-chance-thanks').getAttribute('data-bps'), '10000');

    const enabled = page.getByTestId('lottery-enabled');
    assert.equal(await enabled.getAttribute('aria-checked'), 'false');
    await enabled.click();
    assert.equal(await enabled.getAttribute('aria-checked'), 'true');
    for (const [index, prize] of PRIZES.entries()) {
      await page.getByTestId('lottery-prize-add').click();
      await fillPrizeRow(page, index, prize);
    }
    // The total and the 谢谢参与 rest follow what is typed.
    await waitOrExplain(page, page.locator('[data-testid="lottery-chance-total"][data-bps="10000"]'));
    assert.equal(await page.getByTestId('lottery-chance-thanks').getAttribute('data-bps'), '0');
    await page.getByTestId('lottery-payment-min').fill('10');
    await page.getByTestId('lottery-payment-draws').fill('1');
    const signInDraw = page.getByTestId('lottery-sign-in-draw');
    if ((await signInDraw.getAttribute('aria-checked')) !== 'true') await signInDraw.click();
    await page.getByTestId('lottery-referral-draws').fill('0');
    await page.getByTestId('lottery-daily-limit').fill('3');
    await page.getByTestId('lottery-budget').fill('100');
    await screenshot(page, '01-console-form');
    await page.getByTestId('lottery-save').click();
    await waitOrExplain(page, page.locator('[data-testid="lottery-version"][data-version="1"]'));
    assert.equal(await page.getByTestId('lottery-remaining').getAttribute('data-fen'), String(BUDGET_FEN));
    assert.equal(await page.getByTestId('lottery-spent').getAttribute('data-fen'), '0');
    assert.equal(await page.getByTestId('lottery-draws').getAttribute('data-value'), '0');
    const remaining = page.getByTestId('lottery-prize-remaining');
    assert.deepEqual(await remaining.evaluateAll((cells) => cells.map((cell) => cell.dataset.value)), ['1000', '1000']);
    await screenshot(page, '02-console-saved');

    const lottery = expectStatus(await api('/api/v1/staff/lottery', { token: staffToken }), 200, 'lottery');
    assert.deepEqual(
      {
        enabled: lottery.enabled,
        starts_at: lottery.starts_at,
        ends_at: lottery.ends_at,
        prizes: lottery.prizes,
        payment_min: lottery.payment_min,
        payment_draws_daily: lottery.payment_draws_daily,
        sign_in_draw: lottery.sign_in_draw,
        referral_draws: lottery.referral_draws,
        daily_draw_limit: lottery.daily_draw_limit,
        budget: lottery.budget,
      },
      {
        enabled: true,
        starts_at: null,
        ends_at: null,
        prizes: PRIZES.map((prize) => ({ ...prize, remaining: prize.inventory })),
        payment_min: PAYMENT_FEN,
        payment_draws_daily: 1,
        sign_in_draw: true,
        referral_draws: 0,
        daily_draw_limit: 3,
        budget: BUDGET_FEN,
      },
    );
    suite.assertClean('ops');
  });

  step('Dan opens the lucky draw from home, signs in and draws: the wheel stops on a prize', async () => {
    const { page } = await openPage('dan', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, DAN);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.getByTestId('action-lottery').tap();
    await page.waitForURL((url) => url.pathname === '/lottery');
    await waitOrShowLottery(page, page.locator('[data-testid="lottery-chances"][data-available="0"]'));
    assert.equal(await page.getByTestId('lottery-off').count(), 0);
    assert.equal(await page.getByTestId('lottery-chances').getAttribute('data-limit'), '3');
    // The published chances: both prizes at 50 %, no 谢谢参与 left.
    const odds = await page
      .getByTestId('lottery-odds-row')
      .evaluateAll((rows) => rows.map((row) => [row.dataset.name, row.dataset.chanceBps]));
    assert.deepEqual(odds, PRIZES.map((prize) => [prize.name, String(prize.chance_bps)]));
    assert.equal(await page.getByTestId('lottery-wheel').getAttribute('data-sectors'), '2');
    const rules = await page.getByTestId('lottery-earn-rules').innerText();
    assert.match(rules, /签到/);
    assert.match(rules, /¥10\.00/);
    assert.match(rules, /每天最多抽 3 次/);
    await page.getByTestId('lottery-draws-none').waitFor();
    await screenshot(page, '03-dan-lottery');

    const before = await danBalances();
    state.balanceBefore = before.balance;
    state.pointsBefore = before.points;

    const signIn = page.getByTestId('lottery-sign-in');
    assert.equal(await signIn.getAttribute('data-signed-in'), 'false');
    await signIn.tap();
    await waitOrShowLottery(page, page.locator('[data-testid="lottery-sign-in"][data-signed-in="true"]'));
    assert.ok(await signIn.isDisabled(), 'signed in: the button is off for today');
    assert.match(await signIn.innerText(), /今日已签到/);
    await waitOrShowLottery(page, page.locator('[data-testid="lottery-chances"][data-available="1"]'));
    assert.equal(await page.getByTestId('lottery-draw').getAttribute('data-available'), '1');
    await screenshot(page, '04-dan-signed-in');

    await page.getByTestId('lottery-draw').tap();
    const result = page.locator('[data-testid="lottery-result"]');
    await waitOrShowLottery(page, result);
    assert.equal(await result.getAttribute('data-won'), 'true', 'every draw wins: the prizes take 100 %');
    const prizeName = await result.getAttribute('data-prize-name');
    state.prize = PRIZES.find((prize) => prize.name === prizeName);
    assert.ok(state.prize, `won one of the prizes, not "${prizeName}"`);
    state.drawId = await result.getAttribute('data-draw-id');
    // The wheel stopped with the prize's sector under the pointer: 红包 is 0°–180°, 积分 180°–360°.
    const rotation = Number(await page.getByTestId('lottery-wheel').getAttribute('data-rotation'));
    const underPointer = (((-rotation % 360) + 360) % 360);
    assert.equal(underPointer, state.prize === CASH_PRIZE ? 90 : 270, `rotation ${rotation}`);
    assert.equal(await page.getByTestId('lottery-wheel').getAttribute('data-spinning'), 'false');

    const rows = page.getByTestId('lottery-draw-row');
    await waitOrShowLottery(page, rows.first());
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-id'), state.drawId);
    assert.equal(await rows.first().getAttribute('data-won'), 'true');
    assert.ok((await rows.first().innerText()).includes(`抽中 ${state.prize.name}`), 'the row names the prize');
    await waitOrShowLottery(page, page.locator('[data-testid="lottery-chances"][data-available="0"][data-used-today="1"]'));
    await screenshot(page, '05-dan-won');

    const mine = expectStatus(await api('/api/v1/me/lottery', { token: danToken }), 200, "Dan's lottery");
    assert.deepEqual(
      mine.draws.map((draw) => [draw.id, draw.won, draw.prize?.name]),
      [[state.drawId, true, state.prize.name]],
    );
    suite.assertClean('dan');
  });

  step('pressing again without draws left shows the refusal LOTTERY_NO_DRAWS', async () => {
    const page = suite.pages.get('dan').page;
    const draw = page.getByTestId('lottery-draw');
    assert.equal(await draw.getAttribute('data-available'), '0');
    await draw.tap();
    await waitOrShowLottery(page, page.locator('[data-testid="form-error"][data-error-code="LOTTERY_NO_DRAWS"]'));
    assert.equal(await page.getByTestId('lottery-result').count(), 0, 'no result for a refused draw');
    assert.equal(await page.getByTestId('lottery-draw-row').count(), 1);
    await screenshot(page, '06-dan-no-draws');
    suite.assertClean('dan');
  });

  step('a ¥10 payment earns Dan one more draw', async () => {
    const qr = expectStatus(await api('/api/v1/merchant/qr', { token: portal }), 200, 'static QR');
    const paid = expectStatus(
      await api('/api/v1/me/payments', {
        method: 'POST',
        token: danToken,
        idempotencyKey: 'dan-pays-noodles',
        body: { qr: qr.text, amount: PAYMENT_FEN, currency: 'CNY' },
      }),
      201,
      'Dan pays ¥10',
    );
    assert.equal(paid.status, 'completed', JSON.stringify(paid));

    const page = suite.pages.get('dan').page;
    await page.reload();
    await waitOrShowLottery(page, page.locator('[data-testid="lottery-chances"][data-available="1"]'));
    assert.equal(await page.getByTestId('lottery-chances').getAttribute('data-used-today'), '1');
    assert.equal(await page.getByTestId('lottery-draw').getAttribute('data-available'), '1');
    const mine = expectStatus(await api('/api/v1/me/lottery', { token: danToken }), 200, "Dan's lottery");
    assert.equal(mine.chances.earned_by_payments_today, 1);
    await screenshot(page, '07-dan-paid');
    suite.assertClean('dan');
  });

  step('the console counts the draw, and the prize won has one fewer left', async () => {
    const page = suite.pages.get('ops').page;
    await page.reload();
    await waitOrExplain(page, page.locator('[data-testid="lottery-draws"][data-value="1"]'));
    const spent = state.prize.kind === 'cash' ? state.prize.amount : 0;
    assert.equal(await page.getByTestId('lottery-spent').getAttribute('data-fen'), String(spent));
    assert.equal(await page.getByTestId('lottery-remaining').getAttribute('data-fen'), String(BUDGET_FEN - spent));
    for (const [index, prize] of PRIZES.entries()) {
      const row = page.locator(`[data-testid="lottery-prize-row"][data-index="${index}"]`);
      assert.equal(await row.getByTestId('lottery-prize-name').inputValue(), prize.name);
      const left = prize === state.prize ? prize.inventory - 1 : prize.inventory;
      assert.equal(await row.getByTestId('lottery-prize-remaining').getAttribute('data-value'), String(left), prize.name);
    }
    await screenshot(page, '08-console-after-draw');
    suite.assertClean('ops');
  });

  step('the prize landed: the wallet balance (cash) or the points balance (points)', async () => {
    const now = await danBalances();
    const cash = state.prize.kind === 'cash' ? state.prize.amount : 0;
    const points = state.prize.kind === 'points' ? state.prize.amount : 0;
    assert.equal(now.balance, state.balanceBefore - PAYMENT_FEN + cash, 'balance: − the payment + a cash prize');
    assert.equal(now.points, state.pointsBefore + points, 'points: + a points prize');
    const lotteryEntries = now.entries.filter((entry) => entry.kind === 'lottery');
    assert.deepEqual(
      lotteryEntries.map((entry) => entry.points),
      points > 0 ? [points] : [],
      JSON.stringify(now.entries),
    );

    const page = suite.pages.get('dan').page;
    await page.goto(`${server.baseUrl}/home`);
    await waitOrExplain(page, page.locator(`[data-testid="balance-value"][data-fen="${now.balance}"]`));
    await screenshot(page, '09-dan-home');
    if (points > 0) {
      await page.goto(`${server.baseUrl}/points`);
      await waitOrExplain(page, page.locator(`[data-testid="points-page-balance"][data-points="${now.points}"]`));
      const entry = page.locator(`[data-testid="points-entry"][data-kind="lottery"][data-points="${points}"]`);
      await waitOrExplain(page, entry);
      assert.match(await entry.innerText(), /抽奖奖励/);
      // A lottery prize is no payment: its entry opens nothing.
      await entry.tap();
      await page.waitForTimeout(300);
      assert.equal(new URL(page.url()).pathname, '/points');
      await screenshot(page, '10-dan-points');
    }
    suite.assertClean('dan');
  });
});
