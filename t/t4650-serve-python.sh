#!/bin/sh
# t4650: Python's PostgreSQL drivers against dh-serve, with PostgreSQL 15
# as the oracle.  t/clients/psycopg2-check.py and psycopg3-check.py run
# sections of client code (parameters of every type, psycopg 3's binary
# parameters and results, prepared statements, pipelines, executemany,
# COPY, server-side cursors, error classes from SQLSTATEs, transactions,
# autocommit, read-only and isolation modes) and print what the driver
# handed back; each section runs against a throwaway PostgreSQL 15 and
# against dh-serve, and the outputs must be the same.
test_description='dh-serve: psycopg2 and psycopg 3 against it and against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

# CI sets DH_CLIENTS_REQUIRED=1: there a missing driver is a failure
client_skip() {
	if test "${DH_CLIENTS_REQUIRED:-}" = 1; then
		echo "Bail out! $*"
		exit 1
	fi
	skip_all "$@"
}

# the drivers come from Debian (python3-psycopg2, python3-psycopg): the
# python3 first on PATH may be another one without them
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import psycopg2, psycopg' 2>/dev/null; then
		PY=$p
		break
	fi
done
test -n "$PY" || client_skip "python3 with psycopg2 and psycopg not found (apt-get install python3-psycopg2 python3-psycopg)"

pg_start || skip_all "$pg_why"
. "$DH_SRC_DIR/t/lib-serve.sh"

test_expect_success 'a store and a PostgreSQL database named py' '
	dh-admin -s s.store create py &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE py"
'
serve || echo "Bail out! dh-serve did not start"

# run DRIVER SECTION...: the driver's sections against PostgreSQL (expect)
# and dh-serve (actual); the drivers' warnings go to the .err files
run() {
	drv=$1
	shift
	"$PY" "$DH_SRC_DIR/t/clients/$drv-check.py" 127.0.0.1 "$PGPORT" py "$@" \
		>expect 2>expect.err &&
	"$PY" "$DH_SRC_DIR/t/clients/$drv-check.py" 127.0.0.1 "$DH_PORT" py "$@" \
		>actual 2>actual.err &&
	! grep UNEXPECTED expect &&
	test_cmp expect actual
}

for s in types_roundtrip literals errors transactions many copy named_cursors; do
	test_expect_success "psycopg2: $s" "run psycopg2 $s"
done
# a WARNING (COMMIT outside a block) and a NOTICE (DROP ... IF EXISTS's
# "skipping") in conn.notices
test_expect_success 'psycopg2: notices' 'run psycopg2 notices'

for s in types_text_and_binary parameters prepared many_and_pipeline copy server_cursors \
	errors transactions; do
	test_expect_success "psycopg 3: $s" "run psycopg3 $s"
done
test_expect_failure 'psycopg 3: COPY in the binary format (not supported yet: 0A000)' '
	run psycopg3 copy_binary
'
test_expect_success 'psycopg 3: TypeInfo.fetch (pg_catalog.pg_type)' '
	run psycopg3 type_info
'

# psql sends FETCH as a simple Query: a BINARY cursor's rows come in binary
# (psql prints their bytes as they are)
cat >cursor.sql <<'EOF2'
BEGIN;
DECLARE c CURSOR FOR SELECT g, 'r' || g AS label FROM generate_series(1, 5) g;
FETCH 2 FROM c;
MOVE 1 IN c;
FETCH ALL FROM c;
DECLARE b BINARY CURSOR FOR SELECT 'text'::text AS t, 'AB'::bytea AS b, 16706::int2 AS i, NULL::int AS n;
FETCH b;
FETCH b;
COMMIT;
FETCH c;
EOF2
test_expect_success 'SQL cursors through psql: FETCH, MOVE, a BINARY cursor' '
	psql -X -h 127.0.0.1 -p "$PGPORT" -d py -f cursor.sql >expect 2>&1 &&
	psql -X -h 127.0.0.1 -p "$DH_PORT" -d py -f cursor.sql >actual 2>&1 &&
	test_cmp expect actual
'

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM' '
	test "$(cat serve.rc)" = 0
'
test_done
