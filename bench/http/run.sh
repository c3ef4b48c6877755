#!/usr/bin/env bash
# The HTTP figures of `make bench`: P2P transfers/s and latency over keep-alive connections,
# measured with wrk against a qianbaod on loopback; then, against the same server and customers,
# merchant payments: static-QR payments/s (wrk), payment-code charges/s through the signed
# merchant API (a burst of one charge per device), and signed merchant-API orders/s.
#
#   1. a fresh temporary data directory; `qianbao admin create` makes an admin there with a
#      password generated now (kept only in this process's environment);
#   2. qianbaod on 127.0.0.1, on a port the OS picks;
#   3. customers.mjs prepares max(BENCH_HTTP_CUSTOMERS, BENCH_HTTP_CODE_DEVICES) customers
#      through the API (OTP read from the development SMS outbox, register, verify identity, bind
#      a card, top up); the P2P and QR runs use the first BENCH_HTTP_CUSTOMERS of them;
#   4. wrk -t THREADS -c CONNECTIONS -d SECONDS with transfer.lua (1 fen each, round robin);
#   5. customers.mjs checks the P2P customers' balances still sum to what was topped up;
#   6. payments.mjs setup: the admin onboards one active merchant, whose owner issues an API key
#      and reads the static QR; every customer turns on small payments (免密) and registers a
#      payment device;
#   7. wrk with qr_pay.lua: the P2P customers pay the static QR, 1 fen each, round robin;
#   8. payments.mjs codes: every device's current payment code charged once (1 fen) by a signed
#      POST /api/v1/merchant/charges, CONNECTIONS in flight (a code is single use per device per
#      30 s step, so the devices bound what one step can take; 1024 devices make a burst of about
#      a second, and their customers about 50 s of setup on 2 cores, argon2id at registration);
#   9. payments.mjs orders: signed POST /api/v1/merchant/orders for SECONDS, CONNECTIONS in flight;
#  10. payments.mjs verify: the admin's reconciliation report says ok, and the customers' balances
#      plus the merchant's takings (net of fees) plus fee income are what was topped up;
#  11. the server is stopped (always, by the trap) and the directory removed.
#
# Prints wrk's report and the lines "RESULT http_transfers_per_second=... p50_ms=... p99_ms=...",
# "RESULT http_qr_payments_per_second=...", "RESULT http_code_charges_per_second=... devices=..."
# and "RESULT http_signed_orders_per_second=..." (each with p50_ms and p99_ms).
# Exits non-zero when setup fails, any answer was not 201, or money was not conserved.
#
# Environment: QIANBAOD, QIANBAO (the binaries; default build/release), BENCH_HTTP_CUSTOMERS
# (64), BENCH_HTTP_CODE_DEVICES (1024), BENCH_HTTP_SECONDS (10), BENCH_HTTP_CONNECTIONS (32),
# BENCH_HTTP_THREADS (1), BENCH_HTTP_SETUP_PARALLEL (4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

qianbaod=${QIANBAOD:-$root/build/release/src/server/qianbaod}
qianbao=${QIANBAO:-$root/build/release/src/cli/qianbao}
customers=${BENCH_HTTP_CUSTOMERS:-64}
devices=${BENCH_HTTP_CODE_DEVICES:-1024}
seconds=${BENCH_HTTP_SECONDS:-10}
connections=${BENCH_HTTP_CONNECTIONS:-32}
threads=${BENCH_HTTP_THREADS:-1}
for tool in wrk node curl; do
  command -v "$tool" >/dev/null || { echo "bench/http: $tool is missing (scripts/bootstrap)" >&2; exit 1; }
done
for bin in "$qianbaod" "$qianbao"; do
  [[ -x $bin ]] || { echo "bench/http: $bin is not built" >&2; exit 1; }
done
qianbaod=$(realpath "$qianbaod")  # the server runs from the work directory
qianbao=$(realpath "$qianbao")

work=$(mktemp -d)
server_pid=
stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. The admin, with a password that exists only for this run.
admin_user=benchadmin
admin_password="Bench$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')9"
mkdir -p "$work/data"
printf '%s\n' "$admin_password" |
  "$qianbao" admin create --data "$work/data" --username "$admin_user" \
    --display-name "bench admin" --password-stdin >"$work/admin.log" 2>&1 ||
  { cat "$work/admin.log" >&2; exit 1; }

