#!/usr/bin/env bash
# bench/run.sh: the project's benchmark, one command, one run on the same data.
#   1. each hot query through the policies vs the same query with an explicit WHERE (median ratio)
#   2. whole requests: HTTP throughput and p50/p99 latency (wrk) at 16 and 64 connections, next to
#      pgbench sending (a) exactly what the server sends per request, (b) the same data as one
#      explicit-WHERE statement, (c) (a)'s round trips with (b)'s query
#      and the CPU each request costs the server process and PostgreSQL (from /proc, over the wrk run)
#   3. start-up time (with and without JDK 25's AOT cache: bench/startup.sh) and resident memory of the server
#   4. the catalog page and product by id from PostGraphile 4 (bench/peer.sh) and from the server, interleaved
# Options (environment): BENCH_DURATION (s, default 10), BENCH_WARMUP (s per endpoint, 20), BENCH_FRESH=1
# (regenerate data), BENCH_JAVA_OPTS (extra JVM options of the server), BENCH_STARTS (5, starts per start-up median),
# BENCH_PRODUCTS / BENCH_USERS / BENCH_ORDERS (default 200000 / 50000 / 400000), BENCH_PORT (18080),
# BENCH_PEER=0 (skip 4; default on when node is installed), BENCH_PEER_ROUNDS (3), BENCH_PEER_PORT (18090).
# Results: printed, and written to bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh
source bench/lib.sh

DURATION=${BENCH_DURATION:-10}
PORT=${BENCH_PORT:-18080}
DB=$BENCH_DB
export DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" SERVER_PORT=$PORT
PSQL=(psql_in "$DB")
OUT=bench/results/latest.md
mkdir -p bench/results
JAR=target/market-backend.jar

./mvnw -B -ntp -q -DskipTests package
bench_data $JAR

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
CUSTOMER_PHONE=$(bench_customer "$DB")
CUSTOMER_ID=$("${PSQL[@]}" -c "SELECT id FROM users WHERE phone = '$CUSTOMER_PHONE'")
java -jar $JAR grant-manager "$MANAGER_PHONE" --markets KG,US >/dev/null
MANAGER_ID=$("${PSQL[@]}" -c "SELECT id FROM users WHERE phone = '$MANAGER_PHONE'")

# ---------------------------------------------------------------- start-up time and memory
log "start-up, without and with the AOT cache"
source bench/startup.sh
log "starting the server"
start_server "${AOT_OPTS[@]}"
trap 'kill $SERVER 2>/dev/null || true' EXIT
rss_start_kb=$(ps -o rss= -p $SERVER | tr -d ' ')

CUSTOMER_TOKEN=$(login $PORT "$DB" "$CUSTOMER_PHONE")
MANAGER_TOKEN=$(login $PORT "$DB" "$MANAGER_PHONE")
[[ -n "$CUSTOMER_TOKEN" && -n "$MANAGER_TOKEN" ]] || { echo "login failed" >&2; exit 1; }
PRODUCT_ID=$("${PSQL[@]}" -c "SELECT id FROM products WHERE market = 'KG' AND is_active ORDER BY id DESC LIMIT 1")
YESTERDAY=$(TZ=Asia/Bishkek date -d yesterday +%F)

