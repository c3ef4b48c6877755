// Merchant payments for the HTTP benchmark (bench/http/run.sh), through the public API of a
// running qianbaod whose customers bench/http/customers.mjs prepared. Node 20, built-in modules
// only (node:http, node:crypto, node:fs).
//
//   node payments.mjs setup  CUSTOMERS_TSV STATE_DIR   one merchant, onboarded by the admin and
//        active, its API key and static QR; every customer gets small payments (免密) and a
//        payment device. Writes STATE_DIR/merchant.json and STATE_DIR/devices.tsv
//        ("phone<TAB>token<TAB>slot<TAB>secret"), both mode 0600.
//   node payments.mjs codes  STATE_DIR   the payment-code burst: for every device, its current
//        code charged once (1 fen) by a signed POST /api/v1/merchant/charges, QB_CONCURRENCY
//        requests in flight, as fast as the server answers. A code is single use per device per
//        time step, so one charge per device is all an honest run can do in one step.
//        Prints "RESULT http_code_charges_per_second=... devices=... p50_ms=... p99_ms=...".
//   node payments.mjs orders STATE_DIR   signed POST /api/v1/merchant/orders, each with its own
//        merchant_order_no, QB_CONCURRENCY in flight, for QB_SECONDS.
//        Prints "RESULT http_signed_orders_per_second=... p50_ms=... p99_ms=...".
//   node payments.mjs verify STATE_DIR   the admin's reconciliation report must say ok, and the
//        customers' balances plus what the merchant received (net of fees) plus fee income must
//        be what was topped up, with at least STATE_DIR/paid.count fen paid to the merchant.
//
// Every request must answer 201; any other answer (or a socket error or a 10 s timeout) is
// counted, one sample per status is printed, and the process exits 1.
//
// Environment: QB_URL, QB_ADMIN_USER, QB_ADMIN_PASSWORD, QB_TOP_UP_FEN (10000, as customers.mjs),
// QB_SETUP_PARALLEL (8), QB_CONCURRENCY (32), QB_SECONDS (10), QB_CODE_DEVICES (all devices).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';

const base = process.env.QB_URL;
const topUpFen = Number(process.env.QB_TOP_UP_FEN ?? 10000);
const setupParallel = Number(process.env.QB_SETUP_PARALLEL ?? 8);
const concurrency = Number(process.env.QB_CONCURRENCY ?? 32);
const seconds = Number(process.env.QB_SECONDS ?? 10);
const requestTimeoutMs = 10000;

// ---- HTTP over keep-alive connections ---------------------------------------------------------

const target = base ? new URL(base) : null;
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, setupParallel) });

// Resolves {status, text, ms}; status 0 for a socket error or a timeout (never rejects).
function send(method, path, headers, body) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const done = (status, text) =>
      resolve({ status, text, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    const h = { ...headers };
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: target.hostname, port: target.port, method, path, headers: h,
                               agent, timeout: requestTimeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done(res.statusCode, Buffer.concat(chunks).toString('utf8')));
      res.on('error', (e) => done(0, `response error: ${e.message}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${requestTimeoutMs} ms`)));
    req.on('error', (e) => done(0, `socket error: ${e.message}`));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// A setup call that must answer `expect`; the whole exchange is reported otherwise.
async function call(method, path, { token, body, key, expect }) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = key;
  const json = body === undefined ? undefined : JSON.stringify(body);
  const res = await send(method, path, headers, json);
  if (res.status !== expect) {
    throw new Error(`${method} ${path} ${json ?? ''} -> ${res.status} ${res.text.slice(0, 500)}`);
  }
  return res.text ? JSON.parse(res.text) : null;
}

// ---- Merchant request signing (docs/MERCHANT_API.md) -------------------------------------------

const sha256Hex = (s) => createHash('sha256').update(s).digest('hex');
const runId = randomBytes(6).toString('base64url');  // 8 characters of [A-Za-z0-9_-]
let nonces = 0;

