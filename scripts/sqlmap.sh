#!/usr/bin/env bash
# SQL injection scan with sqlmap against a local, throwaway server: loopback only, its own database
# (bootstrap + demo-data, dropped afterwards), on its own port. Scans the catalog's query and path
# parameters, the X-Market header (guest, customer and manager), and authenticated customer and
# manager endpoints. Prints a summary (also in target/sqlmap/report.txt); exit 1 if sqlmap found an
# injection, 2 if a run did not finish.
#
#   scripts/sqlmap.sh                 # SQLMAP_PORT (18081), SQLMAP_TIMEOUT seconds per run (900)
#
# Never point it anywhere else: the target is always http://127.0.0.1:$SQLMAP_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh

PORT="${SQLMAP_PORT:-18081}"
BASE="http://127.0.0.1:$PORT"
TIMEOUT="${SQLMAP_TIMEOUT:-900}"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
DB="market_sqlmap_$(date +%s)"
OUT="target/sqlmap"
SQLMAP_OPTS=(--batch --level 3 --risk 2 --time-sec 2 --threads 1 --flush-session --disable-coloring
             --output-dir "$OUT/session" -v 1)

if ! command -v sqlmap >/dev/null; then
    echo "sqlmap: installing Debian's package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlmap >/dev/null
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "port $PORT is in use; set SQLMAP_PORT" >&2
    exit 2
fi
if [[ ! -f target/market-backend.jar || "${REBUILD:-1}" == 1 ]]; then
    ./mvnw -B -ntp -q -DskipTests package
fi
rm -rf "$OUT" && mkdir -p "$OUT"

export APP_ENV=dev SERVER_HOST=127.0.0.1 SERVER_PORT="$PORT"
export DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
export DB_ADMIN_URL="jdbc:postgresql://$PGHOST:$PGPORT/postgres?user=postgres"
psql_db() { psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -Atc "$1"; }

SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" || true
}
trap cleanup EXIT

java -jar target/market-backend.jar bootstrap >"$OUT/setup.log"
java -jar target/market-backend.jar demo-data >>"$OUT/setup.log"
MANAGER_PHONE="+996700900002" CUSTOMER_PHONE="+996700900001"
java -jar target/market-backend.jar grant-manager "$MANAGER_PHONE" --markets KG,US --role admin >>"$OUT/setup.log"
java -jar target/market-backend.jar >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -sf "$BASE/api/markets" >/dev/null && break
    sleep 1
done
curl -sf "$BASE/api/markets" >/dev/null || { echo "the server did not start; see $OUT/server.log" >&2; exit 2; }

# a real login: code by "SMS" (the outbox table), then a token
login() {
    local phone=$1 code
    curl -sf -X POST "$BASE/api/auth/code" -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\"}" >/dev/null
    code=$(psql_db "select substring(body from '[0-9]{6}') from sms_outbox where phone = '$phone' order by id desc limit 1")
    curl -sf -X POST "$BASE/api/auth/token" -H 'Content-Type: application/json' \
         -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
CUSTOMER=$(login "$CUSTOMER_PHONE")
MANAGER=$(login "$MANAGER_PHONE")
# something to find for the customer: an address and an order id to aim at
curl -sf -X POST "$BASE/api/addresses" -H "Authorization: Bearer $CUSTOMER" -H 'Content-Type: application/json' \
     -d '{"line1":"пр. Чуй, 1","city":"Бишкек","region":"Bishkek","postal_code":"720001"}' >/dev/null
ADDRESS=$(psql_db "select id from addresses order by id limit 1")

REPORT="$OUT/report.txt"
: >"$REPORT"
FOUND=0 UNFINISHED=0
scan() {
    local name=$1; shift
    local log="$OUT/$name.log" status=0
    echo "== $name: sqlmap $*" | sed 's/Bearer [A-Za-z0-9._-]*/Bearer <token>/g' | tee -a "$REPORT"
    timeout "$TIMEOUT" sqlmap "${SQLMAP_OPTS[@]}" "$@" >"$log" 2>&1 || status=$?
    if grep -q "sqlmap identified the following injection point\|appears to be injectable\|is vulnerable" "$log"; then
        FOUND=1
        echo "   FOUND an injection point (see $log):" | tee -a "$REPORT"
        grep -A6 "identified the following injection point" "$log" | tee -a "$REPORT" || true
    elif grep -q "do not appear to be injectable\|does not seem to be injectable" "$log" && [[ $status -eq 0 || $status -eq 1 ]]; then
        echo "   no injection found ($(grep -c 'testing ' "$log") tests)" | tee -a "$REPORT"
        grep "do not appear to be injectable\|does not seem to be injectable" "$log" | sed 's/^/   /' | tee -a "$REPORT"
    else
        UNFINISHED=1
        echo "   inconclusive (exit $status; see $log)" | tee -a "$REPORT"
        tail -5 "$log" | sed 's/^/   /' | tee -a "$REPORT"
    fi
}

scan catalog-query -u "$BASE/api/products?q=phone&category_id=1&page=1&size=5" -p q,category_id,page,size
scan catalog-id -u "$BASE/api/products/1*"
scan catalog-x-market -u "$BASE/api/products?size=5" -H "X-Market: KG*"
scan customer-orders -u "$BASE/api/orders?page=1&size=5" -p page,size -H "Authorization: Bearer $CUSTOMER"
scan customer-address-id -u "$BASE/api/addresses/$ADDRESS*" -H "Authorization: Bearer $CUSTOMER"
scan customer-x-market -u "$BASE/api/me" -H "Authorization: Bearer $CUSTOMER" -H "X-Market: KG*"
scan manager-orders -u "$BASE/api/manager/orders?status=pending&from=2024-01-01&to=2030-01-01&page=1&size=5" \
     -p status,from,to,page,size -H "Authorization: Bearer $MANAGER" -H "X-Market: KG"
scan manager-products -u "$BASE/api/manager/products?q=a&category_id=1&active=true" -p q,category_id,active \
     -H "Authorization: Bearer $MANAGER" -H "X-Market: US"
scan manager-x-market -u "$BASE/api/manager/orders" -H "Authorization: Bearer $MANAGER" -H "X-Market: KG*"

# the server must have kept serving, and never answered 5xx (the access log has one line per request)
curl -sf "$BASE/api/products?size=1" >/dev/null && echo "server still serving: yes" | tee -a "$REPORT"
echo "answers by status during the scan:" $(grep 'marketbackend.access' "$OUT/server.log" \
    | grep -oE ' [0-9]{3} [0-9]+\.[0-9]{3}ms market=' | awk '{print $1}' | sort | uniq -c | awk '{print $2"x"$1}') \
    | tee -a "$REPORT"
FIVES=$(grep 'marketbackend.access' "$OUT/server.log" | grep -cE ' 5[0-9]{2} [0-9]+\.[0-9]{3}ms market=' || true)
echo "5xx answers: $FIVES; SEVERE log lines: $(grep -c SEVERE "$OUT/server.log" || true)" | tee -a "$REPORT"
[[ "$FIVES" == 0 ]] || UNFINISHED=1
echo "sqlmap $(sqlmap --version 2>/dev/null | head -1), $(date -u +%Y-%m-%dT%H:%MZ); report: $REPORT"
if [[ $FOUND -eq 1 ]]; then exit 1; fi
if [[ $UNFINISHED -eq 1 ]]; then exit 2; fi
