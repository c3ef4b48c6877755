// End to end: webhooks, e-invoices, spending analysis and the merchant's sales report, through a
// real qianbaod (development deployment, so loopback notify URLs are allowed) serving the built
// web app.
//
//   A merchant is onboarded and a customer funded through the API; the merchant logs in to the
//   portal. The test starts an HTTP receiver on 127.0.0.1 (ephemeral port) and creates an online
//   order whose notify_url points at it; the customer pays on the order's checkout_path. The
//   receiver gets the order.paid webhook, whose QB-Signature the test verifies (node:crypto
//   HMAC-SHA256) with the secret from GET /merchant/webhook-secret, and a tampered body does
//   not verify. The portal's Webhooks page shows the delivery and sends it again. The customer
//   asks for an invoice on the payment page and downloads the PDF; the merchant sees and
//   downloads it too. The spending page and the sales report draw their charts (checked on the
//   canvas pixels) and the report exports CSV and XLSX. The settlement pages of the portal and
//   the console render, and the console's reconciliation balances.
//
// Every wait is bounded; the server and the receiver are stopped in `after` whatever happens.
// Screenshots: <repo>/test-artifacts/e2e/ (spending-charts.png, merchant-reports.png,
// webhooks-*.png, invoice-*.png).
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe } from 'node:test';

import {
  createSuite,
  customerLogIn,
  expectStatus,
  MOBILE,
  portalToken,
  STEP_TIMEOUT_MS,
  waitOrExplain,
  withLuhnCheckDigit,
} from './helpers.mjs';
import { randomPassword } from './server.mjs';

const WEBHOOK_WAIT_MS = 15_000;
/** How far the signature's time may be from ours, as the server's reference check allows. */
const SIGNATURE_TOLERANCE_S = 300;
/** The receiver refuses bodies beyond this: a webhook is a few kilobytes. */
const RECEIVER_MAX_BODY_BYTES = 64 * 1024;

/** A desktop 900 px high, not the 800 of helpers.mjs' DESKTOP: the pages here are taller. */
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };

const MERCHANT = {
  legal_name: '福州茶饮店',
  // A valid unified social credit code (GB 32100 check characters).
  credit_code: '91350100M000100Y43',
  category: 'catering',
  settlement_bank_code: 'ICBC',
  settlement_account: '6222020200112234',
  contact_phone: '13900139001',
  username: 'fztea',
  password: randomPassword(),
};
const CUSTOMER = {
  phone: '13800138021',
  password: randomPassword(),
  realName: '李四',
  residentId: '11010519491231002X',
  card: withLuhnCheckDigit('622202020011223366'),
};
const FUND_FEN = 100_000;
const ORDER_FEN = 12_800;
const INVOICE_TITLE = '福州某某科技有限公司';
const INVOICE_TAX_ID = '91350100M000100Y43';

const suite = createSuite();
const {
  api,
  assertClean,
  consoleLogIn,
  onboardMerchantByApi,
  openPage,
  pages,
  portalLogIn,
  registerCustomerByApi,
  screenshot,
  step,
} = suite;
let server;
let receiver;
let staffToken;
let customerToken;
/** Shared between the steps. */
const state = { portalToken: null, paymentId: null, eventId: null, secret: null };

/**
 * An HTTP receiver on 127.0.0.1 (ephemeral port) standing in for the merchant's server: it
 * keeps every request (method, path, lower-case headers, raw body) and answers 200.
 * waitFor(count) resolves once `count` requests arrived, or rejects after WEBHOOK_WAIT_MS.
 */
