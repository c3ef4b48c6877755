-- wrk script for bench/http/run.sh: customers pay a merchant's static QR code, 1 fen each, over
-- keep-alive connections (POST /api/v1/me/payments, the request the app sends after a scan).
--
-- QB_BENCH_CUSTOMERS names a file of "phone<TAB>token" lines (bench/http/customers.mjs) and
-- QB_BENCH_QR holds the merchant's static QR text (bench/http/payments.mjs setup). Each request
-- takes the next customer in turn, as transfer.lua does; 1 fen a payment keeps the small-payment
-- and tier limits far away. Idempotency-Key = run nonce, thread id, counter. Any answer other
-- than 201 is counted and reported by done(), with a sample body per status.

local customers = {}
do
  local path = assert(os.getenv("QB_BENCH_CUSTOMERS"), "QB_BENCH_CUSTOMERS is not set")
  for line in io.lines(path) do
    local phone, token = line:match("^(%d+)\t(%S+)$")
    if phone then customers[#customers + 1] = { phone = phone, token = token } end
  end
  assert(#customers >= 1, "no customers in " .. path)
end
local qr = assert(os.getenv("QB_BENCH_QR"), "QB_BENCH_QR is not set")
assert(qr:match('^[%w%.:_~+/=-]+$'), "unexpected characters in the QR text")
local body = '{"qr":"' .. qr .. '","amount":1,"currency":"CNY"}'
local nonce = os.getenv("QB_BENCH_NONCE") or "run"

-- Main state: hand each thread an id, keep the threads for done().
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

-- Thread state.
local id, counter, cursor = 0, 0, 0
non201 = 0
statuses = {}   -- status -> count, for non-201 answers
samples = {}    -- status -> first body seen

function init(args)
  id = wrk.thread:get("id")
  -- Spread the threads over the customers.
  cursor = (id * 7919) % #customers
end

function request()
  counter = counter + 1
  local payer = customers[cursor + 1]
  cursor = (cursor + 1) % #customers
  return wrk.format("POST", "/api/v1/me/payments", {
    ["Authorization"] = "Bearer " .. payer.token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = nonce .. "-" .. id .. "-" .. counter,
  }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
    if samples[key] == nil then samples[key] = body end
  end
end

function done(summary, latency, requests)
  local bad = 0
  local by_status, sample = {}, {}
  for _, t in ipairs(threads) do
    bad = bad + t:get("non201")
    for status, n in pairs(t:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
      sample[status] = sample[status] or t:get("samples")[status]
    end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local ok = summary.requests - bad
  for status, n in pairs(by_status) do
    io.write(string.format("non-201 answers with status %s: %d, e.g. %s\n", status, n,
                           (sample[status] or ""):sub(1, 300)))
  end
  io.write(string.format(
    "RESULT http_qr_payments_per_second=%.0f http_requests_per_second=%.0f requests=%d " ..
    "non_201=%d socket_errors=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f " ..
    "max_ms=%.2f seconds=%.1f ok=%d\n",
    ok / seconds, summary.requests / seconds, summary.requests, bad, socket_errors,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000, seconds,
    ok))
end
