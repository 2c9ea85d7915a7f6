# t/lib-pg.sh: a throwaway PostgreSQL 15 cluster for the tests that use real
# PostgreSQL as their oracle.  Source it after t/lib.sh, then
#
#	pg_start || skip_all "$pg_why"     (or fail: see DH_PG_REQUIRED)
#	psql "$PG_URI" -c 'select 1'       PG_URI, PGHOST, PGPORT are exported
#	pg_stop                            also run at exit (with lib.sh's _die)
#
# The cluster lives in a fresh temporary directory, listens only on a unix
# socket there and on 127.0.0.1 at a free port, trusts local connections,
# and runs as a non-root user: when the tests run as root, as the user
# "postgres" (Debian's postgresql package creates it).  Its server log is
# $PG_DIR/log.  DH_PG_BIN overrides where initdb and pg_ctl are (default:
# the newest /usr/lib/postgresql/*/bin).  With DH_PG_REQUIRED=1 (CI), a
# missing PostgreSQL is an error, not a skip.  fsync is off unless
# DH_PG_FSYNC=on (benchmarks that compare durable commits).

pg_bindir() {
	if test -n "${DH_PG_BIN:-}"; then
		echo "$DH_PG_BIN"
		return
	fi
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -n 1
}

# as_pg CMD...: run CMD as the cluster's user
as_pg() {
	if test "$(id -u)" = 0; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_free_port() {
	# a port nothing listens on, from a range the tests own
	p=$(( 20000 + ($$ % 20000) ))
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}

pg_start() {
	pg_why=
	bin=$(pg_bindir)
	if test -z "$bin" || ! test -x "$bin/initdb" || ! test -x "$bin/pg_ctl"; then
		pg_why="PostgreSQL server not found (apt-get install postgresql)"
	elif test "$(id -u)" = 0 && ! id postgres >/dev/null 2>&1; then
		pg_why="running as root and there is no user postgres to run PostgreSQL as"
	fi
	if test -n "$pg_why"; then
		if test "${DH_PG_REQUIRED:-}" = 1; then
			echo "Bail out! $pg_why"
			exit 1
		fi
		return 1
	fi
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dh-pg.XXXXXX")
	chmod 755 "$PG_DIR"
	test "$(id -u)" = 0 && chown postgres "$PG_DIR"
	PGPORT=$(pg_free_port)
	as_pg "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		pg_why="initdb failed"
		return 1
	}
	as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
		-o "-p $PGPORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${DH_PG_FSYNC:-off} -c TimeZone=UTC" \
		start >/dev/null 2>&1 || {
		cat "$PG_DIR/log" >&2
		pg_why="the PostgreSQL server did not start"
		return 1
	}
	PGHOST=$PG_DIR
	PGUSER=postgres
	PGDATABASE=postgres
	PG_URI="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
	export PGHOST PGPORT PGUSER PGDATABASE PG_URI PG_DIR
	trap 'pg_stop; _die' EXIT
	return 0
}

pg_stop() {
	if test -n "${PG_DIR:-}" && test -d "$PG_DIR/data"; then
		as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
		rm -rf "$PG_DIR"
	fi
	PG_DIR=
}
