#!/bin/sh
# The container's command (docker-compose.yml): passwords and keys from the secret volumes this container
# mounts, unless set. `setup` bootstraps (with the superuser's password, mounted in that container only) and
# loads the demo catalog; `serve` (the default) serves. Any other argument is a market-backend command, e.g.
# `docker compose run --rm tools grant-manager +12025550123 --markets KG,US`.
set -eu
secret() { cat "/run/market-secrets/$1" 2>/dev/null || true; }
DB_PASSWORD="${DB_PASSWORD:-$(secret app/market_app)}"
DB_MIGRATION_PASSWORD="${DB_MIGRATION_PASSWORD:-$(secret owner/market_owner)}"
JWT_SECRET="${JWT_SECRET:-$(secret app/jwt)}"
DB_CONTEXT_KEY="${DB_CONTEXT_KEY:-$(secret app/context_key)}"
export DB_PASSWORD DB_MIGRATION_PASSWORD JWT_SECRET DB_CONTEXT_KEY
[ -n "$DB_MIGRATION_PASSWORD" ] || unset DB_MIGRATION_PASSWORD
if [ "${1:-serve}" = setup ]; then
    DB_ADMIN_URL="jdbc:postgresql://db:5432/postgres?user=postgres&password=$(secret db/postgres)" \
        java -jar /app/market-backend.jar bootstrap
    exec java -jar /app/market-backend.jar demo-data
fi
exec java -jar /app/market-backend.jar "$@"