# ---------------------------------------------------------------- whole requests for pgbench
# (a) what the server sends per request, message for message: `call app.enter(...)` with the query
#     behind it before one Sync (one round trip); a manager's read that names its market is one
#     read-only transaction under one context: BEGIN, the context and the manager's lookup; the work;
#     COMMIT.
# (b) the same data with an explicit WHERE as one statement, as the owner (the app-level filter).
# (c) (a)'s shape with (b)'s query: `SELECT 1` for the context, explicit WHERE, as the owner. (a)/(c) is
#     what the role switch, the verification and the policies cost at equal round trips.
PGB=$(mktemp -d)
ctx() { # role market user|"" [--read-only] -> the signed context, from the `context` command, valid for the run (1 h)
    java -jar $JAR context --role "$1" --market "$2" ${3:+--user "$3"} ${4:-} --ttl 3600 \
        | sed -n "s/^CALL app.enter('\(.*\)');$/\1/p"
}
# signed for market_dba, which has market_app's rights (enter a context, nothing more): pgbench logs in as it
GUEST_CTX=$(ctx guest KG "" --read-only)
CUSTOMER_CTX=$(ctx customer KG "$CUSTOMER_ID" --read-only)
MANAGER_READ_CTX=$(ctx manager KG "$MANAGER_ID" --read-only)
PRODUCT_COLS="p.id, p.market, p.category_id, p.name, p.description, p.stock, p.in_stock, pp.price, pp.currency FROM products p JOIN product_prices pp ON pp.product_id = p.id"
VISIBLE="p.market IN ('KG', 'ALL') AND p.is_active AND pp.market = 'KG'"
HISTORY="o.id, o.market, o.order_number, o.status, o.total_amount, o.currency, o.order_date, (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id%s) AS item_count FROM orders o"
MANAGER_LIST="o.id, o.market, o.order_number, o.user_id, u.phone, o.status, o.total_amount, o.currency, o.order_date, o.updated_at FROM orders o LEFT JOIN users u ON u.id = o.user_id"
REVENUE="count(*) AS orders, coalesce(sum(total_amount), 0) AS revenue FROM orders WHERE status <> 'cancelled' AND order_date >= TIMESTAMPTZ '$YESTERDAY 00:00 Asia/Bishkek' AND order_date < TIMESTAMPTZ '$YESTERDAY 00:00 Asia/Bishkek' + interval '1 day'"
declare -A RLS_QUERY=(
    [products]="SELECT $PRODUCT_COLS ORDER BY p.id LIMIT 20 OFFSET 0"
    [product]="SELECT $PRODUCT_COLS WHERE p.id = $PRODUCT_ID"
    [orders]="SELECT $(printf "$HISTORY" "") ORDER BY o.order_date DESC, o.id DESC LIMIT 20 OFFSET 0"
    [manager_orders]="SELECT $MANAGER_LIST ORDER BY o.order_date DESC, o.id DESC LIMIT 20 OFFSET 0"
    [revenue]="SELECT $REVENUE"
)
declare -A WHERE_QUERY=(
    [products]="SELECT $PRODUCT_COLS WHERE $VISIBLE ORDER BY p.id LIMIT 20 OFFSET 0"
    [product]="SELECT $PRODUCT_COLS WHERE p.id = $PRODUCT_ID AND $VISIBLE"
    [orders]="SELECT $(printf "$HISTORY" " AND i.market = 'KG'") WHERE o.market = 'KG' AND o.user_id = $CUSTOMER_ID ORDER BY o.order_date DESC, o.id DESC LIMIT 20 OFFSET 0"
    [manager_orders]="SELECT $MANAGER_LIST WHERE o.market = 'KG' ORDER BY o.order_date DESC, o.id DESC LIMIT 20 OFFSET 0"
    [revenue]="SELECT $REVENUE AND market = 'KG'"
)
declare -A CONTEXT=([products]="$GUEST_CTX" [product]="$GUEST_CTX" [orders]="$CUSTOMER_CTX")
# All three are sent named (pgbench -M prepared), as pgjdbc sends a statement from its fifth use. pgbench
# prepares a pipeline's statements before the first runs, and the query names tables only the entered role
# sees: so each client's first round enters a context in a transaction of its own first (client variable
# `entered`, 0 from -D), where the preparing can see them; the later rounds are the one round trip.
for name in products product orders; do
    printf '\\if :entered = 0\nBEGIN;\nCALL app.enter(%s, %s, NULL);\n\\endif\n\\startpipeline\nCALL app.enter(%s, %s, NULL);\n%s;\n\\endpipeline\n\\if :entered = 0\nCOMMIT;\n\\set entered 1\n\\endif\n' \
        "'${CONTEXT[$name]}'" "'5000'" "'${CONTEXT[$name]}'" "'5000'" "${RLS_QUERY[$name]}" > "$PGB/$name.a.sql"
    printf '\\startpipeline\nSELECT 1;\n%s;\n\\endpipeline\n' "${WHERE_QUERY[$name]}" > "$PGB/$name.c.sql"
done
for name in manager_orders revenue; do
    printf '\\startpipeline\nBEGIN;\nCALL app.enter(%s, %s, NULL);\nSELECT role, active_market, array_to_string(markets, %s) AS markets, home_market, phone FROM app.manager_access();\n\\endpipeline\n%s;\nCOMMIT;\n' \
        "'$MANAGER_READ_CTX'" "'5000'" "','" "${RLS_QUERY[$name]}" > "$PGB/$name.a.sql"
    printf '\\startpipeline\nBEGIN;\nSELECT 1;\nSELECT 1;\n\\endpipeline\n%s;\nCOMMIT;\n' \
        "${WHERE_QUERY[$name]}" > "$PGB/$name.c.sql"
