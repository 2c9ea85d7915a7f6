#!/bin/sh
# t3300: dh-query runs SQL and prints it as psql does.  The statements that
# dh and PostgreSQL both run today (SET, SHOW, RESET, transaction control,
# savepoints, and errors: syntax errors with LINE and caret, bad values)
# go through dh-query and through psql against a throwaway PostgreSQL 15;
# standard output and standard error must be the same text byte for byte
# (psql's "psql:" before a script's messages reads "dh-query:").
test_description='dh-query runs SQL: psql output, scripts, -c, \l, exit status'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

q() { dh-query -s s.store "$@"; }

have_pg=
pg_start && have_pg=1
# pg_test DESC BODY: a test against PostgreSQL, skipped without one
pg_test() {
	if test -n "$have_pg"; then
		test_expect_success "$@"
	else
		test_skip "$1" "$pg_why"
	fi
}
pq() { psql -X -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres "$@"; }

# compare NAME: run NAME.sql through both, as a script (-f) and as -c
cmp_script() {
	q --continue -f "$1.sql" >dh.out 2>dh.err || :
	pq -f "$1.sql" >pg.out 2>pg.err || :
	sed "s/^psql:/dh-query:/" pg.err >pg.err2 &&
	test_cmp pg.out dh.out && test_cmp pg.err2 dh.err
}

pg_test 'a script of SET, SHOW, transactions and errors prints as psql -f' '
	cat >s1.sql <<-\EOF &&
	SHOW TimeZone;
	SHOW transaction isolation level;
	SET extra_float_digits = 10;
	SET extra_float_digits = 2;
	SHOW extra_float_digits;
	RESET extra_float_digits;
	BEGIN;
	SET LOCAL TimeZone = '\''Europe/Oslo'\'';
	SHOW timezone;
	SAVEPOINT a;
	SELEC 1;
	SHOW timezone;
	ROLLBACK TO a;
	RELEASE a;
	COMMIT;
	COMMIT;
	ROLLBACK;
	SET LOCAL TimeZone = 1;
	SHOW TimeZone;
	START TRANSACTION ISOLATION LEVEL SERIALIZABLE;
	SHOW transaction_isolation;
	BEGIN;
	END;
	SET search_path = "$user", public, '\''My Schema'\'';
	SHOW search_path;
	SET DateStyle = '\''Klingon'\'';
	SET IntervalStyle = '\''x'\'';
	SET statement_timeout = '\''5 parsecs'\'';
	SET no_such = 1;
	SHOW no_such;
	SAVEPOINT s;
	EOF
	cmp_script s1
'

pg_test 'syntax errors: LINE, the caret, multi-line statements, comments' '
	cat >s2.sql <<-\EOF &&
	-- a comment before
	SELECT 1 +
	    FROM;
	/* a block comment */ SELEC 2;
	SELECT '\''é'\'', 	 1 + FROM t;
	SELECT '\''aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\'', 1 + FROM t;
	SELECT 1 + FROM tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt;
	SELECT '\''日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語'\'' + FROM;
	SELECT $$ a ; b $$ + FROM; SHOW TimeZone;
	SELECT (1;
	2) FROM;
	SELECT "a;b" + FROM;
	SELECT E'\''\'\'';'\'' + FROM;
	SHOW TimeZone
	EOF
	cmp_script s2
'

pg_test '-c is one query: several results, warnings, errors' '
	for c in "SHOW TimeZone; SHOW DateStyle" "BEGIN; COMMIT; COMMIT" \
		"SET LOCAL TimeZone = 1; SHOW TimeZone" "SHOW TimeZone; SELEC 1" \
		"SET TimeZone = '\''Mars/Olympus_Mons'\''" "SELECT '\''unterminated" \
		"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"
	do
		dhrc=0 && pgrc=0 &&
		q -c "$c" >dh.out 2>dh.err || dhrc=$?
		pq -c "$c" >pg.out 2>pg.err || pgrc=$?
		test_cmp pg.out dh.out && test_cmp pg.err dh.err &&
		test "$dhrc" = "$pgrc" || return 1
	done