// Headers for a request from the merchant's server: QB-HMAC-SHA256 over the six lines.
function signedHeaders(merchant, method, pathAndQuery, body) {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q + 1).split('&').filter((p) => p !== '')
    .map((p) => {
      const e = p.indexOf('=');
      return e < 0 ? [p, ''] : [p.slice(0, e), p.slice(e + 1)];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`).join('&');
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = `n${runId}${(++nonces).toString(36).padStart(8, '0')}`;  // 17+ characters
  const canonical = [method, path, query, timestamp, nonce, sha256Hex(body ?? '')].join('\n');
  const signature = createHmac('sha256', merchant.secret).update(canonical).digest('hex');
  return {
    authorization: `QB-HMAC-SHA256 key_id=${merchant.key_id},timestamp=${timestamp},` +
                   `nonce=${nonce},signature=${signature}`,
  };
}

// ---- Payment codes (src/paytoken/payment_code.h) ------------------------------------------------

// 18 digits: prefix(2) + slot(7) + HOTP-SHA256(secret, step) mod 10^9 (9).
function paymentCode(device, nowMs) {
  const step = Math.floor(nowMs / 1000 / device.step_seconds);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha256', device.secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const truncated = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) |
                    (mac[offset + 2] << 8) | mac[offset + 3];
  return String(device.prefix).padStart(2, '0') + String(device.slot).padStart(7, '0') +
         String(truncated % 1e9).padStart(9, '0');
}

// ---- Files -------------------------------------------------------------------------------------

const readTsv = (file) => readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split('\t'));
const merchantFile = (dir) => `${dir}/merchant.json`;
const devicesFile = (dir) => `${dir}/devices.tsv`;
const paidFile = (dir) => `${dir}/paid.count`;  // payments counted as made, one number a line

function readDevices(dir) {
  return readTsv(devicesFile(dir)).map(([phone, token, slot, secret, prefix, step]) => ({
    phone, token, slot: Number(slot), secret: Buffer.from(secret, 'base64url'),
    prefix: Number(prefix), step_seconds: Number(step),
  }));
}

function addPaid(dir, n) {
  const before = existsSync(paidFile(dir)) ? readFileSync(paidFile(dir), 'utf8') : '';
  writeFileSync(paidFile(dir), before + `${n}\n`, { mode: 0o600 });
}

const strongPassword = () => 'Bench' + randomBytes(12).toString('hex') + '7';

// ---- setup -------------------------------------------------------------------------------------

async function adminToken() {
  const staff = await call('POST', '/api/v1/staff/sessions', {
    body: { username: process.env.QB_ADMIN_USER, password: process.env.QB_ADMIN_PASSWORD },
    expect: 201,
  });
  return staff.token;
}

async function setup(customersFile, dir) {
  const started = Date.now();
  const admin = await adminToken();
  const username = `benchshop${runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toLowerCase()}`;
  const password = strongPassword();
  const merchant = await call('POST', '/api/v1/staff/merchants', {
    token: admin, expect: 201,
    body: {
      legal_name: '福州小吃店', credit_code: '91350100M000100Y43', category: 'catering',
      settlement_bank_code: 'ICBC', settlement_account: '6222020200112233',
      contact_phone: '13800138000', username, password, activate: true,
    },
  });
  if (merchant.status !== 'active') {
    throw new Error(`merchant not active: ${JSON.stringify(merchant)}`);
  }
  const portal = await call('POST', '/api/v1/merchant/sessions',
                            { body: { username, password }, expect: 201 });
  const key = await call('POST', '/api/v1/merchant/api-keys',
                         { token: portal.token, body: {}, expect: 201 });
  const qr = await call('GET', '/api/v1/merchant/qr', { token: portal.token, expect: 200 });
  if (!qr.text) throw new Error(`no static QR text: ${JSON.stringify(qr)}`);
  writeFileSync(merchantFile(dir), JSON.stringify({
    id: merchant.id, fee_bps: merchant.fee_bps, key_id: key.key_id, secret: key.secret,
    qr: qr.text, portal_token: portal.token,
  }) + '\n', { mode: 0o600 });

  const customers = readTsv(customersFile);
  const lines = new Array(customers.length);
  let next = 0;
  async function worker() {
    while (next < customers.length) {
      const i = next++;
      const [phone, token] = customers[i];
      await call('PUT', '/api/v1/me/small-payments', {
        token, expect: 200, body: { enabled: true, per_payment: 200000, per_day: 500000 },
      });
      const d = await call('POST', '/api/v1/me/payment-device', { token, body: {}, expect: 201 });
      lines[i] = [phone, token, d.slot, d.secret, d.prefix, d.step_seconds].join('\t');
    }
  }
  await Promise.all(Array.from({ length: Math.min(setupParallel, customers.length) }, worker));
  writeFileSync(devicesFile(dir), lines.join('\n') + '\n', { mode: 0o600 });
  console.log(`merchant ${merchant.id} active (fee ${merchant.fee_bps} bps, API key ` +
              `${key.key_id}); ${customers.length} customers with small payments and a payment ` +
              `device, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// ---- load --------------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// Runs `next()` (which returns a request thunk, or null when there is no more work) on
// `concurrency` workers; records latency and non-201 answers.
async function drive(next) {
  const latencies = [];
  const bad = new Map();  // status -> {n, sample}
  let ok = 0;
  async function worker() {
    for (let job = next(); job; job = next()) {
      const res = await job();
      latencies.push(res.ms);
      if (res.status === 201) { ok++; continue; }
      const entry = bad.get(res.status) ?? { n: 0, sample: res.text.slice(0, 300) };
      entry.n++;
      bad.set(res.status, entry);
    }
  }
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  let non201 = 0;
  for (const [status, { n, sample }] of bad) {
    non201 += n;
    console.log(`non-201 answers with status ${status}: ${n}, e.g. ${sample}`);
  }
  return {
    ok, non201, requests: latencies.length, elapsed,
    p50: percentile(latencies, 50), p90: percentile(latencies, 90),
    p99: percentile(latencies, 99), max: latencies.length ? latencies[latencies.length - 1] : 0,
  };
}

const fmt = (r) => `requests=${r.requests} non_201=${r.non201} p50_ms=${r.p50.toFixed(2)} ` +
  `p90_ms=${r.p90.toFixed(2)} p99_ms=${r.p99.toFixed(2)} max_ms=${r.max.toFixed(2)} ` +
  `seconds=${r.elapsed.toFixed(3)}`;

async function codes(dir) {
  const merchant = JSON.parse(readFileSync(merchantFile(dir), 'utf8'));
  let devices = readDevices(dir);
  const limit = Number(process.env.QB_CODE_DEVICES ?? devices.length);
  devices = devices.slice(0, limit);
  if (devices.length === 0) throw new Error('no payment devices to charge');
  // Start right after a step boundary when the current step is nearly over, so that no device's
  // code is computed in one step and its neighbour's in the next (harmless: the server accepts
  // the neighbouring steps too, but the burst should be one step's worth of codes).
  const stepMs = devices[0].step_seconds * 1000;
  const intoStep = Date.now() % stepMs;
  if (stepMs - intoStep < 3000) await new Promise((r) => setTimeout(r, stepMs - intoStep + 50));
  // Open the connections first, as a merchant's server keeps its own open: one signed
  // GET /api/v1/merchant/me on each, not timed, so the burst measures the charges alone.
  const warm = await Promise.all(Array.from({ length: concurrency }, () =>
    send('GET', '/api/v1/merchant/me', signedHeaders(merchant, 'GET', '/api/v1/merchant/me', ''))));
  const cold = warm.find((r) => r.status !== 200);
  if (cold) throw new Error(`signed GET /api/v1/merchant/me -> ${cold.status} ${cold.text}`);
  let i = 0;
  const result = await drive(() => {
    if (i >= devices.length) return null;
    const device = devices[i];
    const key = `code-${runId}-${i++}`;
    return () => {
      const code = paymentCode(device, Date.now());
      const body = JSON.stringify({ code, amount: 1, currency: 'CNY' });
      const headers = signedHeaders(merchant, 'POST', '/api/v1/merchant/charges', body);
      headers['idempotency-key'] = key;
      return send('POST', '/api/v1/merchant/charges', headers, body);
    };
  });
  addPaid(dir, result.ok);
  console.log(`RESULT http_code_charges_per_second=${(result.ok / result.elapsed).toFixed(0)} ` +
              `devices=${devices.length} concurrency=${concurrency} ${fmt(result)}`);
  if (result.non201 !== 0 || result.requests !== devices.length) process.exitCode = 1;
}

async function orders(dir) {
  const merchant = JSON.parse(readFileSync(merchantFile(dir), 'utf8'));
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  const result = await drive(() => {
    if (Date.now() >= deadline) return null;
    const no = `bench-${runId}-${++n}`.replace(/_/g, '-');
    return () => {
      const body = JSON.stringify({ merchant_order_no: no, amount: 100, currency: 'CNY' });
      return send('POST', '/api/v1/merchant/orders',
                  signedHeaders(merchant, 'POST', '/api/v1/merchant/orders', body), body);
    };
  });
  console.log(`RESULT http_signed_orders_per_second=${(result.ok / result.elapsed).toFixed(0)} ` +
              `concurrency=${concurrency} ${fmt(result)}`);
  if (result.non201 !== 0) process.exitCode = 1;
}

// ---- verify ------------------------------------------------------------------------------------

async function verify(dir) {
  const devices = readDevices(dir);
  const counted = existsSync(paidFile(dir))
    ? readFileSync(paidFile(dir), 'utf8').trim().split('\n').reduce((s, l) => s + Number(l), 0) : 0;
  const admin = await adminToken();
  const rec = await call('GET', '/api/v1/staff/reconciliation', { token: admin, expect: 200 });
  const b = rec.balances;
  const toppedUp = devices.length * topUpFen;
  const paidIn = b.merchants + b.fee_income;  // nothing was refunded, settled or withdrawn
  let sum = 0;
  for (const d of devices) {
    sum += (await call('GET', '/api/v1/me/balance', { token: d.token, expect: 200 })).balance;
  }
  // Ledger transfer code 30 is a payment, wallet → merchant (src/ledger/types.h, kPayment).
  const posted = rec.movements_by_code?.['30'] ?? { posted: 0, count: 0 };
  const failed = (rec.checks ?? []).filter((c) => !c.ok).map((c) => c.name);
  const conserved = sum === b.customers && sum + paidIn === toppedUp && posted.posted === paidIn;
  // Every payment is 1 fen, so the count the load generators saw answered 201 is a lower bound.
  const ok = rec.ok === true && conserved && posted.count >= counted;
  console.log(`payments reconciled: ${ok ? 'yes' : 'NO'} (reconciliation ok=${rec.ok}` +
              `${failed.length ? `, failing: ${failed.join('; ')}` : ''}; ${devices.length} ` +
              `customers hold ${sum} fen, the merchant ${b.merchants} + fee income ` +
              `${b.fee_income} fen, topped up ${toppedUp} fen; ${posted.count} payments posted ` +
              `(${posted.posted} fen), ${counted} seen answered 201)`);
  if (!ok) process.exitCode = 1;
}

const [mode, a, b] = process.argv.slice(2);
const modes = { setup: () => setup(a, b), codes: () => codes(a), orders: () => orders(a),
                verify: () => verify(a) };
if (!modes[mode] || !a || (mode === 'setup' && !b) || !base) {
  console.error('usage: QB_URL=... node payments.mjs setup CUSTOMERS_TSV DIR | ' +
                'codes|orders|verify DIR');
  process.exit(2);
}
modes[mode]()
  .catch((e) => { console.error(`payments.mjs ${mode}: ${e.message}`); process.exitCode = 1; })
  .finally(() => agent.destroy());
