#!/bin/sh
test_description='the command-line programs run clean under valgrind: no leaks, no bad reads'
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || skip_all "valgrind is not installed (.ci/run installs it)"
# a sanitizer build: gcc links libasan, clang links its runtime in
if ldd "$(command -v dh-query)" 2>/dev/null | grep -q libasan ||
	nm "$(command -v dh-query)" 2>/dev/null | grep -q __asan_init; then
	skip_all "sanitizer build: LeakSanitizer checks leaks there"
fi

vg() {
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--suppressions="$DH_SRC_DIR/t/valgrind.supp" --error-exitcode=99 "$@"
}

test_expect_success 'dh-query: transactions, datoms, history and errors' '
	vg dh-query -s v.store -c "[{:db/ident :a/b :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]" >/dev/null &&
	vg dh-query -s v.store -c "[{:a/b \"x\"}]" -c "\\datoms aevt :a/b" >/dev/null &&
	vg dh-query -s v.store --history -c "\\datoms eavt" >/dev/null &&
	test_expect_code 1 vg dh-query -s v.store --continue -c "[{:nope 1}]" -c "[{:a/b 3}]" -c "\\bogus" -c "[unterminated" 2>err &&
	! grep -q "==[0-9]*==" err
'

test_expect_success 'dh-query: queries of every kind, every format, errors' '
	vg dh-query -s v.store -c "[{:db/ident :a/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
	                            {:db/ident :a/r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]" >/dev/null &&
	vg dh-query -s v.store -c "[{:db/id \"p\" :a/b \"p\" :a/n 1 :a/r [\"q\"]} {:db/id \"q\" :a/b \"q\" :a/n 2}]" >/dev/null &&
	for f in aligned csv tsv json ndjson edn; do
		vg dh-query -s v.store --format $f \
		  --in "[[(r ?x ?y) [?x :a/r ?y]] [(r ?x ?y) [?x :a/r ?z] (r ?z ?y)]]" \
		  -c "[:find ?b (count ?y) (sum ?n) (distinct ?n) :in \$ % :where [?x :a/b ?b] (r ?x ?y) [?y :a/n ?n] (not [?x :a/n 5]) (or [?x :a/n 1] [?x :a/n 2]) [(str ?b \"!\") ?s]]" \
		  -c "[:find (pull ?e [* {:a/r [:a/b]}]) :where [?e :a/n]]" \
		  -c "(pull [:a/b :a/_r] [:a/b \"q\"])" \
		  -c "\\explain [:find ?e :where [?e :a/n ?n] [(> ?n 1)]]" -c "\\attrs" >/dev/null || return 1
	done &&
	test_expect_code 1 vg dh-query -s v.store --continue -c "[:find ?x :where [?e :nope ?x]]" \
	  -c "[:find ?b :where [?e :a/b ?b] [(< ?b 1)]]" -c "[:find ?x :where" -c "SELECT 1" 2>err &&
	! grep -q "==[0-9]*==" err
'

test_expect_success 'dh-query: SQL sessions, settings, savepoints, errors, \l' '
	printf "%s\n" "BEGIN;" "SET LOCAL TimeZone = 1;" "SAVEPOINT a;" "SET DateStyle = German;" \
		"SHOW ALL;" "SELEC 1;" "ROLLBACK TO a;" "SHOW DateStyle;" "COMMIT;" "SET extra_float_digits = 9;" \
		"SET search_path = a, \"B c\";" "SELECT (1;" >v.sql &&
	test_expect_code 1 vg dh-query -s v.store --continue -f v.sql -c "\\l" -c "\\dt" -c "\\d" \
		-c "CREATE TABLE vt (a int PRIMARY KEY CHECK (a > 0), b text UNIQUE DEFAULT '"'x'"')" \
		-c "CREATE VIEW vv AS SELECT * FROM vt" -c "CREATE INDEX vi ON vt (lower(b))" \
		-c "\\d vt" -c "\\d v*" -c "\\d+ vt" -c "\\di" -c "\\d nope" \
		-c "SHOW TimeZone; SET x.y = 1" -c "SELECT md5('"'a'"'), sha512('"'b'"'::bytea)" \
		>/dev/null 2>err &&
	! grep -q "==[0-9]*==" err
'

test_expect_success 'dh-serve: sessions, errors and a SIGTERM' '
	command -v psql >/dev/null || { echo "no psql: skipped"; exit 0; }
	port=$(( 30000 + ($$ % 20000) )) &&
	dh-admin -s v.store create vs || exit 1
	# (not "&& ... &": that would put the whole list in the background)
	# vg in a subshell that becomes it: $! must be valgrind itself
	(vg() { exec valgrind -q --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all --suppressions="$DH_SRC_DIR/t/valgrind.supp" \
		--error-exitcode=99 "$@"; }; vg dh-serve -s v.store -p $port) >serve.out 2>serve.err &
	pid=$! &&
	i=0 &&
	while ! grep -q "^listening" serve.out 2>/dev/null; do
		i=$((i + 1)); test $i -lt 300 || { cat serve.err; exit 1; }; sleep 0.1
	done &&
	psql -X -q -h 127.0.0.1 -p $port -d vs -c "CREATE TABLE t (a int PRIMARY KEY)" \
		-c "INSERT INTO t VALUES (1), (2)" -c "SELECT * FROM t; SELECT 1/0" \
		-c "BEGIN" -c "INSERT INTO t VALUES (3)" >/dev/null 2>&1 || :
	psql -X -h 127.0.0.1 -p $port -d nosuch -c "SELECT 1" >/dev/null 2>&1 || :
	PGOPTIONS="-c bogus" psql -X -h 127.0.0.1 -p $port -d vs -c "SELECT 1" >/dev/null 2>&1 || :
	# COPY in and out, and one that fails mid-data
	printf "10\n11\n\\\\.\n" >copy.in &&
	printf "20\nbad\n21\n\\\\.\n" >copy.bad &&
	psql -X -h 127.0.0.1 -p $port -d vs -c "COPY t FROM STDIN" <copy.in >/dev/null 2>&1 || :
	psql -X -h 127.0.0.1 -p $port -d vs -c "COPY t FROM STDIN (FORMAT csv)" <copy.bad >/dev/null 2>&1 || :
	psql -X -h 127.0.0.1 -p $port -d vs -c "COPY t TO STDOUT" -c "COPY (SELECT a, 1/0 FROM t) TO STDOUT" >copy.out 2>&1 || :
	kill -TERM $pid &&
	wait $pid &&
	! grep -q "==[0-9]*==" serve.err &&
	grep -q "connection: .* database=vs" serve.err &&
	grep -q "^1$" copy.out && grep -q "^11$" copy.out && ! grep -q "^2[01]$" copy.out &&
	grep -q "shut down" serve.err || {
		kill -KILL $pid 2>/dev/null; cat serve.err; exit 1
	}
'

test_expect_success 'dh-admin: every command' '
	for c in "branch dh b2" "list" "list --json" "info --json" "check" "backup v2.store" \
		"delete-branch dh:b2" "create x" "drop x"; do
		vg dh-admin -s v.store $c >/dev/null || return 1
	done &&
	test_expect_code 2 vg dh-admin -s v.store create x --bogus 2>/dev/null &&
	test_expect_code 1 vg dh-admin -s nothere.store list 2>err &&
	! grep -q "==[0-9]*==" err
'

test_done
