#!/bin/sh
# t4620: pgbench 15 against dh-serve.  pgbench -i -s 1 loads its four
# tables (DROP IF EXISTS, CREATE ... WITH (fillfactor), TRUNCATE, INSERTs
# and COPY ... WITH (FREEZE) in one transaction, VACUUM ANALYZE, ALTER
# TABLE ADD PRIMARY KEY); then two clients run the TPC-B-like script
# (concurrent writers: each transaction holds the store's write lock from
# its first write to COMMIT, the other waits) and the select-only one,
# with no failed transaction, and the TPC-B invariant holds: the accounts',
# tellers' and branches' balances each sum to the history's deltas.  What
# pgbench prints (timings aside) is compared with a run against
# PostgreSQL 15.  Only the simple query protocol: see the end.
test_description='dh-serve: pgbench -i, TPC-B-like and select-only runs, concurrent writers'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

command -v pgbench >/dev/null 2>&1 || skip_all "pgbench not found (apt-get install postgresql-client)"
pg_start || skip_all "$pg_why"

. "$DH_SRC_DIR/t/lib-serve.sh"

d() { psql -X -A -t -h 127.0.0.1 -p "$DH_PORT" -d bench "$@"; }
bd() { pgbench -h 127.0.0.1 -p "$DH_PORT" "$@"; }
bp() { pgbench -h 127.0.0.1 -p "$PGPORT" "$@"; }

# pgbench's output without what differs from run to run (timings, rates,
# the server version); its NOTICEs (drop table if exists ... skipping)
# stay: dh-serve sends them as PostgreSQL does
norm() {
	sed -e '/^pgbench (/d' -e '/^latency /d' -e '/^initial connection time/d' \
		-e '/^tps = /d' -e 's/(elapsed .*/(elapsed)/' -e 's/^done in .*/done in/' "$@"
}

# the TPC-B invariant: sum(abalance) = sum(tbalance) = sum(bbalance) =
# sum(delta), printed as "a|t|b|h|history rows"
sums() {
	d -c "SELECT (SELECT sum(abalance) FROM pgbench_accounts),
		(SELECT sum(tbalance) FROM pgbench_tellers),
		(SELECT sum(bbalance) FROM pgbench_branches),
		(SELECT sum(delta) FROM pgbench_history),
		(SELECT count(*) FROM pgbench_history)"
}

test_expect_success 'a store with databases bench and whole, PostgreSQL databases too' '
	dh-admin -s s.store create bench &&
	dh-admin -s s.store create whole &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE bench" &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE whole"
'
serve || echo "Bail out! dh-serve did not start"

# pgbench -i's default steps are dtgvp; v is VACUUM ANALYZE of each table,
# which lib/sqlc-vacuum.c answers but lib/sqlc.c does not dispatch to yet
test_expect_success 'pgbench -i -s 1 (its steps dtgvp) prints what it prints against PostgreSQL' '
	bp -i -s 1 whole >expect.raw 2>&1 &&
	bd -i -s 1 whole >actual.raw 2>&1 &&
	norm expect.raw >expect &&
	norm actual.raw >actual &&
	test_cmp expect actual
'

test_expect_success 'pgbench -i -s 1 -I dtgp (no vacuum) prints what it prints against PostgreSQL' '
	bp -i -s 1 -I dtgp bench >expect.raw 2>&1 &&
	bd -i -s 1 -I dtgp bench >actual.raw 2>&1 &&
	norm expect.raw >expect &&
	norm actual.raw >actual &&
	test_cmp expect actual
'

test_expect_success 'the tables hold 100000 accounts, 10 tellers, 1 branch, no history' '
	echo "100000|10|1|0" >expect &&
	d -c "SELECT (SELECT count(*) FROM pgbench_accounts),
		(SELECT count(*) FROM pgbench_tellers),
		(SELECT count(*) FROM pgbench_branches),
		(SELECT count(*) FROM pgbench_history)" >actual &&
	test_cmp expect actual &&
	echo "100000|100000|0|1|10|0|1|1" >expect &&
	d -c "SELECT count(DISTINCT aid), max(aid), sum(abalance), min(bid),
		(SELECT max(tid) FROM pgbench_tellers),
		(SELECT sum(tbalance) FROM pgbench_tellers),
		(SELECT max(bid) FROM pgbench_branches),
		(SELECT count(*) FROM pgbench_tellers WHERE bid = 1) / 10
		FROM pgbench_accounts" >actual &&
	test_cmp expect actual
