#!/bin/sh
# t4010: the SQL differential test of t4000 over the wire.  Every case of
# t/sql/*.test runs on a throwaway PostgreSQL 15 and on dh-serve, both
# through libpq, twice: with the simple query protocol (each statement's
# text as one Query, as psql sends it) and with the extended one (each SQL
# statement through Parse, Describe, Bind, Execute, as drivers send it; see
# t/sql/README).  Each case gets a new session and, on dh-serve, a new
# database of the served store.  The cases of t/sql/todo are TODO here too,
# and so are those of t/sql/todo-wire-simple and -extended, which differ
# only over the wire (with that protocol).
# Then dh-serve must still be up and exit 0 on SIGTERM.
test_description='SQL: the differential test against PostgreSQL 15, through dh-serve'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

. "$DH_SRC_DIR/t/lib-serve.sh"

dh-admin -s s.store create wire >/dev/null || echo "Bail out! cannot create the store"
serve || echo "Bail out! dh-serve did not start"

# DH_SQL_WRITE_TODO=1 (make sql-todo-wire) rewrites t/sql/todo-wire-*.
write_todo=
test -n "${DH_SQL_WRITE_TODO:-}" && write_todo=--write-todo

# wire_run VARIANT: run the corpus with dh-sql-diff --wire VARIANT and take
# over its TAP as t4000 does, each test named "VARIANT: FILE/CASE"
wire_run() {
	v=$1
	rc=0
	start=$(date +%s)
	dh-sql-diff --pg "$PG_URI" --wire "$v" \
		--serve "postgresql://postgres@127.0.0.1:$DH_PORT/dh" \
		--serve-store "$TRASH_DIRECTORY/s.store" \
		--todo "$DH_SRC_DIR/t/sql/todo" --todo "$DH_SRC_DIR/t/sql/todo-wire-$v" $write_todo \
		"$DH_SRC_DIR"/t/sql/*.test >"diff-$v.out" 2>"diff-$v.err" || rc=$?
	n=0
	plan=
	bail=
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			n=$((n + 1))
			test_count=$((test_count + 1))
			rest=${line#* - }
			case $line in
			"ok "*" # TODO "*)
				test_fixed=$((test_fixed + 1))
				echo "ok $test_count - $v: $rest" ;;
			"not ok "*" # TODO "*)
				test_broken=$((test_broken + 1))
				echo "not ok $test_count - $v: $rest" ;;
			"ok "*)
				test_success=$((test_success + 1))
				echo "ok $test_count - $v: $rest" ;;
			*)
				test_failure=$((test_failure + 1))
				echo "not ok $test_count - $v: $rest" ;;
			esac ;;
		1..*) plan=${line#1..} ;;
		"Bail out!"*) bail=${line#Bail out! } ;;
		"#"*) echo "$line" ;;
		esac
	done <"diff-$v.out"
	if test -n "$bail" || test "$rc" -gt 1 || test "$n" != "${plan:-none}"; then
		test_count=$((test_count + 1))
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - $v: dh-sql-diff finished cleanly"
		echo "# exit status $rc, $n of ${plan:-no plan} tests reported${bail:+, bailed out: $bail}"
		sed 's/^/# stderr: /' "diff-$v.err"
	elif test -s "diff-$v.err"; then
		sed 's/^/# stderr: /' "diff-$v.err"
	fi
	echo "# $v protocol: $(($(date +%s) - start)) s"
}

wire_run simple
wire_run extended

test_expect_success 'dh-serve is still up after the runs' '
	kill -0 $SERVE_PID
'
unserve
test_expect_success 'dh-serve exits 0 on SIGTERM after the runs' '
	echo 0 >expect &&
	test_cmp expect serve.rc
'
test_done