'

pg_test 'NOTICEs (IF EXISTS, CASCADE, TRUNCATE) and WARNINGs print as psql prints them' '
	cat >s4.sql <<-\EOF &&
	DROP TABLE IF EXISTS n_a, n_b;
	DROP VIEW IF EXISTS n_v;
	CREATE TABLE n_a (id int PRIMARY KEY, x int);
	CREATE TABLE IF NOT EXISTS n_a (id int);
	CREATE TABLE n_b (a int REFERENCES n_a);
	CREATE VIEW n_v AS SELECT x FROM n_a;
	CREATE VIEW n_w AS SELECT x FROM n_v;
	ALTER TABLE n_a ADD COLUMN IF NOT EXISTS x int;
	TRUNCATE n_a CASCADE;
	DROP TABLE IF EXISTS n_nosuch, n_a;
	DROP TABLE n_a CASCADE;
	BEGIN;
	BEGIN;
	COMMIT;
	SET client_min_messages = warning;
	DROP TABLE IF EXISTS n_b;
	COMMIT;
	RESET client_min_messages;
	VACUUM n_nosuch_seq;
	EOF
	cmp_script s4 &&
	grep "^dh-query:s4.sql:11: NOTICE:  drop cascades to 3 other objects" dh.err &&
	for c in "DROP TABLE IF EXISTS n_x, n_y" "DROP TABLE IF EXISTS n_x; SELECT 1/0" \
		"SET client_min_messages = error; COMMIT"
	do
		dhrc=0 && pgrc=0 &&
		q -c "$c" >dh.out 2>dh.err || dhrc=$?
		pq -c "$c" >pg.out 2>pg.err || pgrc=$?
		test_cmp pg.out dh.out && test_cmp pg.err dh.err &&
		test "$dhrc" = "$pgrc" || return 1
	done
'

pg_test 'standard input: psql without -f (no FILE:LINE), -f - (<stdin>)' '
	printf "SHOW TimeZone;\nSELEC 1;\n" >s3.sql &&
	{ q --continue <s3.sql >dh.out 2>dh.err || :; } &&
	pq <s3.sql >pg.out 2>pg.err &&
	test_cmp pg.out dh.out && test_cmp pg.err dh.err &&
	cmp_script s3 &&
	{ q --continue -f - <s3.sql >dh.out 2>dh.err || :; } &&
	pq -f - <s3.sql >pg.out 2>pg.err &&
	sed "s/^psql:/dh-query:/" pg.err >pg.err2 &&
	test_cmp pg.out dh.out && test_cmp pg.err2 dh.err &&
	grep -q "^dh-query:<stdin>:2: ERROR:  syntax error" dh.err
'

test_expect_success 'one session for the whole run: BEGIN in one -c, COMMIT in the next' '
	q -c "BEGIN" -c "SET TimeZone = 1" -c "SHOW TimeZone" -c "ROLLBACK" -c "SHOW TimeZone" >out &&
	cat >expect <<-\EOF &&
	BEGIN
	SET
	 TimeZone 
	----------
	 <+01>-01
	(1 row)

	ROLLBACK
	 TimeZone 
	----------
	 UTC
	(1 row)

	EOF
	test_cmp expect out
'

test_expect_success 'the first error stops a script (exit 1) and rolls its block back' '
	printf "BEGIN;\nSET extra_float_digits = 0;\nSELEC 1;\nSHOW TimeZone;\n" >stop.sql &&
	test_expect_code 1 q -f stop.sql >out 2>err &&
	printf "BEGIN\nSET\n" >expect && test_cmp expect out &&
	grep -q "^dh-query:stop.sql:3: ERROR:  syntax error" err &&
	test_expect_code 1 q --continue -f stop.sql >out 2>err &&
	grep -q "^dh-query:stop.sql:4: ERROR:  current transaction is aborted" err &&
	test_expect_code 1 q -c "SHOW nope" 2>err &&
	echo "ERROR:  unrecognized configuration parameter \"nope\"" >expect && test_cmp expect err
'

