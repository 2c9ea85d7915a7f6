#!/bin/sh
# t4640: the extended query protocol against dh-serve, with PostgreSQL 15
# as the oracle.  t/pgwire/extended.script sends Parse, Bind, Describe,
# Execute, Close, Sync and Flush messages exactly as written (named and
# unnamed statements and portals, inferred and given parameter types, text
# and binary values both ways, row limits, errors skipped up to Sync, the
# implicit transaction, pipelining) through t/helper/pgwire-script.py,
# first to a throwaway PostgreSQL 15, then to dh-serve; every message the
# two answer must be the same.  t/pgwire/notify.script does the same for
# LISTEN and NOTIFY between sessions.  Then pgbench's extended and
# prepared modes with a custom script.
test_description='dh-serve: the extended query protocol, against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"
command -v python3 >/dev/null || skip_all "python3 is not installed"

. "$DH_SRC_DIR/t/lib-serve.sh"

script() {
	python3 "$DH_SRC_DIR/t/helper/pgwire-script.py" 127.0.0.1 "$1" postgres "$2"
}

test_expect_success 'a store and a PostgreSQL database named ext' '
	dh-admin -s s.store create ext &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE ext"
'
serve || echo "Bail out! dh-serve did not start"

test_expect_success 'the extended protocol, message by message, as PostgreSQL answers' '
	script "$PGPORT" ext <"$DH_SRC_DIR/t/pgwire/extended.script" >expect 2>&1 &&
	script "$DH_PORT" ext <"$DH_SRC_DIR/t/pgwire/extended.script" >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'LISTEN and NOTIFY between sessions, delivered as PostgreSQL does' '
	script "$PGPORT" ext <"$DH_SRC_DIR/t/pgwire/notify.script" >expect 2>&1 &&
	script "$DH_PORT" ext <"$DH_SRC_DIR/t/pgwire/notify.script" >actual 2>&1 &&
	test_cmp expect actual &&
	grep "NotificationResponse from b: orders" actual
'

test_expect_success 'without dh-serve, LISTEN and NOTIFY are refused (0A000)' '
	test_expect_code 1 dh-query -s s.store -d ext -c "LISTEN x" 2>err &&
	grep "ERROR:  LISTEN, UNLISTEN and NOTIFY are not supported outside dh-serve" err
'

cat >bench.sql <<'EOF2'
\set id random(1, 3)
\set delta random(-100, 100)
SELECT name, qty FROM item WHERE id = :id;
UPDATE item SET qty = qty + :delta WHERE id = :id;
INSERT INTO hist (id, delta) VALUES (:id, :delta);
EOF2

for mode in extended prepared; do
	test_expect_success "pgbench -M $mode: every transaction, and what they wrote adds up" '
		d() { psql -X -q -At -h 127.0.0.1 -p "$DH_PORT" -d ext "$@"; } &&
		d -c "DROP TABLE IF EXISTS item, hist" &&
		d -c "CREATE TABLE item (id int PRIMARY KEY, name text, qty int)" &&
		d -c "CREATE TABLE hist (id int, delta int)" &&
		d -c "INSERT INTO item VALUES (1, '\''a'\'', 0), (2, '\''b'\'', 0), (3, '\''c'\'', 0)" &&
		pgbench -n -h 127.0.0.1 -p "$DH_PORT" -d ext -f bench.sql -M '"$mode"' \
			-c 2 -j 2 -t 50 >pgbench.out 2>&1 &&
		grep "^number of transactions actually processed: 100/100$" pgbench.out &&
		grep "^number of failed transactions: 0 " pgbench.out &&
		test "$(d -c "SELECT count(*) FROM hist")" = 100 &&
		d -c "SELECT sum(qty) FROM item" >qty &&
		d -c "SELECT sum(delta) FROM hist" >delta &&
		test_cmp qty delta
	'
done

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM' '
	test "$(cat serve.rc)" = 0
'
test_done
