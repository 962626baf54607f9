#!/usr/bin/env bash
# Lints the OpenAPI document with Spectral (ruleset .spectral.yaml = spectral:oas); any warning fails.
# Node/npm come from Debian when missing; Spectral is installed once into a cache directory.
set -euo pipefail
cd "$(dirname "$0")/.."
SPECTRAL_VERSION=6.16.3
CACHE="${SPECTRAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/market-backend/spectral-$SPECTRAL_VERSION}"
if ! command -v npm >/dev/null; then
    echo "npm not found; installing nodejs and npm from Debian" >&2
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if [[ ! -x "$CACHE/node_modules/.bin/spectral" ]]; then
    mkdir -p "$CACHE"
    npm install --prefix "$CACHE" --no-audit --no-fund --silent "@stoplight/spectral-cli@$SPECTRAL_VERSION" >/dev/null
fi
"$CACHE/node_modules/.bin/spectral" lint --ruleset .spectral.yaml --fail-severity warn \
    src/main/resources/META-INF/openapi.yaml
