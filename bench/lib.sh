# Sourced by bench/run.sh and bench/compare.sh: the benchmark data and its logins.
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-contrib >/dev/null; }
export DB_ADMIN_URL="${DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
export APP_ENV=dev SMS_MODE=outbox REVENUE_SNAPSHOT_INTERVAL_MINUTES=0
BENCH_DB=market_bench
MANAGER_PHONE=+996559999999

log() { echo "== $*" >&2; }
psql_in() { # database, then psql's arguments: one value per line, nothing else
    local db=$1; shift
    psql -X -q -At -h 127.0.0.1 -U postgres -d "$db" "$@"
}

# bench_data JAR: market_bench migrated by JAR, with BENCH_PRODUCTS / BENCH_USERS / BENCH_ORDERS rows
# (default 200000 / 50000 / 400000) generated once; BENCH_FRESH=1 starts over
bench_data() {
    if [[ "${BENCH_FRESH:-0}" == 1 ]]; then
        psql -X -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"
    fi
    DB_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" java -jar "$1" bootstrap >/dev/null
    DB_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" java -jar "$1" migrate >/dev/null
    if [[ "$(psql_in $BENCH_DB -c "SELECT count(*) FROM orders")" -lt 1000 ]]; then
        log "generating data"
        DB_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" java -jar "$1" generate-data \
            --products "${BENCH_PRODUCTS:-200000}" --users "${BENCH_USERS:-50000}" --orders "${BENCH_ORDERS:-400000}"
    fi
    psql_in $BENCH_DB -c "VACUUM ANALYZE" >/dev/null
}

# bench_customer DB: the phone of a KG customer with a typical history (one page of orders: no count)
bench_customer() {
    psql_in "$1" -c "SELECT u.phone FROM users u WHERE u.id = (SELECT user_id FROM orders WHERE market = 'KG'
        GROUP BY user_id HAVING count(*) BETWEEN 5 AND 19 ORDER BY count(*) DESC, user_id LIMIT 1)"
}

# login PORT DB PHONE: an access token, through the real SMS-code flow (the code is read from sms_outbox)
login() {
    local port=$1 db=$2 phone=$3 code
    psql_in "$db" -c "DELETE FROM verification_codes WHERE phone = '$phone'" >/dev/null
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\"}" "localhost:$port/api/auth/code" >/dev/null
    code=$(psql_in "$db" -c "SELECT substring(body from '[0-9]{6}') FROM sms_outbox WHERE phone = '$phone' ORDER BY id DESC LIMIT 1")
    curl -fs -X POST -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" \
        "localhost:$port/api/auth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
