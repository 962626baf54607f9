#!/usr/bin/env bash
# bench/startup.sh: the server's start-up as bin/market-backend starts it (scripts/jvm.sh), without and with this
# build's AOT cache (trained first if missing): the median of BENCH_STARTS (5) starts each, ms from process start to
# /observe/health answering, and the load average. bench/run.sh sources it (section 3, and its server); alone, on
# DB_URL (a migrated database; default market_bench) and BENCH_PORT (18080): bash bench/startup.sh
alone=false
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    alone=true
    set -euo pipefail
    cd "$(dirname "$0")/.."
    source scripts/jdk.sh
    source bench/lib.sh
    PORT=${BENCH_PORT:-18080} JAR=target/market-backend.jar
    export DB_URL=${DB_URL:-jdbc:postgresql://127.0.0.1:5432/$BENCH_DB} SERVER_PORT=$PORT
    mkdir -p bench/results
    [[ -f $JAR ]] || ./mvnw -B -ntp -q -DskipTests package
fi

# the server (SERVER), started with java options..., once it answers /observe/health
start_server() {
    java "${SERVER_JVM_OPTS[@]}" ${BENCH_JAVA_OPTS:-} "$@" -jar $JAR > bench/results/server.log 2>&1 &
    SERVER=$!
    until curl -fs "localhost:$PORT/observe/health" >/dev/null 2>&1; do
        sleep 0.02
        kill -0 $SERVER 2>/dev/null || { cat bench/results/server.log >&2; exit 1; }
    done
}

startup_ms() { # java options... -> the median of BENCH_STARTS (5) starts: ms from process start to /observe/health
    local start_ns
    for _ in $(seq 1 "${BENCH_STARTS:-5}"); do
        start_ns=$(date +%s%N)
        start_server "$@"
        echo $(( ($(date +%s%N) - start_ns) / 1000000 ))
        kill $SERVER; wait $SERVER 2>/dev/null || true
    done | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

source scripts/jvm.sh
AOT_OPTS=()
if AOT=$(aot_cache $JAR) && mkdir -p "$(dirname "$AOT")" && { [[ -f $AOT ]] || aot_train $JAR "$AOT"; }; then
    AOT_OPTS=("-XX:AOTCache=$AOT")
fi
startup_load=$(cut -d' ' -f1-3 /proc/loadavg)
startup_plain_ms=$(startup_ms)
startup_aot_ms=$( ((${#AOT_OPTS[@]})) && startup_ms "${AOT_OPTS[@]}" \
    || echo "- (no cache: JDK < 25, or its training failed)")
if $alone; then
    echo "start-up, median of ${BENCH_STARTS:-5}: ${startup_plain_ms} ms without the AOT cache," \
         "${startup_aot_ms} ms with it" \
         "(load average before: ${startup_load}; $(java -version 2>&1 | head -1))"
fi
