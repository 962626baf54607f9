#!/usr/bin/env bash
# bench/peer.sh: PostGraphile 4, the peer bench/run.sh compares the catalog endpoints with (section 4).
# Sourced by bench/run.sh. Run alone, once bench/run.sh has made market_bench and the jar:
#   bash bench/peer.sh            prepares the peer and serves it in the foreground on BENCH_PEER_PORT (18090)
#   bash bench/peer.sh compare    bench/run.sh's section 4 alone (BENCH_DURATION 10, BENCH_WARMUP 20,
#                                 BENCH_PEER_ROUNDS 3), printed and written to bench/results/peer.md
# The peer reads a copy of market_bench's catalog in its own database, market_peer: its policies read a
# setting directly (bench/peer-policies.sql), which the DBA audit of market_bench would report as errors.
PEER_DIR=bench/.peer
PEER_DB=market_peer
PEER_PORT=${BENCH_PEER_PORT:-18090}

peer_install() { # PostGraphile 4 and pg into bench/.peer, once
    [[ -f $PEER_DIR/node_modules/postgraphile/package.json ]] && return
    log "installing PostGraphile 4 into $PEER_DIR (npm)"
    mkdir -p $PEER_DIR
    npm install --prefix $PEER_DIR --no-audit --no-fund --silent postgraphile@4 pg@8 >/dev/null
}

