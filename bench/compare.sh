#!/usr/bin/env bash
# bench/compare.sh BEFORE_REF: what a change costs per whole request. Builds BEFORE_REF and this tree,
# serves each on its own copy of the benchmark data (bench/run.sh's market_bench, generated when
# missing), logs a KG customer and a manager of KG and US in on each, then runs wrk (16 connections) on
# each endpoint against the two servers in turn, BENCH_ROUNDS times, alternating, so that drift of the
# shared machine hits both alike. Options (environment): BENCH_DURATION (s, default 10), BENCH_ROUNDS (3),
# BENCH_WARMUP (s per endpoint, 10), BENCH_ENDPOINTS (names below, default all).
# Results: printed, and target/compare.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 1 ]] || { echo "usage: $0 BEFORE_REF   (e.g. the commit a branch started from)" >&2; exit 2; }
source scripts/jdk.sh
source scripts/postgres.sh
source bench/lib.sh

DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
OUT=target/compare.md
# -Dmaven.test.skip: an older tree's -DskipTests may still compile the tests
./mvnw -B -ntp -q -Dmaven.test.skip=true package
rm -rf target/before && mkdir -p target/before
git archive "$1" | tar -x -C target/before
(cd target/before && ./mvnw -B -ntp -q -Dmaven.test.skip=true package)
# the data is made by the older build, and each build migrates its own copy (an upgrade, as in production)
bench_data target/before/target/market-backend.jar

declare -A JAR=([before]=target/before/target/market-backend.jar [after]=target/market-backend.jar)
declare -A PORT=([before]=18091 [after]=18092)
declare -A URL=([products]="/api/products" [product]="/api/products/PRODUCT" [categories]="/api/categories"
    [me]="/api/me" [orders]="/api/orders" [manager_orders]="/api/manager/orders"
    [manager_products]="/api/manager/products")
declare -A WHO=([products]=guest [product]=guest [categories]=guest [me]=customer [orders]=customer
    [manager_orders]=manager [manager_products]=manager)
read -r -a ENDPOINTS <<<"${BENCH_ENDPOINTS:-products product categories me orders manager_orders manager_products}"
declare -A TOKEN=()
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    sleep 1
    for v in before after; do
        psql -X -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS market_compare_$v WITH (FORCE)" || true
    done
}
trap cleanup EXIT

CUSTOMER_PHONE=$(bench_customer $BENCH_DB)
PRODUCT_ID=$(psql_in $BENCH_DB -c "SELECT id FROM products WHERE market = 'KG' AND is_active ORDER BY id DESC LIMIT 1")
for v in before after; do
    db=market_compare_$v
    psql -X -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
        -c "CREATE DATABASE $db TEMPLATE $BENCH_DB"
    export DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" SERVER_PORT=${PORT[$v]}
    java -jar "${JAR[$v]}" bootstrap >/dev/null
    java -jar "${JAR[$v]}" grant-manager "$MANAGER_PHONE" --markets KG,US >/dev/null
    java -jar "${JAR[$v]}" > "target/compare-$v.log" 2>&1 &
    PIDS+=($!)
    until curl -fs "127.0.0.1:${PORT[$v]}/observe/health" >/dev/null 2>&1; do
        sleep 0.2
        kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "target/compare-$v.log"; exit 1; }
    done
    TOKEN[$v.guest]=""
    TOKEN[$v.customer]=$(login "${PORT[$v]}" "$db" "$CUSTOMER_PHONE")
    TOKEN[$v.manager]=$(login "${PORT[$v]}" "$db" "$MANAGER_PHONE")
    [[ -n "${TOKEN[$v.customer]}" && -n "${TOKEN[$v.manager]}" ]] || { echo "login failed on $v" >&2; exit 1; }
done

run() { # version endpoint seconds -> wrk's output
    BENCH_MARKET=KG BENCH_TOKEN=${TOKEN[$1.${WHO[$2]}]} wrk -t2 -c16 -d"$3s" --latency -s bench/headers.lua \
        "http://127.0.0.1:${PORT[$1]}${URL[$2]/PRODUCT/$PRODUCT_ID}"
}
for v in before after; do
    for e in "${ENDPOINTS[@]}"; do run $v "$e" "${BENCH_WARMUP:-10}" >/dev/null; done
done

declare -A RPS=()
{
echo "# Whole requests: $1 (before) vs $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes') (after)"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; copies of $BENCH_DB;" \
     "wrk -t2 -c16 -d${DURATION}s per endpoint, $ROUNDS rounds, before and after alternating."
echo
echo "| round | version | endpoint | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|"
} | tee "$OUT"
for r in $(seq 1 "$ROUNDS"); do
    for v in before after; do
        for e in "${ENDPOINTS[@]}"; do
            w=$(run $v "$e" "$DURATION")
            rps=$(awk '/Requests\/sec/ {print $2}' <<<"$w")
            RPS[$v.$e]="${RPS[$v.$e]:-} $rps"
            echo "| $r | $v | $e | $rps | $(awk '$1 == "50%" {print $2}' <<<"$w") | $(awk '$1 == "99%" {print $2}' <<<"$w")" \
                 "| $(awk '/non2xx/ {print $2}' <<<"$w") |" | tee -a "$OUT"
        done
    done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
{
echo
echo "| endpoint | before req/s (median) | after req/s (median) | after/before |"
echo "|---|---|---|---|"
for e in "${ENDPOINTS[@]}"; do
    b=$(median <<<"${RPS[before.$e]}")
    a=$(median <<<"${RPS[after.$e]}")
    echo "| \`GET ${URL[$e]/PRODUCT/\{id\}}\` | $b | $a | $(awk -v x="$a" -v y="$b" 'BEGIN { printf "%.2f", x / y }') |"
done
} | tee -a "$OUT"
