#!/usr/bin/env bash
# The OpenAPI document checked from outside, as a gateway would: Stoplight Prism as a validating proxy
# in front of a throwaway server (loopback only, its own database, dropped afterwards), over the
# README walk-through and its error cases. Prints how many requests went through and every violation
# Prism reported (also in target/prism/); exit 1 if an answer broke the document.
#
#   scripts/prism-check.sh            # PRISM_CHECK_PORT (18082) for the server, +1 for Prism
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh

PRISM_VERSION=5.14.2
CACHE="${PRISM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/market-backend/prism-$PRISM_VERSION}"
PORT="${PRISM_CHECK_PORT:-18082}"
PROXY="http://127.0.0.1:$((PORT + 1))"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
DB="market_prism_$(date +%s)"
OUT="target/prism"

if ! command -v npm >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if [[ ! -x "$CACHE/node_modules/.bin/prism" ]]; then
    mkdir -p "$CACHE"
    npm install --prefix "$CACHE" --no-audit --no-fund --silent "@stoplight/prism-cli@$PRISM_VERSION" >/dev/null
fi
if [[ ! -f target/market-backend.jar || "${REBUILD:-1}" == 1 ]]; then
    ./mvnw -B -ntp -q -DskipTests package
fi
rm -rf "$OUT" && mkdir -p "$OUT"

export APP_ENV=dev SERVER_HOST=127.0.0.1 SERVER_PORT="$PORT"
export DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
export DB_ADMIN_URL="jdbc:postgresql://$PGHOST:$PGPORT/postgres?user=postgres"
psql_db() { psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d "$DB" -Atc "$1"; }

PIDS=()
cleanup() {
    [[ $BASHPID == $$ ]] || return 0  # a subshell ending is not the script ending
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" || true
}
trap cleanup EXIT

java -jar target/market-backend.jar bootstrap >"$OUT/setup.log"
java -jar target/market-backend.jar demo-data >>"$OUT/setup.log"
java -jar target/market-backend.jar >"$OUT/server.log" 2>&1 &
PIDS+=($!)
"$CACHE/node_modules/.bin/prism" proxy src/main/resources/META-INF/openapi.yaml "http://127.0.0.1:$PORT" \
    -h 127.0.0.1 -p $((PORT + 1)) >"$OUT/prism.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 90); do
    curl -sf "$PROXY/api/markets" >/dev/null 2>&1 && break
    sleep 1
done
curl -sf "$PROXY/api/markets" >/dev/null || { echo "server or Prism did not start; see $OUT" >&2; exit 2; }

# one request through Prism; prints its status and what was sent (tokens left out)
call() {
    local status
    status=$(curl -s -o "$OUT/last.json" -w '%{http_code}' "$@")
    echo "  $status $*" | cut -c1-200 | sed 's/Bearer [A-Za-z0-9._-]*/Bearer <token>/g' | tee -a "$OUT/requests.txt"
}
J='Content-Type: application/json'
login() {
    local phone=$1 code
    call -X POST "$PROXY/api/auth/code" -H "$J" -d "{\"phone\":\"$phone\"}" >&2
    code=$(psql_db "select substring(body from '[0-9]{6}') from sms_outbox where phone = '$phone' order by id desc limit 1")
    call -X POST "$PROXY/api/auth/token" -H "$J" -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" >&2
    sed 's/.*"access_token":"\([^"]*\)".*/\1/' "$OUT/last.json"
}

echo "== guest"
call "$PROXY/api/markets"
call -H 'X-Market: KG' "$PROXY/api/products"
call -H 'X-Market: US' "$PROXY/api/products?q=smart&size=5"
call -H 'X-Market: US' "$PROXY/api/categories"
call -H 'X-Market: KG' "$PROXY/api/banners"
call -H 'X-Market: US' "$PROXY/api/products/3"
call -H 'X-Market: kg' "$PROXY/api/products"
call -H 'X-Market: XX' "$PROXY/api/products"
call "$PROXY/api/products?category_id=-5"
call "$PROXY/api/products?size=1000"
call -H 'Authorization: Bearer not-a-token' "$PROXY/api/products"

echo "== login errors"
call -X POST "$PROXY/api/auth/code" -H "$J" -H 'X-Market: XX' -d '{"phone":"+996700123456"}'
call -X POST "$PROXY/api/auth/code" -H "$J" -d '{"phone":"+44 20 7946 0958"}'
call -X POST "$PROXY/api/auth/code" -H 'Content-Type: text/plain' -d '{"phone":"+996700123456"}'
call -X POST "$PROXY/api/auth/token" -H "$J" -d '{"phone":"+996700123457","code":"000000"}'

