#!/bin/sh
# t4660: pgjdbc (Debian's libpostgresql-jdbc-java) against dh-serve, with
# PostgreSQL 15 as the oracle.  t/clients/JdbcCheck.java runs sections of
# JDBC code (PreparedStatement setters and ResultSet getters of every
# type, statements pgjdbc prepares on the server after five runs, batches,
# generated keys, SQLSTATEs, transactions, savepoints, read-only and
# isolation, fetch sizes that read a portal in pieces, DatabaseMetaData)
# against a throwaway PostgreSQL 15 and against dh-serve; the outputs
# must be the same.
test_description='dh-serve: pgjdbc against it and against PostgreSQL 15'
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

JAR=${DH_PGJDBC_JAR:-/usr/share/java/postgresql.jar}
test -r "$JAR" || client_skip "pgjdbc not found at $JAR (apt-get install libpostgresql-jdbc-java)"
command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1 ||
	client_skip "no JDK (apt-get install default-jdk-headless)"

pg_start || skip_all "$pg_why"
. "$DH_SRC_DIR/t/lib-serve.sh"

test_expect_success 'JdbcCheck compiles' '
	javac -encoding UTF-8 -d classes -cp "$JAR" "$DH_SRC_DIR/t/clients/JdbcCheck.java"
'

test_expect_success 'a store and a PostgreSQL database named jdbc' '
	dh-admin -s s.store create jdbc &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE jdbc"
'
serve || echo "Bail out! dh-serve did not start"

# run NAME SECTION...: the sections against PostgreSQL (NAME.expect) and
# dh-serve (NAME.actual)
run() {
	n=$1
	shift
	java -Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8 -cp "$JAR:classes" JdbcCheck 127.0.0.1 "$PGPORT" jdbc "$@" >$n.expect 2>$n.expect.err &&
	java -Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8 -cp "$JAR:classes" JdbcCheck 127.0.0.1 "$DH_PORT" jdbc "$@" >$n.actual 2>$n.actual.err &&
	! grep UNEXPECTED $n.expect &&
	test_cmp $n.expect $n.actual
}

test_expect_success 'pgjdbc: types, batches, transactions, errors, fetch sizes' '
	run main types batches transactions errors fetch_size
'
test_expect_success 'pgjdbc: interval and jsonb results (pgjdbc reads pg_catalog.pg_type by OID)' '
	run typecat types_catalog
'
test_expect_success 'pgjdbc: DatabaseMetaData getTables, getColumns, getPrimaryKeys, getIndexInfo, getImportedKeys, getSchemas (pg_catalog)' '
	run meta metadata
'
test_expect_success 'pgjdbc: ResultSetMetaData table names, nullability, serial (RowDescription table OIDs, pg_attribute)' '
	run rsmeta batches transactions result_metadata
'

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM' '
	test "$(cat serve.rc)" = 0
'
test_done