async function startReceiver() {
  const requests = [];
  const http = createServer((request, response) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > RECEIVER_MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      requests.push({
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', resolveListen);
  });
  const { port } = http.address();
  return {
    url: `http://127.0.0.1:${port}/qianbao/notify`,
    requests,
    async waitFor(count) {
      const deadline = Date.now() + WEBHOOK_WAIT_MS;
      while (requests.length < count) {
        if (Date.now() > deadline) {
          const got = `${requests.length} of ${count}`;
          throw new Error(`the receiver got ${got} webhooks within ${WEBHOOK_WAIT_MS} ms`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return requests[count - 1];
    },
    close: () => new Promise((r) => http.close(r)),
  };
}

/**
 * The merchant's check of a QB-Signature header ("t=<unix s>,v1=<64 hex>") on a raw body:
 * HMAC-SHA256(secret, "<t>.<body>") compared in constant time, and t within the tolerance.
 */
function verifyWebhookSignature(secret, header, body, nowS = Math.floor(Date.now() / 1000)) {
  const match = /^t=([1-9]\d{0,11}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return 'malformed';
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(match[2], 'hex'))) return 'bad_signature';
  if (Math.abs(nowS - Number(match[1])) > SIGNATURE_TOLERANCE_S) return 'too_old';
  return 'ok';
}

/**
 * Waits until the chart with `testId` finished drawing (data-rendered="true", set on ECharts'
 * "finished" event) and its canvas has a size and drawn pixels (some not transparent and not
 * white); answers what it saw.
 */
async function waitForDrawnChart(page, testId) {
  await page.locator(`[data-testid="${testId}"][data-rendered="true"]`).waitFor();
  const handle = await page.waitForFunction(
    (id) => {
      const canvas = document.querySelector(`[data-testid="${id}"] canvas`);
      if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
      const context = canvas.getContext('2d');
      if (!context) return null;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let drawn = 0;
      for (let i = 0; i < data.length; i += 4) {
        const white = data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245;
        if (data[i + 3] > 0 && !white) drawn += 1;
      }
      // A few hundred pixels: more than an axis line, so the data itself was drawn.
      return drawn > 500 ? { width: canvas.width, height: canvas.height, drawn } : null;
    },
    testId,
    { timeout: STEP_TIMEOUT_MS, polling: 250 },
  );
  return handle.jsonValue();
}

/** Clicks `trigger` and answers the bytes of the download it starts (bounded wait). */
async function downloadBytes(page, trigger) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }),
    trigger.click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

describe('webhooks, e-invoices, spending and sales reports', { timeout: 600_000 }, () => {
  before(async () => {
    server = await suite.start({ admin: true });
    receiver = await startReceiver();
    staffToken = (await suite.staffApiLogIn()).token;
  });

  after(async () => {
    try {
      await suite.stop();
    } finally {
      await receiver?.close();
    }
  });

  step('a merchant is onboarded and a customer funded (API); the merchant logs in', async () => {
    await onboardMerchantByApi(staffToken, { ...MERCHANT, activate: true });
    customerToken = await registerCustomerByApi(CUSTOMER, { staffToken, fundFen: FUND_FEN });

    const { page } = await openPage('portal', DESKTOP);
    await portalLogIn(page, MERCHANT.username, MERCHANT.password);
    await waitOrExplain(page, page.locator('[data-testid="merchant-status"][data-status="active"]'));
    state.portalToken = await portalToken(page);
    assert.ok(state.portalToken, 'the portal keeps its session token');
  });

  step('an order with a loopback notify_url is paid at checkout; the webhook verifies', async () => {
    const order = expectStatus(
      await api('/api/v1/merchant/orders', {
        method: 'POST',
        token: state.portalToken,
        body: {
          merchant_order_no: `E2E-HOOK-${Date.now()}`,
          amount: ORDER_FEN,
          currency: 'CNY',
          description: '茶饮套餐',
          notify_url: receiver.url,
        },
      }),
      201,
      'create order',
    );
    assert.ok(order.checkout_path.startsWith('/'), `checkout_path: ${order.checkout_path}`);

    const { page } = await openPage('customer', MOBILE);
    await page.goto(`${server.baseUrl}/login`);
    await customerLogIn(page, CUSTOMER);
    await page.waitForURL((url) => url.pathname === '/home');
    await page.goto(`${server.baseUrl}${order.checkout_path}`);
    await waitOrExplain(page, page.locator('[data-testid="pay-preview"][data-kind="dynamic"]'));
    assert.equal(await page.getByTestId('pay-amount').getAttribute('data-fen'), String(ORDER_FEN));
    await page.getByTestId('pay-submit').tap();
    const success = page.locator('[data-testid="pay-success"][data-status="completed"]');
    await waitOrExplain(page, success);
    state.paymentId = await success.getAttribute('data-payment-id');
    assert.ok(state.paymentId);

    const hook = await receiver.waitFor(1);
    assert.equal(hook.method, 'POST');
    assert.equal(hook.path, '/qianbao/notify');
    state.eventId = `evt_${state.paymentId}`;
    assert.equal(hook.headers['qb-webhook-id'], state.eventId);
    const event = JSON.parse(hook.body);
    assert.equal(event.id, state.eventId);
    assert.equal(event.type, 'order.paid');
    assert.equal(event.data.order.id, order.id);
    assert.equal(event.data.order.status, 'paid');
    assert.equal(event.data.payment.id, state.paymentId);
    assert.equal(event.data.payment.amount, ORDER_FEN);

    const secret = expectStatus(
      await api('/api/v1/merchant/webhook-secret', { token: state.portalToken }),
      200,
      'webhook secret',
    );
    assert.equal(secret.signature_header, 'QB-Signature');
    assert.ok(secret.secret.length >= 16, 'a secret worth the name');
    state.secret = secret.secret;
    const signature = hook.headers['qb-signature'];
    assert.equal(verifyWebhookSignature(secret.secret, signature, hook.body), 'ok', signature);
    // The same signature on a body changed by one digit, or under another secret, fails.
    const tampered = hook.body.replace(`"amount":${ORDER_FEN}`, `"amount":${ORDER_FEN + 1}`);
    assert.notEqual(tampered, hook.body, 'the body names the amount');
    assert.equal(verifyWebhookSignature(secret.secret, signature, tampered), 'bad_signature');
    assert.equal(verifyWebhookSignature(`${secret.secret}x`, signature, hook.body), 'bad_signature');
    assert.equal(verifyWebhookSignature(secret.secret, 'v1=abc', hook.body), 'malformed');
  });

  step("the portal's Webhooks page shows the delivery and sends it again", async () => {
    const { page } = pages.get('portal');
    await page.getByTestId('merchant-menu-webhooks').click();
    await page.waitForURL((url) => url.pathname === '/merchant/webhooks');
    const row = page.locator(
      `[data-testid="webhook-row"][data-row-id="${state.eventId}"][data-state="delivered"]`,
    );
    await waitOrExplain(page, row);
    const attempt = page.locator('[data-testid="webhook-attempt"][data-outcome="delivered"]');
    await attempt.first().waitFor();
    assert.equal(await attempt.first().getAttribute('data-http-status'), '200');
    // The secret stays hidden until revealed.
    assert.equal(await page.getByTestId('webhook-secret').count(), 0);
    await screenshot(page, 'webhooks-delivered');
    await page.getByTestId('webhook-secret-reveal').click();
    assert.equal((await page.getByTestId('webhook-secret').innerText()).trim(), state.secret);
    await page.getByTestId('webhook-secret-hide').click();

    await row.getByTestId('webhook-resend').click();
    await waitOrExplain(page, page.getByTestId('webhook-resent'));
    const again = await receiver.waitFor(2);
    assert.equal(again.headers['qb-webhook-id'], state.eventId);
    const resigned = again.headers['qb-signature'];
    assert.equal(verifyWebhookSignature(state.secret, resigned, again.body), 'ok');
    await page.getByTestId('webhooks-refresh').click();
    await page
      .locator(`[data-testid="webhook-row"][data-row-id="${state.eventId}"][data-attempts="2"]`)
      .waitFor();
    await screenshot(page, 'webhooks-resent');
    assertClean('portal');
  });

  step('the customer asks for an invoice on the payment page and downloads the PDF', async () => {
    const { page } = pages.get('customer');
    await page.goto(`${server.baseUrl}/payments/${state.paymentId}`);
    await waitOrExplain(page, page.getByTestId('invoice-submit'));
    await page.getByTestId('invoice-kind').getByText('单位').tap();
    await page.locator('[data-testid="invoice-kind"][data-kind="company"]').waitFor();
    await page.getByTestId('invoice-title').fill(INVOICE_TITLE);
    // A malformed taxpayer ID is caught before the request.
    await page.getByTestId('invoice-tax-id').fill('12');
    await page.getByTestId('invoice-submit').tap();
    await page.getByText('纳税人识别号为 15–20 位字母或数字').waitFor();
    await page.getByTestId('invoice-tax-id').fill(INVOICE_TAX_ID.toLowerCase());
    await screenshot(page, 'invoice-form');
    await page.getByTestId('invoice-submit').tap();
    const invoice = page.getByTestId('invoice');
    await waitOrExplain(page, invoice);
    state.invoiceNumber = await invoice.getAttribute('data-invoice-number');
    assert.match(state.invoiceNumber, /^\d{20}$/);
    assert.equal(await invoice.getAttribute('data-fen'), String(ORDER_FEN));
    assert.equal(
      (await page.getByTestId('invoice-local-note').innerText()).trim(),
      '本地开票服务（非税务机关）',
    );
    const answer = expectStatus(
      await api(`/api/v1/me/payments/${state.paymentId}/invoice`, { token: customerToken }),
      200,
      'invoice',
    );
    assert.equal(answer.tax_id, INVOICE_TAX_ID);
    assert.equal(answer.title, INVOICE_TITLE);
    await screenshot(page, 'invoice-issued');

    const pdf = await downloadBytes(page, page.getByTestId('invoice-download'));
    assert.equal(pdf.name, `invoice-${state.invoiceNumber}.pdf`);
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  });

  step('the merchant sees the invoice on the payment detail and downloads it', async () => {
    const { page } = pages.get('portal');
    await page.getByTestId('merchant-menu-payments').click();
    await page
      .locator(`[data-testid="merchant-payment-row"][data-row-id="${state.paymentId}"]`)
      .click();
    await page.waitForURL((url) => url.pathname === `/merchant/payments/${state.paymentId}`);
    const invoice = page.locator(
      `[data-testid="merchant-invoice"][data-invoice-number="${state.invoiceNumber}"]`,
    );
    await waitOrExplain(page, invoice);
    await screenshot(page, 'invoice-merchant');
    const pdf = await downloadBytes(page, page.getByTestId('merchant-invoice-download'));
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assertClean('portal');
  });

  step('the spending page draws spending by category and by month', async () => {
    const { page } = pages.get('customer');
    await page.goto(`${server.baseUrl}/home`);
    await page.getByTestId('action-spending').tap();
    await page.waitForURL((url) => url.pathname === '/spending');
    await waitOrExplain(page, page.getByTestId('spending-page'));
    const current = await page.getByTestId('spending-current').getAttribute('data-fen');
    assert.equal(current, String(ORDER_FEN));
    // Nothing last month: no percentage to show.
    assert.equal(await page.getByTestId('spending-change').getAttribute('data-direction'), 'none');
    const merchant = page.getByTestId('spending-merchant');
    assert.equal(await merchant.count(), 1);
    assert.equal(await merchant.getAttribute('data-fen'), String(ORDER_FEN));
    const pie = await waitForDrawnChart(page, 'spending-category-chart');
    const bars = await waitForDrawnChart(page, 'spending-month-chart');
    assert.ok(pie.width > 0 && bars.width > 0, JSON.stringify({ pie, bars }));
    await screenshot(page, 'spending-charts');
    assertClean('customer');
  });

  step('the sales report shows totals and charts, and exports CSV and XLSX', async () => {
    const { page } = pages.get('portal');
    await page.getByTestId('merchant-menu-reports').click();
    await page.waitForURL((url) => url.pathname === '/merchant/reports');
    const result = page.locator('[data-testid="reports-result"][data-period="day"]');
    await waitOrExplain(page, result);
    assert.equal(await result.getAttribute('data-rows'), '30');
    const total = (field) => page.getByTestId(`reports-total-${field}`).getAttribute('data-value');
    assert.equal(await total('payment_count'), '1');
    assert.equal(await total('gross'), String(ORDER_FEN));
    assert.equal(await total('unique_customers'), '1');
    await waitForDrawnChart(page, 'reports-trend-chart');
    await waitForDrawnChart(page, 'reports-channel-chart');
    await screenshot(page, 'merchant-reports');

    await page.getByTestId('reports-period-week').click();
    await page.getByTestId('reports-query').click();
    await waitOrExplain(page, page.locator('[data-testid="reports-result"][data-period="week"]'));
    await waitForDrawnChart(page, 'reports-trend-chart');
    assert.equal(await total('gross'), String(ORDER_FEN));

    const csv = await downloadBytes(page, page.getByTestId('reports-export-csv'));
    assert.match(csv.name, /\.csv$/);
    assert.ok(csv.bytes.toString('utf8').includes('128.00'), csv.bytes.toString('utf8').slice(0, 300));
    const xlsx = await downloadBytes(page, page.getByTestId('reports-export-xlsx'));
    assert.match(xlsx.name, /\.xlsx$/);
    assert.equal(xlsx.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    assertClean('portal');
  });

  step('the settlement pages render and the reconciliation balances', async () => {
    const portal = pages.get('portal').page;
    await portal.getByTestId('merchant-menu-settlements').click();
    await waitOrExplain(
      portal,
      portal.locator('[data-testid="merchant-settlements"][data-loaded="true"]'),
    );
    // Today's takings settle tomorrow (T+1): nothing yet.
    assert.equal(await portal.getByTestId('settlement-row').count(), 0);
    assertClean('portal');

    const { page } = await openPage('console', DESKTOP);
    await consoleLogIn(page);
    await page.getByTestId('menu-settlements').click();
    await page.waitForURL((url) => url.pathname === '/console/settlements');
    await waitOrExplain(page, page.locator('[data-testid="reconciliation-status"][data-ok="true"]'));
    assert.ok((await page.getByTestId('reconciliation-check').count()) > 0);
    assert.equal(
      await page.locator('[data-testid="reconciliation-check"][data-ok="false"]').count(),
      0,
    );
    await screenshot(page, 'console-reconciliation');
    assertClean('console');
  });
});