'

test_expect_success 'the primary keys hold: a duplicate account is refused' '
	test_must_fail d -c "INSERT INTO pgbench_accounts (aid, bid, abalance) VALUES (7, 1, 0)" 2>err &&
	grep "pgbench_accounts_pkey" err
'

test_expect_success 'a pgbench that reinitialises the tables replaces them (DROP, TRUNCATE in the load)' '
	bd -i -s 1 -I dtgp bench >/dev/null 2>&1 &&
	echo "100000|10|1" >expect &&
	d -c "SELECT (SELECT count(*) FROM pgbench_accounts),
		(SELECT count(*) FROM pgbench_tellers),
		(SELECT count(*) FROM pgbench_branches)" >actual &&
	test_cmp expect actual
'

test_expect_success 'TPC-B-like, -M simple, 2 clients x 200: every transaction processed, none failed' '
	bd -c 2 -j 2 -t 200 -M simple bench >run.out 2>run.err ||
		{ cat run.out run.err; exit 1; }
	grep "^number of transactions actually processed: 400/400$" run.out &&
	grep "^number of failed transactions: 0 (0.000%)$" run.out &&
	grep "^query mode: simple$" run.out
'

test_expect_success 'the TPC-B invariant holds after it: balances sum to the deltas, 400 history rows' '
	sums >actual &&
	IFS="|" read a t b h n <actual &&
	test "$n" = 400 &&
	test -n "$a" && test "$a" = "$t" && test "$t" = "$b" && test "$b" = "$h"
'

test_expect_success 'select-only (-S), -M simple, 2 clients x 300: none failed, nothing changed' '
	sums >before &&
	bd -S -n -c 2 -j 2 -t 300 -M simple bench >sel.out 2>sel.err ||
		{ cat sel.out sel.err; exit 1; }
	grep "^number of transactions actually processed: 600/600$" sel.out &&
	grep "^number of failed transactions: 0 (0.000%)$" sel.out &&
	grep "^transaction type: <builtin: select only>$" sel.out &&
	sums >after &&
	test_cmp before after
'

test_expect_success 'pgbench run output, timings aside, as against PostgreSQL' '
	bp -i -s 1 -I dtgp bench >/dev/null 2>&1 &&
	for b in bp bd; do
		$b -c 2 -j 2 -t 50 -M simple -n bench >$b.out 2>&1 &&
		$b -S -c 2 -j 2 -t 50 -M simple -n bench >>$b.out 2>&1 &&
		norm $b.out >$b.norm || exit 1
	done &&
	test_cmp bp.norm bd.norm
'

test_expect_success 'eight clients: none failed, the invariant holds' '
	bd -i -s 1 -I dtgp bench >/dev/null 2>&1 &&
	bd -c 8 -j 2 -t 40 -M simple -n bench >eight.out 2>&1 ||
		{ cat eight.out; exit 1; }
	grep "^number of transactions actually processed: 320/320$" eight.out &&
	grep "^number of failed transactions: 0 (0.000%)$" eight.out &&
	sums >actual &&
	IFS="|" read a t b h n <actual &&
	test "$n" = 320 && test "$a" = "$t" && test "$t" = "$b" && test "$b" = "$h"
'

# A session held in a transaction block: psql reading a FIFO that a
# writer subshell feeds its first lines, then, once the file "go" exists,
# the rest.  hold NAME FIRST REST starts it (psql's output in NAME.out);
# everything times out after 60 s.
hold() {
	rm -f "$1.in" go
	mkfifo "$1.in" || return 1
	(timeout 60 psql -X -A -t -h 127.0.0.1 -p "$DH_PORT" -d bench <"$1.in" >"$1.out" 2>&1) &
	(printf "%s\n" "$2"
	 i=0
	 while ! test -f go && test $i -lt 600; do i=$((i + 1)); sleep 0.1; done
	 printf "%s\n" "$3") >"$1.in" &
}