echo "== customer"
CUSTOMER=$(login "+996700123456")
H="Authorization: Bearer $CUSTOMER"
call "$PROXY/api/me" -H "$H"
call -X POST "$PROXY/api/cart/items" -H "$H" -H "$J" -d '{"product_id":1,"quantity":2}'
call -X POST "$PROXY/api/cart/items" -H "$H" -H "$J" -d '{"product_id":1,"quantity":0}'
call "$PROXY/api/cart" -H "$H"
call -X POST "$PROXY/api/addresses" -H "$H" -H "$J" \
     -d '{"line1":"ул. Киевская, 96","city":"Бишкек","region":"Bishkek","postal_code":"720001"}'
call -X POST "$PROXY/api/payment-methods" -H "$H" -H "$J" \
     -d '{"token":"mb_tok_8f2a","brand":"elcart","last4":"1234","exp_month":12,"exp_year":2030}'
call -X POST "$PROXY/api/orders" -H "$H" -H "$J" -H 'Idempotency-Key: 5b8e1c7a-1' -d '{"address_id":1,"payment_method_id":1}'
call -X POST "$PROXY/api/orders" -H "$H" -H "$J" -H 'Idempotency-Key: 5b8e1c7a-1' -d '{"address_id":1,"payment_method_id":1}'
call -X POST "$PROXY/api/orders" -H "$H" -H "$J" -H 'Idempotency-Key: 5b8e1c7a-2' -d '{"address_id":1,"payment_method_id":1}'
call "$PROXY/api/orders" -H "$H"
call "$PROXY/api/orders/1" -H "$H"
call "$PROXY/api/orders/999999" -H "$H"
call "$PROXY/api/notifications" -H "$H"
call "$PROXY/api/orders" -H "$H" -H 'X-Market: US'
call "$PROXY/api/manager/me" -H "$H"

echo "== manager"
java -jar target/market-backend.jar grant-manager +12025550123 --markets KG,US >>"$OUT/setup.log"
MANAGER=$(login "+12025550123")
M="Authorization: Bearer $MANAGER"
call "$PROXY/api/manager/me" -H "$M"
call "$PROXY/api/manager/orders" -H "$M" -H 'X-Market: US'
call "$PROXY/api/manager/orders/1" -H "$M" -H 'X-Market: KG'
call "$PROXY/api/manager/revenue" -H "$M" -H 'X-Market: KG'
call "$PROXY/api/manager/revenue/compare" -H "$M"
call -X PUT "$PROXY/api/manager/settings" -H "$M" -H "$J" -d '{"active_market":"US"}'
call "$PROXY/api/manager/products?category_id=-5" -H "$M"
call "$PROXY/api/manager/audit-log?entity=bogus" -H "$M"
call "$PROXY/api/manager/audit-log?entity=manager_settings" -H "$M"
call -X POST "$PROXY/api/manager/products" -H "$M" -H "$J" -H 'X-Market: KG' \
     -d '{"name":"Prism check","market":"KG","price":"100.00"}'
call "$PROXY/api/manager/orders" -H 'X-Market: US'
java -jar target/market-backend.jar grant-manager +12025550123 --markets KG >>"$OUT/setup.log"
call "$PROXY/api/manager/orders" -H "$M" -H 'X-Market: US'

echo "== limits"
head -c 70000 /dev/zero | tr '\0' 'x' | sed 's/^/{"phone":"/; s/$/"}/' >"$OUT/big.json"
call -X POST "$PROXY/api/auth/code" -H "$J" --data-binary @"$OUT/big.json"
call "$PROXY/api/products?q=$(head -c 3000 /dev/zero | tr '\0' 'x')"
call "$PROXY/api/products" -H "X-Pad: $(head -c 20000 /dev/zero | tr '\0' 'x')"

sleep 1
# a violation of an answer is the document not telling the truth; a violation of a request is one of
# the error cases above (the document refuses it, and the server answered it with a 4xx)
REQUESTS=$(grep -c 'marketbackend.access' "$OUT/server.log" || true)
ANSWERS=$(grep -c 'Violation: response' "$OUT/prism.log" || true)
REFUSED=$(grep -c 'Violation: request' "$OUT/prism.log" || true)
{
    echo "requests through Prism to the server: $REQUESTS"
    echo "answer violations: $ANSWERS"
    grep 'Violation: response' "$OUT/prism.log" || true
    echo "requests the document refuses (error cases): $REFUSED"
    grep 'Violation: request' "$OUT/prism.log" | sed 's/.*Violation: /  /' || true
} | tee "$OUT/report.txt"
[[ "$ANSWERS" == 0 ]]
