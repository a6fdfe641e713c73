#!/usr/bin/env bash
# scripts/assets.sh — install GOV.UK Frontend with npm and copy its compiled
# files into web/static/govuk/ (gitignored; embedded by the Go web package
# through //go:embed static).
#
# Result:
#   web/static/govuk/govuk-frontend.min.css   -> served at /static/govuk/govuk-frontend.min.css
#   web/static/govuk/govuk-frontend.min.js    -> served at /static/govuk/govuk-frontend.min.js (an ES module)
#   web/static/govuk/assets/{fonts,images,manifest.json}
#                                             -> served at /assets/... (the CSS uses
#                                                url(/assets/fonts/...) and url(/assets/images/...))
#
# `npm ci` only runs when node_modules is missing or older than package-lock.json
# (a stamp inside node_modules records the hash of the lock file it was built from).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SRC="node_modules/govuk-frontend/dist/govuk"
DEST="web/static/govuk"
STAMP="node_modules/.tether-lock-hash"

log() { printf 'assets: %s\n' "$*" >&2; }

# Serialise concurrent runs (several people/make invocations in one tree).
# The lock lives outside node_modules because `npm ci` deletes that folder.
mkdir -p web/static
if command -v flock >/dev/null 2>&1; then
	exec 9>"web/static/.govuk.lock"
	flock 9
fi

want="$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"

if [[ ! -f "$SRC/govuk-frontend.min.css" || "$want" != "$have" ]]; then
	if ! command -v npm >/dev/null 2>&1; then
		log "npm is not installed; install Node.js 20+ and npm"
		exit 1
	fi
	log "running npm ci (node_modules missing or stale)"
	npm ci --no-audit --no-fund >&2
	# npm ci recreates node_modules; (re)write the stamp and lock afterwards.
	printf '%s\n' "$want" >"$STAMP"
fi

for f in govuk-frontend.min.css govuk-frontend.min.js assets/manifest.json; do
	if [[ ! -e "$SRC/$f" ]]; then
		log "expected $SRC/$f is missing (govuk-frontend layout changed?)"
		exit 1
	fi
done

# Copy into a temporary folder, then swap it in, so a concurrent `go build`
# never embeds a half-copied tree. (Dot-names are skipped by //go:embed static.)
tmp="$(mktemp -d web/static/.govuk.tmp.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
cp "$SRC/govuk-frontend.min.css" "$SRC/govuk-frontend.min.js" "$tmp/"
cp -R "$SRC/assets" "$tmp/assets"
find "$tmp" -type d -exec chmod 755 {} +
find "$tmp" -type f -exec chmod 644 {} +

old=""
if [[ -e "$DEST" ]]; then
	old="$(mktemp -d web/static/.govuk.old.XXXXXX)"
	mv "$DEST" "$old/"
fi
mv "$tmp" "$DEST"
[[ -n "$old" ]] && rm -rf "$old"

version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/govuk-frontend/package.json | head -n1)"
log "govuk-frontend ${version} copied to $DEST"