peer_data() { # market_peer: market_bench's products and prices, their keys and market indexes, the peer's policies
    [[ -n "$(psql_in postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PEER_DB'")" ]] \
        || psql_in postgres -c "CREATE DATABASE $PEER_DB" >/dev/null
    psql_in $PEER_DB -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS product_prices, products;
CREATE TABLE products (id bigint PRIMARY KEY, market text NOT NULL, category_id bigint, name text NOT NULL,
    description text, stock integer NOT NULL, in_stock boolean GENERATED ALWAYS AS (stock > 0) STORED,
    is_active boolean NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE product_prices (product_id bigint NOT NULL REFERENCES products ON DELETE CASCADE, market text NOT NULL,
    price numeric(12,2) NOT NULL, currency char(3) NOT NULL, PRIMARY KEY (product_id, market));
SQL
    local cols="id, market, category_id, name, description, stock, is_active, created_at, updated_at"
    psql_in $BENCH_DB -c "\\copy (SELECT $cols FROM products) TO STDOUT" | psql_in $PEER_DB -c "\\copy products ($cols) FROM STDIN"
    psql_in $BENCH_DB -c "\\copy product_prices TO STDOUT" | psql_in $PEER_DB -c "\\copy product_prices FROM STDIN"
    psql_in $PEER_DB -v ON_ERROR_STOP=1 -c "CREATE INDEX ON products (market, id)" \
        -c "CREATE INDEX ON product_prices (market, product_id)" -c "VACUUM ANALYZE" >/dev/null
    psql_in $PEER_DB -v ON_ERROR_STOP=1 -f bench/peer-policies.sql >/dev/null
}

peer_ready() { # -> success once the peer answers a GraphQL query
    curl -fs -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "127.0.0.1:$PEER_PORT/graphql" >/dev/null 2>&1
}

peer_start() { # serve the peer in the background (PEER: its process id), until it answers
    mkdir -p bench/results
    PEER_PORT=$PEER_PORT PEER_DB=$PEER_DB NODE_PATH=$PEER_DIR/node_modules node bench/peer.js > bench/results/peer.log 2>&1 &
    PEER=$!
    until peer_ready; do
        sleep 0.2
        kill -0 $PEER 2>/dev/null || { cat bench/results/peer.log >&2; return 1; }
    done
}

# peer_section SERVER_PID PORT PRODUCT_ID: the catalog page and product by id from the peer and from the server
# on PORT, warmed up alike, then in BENCH_PEER_ROUNDS (3) interleaved rounds of wrk at 16 connections for
# DURATION seconds -> a markdown section of the medians
peer_section() (
    peer_install
    peer_data
    peer_start
    trap 'kill $PEER 2>/dev/null || true' EXIT
    local server=$1 rounds=${BENCH_PEER_ROUNDS:-3} name w round result
    local fields='id market categoryId name description stock inStock productPricesByProductId { nodes { price currency } }'
    declare -A url=([products]="/api/products" [product]="/api/products/$3")
    # what the endpoints read (bench/run.sh's RLS_QUERY), as GraphQL; the policies keep the request market's price only
    declare -A graphql=(
        [products]="{\"query\":\"{ allProducts(first: 20, orderBy: ID_ASC) { nodes { $fields } } }\"}"
        [product]="{\"query\":\"query (\$id: BigInt!) { productById(id: \$id) { $fields } }\",\"variables\":{\"id\":\"$3\"}}"
    )
    local peer_url="http://127.0.0.1:$PEER_PORT/graphql"
    ids() { grep -o '"id":"\?[0-9]*' | tr -dc '0-9\n'; } # the product ids of an answer, in order
    measure_ours() { BENCH_MARKET=KG BENCH_TOKEN= wrk_measure "$1" 16 bench/headers.lua "http://127.0.0.1:$2${url[$3]}" $server market_app $BENCH_DB; }
    measure_peer() { BENCH_MARKET=KG BENCH_BODY=${graphql[$3]} wrk_measure "$1" 16 bench/graphql.lua "$peer_url" $PEER peer_user $PEER_DB; }
    for name in products product; do
        answer=$(curl -fs -H 'X-Market: KG' -H 'Content-Type: application/json' -d "${graphql[$name]}" "$peer_url")
        [[ "$answer" != *'"errors"'* && "$(ids <<<"$answer")" == "$(curl -fs -H 'X-Market: KG' "127.0.0.1:$2${url[$name]}" | ids)" ]] \
            || { echo "the peer's $name differs from the server's: $answer" >&2; exit 1; }
        for w in ours peer; do measure_$w "${BENCH_WARMUP:-20}" "$2" $name >/dev/null; done
    done
    declare -A runs=()
    for round in $(seq "$rounds"); do
        for name in products product; do
            # alternate who goes first, so that drift of the shared machine hits both alike
            if (( round % 2 )); then who=(ours peer); else who=(peer ours); fi
            for w in "${who[@]}"; do
                result=$(measure_$w "$DURATION" "$2" $name)
                runs[$name.$w]+="$result"$'\n'
                log "peer section: round $round, $name, $w: $result"
            done
        done
    done
    med() { awk -v f="$2" 'NF { print $f }' <<<"${runs[$1]}" | median; } # run field -> its median over the rounds
    echo
    echo "## 4. The PostGraphile peer: the catalog from PostGraphile 4 and from the server"
    echo
    echo "PostGraphile 4 (bench/peer.sh) on a copy of the catalog in $PEER_DB, its policies reading the market from"
    echo "a setting it sets per request from X-Market; wrk -t2 -c16 -d${DURATION}s, $rounds interleaved rounds;"
    echo "medians over the rounds. CPU per request: the server's process (java or node) and its PostgreSQL processes."
    echo
    echo "| endpoint | server | req/s | p50 ms | p99 ms | non-2xx | server CPU ms/req | PostgreSQL CPU ms/req | load | p99/p50 |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for name in products product; do
        for w in ours peer; do
            echo "| \`GET ${url[$name]}\` | $w | $(med $name.$w 1) | $(med $name.$w 2) | $(med $name.$w 3) | $(med $name.$w 4) |" \
                 "$(med $name.$w 5) | $(med $name.$w 6) | $(med $name.$w 7) | $(ratio "$(med $name.$w 3)" "$(med $name.$w 2)") |"
        done
    done
    echo
    echo "| endpoint | ours p99 / peer p99 | ours req/s / peer req/s |"
    echo "|---|---|---|"
    for name in products product; do
        echo "| \`GET ${url[$name]}\` | $(ratio "$(med $name.ours 3)" "$(med $name.peer 3)") |" \
             "$(ratio "$(med $name.ours 1)" "$(med $name.peer 1)") |"
    done
)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    cd "$(dirname "$0")/.."
    source scripts/postgres.sh
    source bench/lib.sh
    [[ -n "$(psql_in postgres -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")" ]] \
        || { echo "no $BENCH_DB yet: bench/run.sh makes it" >&2; exit 1; }
    if [[ "${1:-}" == compare ]]; then # section 4 of bench/run.sh alone, against the last build on BENCH_PORT (18080)
        source scripts/jdk.sh
        DURATION=${BENCH_DURATION:-10}
        export DB_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" SERVER_PORT=${BENCH_PORT:-18080}
        java -jar target/market-backend.jar > bench/results/server.log 2>&1 &
        SERVER=$!
        trap 'kill $SERVER 2>/dev/null || true' EXIT
        until curl -fs "127.0.0.1:$SERVER_PORT/observe/health" >/dev/null 2>&1; do
            sleep 0.2
            kill -0 $SERVER 2>/dev/null || { cat bench/results/server.log >&2; exit 1; }
        done
        product=$(psql_in $BENCH_DB -c "SELECT id FROM products WHERE market = 'KG' AND is_active ORDER BY id DESC LIMIT 1")
        peer_section $SERVER $SERVER_PORT "$product" | tee bench/results/peer.md
        exit
    fi
    peer_install
    peer_data
    peer_start
    trap 'kill $PEER 2>/dev/null || true' EXIT
    log "PostGraphile on http://127.0.0.1:$PEER_PORT/graphql (X-Market: KG); Ctrl-C stops it"
    wait $PEER
fi
