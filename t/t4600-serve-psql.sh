#!/bin/sh
# t4600: psql against dh-serve, with PostgreSQL 15 as the oracle.  The
# same psql script (statements, NULLs, errors with their positions, the
# aborted-transaction state, several statements in one query string,
# warnings and notices) runs against a throwaway PostgreSQL 15 and against dh-serve;
# psql's output must be the same byte for byte.  Then the server's own
# behaviour: unknown databases, the connection limit, refusing a
# non-loopback address, startup options, --max-message-size (a longer
# message ends its connection with 08P01, others go on), and a SIGTERM that
# exits 0 and keeps what was committed.
test_description='dh-serve: psql against it and against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

. "$DH_SRC_DIR/t/lib-serve.sh"

# psql against dh-serve (d) and against PostgreSQL (p), database shop
d() { psql -X -h 127.0.0.1 -p "$DH_PORT" -d shop "$@"; }
p() { psql -X -h 127.0.0.1 -p "$PGPORT" -d shop "$@"; }

test_expect_success 'a store and a PostgreSQL database named shop' '
	dh-admin -s s.store create shop &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE shop"
'
serve --log-queries || echo "Bail out! dh-serve did not start"

cat >script.sql <<'EOF2'
CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, price numeric(8,2), qty int DEFAULT 0);
INSERT INTO item VALUES (1, 'bolt', 0.25, 100), (2, 'nut', 0.10, NULL), (3, 'gear', 12.50, 7);
INSERT INTO item (id, name) VALUES (4, 'it''s');
SELECT * FROM item ORDER BY id;
SELECT name, price * qty AS total FROM item WHERE qty IS NOT NULL ORDER BY total DESC;
SELECT count(*), sum(qty), avg(price) FROM item;
SELECT 1 / 0;
SELECT nosuch FROM item;
SELECT * FROM nosuch;
INSERT INTO item VALUES (1, 'dup', 1, 1);
INSERT INTO item (id) VALUES (9);
BEGIN;
UPDATE item SET qty = qty + 1 WHERE id = 1 RETURNING id, qty;
SELECT 1 +;
SELECT 1;
ROLLBACK;
SELECT qty FROM item WHERE id = 1;
COMMIT;
SELECT 'a' || NULL AS n, NULL::int AS i, true AS b, 1.5::float8 AS f, '2026-01-02'::date AS d;
SELECT FROM item;
DELETE FROM item WHERE id > 2 RETURNING *;
SELECT id, name FROM item ORDER BY id;
EOF2

test_expect_success 'a psql script prints the same through dh-serve as against PostgreSQL' '
	p -a -f script.sql >expect 2>&1 &&
	d -a -f script.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'several statements in one query string, one implicit transaction' '
	q="SELECT 1 AS a; SELECT 2 AS b; CREATE TABLE x1 (a int); SELECT 1/0; SELECT 3" &&
	{ p -c "$q"; echo "rc=$?"; p -c "SELECT * FROM x1"; echo "rc=$?"; } >expect 2>&1 &&
	{ d -c "$q"; echo "rc=$?"; d -c "SELECT * FROM x1"; echo "rc=$?"; } >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'an empty query and a query of comments' '
	p -c ";" -c "-- nothing" >expect 2>&1 &&
	d -c ";" -c "-- nothing" >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'a warning (COMMIT outside a transaction) reaches the client' '
	p -c "COMMIT" >expect 2>&1 &&
	d -c "COMMIT" >actual 2>&1 &&
	test_cmp expect actual
'