test_expect_success 'SQL and Datalog in one input; comments before EDN' '
	cat >mix.sql <<-\EOF &&
	SHOW DateStyle;
	-- tx-data next
	[{:db/ident :m/x :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]
	/* a query */ [:find ?i . :where [?e :db/ident :m/x] [?e :db/ident ?i]]
	SHOW server_version_num;
	EOF
	q -f mix.sql >out &&
	grep -q "^ ISO, MDY$" out && grep -q "^:m/x$" out && grep -q "^ 150000$" out
'

test_expect_success '--format csv and json apply to SQL results; edn prints aligned' '
	q --format csv -c "SHOW TimeZone" >out &&
	printf "TimeZone\nUTC\n" >expect && test_cmp expect out &&
	q --format json -c "SHOW extra_float_digits" >out &&
	echo "[{\"extra_float_digits\":\"1\"}]" >expect && test_cmp expect out &&
	q --format edn -c "SHOW TimeZone" >out &&
	printf " TimeZone \n----------\n UTC\n(1 row)\n\n" >expect && test_cmp expect out
'

test_expect_success '\l lists databases and branches in psql'\''s layout' '
	q -c "\\l" >out &&
	head -n 1 out >title && grep -q "^ *List of databases$" title &&
	sed -n 2p out >head &&
	echo " Name | Branch | Parent | Head tx |          Head time          | Datoms " >expect &&
	test_cmp expect head &&
	grep -q "^ dh   | main   |        | *[0-9]* | " out &&
	tail -n 2 out | head -n 1 >footer && echo "(1 row)" >expect && test_cmp expect footer
'

test_expect_success '\dt lists tables; \dt+ is not supported yet (0A000 text)' '
	q -c "CREATE TABLE dt_t (a int)" -c "\\dt dt_*" >out &&
	grep -q "^ public | dt_t | table | dh$" out &&
	test_expect_code 1 q -c "\\dt+" 2>err &&
	grep -q "^ERROR:  \\\\dt+ is not supported yet$" err
'

test_expect_success 'a temporary table lives as long as its session and leaves no history' '
	q -c "CREATE TABLE keep (id int)" -c "INSERT INTO keep VALUES (1)" \
	  -c "CREATE TEMP TABLE keep (id int)" -c "INSERT INTO keep VALUES (2), (3)" \
	  -c "DELETE FROM keep WHERE id = 3" -c "SELECT sum(id) FROM keep" >out &&
	grep -q "^   2$" out &&
	q --format csv -c "SELECT id FROM keep" >out &&
	printf "id\n1\n" >expect &&
	test_cmp expect out &&
	q -c "[:find ?n :where [_ :dh.sql/table ?n]]" >tables &&
	! grep -q pg_temp tables &&
	q -c "CREATE TABLE gone (id int)" -c "INSERT INTO gone VALUES (7)" -c "DELETE FROM gone" &&
	q --history -c "[:find ?i ?added :where [?e ?a 7 _ ?added] [?a :db/ident ?i]]" >hist &&
	grep -q ":gone/id false" hist &&
	q --history -c "[:find ?i ?added :where [?e ?a 3 _ ?added] [?a :db/ident ?i]]" >hist &&
	! grep -q pg_temp hist
'

test_expect_success 'a statement reading more tables than the catalog cache holds (70)' '
	: >many.sql &&
	i=0 &&
	while test $i -lt 70; do
		echo "CREATE TABLE m$i (k$i int, v$i int); INSERT INTO m$i VALUES (1, $i);" >>many.sql &&
		i=$((i + 1)) || return 1
	done &&
	from=m0 && sum=v0 && i=1 &&
	while test $i -lt 70; do
		from="$from JOIN m$i ON k$i = k0" && sum="$sum + v$i" && i=$((i + 1)) || return 1
	done &&
	echo "SELECT sum($sum) AS total, count(*) AS n FROM $from;" >>many.sql &&
	q --format tsv -f many.sql >out &&
	tail -n 1 out >actual &&
	printf "2415\t1\n" >expect &&
	test_cmp expect actual
'

test_done
