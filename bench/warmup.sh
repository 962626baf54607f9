#!/usr/bin/env bash
# bench/warmup.sh: how long a fresh server takes to reach its steady throughput.
# Starts the server on the benchmark database (bench/run.sh prepares it), drives GET /api/products
# with wrk in 1-second slices for BENCH_WARMUP_SECONDS (40), and reports req/s per second and the
# first second within 10% of the mean of the last 10. Twice: plain, and with JDK 25's AOT cache
# (JEP 483/515; trained by one run with -XX:AOTCacheOutput), unless BENCH_AOT=0.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
PORT=${BENCH_PORT:-18080}
SECONDS_TOTAL=${BENCH_WARMUP_SECONDS:-40}
export DB_URL="jdbc:postgresql://127.0.0.1:5432/market_bench" APP_ENV=dev SERVER_PORT=$PORT SMS_MODE=outbox \
       REVENUE_SNAPSHOT_INTERVAL_MINUTES=0 MIGRATE_ON_START=false
JAR=target/market-backend.jar
AOT=target/market-backend.aot
[[ -f $JAR ]] || ./mvnw -B -ntp -q -DskipTests package

run() { # label, java options -> one line per second, then the summary
    local label=$1; shift
    local start_ns server ready_ms
    start_ns=$(date +%s%N)
    java "$@" -jar $JAR > "target/warmup-$label.log" 2>&1 &
    server=$!
    until curl -fs "localhost:$PORT/observe/health" >/dev/null 2>&1; do
        sleep 0.01
        kill -0 $server 2>/dev/null || { cat "target/warmup-$label.log"; exit 1; }
    done
    ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
    local rates=()
    for _ in $(seq 1 "$SECONDS_TOTAL"); do
        rates+=("$(BENCH_MARKET=KG wrk -t2 -c16 -d1s -s bench/headers.lua "http://127.0.0.1:$PORT/api/products" \
            | awk '/Requests\/sec/ {printf "%d", $2}')")
    done
    kill $server; wait $server 2>/dev/null || true
    printf '%s\n' "${rates[@]}" | awk -v label="$label" -v ready="$ready_ms" '
        { r[NR] = $1 }
        END {
            for (i = NR - 9; i <= NR; i++) steady += r[i]; steady /= 10
            for (i = 1; i <= NR; i++) if (r[i] >= 0.9 * steady) { first = i; break }
            line = ""; for (i = 1; i <= NR; i++) line = line r[i] " "
            printf "| %s | %d ms | %.0f | %d s | %s|\n", label, ready, steady, first, line
        }'
}

echo "| server | ready | steady req/s (last 10 s) | seconds to 90% of steady | req/s, second by second |"
echo "|---|---|---|---|---|"
run plain
if [[ "${BENCH_AOT:-1}" == 1 ]]; then
    # training run: the JVM records the classes it loaded and linked, and writes the cache at exit
    rm -f $AOT
    SECONDS_TOTAL=15 run aot-training -XX:AOTCacheOutput=$AOT >/dev/null
    run aot -XX:AOTCache=$AOT
fi