cat >notices.sql <<'EOF2'
DROP TABLE IF EXISTS n_a, n_b;
DROP VIEW IF EXISTS n_v;
DROP SEQUENCE IF EXISTS n_s;
DROP INDEX IF EXISTS n_i;
DROP TABLE IF EXISTS nosch.n_a;
CREATE TABLE n_a (id int PRIMARY KEY, x int);
CREATE TABLE IF NOT EXISTS n_a (id int);
CREATE INDEX IF NOT EXISTS n_a_pkey ON n_a (x);
CREATE SEQUENCE n_s;
CREATE SEQUENCE IF NOT EXISTS n_s;
CREATE TABLE n_b (a int REFERENCES n_a, d int DEFAULT nextval('n_s'));
CREATE VIEW n_v AS SELECT x FROM n_a;
CREATE VIEW n_w AS SELECT x FROM n_v;
ALTER TABLE n_a ADD COLUMN IF NOT EXISTS x int;
ALTER TABLE n_a DROP COLUMN IF EXISTS nosuch;
ALTER TABLE IF EXISTS nosuch ADD COLUMN y int;
TRUNCATE n_a CASCADE;
DROP TABLE IF EXISTS n_nosuch, n_a;
DROP SEQUENCE n_s CASCADE;
DROP TABLE n_a CASCADE;
VACUUM n_nosuch_v, n_b;
BEGIN;
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
COMMIT;
SET LOCAL TimeZone = 'UTC';
SET client_min_messages = warning;
DROP TABLE IF EXISTS n_a;
COMMIT;
RESET client_min_messages;
DROP TABLE n_b;
EOF2

test_expect_success 'NOTICEs and WARNINGs, before the result or the error, as PostgreSQL sends them' '
	p -c "CREATE VIEW n_nosuch_v AS SELECT 1 AS one" &&
	d -c "CREATE VIEW n_nosuch_v AS SELECT 1 AS one" &&
	p -f notices.sql >expect 2>&1 &&
	d -f notices.sql >actual 2>&1 &&
	test_cmp expect actual &&
	grep "NOTICE:  drop cascades to 3 other objects" actual &&
	{ p -c "DROP TABLE IF EXISTS n_x; SELECT 1/0"; echo "rc=$?"; } >expect 2>&1 &&
	{ d -c "DROP TABLE IF EXISTS n_x; SELECT 1/0"; echo "rc=$?"; } >actual 2>&1 &&
	test_cmp expect actual &&
	p -c "\\set VERBOSITY verbose" -c "DROP TABLE IF EXISTS n_x" -c "BEGIN" -c "BEGIN" \
		-c "CREATE TABLE IF NOT EXISTS n_nosuch_v (a int)" -c "COMMIT" 2>&1 |
		grep -v "^LOCATION:" >expect &&
	d -c "\\set VERBOSITY verbose" -c "DROP TABLE IF EXISTS n_x" -c "BEGIN" -c "BEGIN" \
		-c "CREATE TABLE IF NOT EXISTS n_nosuch_v (a int)" -c "COMMIT" >actual 2>&1 &&
	test_cmp expect actual &&
	grep "WARNING:  25001:" actual
'

test_expect_success 'an unknown database is refused with 3D000, as PostgreSQL does' '
	test_expect_code 2 psql -X -h 127.0.0.1 -p "$PGPORT" -d nosuch -c "SELECT 1" 2>expect &&
	test_expect_code 2 psql -X -h 127.0.0.1 -p "$DH_PORT" -d nosuch -c "SELECT 1" 2>actual &&
	sed "s/port [0-9]*/port N/" expect >expect.n &&
	sed "s/port [0-9]*/port N/" actual >actual.n &&
	test_cmp expect.n actual.n &&
	grep "3D000" serve.err
'

test_expect_success 'a CancelRequest stops the running statement with 57014' '
	# psql sends CancelRequest on SIGINT; again every half second until
	# it ends, in case the first came before the statement began
	# (exec ...): $! must be psql itself, not a subshell running it
	(exec psql -X -h 127.0.0.1 -p "$DH_PORT" -d shop \
		-c "SELECT count(*) FROM generate_series(1, 3000) a, generate_series(1, 5000) b") \
		>cancel.out 2>&1 &
	q=$! &&
	i=0 &&
	while ! grep -q "statement: SELECT count(\*) FROM generate_series(1, 3000)" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	n=0 &&
	while kill -INT $q 2>/dev/null && test $n -lt 20; do
		n=$((n + 1)); sleep 0.5
	done &&
	{ wait $q || :; } &&
	{ grep "ERROR:  canceling statement due to user request" cancel.out &&
	  grep "57014" serve.err || { cat cancel.out; tail -n 5 serve.err; exit 1; }; } &&
	d -A -t -c "SELECT 42" >after &&
	test "$(cat after)" = 42
