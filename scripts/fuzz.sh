#!/usr/bin/env bash
# scripts/fuzz.sh [FUZZTIME] — run every Fuzz* target in the module for
# FUZZTIME each (default 10s). `go test -fuzz` accepts one target in one
# package at a time, so list them first and loop.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

GO="${GO:-go}"
FUZZTIME="${1:-${FUZZTIME:-10s}}"

log() { printf 'fuzz: %s\n' "$*" >&2; }

# `go test -list` prints the matching names of a package, then a line
# "ok  <pkg> <time>" (or "?   <pkg> [no test files]"). Pair them up.
listing="$("$GO" test -list '^Fuzz' ./...)"
targets="$(printf '%s\n' "$listing" | awk '
	/^Fuzz[A-Za-z0-9_]*$/ { names[n++] = $0; next }
	/^(ok|\?)[ \t]/        { for (i = 0; i < n; i++) print $2 " " names[i]; n = 0 }
')"

if [[ -z "$targets" ]]; then
	log "no Fuzz* targets found"
	exit 0
fi

count=0
failed=()
while read -r pkg name; do
	[[ -n "$pkg" ]] || continue
	count=$((count + 1))
	log "$pkg $name for $FUZZTIME"
	if ! "$GO" test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" "$pkg"; then
		failed+=("$pkg.$name")
	fi
done <<<"$targets"

if ((${#failed[@]} > 0)); then
	log "FAILED: ${failed[*]} (new crashers are written to testdata/fuzz/ in the package)"
	exit 1
fi
log "ran $count fuzz target(s), all passed"