done
for name in products product orders manager_orders revenue; do
    printf '%s;\n' "${WHERE_QUERY[$name]}" > "$PGB/$name.b.sql"
done
pgb() { # clients script user -> tps (named statements, as the server's pgjdbc sends them once warm)
    PGPASSWORD=$3 pgbench -n -M prepared -D entered=0 -h 127.0.0.1 -U "$3" -c "$1" -j 2 -T "$DURATION" -f "$2" "$DB" 2>/dev/null \
        | awk '/^tps/ {print $3; exit}'
}

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

# warm up: the server's JIT and pool, and pgbench's three scripts, on every endpoint
for name in "${ORDER[@]}"; do
    BENCH_MARKET=KG BENCH_TOKEN=${TOKENS[$name]} wrk -t2 -c16 -d${BENCH_WARMUP:-20}s -s bench/headers.lua "http://127.0.0.1:$PORT${URLS[$name]}" >/dev/null
    for form in a b c; do
        [[ $form == a ]] && user=market_dba || user=market_owner
        DURATION=2 pgb 4 "$PGB/$name.$form.sql" $user >/dev/null
    done
done

{
echo
echo "## 2. Whole requests: the API (wrk) vs pgbench sending (a) what the server sends, (b) one explicit-WHERE statement"
echo
echo "(c) is (a)'s round trips with (b)'s query, so (a)/(c) isolates the role, the context verification and the"
echo "policies. Cost ratios are tps of the cheaper over tps of the dearer: (a)/(b) = tps(b) / tps(a)."
echo
echo "Server and PostgreSQL CPU: milliseconds of CPU per API request during its wrk run, from /proc (the server"
echo "process, and the PostgreSQL processes of its pool); the load average before each run beside it."
echo
echo "| endpoint | conns | API req/s | p50 ms | p99 ms | non-2xx | server CPU ms/req | PostgreSQL CPU ms/req | load | (a) tps | (b) tps | (c) tps | (a)/(b) | (a)/(c) | API/(a) | API/(b) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} | tee -a "$OUT"
for name in "${ORDER[@]}"; do
    for c in 16 64; do
        read -r rps p50 p99 non2xx server_ms db_ms load <<<"$(BENCH_MARKET=KG BENCH_TOKEN=${TOKENS[$name]} \
            wrk_measure "$DURATION" $c bench/headers.lua "http://127.0.0.1:$PORT${URLS[$name]}" $SERVER market_app "$DB")"
        a=$(pgb $c "$PGB/$name.a.sql" market_dba)
        b=$(pgb $c "$PGB/$name.b.sql" market_owner)
        cc=$(pgb $c "$PGB/$name.c.sql" market_owner)
        echo "| \`GET ${URLS[$name]}\` | $c | $rps | $p50 | $p99 | $non2xx | $server_ms | $db_ms | $load | $a | $b | $cc | $(ratio "$b" "$a") | $(ratio "$cc" "$a") | $(ratio "$rps" "$a") | $(ratio "$rps" "$b") |" | tee -a "$OUT"
    done
done
rss_end_kb=$(ps -o rss= -p $SERVER | tr -d ' ')

{
echo
echo "## 3. Start-up and memory"
echo
echo "| measure | value |"
echo "|---|---|"
echo "| start-up without the AOT cache: process start to /observe/health answering (migrations checked, pool ready), median of ${BENCH_STARTS:-5} | ${startup_plain_ms} ms |"
echo "| start-up with the AOT cache (\`-XX:AOTCache\`, as bin/market-backend starts it), median of ${BENCH_STARTS:-5} | ${startup_aot_ms} ms |"
echo "| load average before the starts (1, 5, 15 min) | ${startup_load} |"
echo "| server's own figure (after migrations: routing, pool, listener) | $(sed -n 's/.*(started in \([0-9]*\) ms).*/\1 ms/p' bench/results/server.log) |"
echo "| resident memory after start-up | $((rss_start_kb / 1024)) MiB |"
echo "| resident memory after the HTTP runs | $((rss_end_kb / 1024)) MiB |"
} | tee -a "$OUT"

# ---------------------------------------------------------------- 4. the PostGraphile peer (bench/peer.sh)
if [[ "${BENCH_PEER:-$(command -v node >/dev/null && echo 1 || echo 0)}" == 1 ]]; then
    source bench/peer.sh
    peer_section $SERVER $PORT "$PRODUCT_ID" | tee -a "$OUT"
fi