'

test_expect_success 'DB:BRANCH names a branch' '
	dh-admin -s s.store branch shop:main exp &&
	psql -X -h 127.0.0.1 -p "$DH_PORT" -d shop:exp -c "INSERT INTO item VALUES (7, '"'branch only'"', 1, 1)" &&
	psql -X -A -t -h 127.0.0.1 -p "$DH_PORT" -d shop:exp -c "SELECT count(*) FROM item" >n.exp &&
	d -A -t -c "SELECT count(*) FROM item" >n.main &&
	test "$(cat n.exp)" = $(( $(cat n.main) + 1 ))
'

test_expect_success 'startup parameters and options set the session' '
	PGAPPNAME=myapp PGOPTIONS="-c extra_float_digits=0 -c DateStyle=German" \
		d -A -t -c "SHOW application_name" -c "SHOW extra_float_digits" -c "SHOW DateStyle" >actual &&
	printf "myapp\n0\nGerman, DMY\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'statement_timeout stops a statement (57014), the session goes on' '
	q="SELECT count(*) FROM generate_series(1, 200000000) a" &&
	p -c "SET statement_timeout = 300" -c "$q" -c "SELECT 1 AS after" >expect 2>&1 &&
	d -c "SET statement_timeout = '"'"'0.3s'"'"'" -c "$q" -c "SELECT 1 AS after" >actual 2>&1 &&
	test_cmp expect actual &&
	grep "canceling statement due to statement timeout" actual
'

# psql 15 describes a query (\gdesc) with Parse, Describe and Sync, then
# asks pg_catalog.format_type for the types' names
test_expect_success 'psql \gdesc (the extended protocol, then format_type) as against PostgreSQL' '
	printf "%s\n" "SELECT 1 AS one, '"'"'x'"'"'::varchar(3) AS v \\gdesc" "SELECT 2 AS two;" >ext.sql &&
	p -f ext.sql >expect 2>&1 &&
	d -f ext.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'without --allow-create-database, CREATE and DROP DATABASE are 0A000' '
	test_expect_code 1 d -v ON_ERROR_STOP=1 -c "CREATE DATABASE newdb" 2>err &&
	grep "CREATE DATABASE is not allowed here" err &&
	test_expect_code 1 d -v ON_ERROR_STOP=1 -c "DROP DATABASE shop" 2>err &&
	grep "DROP DATABASE is not allowed here" err
'

unserve
serve --allow-create-database || echo "Bail out! dh-serve did not start"

cat >db.sql <<'EOF2'
CREATE DATABASE newdb;
CREATE DATABASE newdb;
BEGIN;
CREATE DATABASE other;
ROLLBACK;
SELECT 1; CREATE DATABASE other;
DROP DATABASE nosuchdb;
DROP DATABASE shop;
DROP DATABASE newdb;
DROP DATABASE newdb;
EOF2

test_expect_success '--allow-create-database: CREATE and DROP DATABASE as PostgreSQL' '
	p -f db.sql >expect 2>&1 &&
	d -f db.sql >actual 2>&1 &&
	test_cmp expect actual &&
	dh-admin -s s.store list >list &&
	! grep "^newdb " list &&
	d -c "CREATE DATABASE newdb" &&
	psql -X -At -h 127.0.0.1 -p "$DH_PORT" -d newdb -c "SELECT current_database()" >cur &&
	echo newdb >expect.cur && test_cmp expect.cur cur &&
	d -c "DROP DATABASE IF EXISTS nosuchdb" &&
	d -c "DROP DATABASE newdb"
'

