#!/usr/bin/env bash
# bench/context-parts.sh: what the context statement `CALL app.enter(?, ?, NULL)` costs in PostgreSQL,
# part by part (issue 24). pgbench sends each variant as one pipeline of two statements (like
# bench/run.sh's (a)/(c)): the variant, then `SELECT 1`. The variants build app.enter() up step by step
# in a scratch schema `parts` of a database of its own, so the difference between two neighbours is
# what one part costs; `enter` is the installed app.enter() itself.
# Options (environment): PARTS_DB (default market_parts), PARTS_DURATION (s per run, 5), PARTS_ROUNDS (3),
# PARTS_CLIENTS (1), PARTS_MODE (pgbench -M: prepared, like pgjdbc after its 5th use of a statement; or
# extended), PARTS_FILLERS (60: the named statements a server connection carries, for the *_named runs),
# PARTS_BEFORE_DB (a database another build migrated with the same DB_CONTEXT_KEY: its app.enter() runs
# as enter_before / enter_named_before, interleaved with this build's).
# Prints a table: median tps over the rounds (variants interleaved), µs per transaction, the CPU the
# backend spent per transaction, each with its difference to the variant it adds a part to, and the
# load average at the start of each round.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh
source bench/lib.sh

DB=${PARTS_DB:-market_parts}
DURATION=${PARTS_DURATION:-5}
ROUNDS=${PARTS_ROUNDS:-3}
CLIENTS=${PARTS_CLIENTS:-1}
MODE=${PARTS_MODE:-prepared}
FILLERS=${PARTS_FILLERS:-60}
BEFORE=${PARTS_BEFORE_DB:-}
JAR=target/market-backend.jar
export DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB"

./mvnw -B -ntp -q -DskipTests package
java -jar $JAR bootstrap >/dev/null
java -jar $JAR migrate >/dev/null
owner() { # SQL run as market_owner, in one transaction
    psql_in "$DB" -v ON_ERROR_STOP=1 -c "BEGIN" -c "SET LOCAL ROLE market_owner" -c "$1" -c "COMMIT" >/dev/null
}

