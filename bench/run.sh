#!/usr/bin/env bash
# bench/run.sh: the project's benchmark, one command, one run on the same data.
#   1. each hot query through the policies vs the same query with an explicit WHERE (median ratio)
#   2. HTTP throughput and p50/p99 latency (wrk) at 16 and 64 connections, next to pgbench running
#      the same transaction (context statement + query) against the same database
#   3. start-up time and resident memory of the server
# Options (environment): BENCH_DURATION (s, default 10), BENCH_FRESH=1 (regenerate data),
# BENCH_PRODUCTS / BENCH_USERS / BENCH_ORDERS (default 200000 / 50000 / 400000), BENCH_PORT (18080).
# Results: printed, and written to bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-contrib >/dev/null; }

DURATION=${BENCH_DURATION:-10}
PORT=${BENCH_PORT:-18080}
DB=market_bench
export DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB"
export DB_ADMIN_URL="${DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
export APP_ENV=dev SERVER_PORT=$PORT SMS_MODE=outbox REVENUE_SNAPSHOT_INTERVAL_MINUTES=0
PSQL=(psql -X -q -At -h 127.0.0.1 -U postgres -d "$DB")
OUT=bench/results/latest.md
mkdir -p bench/results
JAR=target/market-backend.jar

log() { echo "== $*" >&2; }

./mvnw -B -ntp -q -DskipTests package
if [[ "${BENCH_FRESH:-0}" == 1 ]]; then
    psql -X -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
fi
java -jar $JAR bootstrap >/dev/null
java -jar $JAR migrate >/dev/null
if [[ "$("${PSQL[@]}" -c "SELECT count(*) FROM orders")" -lt 1000 ]]; then
    log "generating data"
    java -jar $JAR generate-data --products "${BENCH_PRODUCTS:-200000}" --users "${BENCH_USERS:-50000}" \
        --orders "${BENCH_ORDERS:-400000}"
fi
"${PSQL[@]}" -c "VACUUM ANALYZE" >/dev/null

{
echo "# Benchmark results"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
     "$(java -version 2>&1 | head -1); $(psql -X -At -h 127.0.0.1 -U postgres -c 'SHOW server_version')."
echo "Data: $("${PSQL[@]}" -c "SELECT count(*) FROM products") products," \
     "$("${PSQL[@]}" -c "SELECT count(*) FROM users") users," \
     "$("${PSQL[@]}" -c "SELECT count(*) FROM orders") orders," \
     "$("${PSQL[@]}" -c "SELECT count(*) FROM order_items") order items. HTTP runs: ${DURATION}s each."
echo
echo "## 1. Queries through the policies vs an explicit WHERE (ms)"
echo
echo '```'
java -jar $JAR bench-queries --iterations 500 --market KG
java -jar $JAR bench-queries --iterations 500 --market US
echo '```'
} | tee "$OUT"

# ---------------------------------------------------------------- identities for the HTTP runs
CUSTOMER_ID=$("${PSQL[@]}" -c "SELECT user_id FROM orders WHERE market = 'KG' GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1")
CUSTOMER_PHONE=$("${PSQL[@]}" -c "SELECT phone FROM users WHERE id = $CUSTOMER_ID")
MANAGER_PHONE=+996559999999
java -jar $JAR grant-manager "$MANAGER_PHONE" --markets KG,US >/dev/null
MANAGER_ID=$("${PSQL[@]}" -c "SELECT id FROM users WHERE phone = '$MANAGER_PHONE'")
"${PSQL[@]}" -c "DELETE FROM verification_codes WHERE phone IN ('$CUSTOMER_PHONE', '$MANAGER_PHONE')" >/dev/null

# ---------------------------------------------------------------- start-up time and memory
log "starting the server"
start_ns=$(date +%s%N)
java -jar $JAR > bench/results/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -fs "localhost:$PORT/observe/health" >/dev/null 2>&1; do
    sleep 0.02
    kill -0 $SERVER 2>/dev/null || { cat bench/results/server.log; exit 1; }
done
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
rss_start_kb=$(ps -o rss= -p $SERVER | tr -d ' ')

