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

# CPU time of processes, in ms, from /proc/PID/stat (utime + stime, in clock ticks)
TICK_MS=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000 / hz }')
cpu_ms() { # pid... -> their CPU time so far
    local total=0 p
    for p in "$@"; do
        [[ -r /proc/$p/stat ]] && total=$((total + $(sed 's/.*) //' /proc/$p/stat | awk '{print $12 + $13}')))
    done
    awk -v t="$total" -v ms="$TICK_MS" 'BEGIN { printf "%.0f", t * ms }'
}
backends() { pgrep -f "postgres: .*$1 $2 " || true; } # user db -> the PostgreSQL processes of that user's connections to db

# wrk_measure SECONDS CONNS SCRIPT URL SERVER_PID PG_USER PG_DB: one wrk run (2 threads; the script reads
# BENCH_MARKET, BENCH_TOKEN, BENCH_BODY) -> "req/s p50_ms p99_ms non2xx server_cpu_ms/req pg_cpu_ms/req load",
# the CPU of the server process and of PG_USER's backends on PG_DB over the run, the load average before it
wrk_measure() {
    local load pool server0 db0 server1 db1 w
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r -a pool <<<"$(backends "$6" "$7" | tr '\n' ' ')"
    server0=$(cpu_ms "$5"); db0=$(cpu_ms "${pool[@]}")
    w=$(wrk -t2 -c"$2" -d"$1"s --latency -s "$3" "$4")
    server1=$(cpu_ms "$5"); db1=$(cpu_ms "${pool[@]}")
    awk -v s=$((server1 - server0)) -v d=$((db1 - db0)) -v la="$load" '
        function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v * 1000 }  # wrk: 850.00us, 12.70ms, 1.20s
        function per(x) { return n > 0 ? sprintf("%.3f", x / n) : "-" }
        /requests in/ { n = $1 } /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^non2xx/ { bad = $2 }
        END { printf "%s %.2f %.2f %s %s %s %s\n", rps, p50, p99, bad, per(s), per(d), la }' <<<"$w"
}
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.2f", x / y; else print "-" }'; } # x y -> x / y
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; } # numbers, one a line
