#!/usr/bin/env bash
# The README's walk-through, run as written: every ```sh block of README.md's "Walk-through with curl", line by
# line in one shell (set -e), against a fresh server on a fresh database, so the README cannot drift.
#   - the server: bin/market-backend on a free port, on database market_readme_<pid> of the PostgreSQL at
#     127.0.0.1:5432 (TEST_DB_ADMIN_URL's server; created by `bootstrap` and dropped at the end); the blocks'
#     localhost:8080 is rewritten to that port, nothing else is changed;
#   - a line fails when its command fails, when a VAR=$(...) it assigns is empty, or when a curl's status is not
#     the one its comment starts with ("# 403 ...") or, with no such comment, not a 2xx;
#   - AUTH_PHONE_RESEND_SECONDS=5 only makes the manager's second login (which waits for the next code) quicker.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ADMIN_URL="${TEST_DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
DB="market_readme_$$"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
export DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" DB_ADMIN_URL="$ADMIN_URL" SERVER_PORT="$PORT" AUTH_PHONE_RESEND_SECONDS=5
SERVER=""
cleanup() {
    if [[ -n "$SERVER" ]]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true  # 143: the server ended by that signal, as asked
    fi
    psql -h 127.0.0.1 -U postgres -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# the walk-through's section, its sh blocks only, continuation lines joined into one command per line
awk '/^## Walk-through with curl/{on=1; next} /^## /{on=0} on' README.md | awk '
    /^```sh/{inblock=1; next} /^```/{inblock=0; next}
    inblock { if (cont != "") { $0 = cont " " $0 } if ($0 ~ /\\$/) { sub(/\\$/, ""); cont = $0 } else { cont = ""; print } }' \
    | sed "s/localhost:8080/localhost:$PORT/g" > "$WORK/lines"
[[ -s "$WORK/lines" ]] || { echo "readme-walkthrough: no sh block found in README.md's walk-through" >&2; exit 1; }

# the README's three commands for a configured PostgreSQL: bootstrap, demo-data, serve
bin/market-backend bootstrap >/dev/null
bin/market-backend demo-data >/dev/null
bin/market-backend >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
    grep -q "serving on" "$WORK/server.log" && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; echo "readme-walkthrough: the server did not start" >&2; exit 1; }
    sleep 1
done
grep -q "serving on" "$WORK/server.log" || { echo "readme-walkthrough: the server did not start in 120 s" >&2; exit 1; }

# one script: each line, then its checks; curl writes its status to a file of its own
{
    echo 'set -eo pipefail'
    echo "STATUS=$WORK/status"
    echo 'curl() { command curl -w "%{stderr}%{http_code}\n" "$@" 2>>"$STATUS"; }'
    echo 'fail() { echo "readme-walkthrough: line $1 failed: $2" >&2; exit 1; }'
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
        printf ': >"$STATUS"\n'
        printf 'echo "\$ %s" >&2\n' "$(printf %s "$line" | cut -c1-150 | sed 's/[\\"$`]/\\&/g')"
        printf '%s\n' "$line"
        if [[ "$line" =~ ^([A-Z_]+)=\$\( ]]; then
            printf '[ -n "$%s" ] || fail %d "%s is empty"\n' "${BASH_REMATCH[1]}" "$n" "${BASH_REMATCH[1]}"
        fi
        if [[ "$line" == *curl* ]]; then
            expect=""
            [[ "$line" =~ \#[[:space:]]+([1-5][0-9][0-9])([^0-9]|$) ]] && expect="${BASH_REMATCH[1]}"
            printf 'got=$(tail -n 1 "$STATUS"); '
            if [[ -n "$expect" ]]; then
                printf '[ "$got" = %s ] || fail %d "status $got, the README says %s"\n' "$expect" "$n" "$expect"
            else
                printf '[[ "$got" == 2?? ]] || fail %d "status $got, expected a 2xx"\n' "$n"
            fi
        fi
    done < "$WORK/lines"
} > "$WORK/walkthrough.sh"

started=$(date +%s)
if ! (cd "$ROOT" && bash "$WORK/walkthrough.sh" >"$WORK/out" 2>"$WORK/err"); then
    tail -n 30 "$WORK/err" >&2
    echo "--- server log (last 20 lines)" >&2
    tail -n 20 "$WORK/server.log" >&2
    exit 1
fi
if [[ -n "${VERBOSE:-}" ]]; then tail -n 60 "$WORK/out"; fi
echo "readme-walkthrough: $(grep -c '^\$ ' "$WORK/err") README lines ran as written, all passed ($(( $(date +%s) - started )) s)"