test_expect_success 'a database another session has open is not dropped (55006)' '
	d -c "CREATE DATABASE busy" &&
	mkfifo hold2 &&
	{ psql -X -h 127.0.0.1 -p "$DH_PORT" -d busy -f hold2 >held2.out 2>&1 & H=$!; } &&
	exec 6>hold2 && echo "SELECT 1;" >&6 &&
	i=0 &&
	while ! grep -q "database=busy" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	test_expect_code 1 d -v ON_ERROR_STOP=1 -c "DROP DATABASE busy" 2>err &&
	grep "database \"busy\" is being accessed by other users" err &&
	grep "There is 1 other session using the database." err &&
	exec 6>&- && wait $H &&
	d -c "DROP DATABASE busy"
'

unserve
serve --max-connections 1 || echo "Bail out! dh-serve did not start"

test_expect_success 'over --max-connections a client gets 53300' '
	mkfifo hold &&
	{ d -c "SELECT 1" -f hold >held.out 2>&1 & HOLD_PID=$!; } &&
	exec 7>hold &&
	i=0 &&
	while ! grep -q "connection:" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	test_expect_code 2 d -c "SELECT 1" 2>err &&
	grep "sorry, too many clients already" err &&
	exec 7>&- &&
	wait $HOLD_PID
'

test_expect_success 'a non-loopback address without --insecure: refused, exit 2' '
	test_expect_code 2 dh-serve -s s.store -h 0.0.0.0 -p "$DH_PORT" >out 2>err &&
	grep "non-loopback" err &&
	test_must_be_empty out
'

unserve
serve --max-message-size 1000 || echo "Bail out! dh-serve did not start"

# psql's Query: the length word (4), "SELECT length('...');" and a NUL,
# 23 bytes and the string's length: 1000 with 977 characters
test_expect_success '--max-message-size: a longer query ends its connection with 08P01, others go on' '
	mkfifo hold3 &&
	{ d -A -t -f hold3 >held3.out 2>&1 & H=$!; } &&
	exec 8>hold3 && echo "SELECT 41 AS before;" >&8 &&
	i=0 &&
	while ! grep -q "^41\$" held3.out; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	printf "SELECT length('"'"'%s'"'"');\n" "$(printf "%0977d" 0)" >under.sql &&
	d -A -t -f under.sql >under.out &&
	echo 977 >expect && test_cmp expect under.out &&
	printf "SELECT length('"'"'%s'"'"');\n" "$(printf "%0978d" 0)" >over.sql &&
	test_expect_code 2 d -A -t -f over.sql >over.out 2>err &&
	test_must_be_empty over.out &&
	grep "FATAL:  invalid message length" err &&
	grep "FATAL:  08P01 invalid message length" serve.err &&
	echo "SELECT 42 AS after;" >&8 && exec 8>&- && wait $H &&
	printf "41\n42\n" >expect && test_cmp expect held3.out &&
	d -A -t -c "SELECT 43" >again && echo 43 >expect && test_cmp expect again
'

test_expect_success '--max-message-size out of range: a usage error' '
	test_expect_code 2 dh-serve -s s.store -p "$DH_PORT" --max-message-size 4 2>err &&
	grep "max-message-size: not a number from 5 to 1073741822" err &&
	test_expect_code 2 dh-serve -s s.store -p "$DH_PORT" --max-message-size 1073741823 2>err &&
	test_expect_code 2 dh-serve -s s.store -p "$DH_PORT" --max-message-size 1k 2>err
'

unserve
serve || echo "Bail out! dh-serve did not start"
test_expect_success 'a committed insert before the SIGTERM' '
	d -c "INSERT INTO item VALUES (20, '"'last'"', 1, 1)"
'
unserve

test_expect_success 'SIGTERM: exit 0, what was committed is kept' '
	test "$(cat serve.rc)" = 0 &&
	grep "shut down" serve.err &&
	dh-query -s s.store -d shop --format tsv -c "SELECT name FROM item WHERE id = 20" >out &&
	grep "^last$" out
'

test_done
