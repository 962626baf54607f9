#!/usr/bin/env bash
# bench/scaling.sh: req/s of one vs two server instances, directly and through PgBouncer (transaction
# mode), on one PostgreSQL, all on this machine. Every server starts as production does behind a
# pooler: MIGRATE_ON_START=false, as market_app only. Database market_scaling (generated once).
# Options (environment): BENCH_DURATION (s per run, default 10), BENCH_WARMUP (s per endpoint and
# instance set, 15), BENCH_CONNS (wrk connections in total, 32), BENCH_PRODUCTS / BENCH_USERS / BENCH_ORDERS (20000 / 5000 / 40000).
# Results: printed, and written to bench/results/scaling.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[[ -x /usr/sbin/pgbouncer ]] || { apt-get update -qq && apt-get install -y -qq pgbouncer >/dev/null; }

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-15}
CONNS=${BENCH_CONNS:-32}
DB=market_scaling
DIRECT="jdbc:postgresql://127.0.0.1:5432/$DB"
export DB_ADMIN_URL="${DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
export APP_ENV=dev SMS_MODE=outbox REVENUE_SNAPSHOT_INTERVAL_MINUTES=0 SERVER_HOST=127.0.0.1 DB_POOL_SIZE=10
PSQL=(psql -X -q -At -h 127.0.0.1 -U postgres -d "$DB")
OUT=bench/results/scaling.md
JAR=target/market-backend.jar
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
log() { echo "== $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

./mvnw -B -ntp -q -DskipTests package
DB_URL=$DIRECT java -jar $JAR bootstrap >/dev/null
DB_URL=$DIRECT java -jar $JAR migrate >/dev/null
if [[ "$("${PSQL[@]}" -c "SELECT count(*) FROM orders")" -lt 1000 ]]; then
    log "generating data"
    DB_URL=$DIRECT java -jar $JAR generate-data --products "${BENCH_PRODUCTS:-20000}" --users "${BENCH_USERS:-5000}" \
        --orders "${BENCH_ORDERS:-40000}" >/dev/null
fi
"${PSQL[@]}" -c "VACUUM ANALYZE" >/dev/null

# ---------------------------------------------------------------- a private PgBouncer, transaction mode
BOUNCER_PORT=$(free_port)
chmod 755 "$WORK"
printf '"market_app" "market_app"\n' > "$WORK/userlist.txt"
cat > "$WORK/pgbouncer.ini" <<INI
[databases]
$DB = host=127.0.0.1 port=5432 dbname=$DB pool_size=20
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = md5
auth_file = $WORK/userlist.txt
pool_mode = transaction
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = $WORK/pgbouncer.log
INI
AS=(); [[ $(id -u) -eq 0 ]] && { chown -R postgres "$WORK"; AS=(runuser -u postgres --); }
"${AS[@]}" /usr/sbin/pgbouncer "$WORK/pgbouncer.ini" >/dev/null 2>&1 &
PIDS+=($!)
POOLED="jdbc:postgresql://127.0.0.1:$BOUNCER_PORT/$DB?prepareThreshold=0"

start_server() { # name db_url -> appends its port to PORTS (the server runs until stop_servers)
    local port; port=$(free_port)
    DB_URL=$2 DB_MIGRATION_URL=$DIRECT MIGRATE_ON_START=false SERVER_PORT=$port java -jar $JAR > "$WORK/$1.log" 2>&1 &
    PIDS+=($!)
    until curl -fs "127.0.0.1:$port/observe/health" >/dev/null 2>&1; do
        sleep 0.1
        kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/$1.log" >&2; exit 1; }
    done
    PORTS+=("$port")
}
stop_servers() { # the servers started since the pooler (PIDS[0])
    for p in "${PIDS[@]:1}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    PIDS=("${PIDS[0]}")
}

login() { # port phone -> access token, through the real SMS-code flow (the code is read from sms_outbox)
    local port=$1 phone=$2 code
    "${PSQL[@]}" -c "DELETE FROM verification_codes WHERE phone = '$phone'" >/dev/null
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\"}" "127.0.0.1:$port/api/auth/code" >/dev/null
    code=$("${PSQL[@]}" -c "SELECT substring(body from '[0-9]{6}') FROM sms_outbox WHERE phone = '$phone' ORDER BY id DESC LIMIT 1")
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" \
        "127.0.0.1:$port/api/auth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
CUSTOMER_ID=$("${PSQL[@]}" -c "SELECT user_id FROM orders WHERE market = 'KG' GROUP BY user_id HAVING count(*) BETWEEN 5 AND 19 ORDER BY user_id LIMIT 1")
CUSTOMER_PHONE=$("${PSQL[@]}" -c "SELECT phone FROM users WHERE id = $CUSTOMER_ID")
PRODUCT_ID=$("${PSQL[@]}" -c "SELECT id FROM products WHERE market = 'KG' AND is_active ORDER BY id DESC LIMIT 1")
declare -A URLS=([products]="/api/products" [product]="/api/products/$PRODUCT_ID" [orders]="/api/orders")
ORDER=(products product orders)

wrk_rps() { # port path token conns seconds -> "req/s non2xx"
    local w
    w=$(BENCH_MARKET=KG BENCH_TOKEN=$3 wrk -t1 -c"$4" -d"$5"s -s bench/headers.lua "http://127.0.0.1:$1$2")
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$w") $(awk '/non2xx/ {print $2}' <<<"$w")"
}
run() { # label url instances -> one table row per endpoint
    local label=$1 url=$2 n=$3 i name token
    PORTS=()
    for i in $(seq 1 "$n"); do start_server "server-$i" "$url"; done
    local ports=("${PORTS[@]}")
    token=$(login "${ports[0]}" "$CUSTOMER_PHONE")
    [[ -n "$token" ]] || { echo "login failed" >&2; exit 1; }
    for name in "${ORDER[@]}"; do
        local tok=""; [[ $name == orders ]] && tok=$token
        for p in "${ports[@]}"; do wrk_rps "$p" "${URLS[$name]}" "$tok" $((CONNS / n)) "$WARMUP" >/dev/null & done; wait_wrk
        for p in "${ports[@]}"; do wrk_rps "$p" "${URLS[$name]}" "$tok" $((CONNS / n)) "$DURATION" > "$WORK/rps.$p" & done; wait_wrk
        local total=0 errors=0
        for p in "${ports[@]}"; do
            read -r r e < "$WORK/rps.$p"
            total=$(awk -v a="$total" -v b="$r" 'BEGIN { printf "%.0f", a + b }'); errors=$((errors + e))
        done
        echo "| $label | $n | \`GET ${URLS[$name]}\` | $total | $errors |" | tee -a "$OUT"
    done
    stop_servers
}
wait_wrk() { local j; for j in $(jobs -p); do [[ " ${PIDS[*]} " == *" $j "* ]] || wait "$j"; done; }

{
echo "# Scaling benchmark"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores (load average before: $(cut -d' ' -f1-3 /proc/loadavg));" \
     "$(java -version 2>&1 | head -1); PostgreSQL $(psql -X -At -h 127.0.0.1 -U postgres -c 'SHOW server_version');" \
     "$(/usr/sbin/pgbouncer --version | head -1) in transaction mode (20 server connections)."
echo "Data: $("${PSQL[@]}" -c "SELECT count(*) FROM products") products," \
     "$("${PSQL[@]}" -c "SELECT count(*) FROM orders") orders. wrk: $CONNS connections in total (split evenly" \
     "over the instances), ${DURATION} s per run after a ${WARMUP} s warm-up of the same load; each instance has a pool of $DB_POOL_SIZE."
echo
echo "| path to PostgreSQL | instances | endpoint | req/s (sum) | non-2xx |"
echo "|---|---|---|---|---|"
} | tee "$OUT"
run "direct" "$DIRECT" 1
run "direct, prepareThreshold=0" "$DIRECT?prepareThreshold=0" 1
run "direct" "$DIRECT" 2
run "PgBouncer" "$POOLED" 1
run "PgBouncer" "$POOLED" 2
echo >> "$OUT"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)." | tee -a "$OUT"
