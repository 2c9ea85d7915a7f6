#!/bin/sh
# t4200: the sqllogictest runner parses, renders, sorts, hashes and compares
# as the format says, checked against real PostgreSQL with the runner's own
# corpus (t/slt/selftest.test, expectations worked out by hand), and with
# small files whose expectations are wrong on purpose.  When the classic
# corpus is at $DH_SLT_DIR, the start of select1.test is a smoke test.
test_description='dh-slt, the sqllogictest runner'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"
selftest=$DH_SRC_DIR/t/slt/selftest.test
DH_SLT_DIR=${DH_SLT_DIR:-$DH_SRC_DIR/../shared/slt}

# the per-file line without its time
summary() {
	sed -e 's/ ([0-9.]* s)$//' -e 's|^.*/||' "$@"
}

test_expect_success 'the self-test corpus passes against PostgreSQL' '
	dh-slt --engine pg --uri "$PG_URI" "$selftest" >out 2>err &&
	cat out err &&
	summary out >actual &&
	cat >expect <<-\EOF &&
	selftest.test: 39 records: statements 8 ok, 0 failed; queries 27 ok, 0 failed; 3 skipped; 100.00% pass
	EOF
	test_cmp expect actual &&
	test_must_be_empty err
'

test_expect_success 'the databases it made are gone' '
	psql -X -At -c "select count(*) from pg_database where datname like '\''dh_slt_%'\''" >n &&
	echo 0 >expect &&
	test_cmp expect n
'

test_expect_success '--limit runs the first N statement and query records' '
	dh-slt --engine pg --uri "$PG_URI" --limit 5 "$selftest" >out &&
	summary out >actual &&
	cat >expect <<-\EOF &&
	selftest.test: 5 records: statements 5 ok, 0 failed; queries 0 ok, 0 failed; 0 skipped; 100.00% pass
	EOF
	test_cmp expect actual
'

test_expect_success 'wrong expectations fail, each for its own reason' '
	cat >bad.test <<-\EOF &&
	statement ok
	CREATE TABLE t(a INTEGER)

	statement ok
	INSERT INTO t VALUES(1),(2),(3)

	statement error
	SELECT 1

	statement ok
	SELEC 1

	query I nosort
	SELECT 2
	----
	3

	# fewer values than the result (the reference runner compares only as
	# many as both have; this runner wants them all)
	query I rowsort
	SELECT a FROM t
	----
	1
	2

	query II nosort
	SELECT 1
	----
	1
	1

	query I rowsort
	SELECT t.a FROM t, t AS u
	----
	9 values hashing to 00000000000000000000000000000000

	query I nosort
	SELECT * FROM nothing
	----
	1

	query X nosort
	SELECT 1
	----
	1

	query I nosort
	SELECT 1
	----
	1

	query I nosort lab
	SELECT 1
	----
	1

	query I nosort lab
	SELECT 2
	----
	2
	EOF
	test_expect_code 1 dh-slt --engine pg --uri "$PG_URI" -v --max-errors 0 bad.test >out 2>err &&
	cat out err &&
	summary out >actual &&
	cat >expect <<-\EOF &&
	bad.test: 13 records: statements 2 ok, 2 failed; queries 3 ok, 6 failed; 0 skipped; 38.46% pass
	bad.test: 1 labeled expectations disagree with their label
	EOF
	test_cmp expect actual &&
	sed -e "s/: \[[0-9A-Z]*\] .*//" err >reasons &&
	cat >expect <<-\EOF &&
	bad.test:7: statement succeeded, wanted an error
	bad.test:10: statement failed
	bad.test:13: wrong result
	bad.test:20: wrong result
	bad.test:26: wrong number of result columns: expected 2, got 1
	bad.test:32: wrong result hash
	bad.test:37: query failed
	bad.test:42: unknown type character '\''X'\'' in type string
	bad.test:57: labeled result [lab] does not agree with previous values (in the test file)
	EOF
	test_cmp expect reasons &&
	grep "^bad.test:37: query failed: \[42P01\] relation \"nothing\" does not exist$" err
'

test_expect_success '--max-errors shows the SQL, the expected and the got' '
	test_expect_code 1 dh-slt --engine pg --uri "$PG_URI" --max-errors 1 bad.test >out 2>err &&
	cat >expect <<-\EOF &&
	bad.test:7: statement succeeded, wanted an error
	  sql:
	    SELECT 1
	bad.test:57: labeled result [lab] does not agree with previous values (in the test file)
	EOF
	test_cmp expect err &&
	test_expect_code 1 dh-slt --engine pg --uri "$PG_URI" -v --max-errors 6 bad.test >out 2>err &&
	sed -n "/^bad.test:32:/,/^bad.test:37:/p" err >actual &&
	cat >expect <<-\EOF &&
	bad.test:32: wrong result hash
	  sql:
	    SELECT t.a FROM t, t AS u
	  expected (1):
	    9 values hashing to 00000000000000000000000000000000
	  got (1):
	    9 values hashing to 245313dc4e9fc19df7ee93651efe9bf2
	  got values (9):
	    1
	    1
	    1
	    2
	    2
	    2
	    3
	    3
	    3
	bad.test:37: query failed: [42P01] relation "nothing" does not exist
	EOF
	test_cmp expect actual
