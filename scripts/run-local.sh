#!/usr/bin/env bash
# One command for a local server against the machine's PostgreSQL:
# build the jar, create roles and database (bootstrap), load the demo catalog, then serve.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
source scripts/postgres.sh
export APP_ENV="${APP_ENV:-dev}"
export DB_ADMIN_URL="${DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
if [[ ! -f target/market-backend.jar || "${REBUILD:-1}" == 1 ]]; then
    ./mvnw -B -ntp -q -DskipTests package
fi
java -jar target/market-backend.jar bootstrap
java -jar target/market-backend.jar demo-data
exec java -jar target/market-backend.jar
