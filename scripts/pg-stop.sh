#!/usr/bin/env bash
# scripts/pg-stop.sh DIR — stop a PostgreSQL started by scripts/pg-start.sh and
# delete its state directory DIR (the first line pg-start.sh printed).
set -euo pipefail

log() { printf 'pg-stop: %s\n' "$*" >&2; }

DIR="${1:-}"
if [[ -z "$DIR" ]]; then
	log "usage: $0 DIR"
	exit 2
fi
if [[ ! -d "$DIR" ]]; then
	log "$DIR does not exist; nothing to stop"
	exit 0
fi
if [[ ! -f "$DIR/.tether-pg" ]]; then
	log "$DIR was not made by scripts/pg-start.sh; refusing to touch it"
	exit 1
fi

BIN="$(cat "$DIR/bin" 2>/dev/null || true)"
if [[ -z "$BIN" || ! -x "$BIN/pg_ctl" ]]; then
	BIN="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
fi

if [[ -f "$DIR/data/postmaster.pid" ]]; then
	if [[ "$(id -u)" -eq 0 ]]; then
		(cd / && runuser -u "$(stat -c %U "$DIR/data")" -- "$BIN/pg_ctl" stop -D "$DIR/data" -m immediate -w -t 30) >&2 || true
	else
		(cd / && "$BIN/pg_ctl" stop -D "$DIR/data" -m immediate -w -t 30) >&2 || true
	fi
	# Last resort if pg_ctl could not stop it.
	if [[ -f "$DIR/data/postmaster.pid" ]]; then
		pid="$(head -n1 "$DIR/data/postmaster.pid" 2>/dev/null || true)"
		if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
			log "pg_ctl stop failed; sending SIGQUIT to postmaster $pid"
			kill -QUIT "$pid" 2>/dev/null || true
			sleep 1
		fi
	fi
fi

rm -rf "$DIR"
log "stopped and removed $DIR"
