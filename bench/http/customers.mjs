// Prepares and checks the customers of the HTTP benchmark (bench/http/run.sh), through the
// public API of a running qianbaod. No dependencies beyond Node 20 (global fetch).
//
//   node customers.mjs setup  OUT_FILE   writes "phone<TAB>token" lines, one per customer
//   node customers.mjs verify IN_FILE    checks the balances sum to what was topped up
//   node customers.mjs shadow RULES      puts the named risk rules (comma separated) in shadow
//
// Environment: QB_URL (http://127.0.0.1:PORT), QB_ADMIN_USER, QB_ADMIN_PASSWORD (the staff
// account made by `qianbao admin create`), QB_CUSTOMERS (default 64), QB_TOP_UP_FEN (default
// 10000), QB_SETUP_PARALLEL (default 4: registration hashes the password with argon2id).
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const base = process.env.QB_URL;
const customers = Number(process.env.QB_CUSTOMERS ?? 64);
const topUpFen = Number(process.env.QB_TOP_UP_FEN ?? 10000);
const parallel = Number(process.env.QB_SETUP_PARALLEL ?? 4);

// Verifying the identity and binding a card rotate the session (a privilege change): the new
// token comes back in X-Session-Token and the old one stops working.
const rotated = new Map();
function current(token) {
  while (rotated.has(token)) token = rotated.get(token);
  return token;
}

async function call(method, path, { token: given, body, key, expect } = {}) {
  const headers = {};
  const token = given ? current(given) : given;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const next = res.headers.get('x-session-token');
  if (next && token) rotated.set(token, next);
  const text = await res.text();
  if (expect !== undefined && res.status !== expect) {
    // The whole exchange, so a server-side problem can be reported as it happened.
    throw new Error(`${method} ${path} ${JSON.stringify(body ?? null)} -> ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

// GB 11643-1999: ISO 7064 MOD 11-2 check character over the first 17 digits.
function residentId(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}

// Luhn check digit appended to `digits`.
function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

const pad = (n, width) => String(n).padStart(width, '0');
const password = () => 'Bench' + randomBytes(12).toString('hex') + '7';
const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周杰', '吴霞'];

async function prepare(i, staffToken) {
  const phone = '139' + pad(i, 8);  // fresh data directory: no clash with earlier runs
  await call('POST', '/api/v1/otp', { body: { phone, purpose: 'register' }, expect: 202 });
  const outbox = await call('GET', `/api/v1/staff/sms-outbox?phone=${phone}&limit=1`,
                            { token: staffToken, expect: 200 });
  const text = outbox.messages?.[0]?.text ?? '';
  const otp = (text.match(/验证码是(\d+)/) ?? text.match(/(\d{6})/))?.[1];
  if (!otp) throw new Error(`no code in the SMS outbox for ${phone}: ${JSON.stringify(outbox)}`);
  const reg = await call('POST', '/api/v1/customers',
                         { body: { phone, otp, password: password() }, expect: 201 });
  const token = reg.token;
  // Born 1990-01-01 plus i days (distinct IDs), region 110105, sequence 001-999.
  const birth = new Date(Date.UTC(1990, 0, 1) + Math.floor(i / 999) * 86400000);
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const rid = residentId('110105' + ymd + pad((i % 999) + 1, 3));
  await call('POST', '/api/v1/me/identity',
             { token, body: { real_name: names[i % names.length], resident_id: rid }, expect: 200 });
  const card = await call('POST', '/api/v1/me/cards',
                          { token, body: { card_number: luhn('622202' + pad(i, 12)) }, expect: 201 });
  const topUp = await call('POST', '/api/v1/me/top-ups', {
    token, key: `bench-topup-${i}`, expect: 201,
    body: { card_id: card.id, amount: topUpFen, currency: 'CNY' },
  });
  if (topUp.status !== 'completed') throw new Error(`top-up for ${phone}: ${JSON.stringify(topUp)}`);
  return `${phone}\t${current(token)}`;
}

async function setup(outFile) {
  const staff = await call('POST', '/api/v1/staff/sessions', {
    body: { username: process.env.QB_ADMIN_USER, password: process.env.QB_ADMIN_PASSWORD },
    expect: 201,
  });
  const lines = new Array(customers);
  let next = 0;
  const started = Date.now();
  async function worker() {
    while (next < customers) {
      const i = next++;
      lines[i] = await prepare(i, staff.token);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, customers) }, worker));
  writeFileSync(outFile, lines.join('\n') + '\n', { mode: 0o600 });
  console.log(`prepared ${customers} customers (tier II, ${topUpFen} fen each) in ` +
              `${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function verify(inFile) {
  const rows = readFileSync(inFile, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  let sum = 0;
  for (const [, token] of rows) {
    const b = await call('GET', '/api/v1/me/balance', { token, expect: 200 });
    sum += b.balance;
  }
  const expected = rows.length * topUpFen;
  const ok = sum === expected;
  console.log(`money conserved: ${ok ? 'yes' : 'NO'} (sum of ${rows.length} balances ${sum} fen, ` +
              `topped up ${expected} fen)`);
  if (!ok) process.exitCode = 1;
}

// A few customers paying thousands of times a second is what the velocity rules exist to stop;
// the benchmark measures the payment path, so those rules are evaluated (in shadow) but not
// enforced: the same change an analyst makes in the console.
async function shadow(names) {
  const wanted = names.split(',');
  const staff = await call('POST', '/api/v1/staff/sessions', {
    body: { username: process.env.QB_ADMIN_USER, password: process.env.QB_ADMIN_PASSWORD },
    expect: 201,
  });
  const sets = await call('GET', '/api/v1/staff/risk/rules', { token: staff.token, expect: 200 });
  // The answer carries what the engine counted (evaluated, verdicts, each rule's hits) beside the
  // rule set; a new version is the rule set alone.
  const { version: _version, evaluated: _evaluated, verdicts: _verdicts, ...active } = sets.active;
  const missing = wanted.filter((name) => !active.rules.some((rule) => rule.name === name));
  if (missing.length > 0) throw new Error(`no such risk rules: ${missing.join(', ')}`);
  active.rules = active.rules.map(({ hits: _hits, ...r }) =>
    (wanted.includes(r.name) ? { ...r, shadow: true } : r));
  await call('PUT', '/api/v1/staff/risk/rules',
             { token: staff.token, body: { ...active, shadow: false }, expect: 200 });
  console.log(`risk rules in shadow: ${wanted.join(', ')}`);
}

const [mode, file] = process.argv.slice(2);
const run = mode === 'setup' ? setup : mode === 'verify' ? verify : mode === 'shadow' ? shadow : null;
if (!run || !file || !base) {
  console.error('usage: QB_URL=... node customers.mjs setup|verify FILE | shadow RULES');
  process.exit(2);
}
run(file).catch((e) => { console.error(`customers.mjs ${mode}: ${e.message}`); process.exit(1); });
