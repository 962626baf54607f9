#!/usr/bin/env bash
# A local server against the machine's PostgreSQL (a superuser at DB_ADMIN_URL, default postgres at 127.0.0.1:5432):
#   bootstrap  creates the roles and the `market` database if missing; sets a role's password only if it has
#              none, and stops with a message if it has another one (bin/market-backend bootstrap --reset-passwords
#              changes it, for the whole cluster);
#   demo-data  adds the demo catalog (idempotent);
#   serve      on http://127.0.0.1:8080.
# The jar is rebuilt only when a source is newer than it (bin/market-backend says so).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
export DB_ADMIN_URL="${DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
export DB_URL="${DB_URL:-jdbc:postgresql://127.0.0.1:5432/market}"
bin/market-backend bootstrap
bin/market-backend demo-data
exec bin/market-backend