# wait_for FILE TEXT: until FILE holds TEXT (10 s at most)
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); test $i -lt 100 || return 1; sleep 0.1
	done
}

# Two writers on one row, in the order pgbench's clients meet: A holds the
# write lock (BEGIN; UPDATE) while B's UPDATE waits for it; B then adds on
# top of what A committed (no lost update), as PostgreSQL's READ COMMITTED
# does.
test_expect_success 'a second writer waits for the first and adds on top of its commit' '
	d -c "CREATE TABLE acct (id int PRIMARY KEY, v int)" \
	  -c "INSERT INTO acct VALUES (1, 0)" &&
	hold a "BEGIN; UPDATE acct SET v = v + 1 WHERE id = 1; SELECT '"'a-updated'"';" "COMMIT;" &&
	wait_for a.out a-updated &&
	(exec timeout 60 psql -X -A -t -h 127.0.0.1 -p "$DH_PORT" -d bench \
		-c "BEGIN; UPDATE acct SET v = v + 10 WHERE id = 1; COMMIT" >b.out 2>&1) &
	bpid=$! &&
	sleep 1 &&
	kill -0 $bpid &&
	test_must_be_empty b.out &&
	touch go &&
	wait_for a.out "^COMMIT" &&
	wait $bpid &&
	echo 11 >expect &&
	d -c "SELECT v FROM acct WHERE id = 1" >actual &&
	test_cmp expect actual
'

# PostgreSQL's READ COMMITTED takes a new snapshot per statement; dh's
# block reads through one snapshot until its first write, and a write on
# top of a newer state is refused (40001: lib/sql.c's read basis).  Not
# what pgbench's scripts do, but a client that reads before it writes in
# a block meets it under concurrency.
test_expect_failure 'a block that read before its first write adds on top of a concurrent commit' '
	d -c "UPDATE acct SET v = 0 WHERE id = 1" &&
	hold c "BEGIN; SELECT '"'c-read'"', v FROM acct WHERE id = 1;" \
		"UPDATE acct SET v = v + 10 WHERE id = 1; COMMIT;" &&
	wait_for c.out c-read &&
	d -c "UPDATE acct SET v = v + 1 WHERE id = 1" &&
	touch go &&
	wait_for c.out "^COMMIT\|^ROLLBACK" &&
	cat c.out &&
	echo 11 >expect &&
	d -c "SELECT v FROM acct WHERE id = 1" >actual &&
	test_cmp expect actual
'

# -M extended and -M prepared (Parse/Bind/Describe/Execute/Sync, parameter
# types inferred from $n's context): the same runs and checks as -M simple
for mode in extended prepared; do
	test_expect_success "TPC-B and -S with -M $mode, 2 clients: none failed, the invariant holds" '
		bd -i -s 1 -I dtgp bench >/dev/null 2>&1 &&
		bd -c 2 -j 2 -t 200 -M '"$mode"' -n bench >m.out 2>&1 ||
			{ cat m.out; exit 1; }
		grep "^number of transactions actually processed: 400/400$" m.out &&
		grep "^number of failed transactions: 0 (0.000%)$" m.out &&
		grep "^query mode: '"$mode"'$" m.out &&
		sums >actual &&
		IFS="|" read a t b h n <actual &&
		test "$n" = 400 && test "$a" = "$t" && test "$t" = "$b" && test "$b" = "$h" &&
		bd -S -c 2 -j 2 -t 300 -M '"$mode"' -n bench >s.out 2>&1 ||
			{ cat s.out; exit 1; }
		grep "^number of transactions actually processed: 600/600$" s.out &&
		grep "^number of failed transactions: 0 (0.000%)$" s.out &&
		sums >after &&
		test_cmp actual after
	'
done

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM after the runs' '
	test "$(cat serve.rc)" = 0
'

test_done
