#!/usr/bin/env bash
# scripts/pg-start.sh — start a throwaway PostgreSQL for tests.
#
# Usage:
#   out="$(scripts/pg-start.sh)"
#   dir="$(printf '%s\n' "$out" | head -n1)"     # pass to scripts/pg-stop.sh
#   dsn="$(printf '%s\n' "$out" | tail -n1)"     # postgres://postgres@127.0.0.1:PORT/tether_test?sslmode=disable
#
# stdout has exactly two lines: the state directory, then the DSN (last line).
# All progress messages go to stderr. The directory also holds `dsn`, `port`
# and `postgres.log`.
#
# Environment:
#   TETHER_PG_PORT   first port to try (default 55432); taken ports are skipped
#   TETHER_PG_BIN    directory with initdb/pg_ctl/createdb (default: autodetect)
#   TMPDIR           parent of the state directory (default /tmp)
#
# The server listens on 127.0.0.1 only, with trust authentication, fsync off:
# never use it for anything but tests.
set -euo pipefail

DB_NAME="tether_test"
DB_USER="postgres"
START_PORT="${TETHER_PG_PORT:-55432}"
MAX_TRIES=50

log() { printf 'pg-start: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

find_bin() {
	local d cand
	if [[ -n "${TETHER_PG_BIN:-}" ]]; then
		[[ -x "$TETHER_PG_BIN/pg_ctl" ]] && { printf '%s\n' "$TETHER_PG_BIN"; return 0; }
		return 1
	fi
	if cand="$(command -v pg_ctl 2>/dev/null)"; then
		d="$(dirname "$(readlink -f "$cand")")"
		if [[ -x "$d/initdb" && -x "$d/postgres" ]]; then
			printf '%s\n' "$d"
			return 0
		fi
	fi
	# Debian layout: /usr/lib/postgresql/<major>/bin; take the newest major.
	for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k4,4 -n -r); do
		if [[ -x "$d/pg_ctl" && -x "$d/initdb" ]]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

if ! BIN="$(find_bin)"; then
	is_root || die "PostgreSQL server binaries not found and not root; install the 'postgresql' package"
	log "PostgreSQL binaries not found; installing the Debian 'postgresql' package"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y --no-install-recommends postgresql >&2
	BIN="$(find_bin)" || die "PostgreSQL installed but pg_ctl/initdb still not found"
fi
log "using $("$BIN/pg_ctl" --version) from $BIN"

# initdb refuses to run as root: run the server as the `postgres` system user.
if is_root; then
	if ! id -u "$DB_USER" >/dev/null 2>&1; then
		log "creating system user $DB_USER"
		useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$DB_USER"
	fi
	as_pg() { (cd / && runuser -u "$DB_USER" -- "$@"); }
else
	as_pg() { (cd / && "$@"); }
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/tether-pg.XXXXXX")"
started=""
cleanup_on_error() {
	local rc=$?
	if [[ $rc -ne 0 ]]; then
		if [[ -n "$started" ]]; then
			as_pg "$BIN/pg_ctl" stop -D "$DIR/data" -m immediate >&2 || true
		fi
		if [[ -f "$DIR/postgres.log" ]]; then
			log "server log ($DIR/postgres.log):"
			tail -n 30 "$DIR/postgres.log" >&2 || true
		fi
		rm -rf "$DIR"
	fi
}
trap cleanup_on_error EXIT

touch "$DIR/.tether-pg"   # marker checked by pg-stop.sh before deleting
chmod 700 "$DIR"
if is_root; then
	chown -R "$DB_USER:" "$DIR"
fi

log "initdb into $DIR/data"
as_pg "$BIN/initdb" -D "$DIR/data" --username="$DB_USER" --auth=trust \
	--encoding=UTF8 --locale=C --no-sync --no-instructions >"$DIR/initdb.log" 2>&1 ||
	{ cat "$DIR/initdb.log" >&2; die "initdb failed"; }

port_in_use() {
	# Anything accepting connections on 127.0.0.1:PORT?
	timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

port=""
p="$START_PORT"
for ((i = 0; i < MAX_TRIES; i++, p++)); do
	if port_in_use "$p"; then
		log "port $p is in use, trying the next one"
		continue
	fi
	if as_pg "$BIN/pg_ctl" start -w -t 60 -D "$DIR/data" -l "$DIR/postgres.log" \
		-o "-p $p -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		>&2; then
		port="$p"
		started=1
		break
	fi
	# Lost a race for the port (or another failure): look at the log.
	if grep -qiE 'could not bind|address already in use|lock file .* already exists' "$DIR/postgres.log" 2>/dev/null; then
		log "port $p was taken while starting, trying the next one"
		: >"$DIR/postgres.log"
		continue
	fi
	die "pg_ctl start failed"
done
[[ -n "$port" ]] || die "no free port found in $START_PORT..$((START_PORT + MAX_TRIES - 1))"

"$BIN/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME" >&2 ||
	die "createdb $DB_NAME failed"

DSN="postgres://${DB_USER}@127.0.0.1:${port}/${DB_NAME}?sslmode=disable"
printf '%s\n' "$port" >"$DIR/port"
printf '%s\n' "$DSN" >"$DIR/dsn"
printf '%s\n' "$BIN" >"$DIR/bin"
log "PostgreSQL ready on 127.0.0.1:$port (stop with: scripts/pg-stop.sh $DIR)"

trap - EXIT
printf '%s\n' "$DIR"
printf '%s\n' "$DSN"
