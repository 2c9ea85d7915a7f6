#!/bin/sh
# t4680: many sessions at once.  500 idle sessions stay open (and answer
# afterwards) while pgbench runs 64 busy clients of reads and writes with
# no failed transaction; a reader is never held up by an open writing
# transaction; concurrent commits share LMDB commits (group commit), lose
# nothing, and survive SIGKILL once acknowledged.
test_description='dh-serve: 500 idle and 64 busy sessions at once'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_free_port >/dev/null
command -v python3 >/dev/null || skip_all "python3 is not installed"
command -v pgbench >/dev/null || skip_all "pgbench is not installed"
. "$DH_SRC_DIR/t/lib-serve.sh"

d() { psql -X -q -At -h 127.0.0.1 -p "$DH_PORT" -d many "$@"; }

test_expect_success 'a store with a table of 1000 rows' '
	dh-admin -s s.store create many
'
serve --max-connections 600 || echo "Bail out! dh-serve did not start"

test_expect_success 'the table' '
	d -c "CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL)" &&
	d -c "INSERT INTO acct SELECT i, 0 FROM generate_series(1, 1000) i" &&
	test "$(d -c "SELECT count(*) FROM acct")" = 1000
'

cat >rw.sql <<'EOF2'
\set id random(1, 1000)
\set delta random(-50, 50)
SELECT bal FROM acct WHERE id = :id;
UPDATE acct SET bal = bal + :delta WHERE id = :id;
EOF2

test_expect_success '500 idle sessions stay while 64 clients work, and answer afterwards' '
	mkfifo go &&
	{ python3 "$DH_SRC_DIR/t/helper/pgwire-idle.py" 500 127.0.0.1 "$DH_PORT" postgres many \
		<go >idle.out 2>idle.err & IDLE=$!; } &&
	exec 8>go &&
	i=0 &&
	while ! grep -q "^ready 500$" idle.out; do
		i=$((i + 1)); test $i -lt 600 || break; sleep 0.1
	done &&
	grep "^ready 500$" idle.out &&
	pgbench -n -h 127.0.0.1 -p "$DH_PORT" -d many -f rw.sql -c 64 -j 4 -t 20 \
		>pgbench.out 2>&1 &&
	grep "^number of transactions actually processed: 1280/1280$" pgbench.out &&
	grep "^number of failed transactions: 0 " pgbench.out &&
	echo >&8 && exec 8>&- &&
	wait $IDLE &&
	grep "^alive 500$" idle.out
'

test_expect_success 'a reader does not wait for an open writing transaction' '
	mkfifo hold &&
	{ d -f hold >held.out 2>&1 & HOLD=$!; } &&
	exec 7>hold &&
	echo "BEGIN; UPDATE acct SET bal = bal + 1 WHERE id = 1;" >&7 &&
	sleep 0.5 &&
	test "$(timeout 10 psql -X -At -h 127.0.0.1 -p "$DH_PORT" -d many \
		-c "SELECT count(*) FROM acct")" = 1000 &&
	echo "COMMIT;" >&7 && exec 7>&- &&
	wait $HOLD
'

cat >inc.sql <<'EOF2'
\set id random(1, 1000)
UPDATE acct SET bal = bal + 1 WHERE id = :id;
EOF2

commits() { dh-admin -s s.store info --json | sed 's/.*"commits":\([0-9]*\).*/\1/'; }

# Group commit: a session's commit is acknowledged once it is on disk, and
# concurrent commits share LMDB commits (and their syncs), so the file sees
# fewer commits than the clients made; every one of them counts.
for mode in simple prepared; do
test_expect_success "concurrent commits share LMDB commits, none lost (-M $mode)" '
	sum0=$(d -c "SELECT sum(bal) FROM acct") &&
	c0=$(commits) &&
	pgbench -n -h 127.0.0.1 -p "$DH_PORT" -d many -f inc.sql -M '"$mode"' -c 8 -j 2 -T 3 \
		>inc.out 2>&1 &&
	grep "^number of failed transactions: 0 " inc.out &&
	n=$(sed -n "s/^number of transactions actually processed: \([0-9]*\)$/\1/p" inc.out) &&
	c1=$(commits) &&
	echo "$n transactions in $((c1 - c0)) commits" &&
	test "$n" -gt 0 &&
	test $((c1 - c0)) -lt "$n" &&
	test "$(d -c "SELECT sum(bal) FROM acct")" = "$((sum0 + n))"
'
done

# Durability under group commit: while eight clients commit, one more
# commits rows one at a time and notes each acknowledged one; dh-serve is
# then killed with SIGKILL.  Every acknowledged row is there afterwards.
test_expect_success 'dh-serve killed with SIGKILL amid group commits keeps every acknowledged commit' '
	d -c "CREATE TABLE acked (n int PRIMARY KEY)" &&
	{ pgbench -n -h 127.0.0.1 -p "$DH_PORT" -d many -f inc.sql -c 8 -j 2 -T 60 \
		>kill.pgbench 2>&1 & PB=$!; } &&
	{ i=0; while d -c "INSERT INTO acked VALUES ($i)" >/dev/null 2>&1; do
		echo $i; i=$((i + 1)); done >acks & AK=$!; } &&
	i=0 &&
	while [ "$(wc -l <acks)" -lt 40 ]; do
		i=$((i + 1)); test $i -lt 600 || break; sleep 0.1
	done &&
	kill -9 $SERVE_PID &&
	{ wait $AK || :; } && { wait $PB || :; } &&
	test "$(tail -n 1 acks)" -ge 39 &&
	dh-admin -s s.store check
'
wait $SERVE_PID
SERVE_PID=
serve --max-connections 600 || echo "Bail out! dh-serve did not start again"
test_expect_success 'and after a restart every acknowledged row is there' '
	last=$(tail -n 1 acks) &&
	test "$(d -c "SELECT count(*) FROM acked WHERE n <= $last")" = $((last + 1))
'

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM' '
	test "$(cat serve.rc)" = 0
'
test_done
