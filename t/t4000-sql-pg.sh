#!/bin/sh
# t4000: dh's SQL agrees with PostgreSQL 15.  Every case of t/sql/*.test
# (format in t/sql/README) runs on a throwaway PostgreSQL 15 cluster and on
# dh through t/helper/dh-sql-diff; each case is one test here.  The cases
# named in t/sql/todo are TODO: expected to disagree until dh implements
# what they use (one that agrees is an unexpected pass, a failure, until it
# leaves the list: dh-sql-diff --write-todo).  A crash, a hang or a broken
# case is never a TODO.
test_description='SQL: the differential test against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

# The cases themselves must be sound: PostgreSQL against PostgreSQL (a
# second database, other planner settings) agrees on every one.  It runs
# meanwhile and is the last test.  DH_SQL_SELF_CHECK=0 skips it.
if test "${DH_SQL_SELF_CHECK:-1}" != 0 && test -z "${DH_SQL_WRITE_TODO:-}"; then
	dh-sql-diff --pg "$PG_URI" --self-check "$DH_SRC_DIR"/t/sql/*.test \
		>self.out 2>self.err &
	self_pid=$!
fi

# DH_SQL_WRITE_TODO=1 (make sql-todo) rewrites t/sql/todo from this run.
write_todo=
test -n "${DH_SQL_WRITE_TODO:-}" && write_todo=--write-todo

# run the runner and take over its TAP: test points keep their TODO
# directive; a runner that bails out, dies or reports fewer tests than its
# plan adds one failing test
rc=0
dh-sql-diff --pg "$PG_URI" --todo "$DH_SRC_DIR/t/sql/todo" $write_todo \
	--scratch "$TRASH_DIRECTORY" "$DH_SRC_DIR"/t/sql/*.test >diff.out 2>diff.err || rc=$?
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
			echo "ok $test_count - $rest" ;;
		"not ok "*" # TODO "*)
			test_broken=$((test_broken + 1))
			echo "not ok $test_count - $rest" ;;
		"ok "*)
			test_success=$((test_success + 1))
			echo "ok $test_count - $rest" ;;
		*)
			test_failure=$((test_failure + 1))
			echo "not ok $test_count - $rest" ;;
		esac ;;
	1..*) plan=${line#1..} ;;
	"Bail out!"*) bail=${line#Bail out! } ;;
	"#"*) echo "$line" ;;
	esac
done <diff.out
if test -n "$bail" || test "$rc" -gt 1 || test "$n" != "${plan:-none}"; then
	test_count=$((test_count + 1))
	test_failure=$((test_failure + 1))
	echo "not ok $test_count - dh-sql-diff finished cleanly"
	echo "# exit status $rc, $n of ${plan:-no plan} tests reported${bail:+, bailed out: $bail}"
	sed 's/^/# stderr: /' diff.err
elif test -s diff.err; then
	sed 's/^/# stderr: /' diff.err
fi

if test -n "${self_pid:-}"; then
	src=0
	wait "$self_pid" || src=$?
	test_count=$((test_count + 1))
	if test "$src" = 0; then
		test_success=$((test_success + 1))
		echo "ok $test_count - self-check: the cases agree between two PostgreSQL 15 databases"
	else
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - self-check: the cases agree between two PostgreSQL 15 databases"
		echo "# dh-sql-diff --self-check exited with $src; a case whose answer depends"
		echo "# on the plan, the time or chance (t/sql/README, Writing cases):"
		grep -v '^ok ' self.out | sed 's/^\([^#]\)/# \1/'
		sed 's/^/# stderr: /' self.err
	fi
fi
test_done
