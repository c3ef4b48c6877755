#!/usr/bin/env bash
# PostgreSQL baseline benchmark: the "Double-11" payment as one PL/pgSQL call, driven by
# pgbench against a throw-away, durable PostgreSQL cluster. See README.md.
#
# Environment:
#   PG_BENCH_SECONDS  seconds per pgbench run (default 20)
#   PG_CUSTOMERS      customer accounts (default 1000000)
#   PG_MERCHANTS      merchant accounts (default 10000)
#   PG_BIN            PostgreSQL bin directory (default: the Debian PostgreSQL 15 one)
#
# Stdout carries only the result lines, printed at the end:
#   pg_baseline hot_row_tps=<tps>
#   pg_baseline no_hot_row_tps=<tps>
#   pg_baseline conserved=yes
# Everything else (progress, pgbench reports, errors) goes to stderr.
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly here
readonly bench_seconds="${PG_BENCH_SECONDS:-20}"
readonly customers="${PG_CUSTOMERS:-1000000}"
readonly merchants="${PG_MERCHANTS:-10000}"
# Fixed by the design document: prepared statements, 8 clients, 2 pgbench threads.
readonly clients=8
readonly threads=2
# Upper bounds so a wedged server cannot hang the run.
readonly sql_timeout_s=600
readonly pgbench_grace_s=120

log() { printf '[pg_baseline] %s\n' "$*" >&2; }
die() {
    log "error: $*"
    if [[ -n "${tmp:-}" && -f "$tmp/server.log" ]]; then
        log "last lines of the server log:"
        tail -n 20 "$tmp/server.log" >&2 || true
    fi
    exit 1
}

is_positive_int() { [[ "$1" =~ ^[1-9][0-9]{0,11}$ ]]; }
is_positive_int "$bench_seconds" || die "PG_BENCH_SECONDS must be a positive integer"
is_positive_int "$customers" || die "PG_CUSTOMERS must be a positive integer"
is_positive_int "$merchants" || die "PG_MERCHANTS must be a positive integer"

pg_bin="${PG_BIN:-}"
if [[ -z "$pg_bin" ]]; then
    pg_bin=/usr/lib/postgresql/15/bin
    if [[ ! -x "$pg_bin/initdb" ]] && command -v pg_config >/dev/null; then
        pg_bin="$(pg_config --bindir)"
    fi
fi
for tool in initdb pg_ctl psql pgbench; do
    [[ -x "$pg_bin/$tool" ]] || die "$pg_bin/$tool not found; set PG_BIN"
done

