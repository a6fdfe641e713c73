#!/usr/bin/env bash
# scripts/test-deps.sh — everything the test suite needs besides Go and PostgreSQL:
#   * Debian's chromium (headless browser tests), installed with apt when
#     /usr/bin/chromium is missing and we are root; otherwise a warning.
#   * GOV.UK Frontend assets in web/static/govuk (scripts/assets.sh).
#
# Browser tests should start chromium like this (works as root in a container):
#   chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
#     --disable-background-networking --disable-component-update --disable-sync \
#     --user-data-dir=<fresh temp dir> ...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf 'test-deps: %s\n' "$*" >&2; }

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
	log "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo unknown version)"
elif [[ "$(id -u)" -eq 0 ]]; then
	log "installing chromium with apt-get"
	start=$SECONDS
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends chromium fonts-liberation >&2
	log "chromium installed in $((SECONDS - start))s: $("$CHROMIUM" --version 2>/dev/null || echo '?')"
else
	log "WARNING: $CHROMIUM is missing and we are not root; browser tests will be skipped or fail."
	log "WARNING: install it with: sudo apt-get install -y --no-install-recommends chromium fonts-liberation"
fi

"$ROOT/scripts/assets.sh"