# ---------------------------------------------------------------- contexts, signed here with the installed key
USER_ID=$(psql_in "$DB" -c "INSERT INTO users (market, phone) VALUES ('KG', '+996550000424')
    ON CONFLICT (phone) DO UPDATE SET name = NULL RETURNING id")
SESSION_ID=$(psql_in "$DB" -c "INSERT INTO sessions (user_id, market, expires_at)
    VALUES ($USER_ID, 'KG', now() + interval '1 day') RETURNING id")
sign() { # role user session -> a context for market_dba, read-only, valid for an hour
    psql_in "$DB" -c "SELECT p || '|' || encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to(p, 'UTF8'))), 'hex')
        FROM app.context_keys k, LATERAL (SELECT concat_ws('|', 'v2', k.id, extract(epoch FROM now())::bigint + 3600,
            'market_dba', '$1', 'KG', '$2', 'parts', '', '$3', 'ro') AS p) c
        ORDER BY k.installed_at DESC LIMIT 1"
}
GUEST=$(sign market_guest "" "")
SESSION=$(sign market_customer "$USER_ID" "$SESSION_ID")

# ---------------------------------------------------------------- app.enter(), built up one part at a time
# The caller's-rights steps of app.enter(), then the definer it calls; each variant adds one step.
RESET='reset all;'
DISCARD='discard sequences;'
LISTEN='if exists (select from pg_catalog.pg_listening_channels()) then unlisten *; end if;'
LEFTOVERS="for cmd in select l from app.leftovers() l loop execute cmd; n := n + 1; end loop;
    if n > 0 then raise exception 'leftovers' using errcode = 'MB001'; end if;"
KEY="select k.inner_pad, k.outer_pad into ipad, opad from app.context_keys k where k.id = split_part(context, '|', 2);"
MAC="if encode(sha256(opad || sha256(ipad || convert_to(left(context, -65), 'UTF8'))), 'hex') <> right(context, 64) then return null; end if;"
PATH_CLAUSE='set search_path = pg_catalog, pg_temp'
GENERIC_CLAUSE="$PATH_CLAUSE set plan_cache_mode = force_generic_plan"
definer() { # name, set clause, body: a SECURITY DEFINER verifier that does only the body
    owner "create or replace function parts.$1(context text) returns text language plpgsql volatile security definer $2 as \$f\$
        declare cmd text; n int := 0; ipad bytea; opad bytea;
        begin $3 return 'proof'; end \$f\$;
        grant execute on function parts.$1(text) to market_dba;"
}
procedure() { # name, body: a caller's-rights procedure with app.enter()'s signature that does only the body
    owner "create or replace procedure parts.$1(context text, statement_timeout text default null, inout proof text default null)
        language plpgsql as \$p\$ begin $2 proof := coalesce(proof, 'proof'); end \$p\$;
        grant execute on procedure parts.$1(text, text, text) to market_dba;"
}
psql_in "$DB" -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS parts CASCADE" -c "CREATE SCHEMA parts AUTHORIZATION market_owner" \
    -c "GRANT USAGE ON SCHEMA parts TO market_dba" >/dev/null
owner "create function parts.f_empty(context text, statement_timeout text default null) returns text language plpgsql
        as \$f\$ begin return 'proof'; end \$f\$;
    grant execute on function parts.f_empty(text, text) to market_dba;"
procedure p_empty ''
procedure p_reset "$RESET"
procedure p_discard "$RESET $DISCARD"
procedure p_listen "$RESET $DISCARD $LISTEN"
definer d_empty '' ''
definer d_path "$PATH_CLAUSE" ''
definer d_generic "$GENERIC_CLAUSE" ''
definer d_leftovers "$GENERIC_CLAUSE" "$LEFTOVERS"
definer d_key "$GENERIC_CLAUSE" "$LEFTOVERS $KEY"
definer d_mac "$GENERIC_CLAUSE" "$LEFTOVERS $KEY $MAC"
for d in d_empty d_path d_generic d_leftovers d_key d_mac; do
    procedure "p_$d" "$RESET $DISCARD $LISTEN proof := parts.$d(context);"
done
procedure p_verify "$RESET $DISCARD $LISTEN proof := app.verify_context(context);"

# ---------------------------------------------------------------- pgbench scripts
PGB=$(mktemp -d)
trap 'rm -rf "$PGB"' EXIT
call() { printf "CALL %s('%s', '5000', NULL)" "$1" "$2"; }
declare -A STATEMENT=(
    [base]="SELECT 1"
    [function]="SELECT parts.f_empty('$GUEST', '5000')"
    [procedure]="$(call parts.p_empty "$GUEST")"
    [reset]="$(call parts.p_reset "$GUEST")"
    [discard]="$(call parts.p_discard "$GUEST")"
    [listen]="$(call parts.p_listen "$GUEST")"
    [definer]="$(call parts.p_d_empty "$GUEST")"
    [search_path]="$(call parts.p_d_path "$GUEST")"
    [generic_plan]="$(call parts.p_d_generic "$GUEST")"
    [leftovers]="$(call parts.p_d_leftovers "$GUEST")"
    [key]="$(call parts.p_d_key "$GUEST")"
    [mac]="$(call parts.p_d_mac "$GUEST")"
    [verify]="$(call parts.p_verify "$GUEST")"
    [enter]="$(call app.enter "$GUEST")"
    [enter_session]="$(call app.enter "$SESSION")"
    [base_named]="SELECT 1"
    [enter_named]="$(call app.enter "$GUEST")"
    [enter_before]="$(call app.enter "$GUEST")"
    [enter_named_before]="$(call app.enter "$GUEST")"
)
# what each variant is compared with: the one it adds a part to
declare -A OVER=([function]=base [procedure]=base [reset]=procedure [discard]=reset [listen]=discard [definer]=listen
    [search_path]=definer [generic_plan]=search_path [leftovers]=generic_plan [key]=leftovers [mac]=key [verify]=mac
    [enter]=verify [enter_session]=enter [enter_named]=base_named [enter_before]=enter [enter_named_before]=enter_named)
VARIANTS=(base function procedure reset discard listen definer search_path generic_plan leftovers key mac verify enter enter_session)
[[ $MODE == prepared ]] && VARIANTS+=(base_named enter_named)
declare -A ON=()
if [[ -n $BEFORE ]]; then
    VARIANTS+=(enter_before)
    ON[enter_before]=$BEFORE
    [[ $MODE == prepared ]] && VARIANTS+=(enter_named_before) && ON[enter_named_before]=$BEFORE
fi
# *_named: the connection also carries FILLERS named statements, as a server connection carries pgjdbc's
# S_1, S_2, ... (two per distinct query: the context statement and the query, each a few hundred characters);
# each client runs them once, in its first transaction (pgbench prepares a statement when it first runs it)
PAD=$(printf 'p.id, p.market, p.category_id, p.name, p.description, p.stock, p.in_stock, pp.price, pp.currency %.0s' 1 2 3)
fillers() {
    echo '\set id 1'
    echo '\if :done = 0'
    for i in $(seq "$FILLERS"); do
        printf "SELECT :id AS filler_%s, '%s' AS padding;\n" "$i" "$PAD"
    done
    echo '\set done 1'
    echo '\endif'
}
for v in "${VARIANTS[@]}"; do
    { [[ $v == *_named* ]] && fillers
      printf '\\startpipeline\n%s;\nSELECT 1;\n\\endpipeline\n' "${STATEMENT[$v]}"; } > "$PGB/$v.sql"
done

# every variant must run cleanly once before it is timed
for v in "${VARIANTS[@]}"; do
    pgbench -n -M "$MODE" -D done=0 -h 127.0.0.1 -U market_dba -t 20 -f "$PGB/$v.sql" "${ON[$v]:-$DB}" >/dev/null 2>"$PGB/err" \
        || { echo "variant $v failed:" >&2; cat "$PGB/err" >&2; exit 1; }
done

# run VARIANT -> "tps cpu": pgbench's tps, and the CPU its PostgreSQL backends spent per transaction (µs, from
# /proc, sampled every 0.1 s while they run): less disturbed by other work on the machine than tps
TICK_US=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1e6 / hz }')
run() {
    local out=$PGB/out p t tx cpu=0 db=${ON[$1]:-$DB}
    local -A ticks=()
    pgbench -n -M "$MODE" -D done=0 -h 127.0.0.1 -U market_dba -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" \
        -f "$PGB/$1.sql" "$db" >"$out" 2>/dev/null &
    local bench=$!
    while kill -0 $bench 2>/dev/null; do
        for p in $(pgrep -f "postgres: .*market_dba $db " || true); do
            t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') && ticks[$p]=$t || true
        done
        sleep 0.1
    done
    wait $bench
    for p in "${!ticks[@]}"; do cpu=$((cpu + ticks[$p])); done
    tx=$(awk '/actually processed/ {split($NF, a, "/"); print a[1]}' "$out")
    echo "$(awk '/^tps/ {print $3; exit}' "$out") $(awk -v c="$cpu" -v t="$tx" -v us="$TICK_US" 'BEGIN { printf "%.1f", c * us / t }')"
}

declare -A TPS CPU
LOADS=()
for r in $(seq "$ROUNDS"); do
    LOADS+=("$(cut -d' ' -f1 /proc/loadavg)")
    for v in "${VARIANTS[@]}"; do
        read -r t c < <(run "$v")
        TPS[$v]="${TPS[$v]:-} $t"
        CPU[$v]="${CPU[$v]:-} $c"
    done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "context statement, part by part: $DB, pgbench -M $MODE, $CLIENTS client(s), ${DURATION}s x $ROUNDS rounds (median);" \
     "load average at each round: ${LOADS[*]}; $(psql -X -At -h 127.0.0.1 -U postgres -c 'SHOW server_version')"
echo
echo "| variant (the pipeline: it, then SELECT 1) | compared with | tps | µs/tx | µs over it | backend CPU µs/tx | CPU µs over it |"
echo "|---|---|---|---|---|---|---|"
declare -A US CPUS
over() { [[ -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", a - b }' || true; }
for v in "${VARIANTS[@]}"; do
    m=$(median <<<"${TPS[$v]}")
    US[$v]=$(awk -v t="$m" -v c="$CLIENTS" 'BEGIN { printf "%.1f", 1e6 * c / t }')
    CPUS[$v]=$(median <<<"${CPU[$v]}")
    o=${OVER[$v]:-}
    echo "| $v${ON[$v]:+ ($BEFORE)} | $o | ${m%.*} | ${US[$v]} | $(over "${US[$v]}" "${o:+${US[$o]}}") | ${CPUS[$v]} | $(over "${CPUS[$v]}" "${o:+${CPUS[$o]}}") |"
done