login() { # phone -> access token, through the real SMS-code flow (the code is read from sms_outbox)
    local phone=$1 code
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\"}" "localhost:$PORT/api/auth/code" >/dev/null
    code=$("${PSQL[@]}" -c "SELECT substring(body from '[0-9]{6}') FROM sms_outbox WHERE phone = '$phone' ORDER BY id DESC LIMIT 1")
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" \
        "localhost:$PORT/api/auth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
CUSTOMER_TOKEN=$(login "$CUSTOMER_PHONE")
MANAGER_TOKEN=$(login "$MANAGER_PHONE")
[[ -n "$CUSTOMER_TOKEN" && -n "$MANAGER_TOKEN" ]] || { echo "login failed" >&2; exit 1; }
PRODUCT_ID=$("${PSQL[@]}" -c "SELECT id FROM products WHERE market = 'KG' AND is_active ORDER BY id DESC LIMIT 1")
YESTERDAY=$(TZ=Asia/Bishkek date -d yesterday +%F)

# ---------------------------------------------------------------- the same transactions for pgbench
PGB=$(mktemp -d)
ctx() { # role market user -> the server's context statement
    echo "SELECT set_config('role', '$1', true), set_config('app.market', '$2', true), set_config('app.user_id', '$3', true), set_config('app.request_id', 'bench', true), set_config('app.phone', '', true), set_config('statement_timeout', '5000', true);"
}
PRODUCT_COLS="p.id, p.market, p.category_id, p.name, p.description, p.stock, p.in_stock, pp.price, pp.currency FROM products p JOIN product_prices pp ON pp.product_id = p.id"
cat > "$PGB/products.sql" <<SQL
BEGIN;
$(ctx market_guest KG '')
SELECT $PRODUCT_COLS ORDER BY p.id LIMIT 20 OFFSET 0;
COMMIT;
SQL
cat > "$PGB/product.sql" <<SQL
BEGIN;
$(ctx market_guest KG '')
SELECT $PRODUCT_COLS WHERE p.id = $PRODUCT_ID;
COMMIT;
SQL
cat > "$PGB/orders.sql" <<SQL
BEGIN;
$(ctx market_customer KG "$CUSTOMER_ID")
SELECT o.id, o.market, o.order_number, o.status, o.total_amount, o.currency, o.order_date, (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count FROM orders o ORDER BY o.order_date DESC, o.id DESC LIMIT 20 OFFSET 0;
SELECT count(*) FROM orders;
COMMIT;
SQL
# a manager request is two transactions: the filter's lookup of the manager's markets, then the work
LOOKUP="BEGIN;
$(ctx market_manager '' "$MANAGER_ID")
SELECT role, active_market, array_to_string(markets, ',') AS markets FROM app.manager_access();
COMMIT;"
cat > "$PGB/manager_orders.sql" <<SQL
$LOOKUP
BEGIN;
$(ctx market_manager KG "$MANAGER_ID")
SELECT o.id, o.market, o.order_number, o.user_id, u.phone, o.status, o.total_amount, o.currency, o.order_date, o.updated_at FROM orders o LEFT JOIN users u ON u.id = o.user_id ORDER BY o.order_date DESC, o.id DESC LIMIT 20 OFFSET 0;
COMMIT;
SQL
cat > "$PGB/revenue.sql" <<SQL
$LOOKUP
BEGIN;
$(ctx market_manager KG "$MANAGER_ID")
SELECT count(*) AS orders, coalesce(sum(total_amount), 0) AS revenue FROM orders WHERE status <> 'cancelled' AND order_date >= TIMESTAMPTZ '$YESTERDAY 00:00 Asia/Bishkek' AND order_date < TIMESTAMPTZ '$YESTERDAY 00:00 Asia/Bishkek' + interval '1 day';
COMMIT;
SQL

# ---------------------------------------------------------------- runs
declare -A URLS=(
    [products]="/api/products"
    [product]="/api/products/$PRODUCT_ID"
    [orders]="/api/orders"
    [manager_orders]="/api/manager/orders"
    [revenue]="/api/manager/revenue?date=$YESTERDAY"
)
declare -A TOKENS=([products]="" [product]="" [orders]="$CUSTOMER_TOKEN" [manager_orders]="$MANAGER_TOKEN" [revenue]="$MANAGER_TOKEN")
ORDER=(products product orders manager_orders revenue)

# warm up the server's JIT and pool on every endpoint
for name in "${ORDER[@]}"; do
    BENCH_MARKET=KG BENCH_TOKEN=${TOKENS[$name]} wrk -t2 -c16 -d3s -s bench/headers.lua "http://127.0.0.1:$PORT${URLS[$name]}" >/dev/null
done

{
echo
echo "## 2. HTTP (wrk) vs pgbench running the same transaction"
echo
echo "| endpoint | conns | API req/s | p50 ms | p99 ms | non-2xx | pgbench tps | API/pgbench |"
echo "|---|---|---|---|---|---|---|---|"
} | tee -a "$OUT"
for name in "${ORDER[@]}"; do
    for c in 16 64; do
        w=$(BENCH_MARKET=KG BENCH_TOKEN=${TOKENS[$name]} wrk -t2 -c$c -d${DURATION}s --latency -s bench/headers.lua \
            "http://127.0.0.1:$PORT${URLS[$name]}")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$w")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$w")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$w")
        non2xx=$(awk '/non2xx/ {print $2}' <<<"$w")
        tps=$(PGPASSWORD=market_app pgbench -n -h 127.0.0.1 -U market_app -c $c -j 2 -T "$DURATION" \
            -f "$PGB/$name.sql" "$DB" 2>/dev/null | awk '/^tps/ {print $3; exit}')
        ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
        echo "| \`GET ${URLS[$name]}\` | $c | $rps | $p50 | $p99 | $non2xx | $tps | $ratio |" | tee -a "$OUT"
    done
done
rss_end_kb=$(ps -o rss= -p $SERVER | tr -d ' ')

{
echo
echo "## 3. Start-up and memory"
echo
echo "| measure | value |"
echo "|---|---|"
echo "| start-up: process start to /observe/health answering (migrations checked, pool ready) | ${startup_ms} ms |"
echo "| server's own figure (after migrations: routing, pool, listener) | $(sed -n 's/.*(started in \([0-9]*\) ms).*/\1 ms/p' bench/results/server.log) |"
echo "| resident memory after start-up | $((rss_start_kb / 1024)) MiB |"
echo "| resident memory after the HTTP runs | $((rss_end_kb / 1024)) MiB |"
} | tee -a "$OUT"
