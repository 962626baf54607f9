#!/usr/bin/env bash
# bench/peer.sh: PostGraphile 4, the peer bench/run.sh compares the catalog endpoints with (section 4).
# Sourced by bench/run.sh; run alone (bash bench/peer.sh) it prepares the peer and serves it in the foreground
# on BENCH_PEER_PORT (18090), once bench/run.sh has made market_bench.
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

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    cd "$(dirname "$0")/.."
    source scripts/postgres.sh
    source bench/lib.sh
    [[ -n "$(psql_in postgres -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")" ]] \
        || { echo "no $BENCH_DB yet: bench/run.sh makes it" >&2; exit 1; }
    peer_install
    peer_data
    peer_start
    log "PostGraphile on http://127.0.0.1:$PEER_PORT/graphql (X-Market: KG); Ctrl-C stops it"
    trap 'kill $PEER 2>/dev/null || true' EXIT
    wait $PEER
fi
