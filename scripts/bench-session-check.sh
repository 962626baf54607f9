#!/usr/bin/env bash
# scripts/bench-session-check.sh BEFORE_REF: what the per-request session check costs.
# Builds BEFORE_REF (a commit without sessions) and this tree, serves each on its own database on
# 127.0.0.1, logs one KG customer in through the SMS-code flow on each, then runs wrk on GET /api/me
# (16 connections) against the two servers in turn, ROUNDS times. Options (environment):
# BENCH_DURATION (s, default 10), BENCH_ROUNDS (3). Results: printed, and target/session-check.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 1 ]] || { echo "usage: $0 BEFORE_REF   (e.g. the commit this branch started from)" >&2; exit 2; }
source scripts/jdk.sh
source scripts/postgres.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
PHONE=+996700000777
OUT=target/session-check.md
export DB_ADMIN_URL="${DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
export APP_ENV=dev SMS_MODE=outbox SERVER_HOST=127.0.0.1 REVENUE_SNAPSHOT_INTERVAL_MINUTES=0

./mvnw -B -ntp -q -DskipTests package
rm -rf target/before && mkdir -p target/before
git archive "$1" | tar -x -C target/before
(cd target/before && ./mvnw -B -ntp -q -DskipTests package)

declare -A JAR=([before]=target/before/target/market-backend.jar [after]=target/market-backend.jar)
declare -A PORT=([before]=18093 [after]=18094)
declare -A TOKEN=()
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    sleep 1
    for v in before after; do
        psql -X -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS market_session_check_$v WITH (FORCE)" || true
    done
}
trap cleanup EXIT

for v in before after; do
    db=market_session_check_$v
    psql -X -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    export DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" SERVER_PORT=${PORT[$v]}
    java -jar "${JAR[$v]}" bootstrap >/dev/null
    java -jar "${JAR[$v]}" > "target/session-check-$v.log" 2>&1 &
    PIDS+=($!)
    until curl -fs "127.0.0.1:${PORT[$v]}/observe/health" >/dev/null 2>&1; do sleep 0.1; done
    base="127.0.0.1:${PORT[$v]}"
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$PHONE\"}" "$base/api/auth/code" >/dev/null
    code=$(psql -X -At -h 127.0.0.1 -U postgres -d "$db" \
        -c "SELECT substring(body from '[0-9]{6}') FROM sms_outbox ORDER BY id DESC LIMIT 1")
    TOKEN[$v]=$(curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$PHONE\",\"code\":\"$code\"}" \
        "$base/api/auth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    [[ -n "${TOKEN[$v]}" ]] || { echo "login failed on $v" >&2; exit 1; }
    BENCH_TOKEN=${TOKEN[$v]} wrk -t2 -c16 -d3s -s bench/headers.lua "http://$base/api/me" >/dev/null   # warm-up
done

{
echo "# GET /api/me, without and with the per-request session check"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; before = $1, after = $(git rev-parse --short HEAD);" \
     "wrk -t2 -c16 -d${DURATION}s, $ROUNDS rounds, alternating."
echo
echo "| round | version | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
} | tee "$OUT"
for r in $(seq 1 "$ROUNDS"); do
    for v in before after; do
        w=$(BENCH_TOKEN=${TOKEN[$v]} wrk -t2 -c16 -d"${DURATION}s" --latency -s bench/headers.lua \
            "http://127.0.0.1:${PORT[$v]}/api/me")
        echo "| $r | $v | $(awk '/Requests\/sec/ {print $2}' <<<"$w") | $(awk '$1 == "50%" {print $2}' <<<"$w")" \
             "| $(awk '$1 == "99%" {print $2}' <<<"$w") | $(awk '/non2xx/ {print $2}' <<<"$w") |" | tee -a "$OUT"
    done
done