# 2. The server, from the work directory (no web app: not needed here), on a free port.
(
  cd "$work"
  exec env QIANBAO_DATA_DIR="$work/data" QIANBAO_LISTEN_ADDRESS=127.0.0.1 \
    QIANBAO_LISTEN_PORT=0 QIANBAO_LOG_LEVEL=info QIANBAO_DEPLOYMENT=development \
    QIANBAO_SMS_PROVIDER=outbox QIANBAO_AUTH_RATE_LIMITS=off "$qianbaod"
) >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 300); do  # up to 30 s (recovery of an empty directory is quick)
  kill -0 "$server_pid" 2>/dev/null || break
  port=$(grep -m1 'msg="listening"' "$work/server.log" | grep -oE ' port=[0-9]+' |
         grep -oE '[0-9]+$' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "bench/http: qianbaod did not start; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
url="http://127.0.0.1:$port"
curl -fsS --max-time 5 "$url/healthz" >/dev/null

# 3. The customers: the first $customers for P2P and QR payments, $devices for payment codes.
export QB_URL=$url QB_ADMIN_USER=$admin_user QB_ADMIN_PASSWORD=$admin_password
export QB_CUSTOMERS=$((customers > devices ? customers : devices))
export QB_SETUP_PARALLEL=${BENCH_HTTP_SETUP_PARALLEL:-4}
timeout 60 node "$here/customers.mjs" shadow burst_1m,burst_1h
timeout 600 node "$here/customers.mjs" setup "$work/all_customers.tsv"
head -n "$customers" "$work/all_customers.tsv" >"$work/customers.tsv"

# 4. The load.
echo "wrk -t$threads -c$connections -d${seconds}s --latency (transfer.lua, $customers customers)"
QB_BENCH_CUSTOMERS="$work/customers.tsv" QB_BENCH_NONCE="b$$" \
  timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s \
  --latency -s "$here/transfer.lua" "$url" | tee "$work/wrk.out"

# Where the time went, from the server's own metrics (whole run, set-up included).
curl -fsS --max-time 5 "$url/metrics" | awk '
  function per(a, b) { return b ? a / b : 0 }
  /^#/ { next }
  { name = $1; sub(/[{].*/, "", name); v[name] += $2 }
  END {
    c = "qianbao_journal_commit_seconds"; b = "qianbao_engine_batch_commands"
    a = "qianbao_engine_ack_seconds"; h = "http_request_duration_seconds"
    printf "server: %d journal commits, avg %.2f ms each, avg %.1f commands per batch;", \
      v[c "_count"], 1000 * per(v[c "_sum"], v[c "_count"]), per(v[b "_sum"], v[b "_count"])
    printf " engine ack avg %.2f ms; HTTP request avg %.2f ms\n", \
      1000 * per(v[a "_sum"], v[a "_count"]), 1000 * per(v[h "_sum"], v[h "_count"])
  }' || echo "bench/http: no metrics from the server" >&2

# 5. Money conserved: transfers only move it between the customers.
status=0
timeout 120 node "$here/customers.mjs" verify "$work/customers.tsv" || status=1
non201=$(grep '^RESULT' "$work/wrk.out" | grep -oE 'non_201=[0-9]+' | cut -d= -f2)
if [[ ${non201:-x} != 0 ]]; then
  echo "bench/http: ${non201:-unknown} answers were not 201 Created (see above)" >&2
  status=1
fi

# 6-10. Merchant payments, against the same server and customers.
payments() { timeout "$1" node "$here/payments.mjs" "${@:2}"; }
mkdir -m 700 "$work/payments"
export QB_CONCURRENCY=$connections QB_SECONDS=$seconds QB_CODE_DEVICES=$devices
if payments 300 setup "$work/all_customers.tsv" "$work/payments"; then
  qr=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).qr)' \
         "$work/payments/merchant.json")
  echo "wrk -t$threads -c$connections -d${seconds}s --latency (qr_pay.lua, $customers customers)"
  QB_BENCH_CUSTOMERS="$work/customers.tsv" QB_BENCH_NONCE="q$$" QB_BENCH_QR="$qr" \
    timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s \
    --latency -s "$here/qr_pay.lua" "$url" | tee "$work/wrk_qr.out" || status=1
  non201=$(grep '^RESULT' "$work/wrk_qr.out" | grep -oE 'non_201=[0-9]+' | cut -d= -f2 || true)
  if [[ ${non201:-x} != 0 ]]; then
    echo "bench/http: ${non201:-unknown} QR payments were not 201 Created (see above)" >&2
    status=1
  fi
  # The payments wrk saw answered 201: a lower bound (wrk does not count answers still in
  # flight when it stops) for what the merchant must have received.
  grep '^RESULT' "$work/wrk_qr.out" | grep -oE ' ok=[0-9]+' | cut -d= -f2 \
    >>"$work/payments/paid.count" || true
  echo "payment codes: one signed charge per device, $devices devices, $connections in flight"
  payments 120 codes "$work/payments" || status=1
  echo "signed orders: $connections in flight for ${seconds}s"
  payments $((seconds + 60)) orders "$work/payments" || status=1
  payments 300 verify "$work/payments" || status=1
else
  echo "bench/http: merchant payments setup failed; no payment figures" >&2
  status=1
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "bench/http: qianbaod died during the run; its log:" >&2
  tail -50 "$work/server.log" >&2
  status=1
fi
exit $status
