#!/bin/sh
# scripts/pg-replica.sh start|url|kill-primary|promote|stop [DIR] — a throwaway PostgreSQL primary with a
# synchronous streaming replica, for the failover test (tests/e2e/pg_failover.test.mjs) and for trying a
# failover by hand (docs/SCALING.md, "Failover").
#
#   start         initdb the primary in DIR/primary (Unix socket in DIR/p only, no TCP), create the database
#                 "safeguard", take the replica with pg_basebackup -R (DIR/replica, socket in DIR/r), start it,
#                 and wait (bounded) until the primary reports it as its synchronous standby:
#                 synchronous_standby_names = '*' on the primary, so a COMMIT is acknowledged only once the
#                 replica has flushed it. Prints the multi-host URL (as `url`).
#   url           postgresql:///safeguard?host=DIR/p,DIR/r&user=safeguard&target_session_attrs=read-write —
#                 libpq tries both and keeps the one that accepts writes: after a promotion, the new primary
#   primary-url / replica-url   each server alone
#   kill-primary  SIGKILL the primary's postmaster (a crash of the database machine, as near as one gets here)
#   promote       promote the replica (pg_ctl promote -w): it accepts writes
#   restart-old-primary  start the killed primary again as it was, a primary, alone (synchronous_standby_names
#                 empty, as an operator or a supervisor restarting it by hand would): it accepts writes on its
#                 old timeline, the split brain the servers' fence must refuse (docs/SCALING.md "Fencing")
#   stop          stop whatever still runs and remove DIR
#
# DIR defaults to a fresh mktemp folder, remembered in build/pg-replica.dir (or $PG_REPLICA_STATE). As with
# scripts/pg-test.sh: PostgreSQL refuses to run as root, so as root the clusters belong to the system user
# safeguard-test. Exit 3 when PostgreSQL is not installed.
set -eu
cmd=${1:-}
state=${PG_REPLICA_STATE:-build/pg-replica.dir}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || { echo "pg-replica: initdb not found (install postgresql-15)" >&2; exit 3; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u safeguard-test -- "$@"; else "$@"; fi
}

dir_of() {
	d=${1:-$(cat "$state" 2>/dev/null || true)}
	[ -n "$d" ] || { echo "pg-replica: no cluster started (no $state)" >&2; exit 2; }
	echo "$d"
}

# Bounded: up to 60 tries a second apart (a replica that never catches up fails the start).
wait_sync() {
	i=0
	while [ $i -lt 60 ]; do
		s=$("$PGBIN/psql" -X -A -t -h "$1/p" -U safeguard -d postgres \
			-c "SELECT sync_state FROM pg_stat_replication" 2>/dev/null || true)
		[ "$s" = sync ] && return 0
		i=$((i + 1))
		sleep 1
	done
	echo "pg-replica: the replica did not become the synchronous standby" >&2
	return 1
}

case "$cmd" in
start)
	if [ "$(id -u)" = 0 ] && ! id safeguard-test >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin safeguard-test
	fi
	dir=${2:-$(mktemp -d "${TMPDIR:-/tmp}/safeguard-pgr.XXXXXX")}
	mkdir -p "$dir/p" "$dir/r"
	[ "$(id -u)" = 0 ] && chown safeguard-test "$dir" "$dir/p" "$dir/r"
	chmod 700 "$dir"
	as_owner "$PGBIN/initdb" -D "$dir/primary" -U safeguard --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# The primary: a COMMIT waits until the standby has flushed it (synchronous_commit = on, the default)
	as_owner "$PGBIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir/p' -c fsync=on -c synchronous_commit=on \
-c max_connections=200 -c wal_level=replica -c max_wal_senders=4 -c synchronous_standby_names='*'" \
		start >/dev/null || { cat "$dir/primary.log" >&2; exit 1; }
	# No standby yet: createdb would wait for one forever; this one command commits locally.
	as_owner "$PGBIN/psql" -X -q -h "$dir/p" -U safeguard -d postgres \
		-c "SET synchronous_commit = local" -c "CREATE DATABASE safeguard" >/dev/null
	as_owner "$PGBIN/pg_basebackup" -h "$dir/p" -U safeguard -D "$dir/replica" -R -X stream -c fast \
		>"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
	# The replica: no synchronous standby of its own (once promoted it must not wait for one)
	as_owner "$PGBIN/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir/r' -c fsync=on -c max_connections=200 \
-c synchronous_standby_names=''" \
		start >/dev/null || { cat "$dir/replica.log" >&2; exit 1; }
	chmod 711 "$dir"
	chmod 755 "$dir/p" "$dir/r"
	wait_sync "$dir"
	mkdir -p "$(dirname "$state")"
	echo "$dir" >"$state"
	echo "postgresql:///safeguard?host=$dir/p,$dir/r&user=safeguard&target_session_attrs=read-write"
	;;
url)
	dir=$(dir_of "${2:-}")
	echo "postgresql:///safeguard?host=$dir/p,$dir/r&user=safeguard&target_session_attrs=read-write"
	;;
primary-url)
	dir=$(dir_of "${2:-}")
	echo "postgresql:///safeguard?host=$dir/p&user=safeguard"
	;;
replica-url)
	dir=$(dir_of "${2:-}")
	echo "postgresql:///safeguard?host=$dir/r&user=safeguard"
	;;
kill-primary)
	dir=$(dir_of "${2:-}")
	pid=$(head -1 "$dir/primary/postmaster.pid")
	kill -KILL "$pid"
	# bounded: the postmaster is gone within 10 s of SIGKILL
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	echo "killed the primary's postmaster (pid $pid)"
	;;
promote)
	dir=$(dir_of "${2:-}")
	as_owner "$PGBIN/pg_ctl" -D "$dir/replica" -w -t 60 promote >/dev/null
	echo "promoted the replica"
	;;
restart-old-primary)
	dir=$(dir_of "${2:-}")
	# bounded: the killed postmaster's backends may still hold its shared memory for a moment (up to 20 tries)
	i=0
	until as_owner "$PGBIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir/p' -c fsync=on -c max_connections=200 \
-c synchronous_standby_names=''" start >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 20 ] || { cat "$dir/primary.log" >&2; exit 1; }
		sleep 0.5
	done
	echo "the old primary runs again, alone, on its old timeline"
	;;
stop)
	dir=${2:-$(cat "$state" 2>/dev/null || true)}
	[ -n "$dir" ] && [ -d "$dir" ] || exit 0
	for c in replica primary; do
		[ -f "$dir/$c/postmaster.pid" ] || continue
		as_owner "$PGBIN/pg_ctl" -D "$dir/$c" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
	done
	# (a killed primary's backends exit by themselves: they watch for their postmaster's death)
	rm -rf "$dir"
	[ -f "$state" ] && [ "$(cat "$state")" = "$dir" ] && rm -f "$state"
	exit 0
	;;
*)
	echo "usage: $0 start|url|primary-url|replica-url|kill-primary|promote|restart-old-primary|stop [DIR]" >&2
	exit 2
	;;
esac