# PostgreSQL refuses to run as root: as root, run every server-side tool as postgres.
as_pg=()
if [[ "$EUID" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres OS user"
    as_pg=(runuser -u postgres --)
fi

tmp=""
port=""
bench_pid=""
started_s=$SECONDS

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$bench_pid" ]]; then
        # timeout runs pgbench in its own process group and passes the signal on to it.
        kill -TERM "$bench_pid" 2>/dev/null || true
        wait "$bench_pid" 2>/dev/null || true
    fi
    if [[ -n "$tmp" && -f "$tmp/data/postmaster.pid" ]]; then
        # The cluster is thrown away, so an immediate stop (no shutdown checkpoint) is safe
        # and saves flushing up to 1 GB of shared buffers.
        log "stopping the server"
        timeout 60 "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -m immediate -w -t 30 stop \
            >/dev/null 2>&1 || true
        if [[ -f "$tmp/data/postmaster.pid" ]]; then
            # Last resort: the postmaster's pid is the first line of its pid file.
            local pid
            pid="$(head -n 1 "$tmp/data/postmaster.pid" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    if [[ -n "$tmp" && -d "$tmp" ]]; then
        rm -rf -- "$tmp"
    fi
    log "done in $((SECONDS - started_s)) s (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'log "command failed at line $LINENO"' ERR

tmp="$(mktemp -d -t qianbao-pg-baseline.XXXXXX)"
# The unix socket path must stay under the kernel's ~107-byte limit.
(( ${#tmp} <= 80 )) || die "temp dir path too long for a unix socket: set TMPDIR=/tmp"
if [[ "$EUID" -eq 0 ]]; then
    chown postgres: "$tmp"
fi
chmod 700 "$tmp"
"${as_pg[@]}" test -w "$tmp" || die "postgres cannot write $tmp: set TMPDIR=/tmp"
cp "$here/pay_hot.sql" "$here/pay_nohot.sql" "$tmp/"
if [[ "$EUID" -eq 0 ]]; then
    chown postgres: "$tmp/pay_hot.sql" "$tmp/pay_nohot.sql"
fi
# Tools run as postgres must not start in a directory postgres cannot enter.
cd "$tmp"

log "initdb in a throw-away directory"
timeout "$sql_timeout_s" "${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/data" -U postgres -E UTF8 \
    --locale=C --auth-local=trust --auth-host=reject >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }

# A durable configuration: fsync, synchronous commit and full-page writes stay on, as in
# production. Checkpoints are spaced out so one does not land inside a 20 s run; run.sh
# forces a checkpoint before each run instead, so both runs start from the same state.
cat >>"$tmp/data/postgresql.conf" <<EOF

# qianbao pg_baseline settings
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
unix_socket_permissions = 0700
max_connections = 30
shared_buffers = 1GB
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_size = 8GB
checkpoint_timeout = 15min
log_min_messages = warning
EOF

# Pick a free loopback port (never 5432, where a system cluster may run). Another process
# can take the port between the probe and the bind, so retry a few times.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
    candidate=$((20000 + RANDOM % 40000))
    if [[ "$candidate" -eq 5432 ]] || ! port_is_free "$candidate"; then
        continue
    fi
    log "starting the server on 127.0.0.1:$candidate (attempt $attempt)"
    if timeout 120 "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" \
            -o "-p $candidate" -w -t 60 start >/dev/null 2>&1; then
        port="$candidate"
        break
    fi
done
[[ -n "$port" ]] || die "could not start PostgreSQL"

psql_cmd() {
    timeout --foreground "$sql_timeout_s" "${as_pg[@]}" "$pg_bin/psql" -X -q \
        -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U postgres "$@"
}
# q SQL: run one statement in the bench database and print the bare result.
q() { psql_cmd -d bench -At -c "$1"; }

psql_cmd -d postgres -c "CREATE DATABASE bench" >/dev/null

log "loading schema and data: $customers customers, $merchants merchants"
load_started_s=$SECONDS
psql_cmd -d bench -v customers="$customers" -v merchants="$merchants" -f - \
    <"$here/schema.sql" >/dev/null
log "loaded in $((SECONDS - load_started_s)) s"

[[ "$(q "SELECT ledger_mismatches()")" == 0 ]] || die "ledger inconsistent after load"

# run_bench SCRIPT TRANSFERS_PER_PAYMENT: runs pgbench, checks the ledger, and sets
# bench_tps to pgbench's "tps = ... (without initial connection time)".
bench_tps=""
run_bench() {
    local script="$1" transfers_per_payment="$2"
    local sum_before sum_after transfers_before transfers_after processed failed expected

    sum_before="$(q "SELECT sum(balance) FROM accounts")"
    transfers_before="$(q "SELECT count(*) FROM transfers")"
    q "CHECKPOINT" >/dev/null

    log "pgbench $script: $clients clients, $threads threads, $bench_seconds s"
    # pgbench runs in the background so that Ctrl-C or SIGTERM reaches the traps at once
    # rather than after the run; cleanup then stops it through bench_pid.
    local rc=0
    timeout -k 10 "$((bench_seconds + pgbench_grace_s))" \
        "${as_pg[@]}" "$pg_bin/pgbench" -n -M prepared -c "$clients" -j "$threads" \
        -T "$bench_seconds" -D customers="$customers" -D merchants="$merchants" \
        -h "$tmp" -p "$port" -U postgres -f "$tmp/$script" bench \
        >"$tmp/pgbench.out" 2>&1 &
    bench_pid=$!
    wait "$bench_pid" || rc=$?
    bench_pid=""
    cat "$tmp/pgbench.out" >&2
    (( rc == 0 )) || die "pgbench $script exited with $rc (a failed payment aborts its client)"

    bench_tps="$(sed -n 's/^tps = \([0-9][0-9.]*\) (without initial connection time)$/\1/p' \
        "$tmp/pgbench.out")"
    processed="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' \
        "$tmp/pgbench.out")"
    failed="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$tmp/pgbench.out")"
    [[ -n "$bench_tps" && -n "$processed" ]] || die "could not parse pgbench output"
    [[ "${failed:-0}" == 0 ]] || die "$failed payments failed in $script"

    # Every counted payment must have written its transfers: nothing counted that failed.
    transfers_after="$(q "SELECT count(*) FROM transfers")"
    expected=$((transfers_before + processed * transfers_per_payment))
    [[ "$transfers_after" == "$expected" ]] \
        || die "$script: $transfers_after transfers, expected $expected"

    sum_after="$(q "SELECT sum(balance) FROM accounts")"
    [[ "$sum_after" == "$sum_before" ]] \
        || die "$script: money not conserved: sum $sum_before before, $sum_after after"
    [[ "$(q "SELECT ledger_mismatches()")" == 0 ]] \
        || die "$script: some balance does not match its transfers"
    log "$script: $processed payments, money conserved, ledger matches transfers"
}

# Every payment is at least 100 fen, so the hot script always writes the cashback too.
run_bench pay_hot.sql 2
hot_tps="$bench_tps"
run_bench pay_nohot.sql 1
no_hot_tps="$bench_tps"

printf 'pg_baseline hot_row_tps=%s\n' "$hot_tps"
printf 'pg_baseline no_hot_row_tps=%s\n' "$no_hot_tps"
printf 'pg_baseline conserved=yes\n'
