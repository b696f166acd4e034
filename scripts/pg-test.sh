#!/bin/sh
# scripts/pg-test.sh start|stop|url [DIR] — a throwaway PostgreSQL cluster for the tests.
#
#   start  initdb in a fresh temporary folder (under TMPDIR, default /tmp), start the server with its Unix socket in that folder only
#          (listen_addresses = '': no TCP), fsync on, create the database "safeguard"; prints the URL
#          (PG_TEST_OPTS: more server options, e.g. "-c shared_preload_libraries=pg_stat_statements")
#   url    prints the URL of the cluster started last (postgresql:///safeguard?host=DIR)
#   stop   stops it and removes the folder
#
# The folder is named in build/pg-test.dir (or by DIR). PostgreSQL refuses to run as root, and CI runs as
# root: then the cluster belongs to a system user made for it (safeguard-test) and runs under runuser.
# Exit 3 when PostgreSQL is not installed (initdb missing), so a caller can skip by name.
set -eu
cmd=${1:-}
state=${PG_TEST_STATE:-build/pg-test.dir}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || { echo "pg-test: initdb not found (install postgresql-15)" >&2; exit 3; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u safeguard-test -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
	if [ "$(id -u)" = 0 ] && ! id safeguard-test >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin safeguard-test
	fi
	dir=${2:-$(mktemp -d "${TMPDIR:-/tmp}/safeguard-pg.XXXXXX")}
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown safeguard-test "$dir"
	chmod 700 "$dir"
	as_owner "$PGBIN/initdb" -D "$dir/data" -U safeguard --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=on -c synchronous_commit=on -c max_connections=200 ${PG_TEST_OPTS:-}" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as_owner "$PGBIN/createdb" -h "$dir" -U safeguard safeguard
	# the tests (as root) reach the socket: the folder lets others through, the socket is the cluster's
	chmod 711 "$dir"
	mkdir -p "$(dirname "$state")"
	echo "$dir" >"$state"
	echo "postgresql:///safeguard?host=$dir&user=safeguard"
	;;
url)
	dir=${2:-$(cat "$state")}
	echo "postgresql:///safeguard?host=$dir&user=safeguard"
	;;
stop)
	dir=${2:-$(cat "$state" 2>/dev/null || true)}
	[ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
	rm -rf "$dir"
	[ -f "$state" ] && [ "$(cat "$state")" = "$dir" ] && rm -f "$state"
	exit 0
	;;
*)
	echo "usage: $0 start|stop|url [DIR]" >&2
	exit 2
	;;
esac
