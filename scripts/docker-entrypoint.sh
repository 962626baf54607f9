#!/bin/sh
# The container's command (docker-compose.yml): passwords and keys from the `secrets` volume unless set;
# `serve` (the default) first bootstraps and loads the demo catalog. Any other argument is a market-backend
# command, e.g. `docker compose exec app ./market-backend grant-manager +12025550123 --markets KG,US`.
set -eu
secret() { cat "/run/market-secrets/$1" 2>/dev/null || true; }
DB_PASSWORD="${DB_PASSWORD:-$(secret market_app)}"
DB_MIGRATION_PASSWORD="${DB_MIGRATION_PASSWORD:-$(secret market_owner)}"
JWT_SECRET="${JWT_SECRET:-$(secret jwt)}"
DB_CONTEXT_KEY="${DB_CONTEXT_KEY:-$(secret context_key)}"
export DB_PASSWORD DB_MIGRATION_PASSWORD JWT_SECRET DB_CONTEXT_KEY
if [ "${1:-serve}" = serve ]; then
    # the superuser password reaches bootstrap only, never the serving process
    DB_ADMIN_URL="jdbc:postgresql://db:5432/postgres?user=postgres&password=$(secret postgres)" \
        java -jar /app/market-backend.jar bootstrap
    java -jar /app/market-backend.jar demo-data
fi
exec java -jar /app/market-backend.jar "$@"