'

test_expect_success '--log writes one line per failing record' '
	test_expect_code 1 dh-slt --engine pg --uri "$PG_URI" --log fail.log bad.test >out &&
	test_line_count = 8 fail.log &&
	grep "^bad.test	37	query failed	42P01	relation \"nothing\" does not exist	SELECT \* FROM nothing$" fail.log
'

test_expect_success 'a label disagreeing in a skipped record is found too' '
	cat >label.test <<-\EOF &&
	query I nosort x
	SELECT 1
	----
	1

	skipif postgresql
	query I nosort x
	SELECT 1
	----
	2
	EOF
	dh-slt --engine pg --uri "$PG_URI" label.test >out 2>err &&
	grep "^label.test:7: labeled result \[x\] does not agree" err
'

test_expect_success 'CRLF line ends and blank lines of spaces' '
	printf "statement ok  \r\nCREATE TABLE x(a INTEGER)\r\n  \t\r\nquery I nosort\r\nSELECT 1\r\n----\r\n1\r\n" >crlf.test &&
	dh-slt --engine pg --uri "$PG_URI" crlf.test >out &&
	grep "2 records: statements 1 ok, 0 failed; queries 1 ok, 0 failed" out
'

test_expect_success 'a record over --timeout fails and the file goes on' '
	cat >slow.test <<-\EOF &&
	query I nosort
	SELECT 1 FROM pg_sleep(5)
	----
	1

	query I nosort
	SELECT 2
	----
	2
	EOF
	test_expect_code 1 dh-slt --engine pg --uri "$PG_URI" --timeout 1 -v slow.test >out 2>err &&
	grep "^slow.test:1: query failed: \[57014\]" err &&
	grep "queries 1 ok, 1 failed" out
'

test_expect_success 'an unknown record type stops the file' '
	printf "query I nosort\nSELECT 1\n----\n1\n\nfrobnicate\n\nquery I nosort\nSELECT 1\n----\n1\n" >unknown.test &&
	test_expect_code 1 dh-slt --engine pg --uri "$PG_URI" unknown.test >out &&
	grep "^unknown.test: unknown record type at line 6: .frobnicate.$" out &&
	grep "queries 1 ok, 0 failed" out
'

test_expect_success 'the table over files, and --tsv' '
	dh-slt --engine pg --uri "$PG_URI" "$selftest" crlf.test >out &&
	grep "^total  *41 " out &&
	dh-slt --engine pg --uri "$PG_URI" --tsv "$selftest" crlf.test >out &&
	sed "s|^.*/||" out >actual &&
	cut -f 1-8 actual >actual8 &&
	printf "file\trecords\tstmt_ok\tstmt_fail\tquery_ok\tquery_fail\tskipped\tpass_pct\n" >expect &&
	printf "selftest.test\t39\t8\t0\t27\t0\t3\t100.00\n" >>expect &&
	printf "crlf.test\t2\t1\t0\t1\t0\t0\t100.00\n" >>expect &&
	test_cmp expect actual8
'

test_expect_success 'the dh engine runs the self-test to its end' '
	rc=0 &&
	dh-slt --engine dh "$selftest" >out 2>err || rc=$? &&
	cat out err &&
	test $rc -le 1 &&
	grep "selftest.test: 39 records: " out &&
	! grep "stopped\|died\|exited" out
'

test_expect_success 'usage errors' '
	test_expect_code 2 dh-slt &&
	test_expect_code 2 dh-slt --engine nope "$selftest" &&
	test_expect_code 2 dh-slt --timeout x "$selftest" &&
	test_expect_code 2 dh-slt --engine pg --uri "$PG_URI" no-such.test &&
	dh-slt --help >out &&
	grep "^usage: dh-slt " out
'

if test -f "$DH_SLT_DIR/select1.test"; then
	test_expect_success 'smoke: the first 200 records of select1.test pass on PostgreSQL' '
		dh-slt --engine pg --uri "$PG_URI" --limit 200 "$DH_SLT_DIR/select1.test" >out &&
		grep "select1.test: 200 records: .* 100.00% pass" out
	'
else
	test_skip 'smoke: the first 200 records of select1.test pass on PostgreSQL' \
		"no corpus at $DH_SLT_DIR (set DH_SLT_DIR)"
fi

test_done
