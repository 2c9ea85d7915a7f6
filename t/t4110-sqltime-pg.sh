#!/bin/sh
test_description='sqltime against PostgreSQL 15: every case of t/sqltime/*.txt'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

# sqltime-pg prints TAP, one test per case; each becomes one of ours.  A
# case marked as a known difference is a known breakage here
# (test_expect_failure's bookkeeping), so it neither fails the run nor
# hides when it starts to agree.
for f in "$DH_SRC_DIR"/t/sqltime/*.txt; do
	name=$(basename "$f" .txt)
	rc=0
	sqltime-pg "$PG_URI" "$f" >"$name.out" 2>"$name.err" || rc=$?
	n=0
	plan=
	while IFS= read -r line; do
		case $line in
		"ok "*"# TODO"*)
			n=$((n + 1))
			test_count=$((test_count + 1))
			test_fixed=$((test_fixed + 1))
			echo "ok $test_count - $name: ${line#* - }" ;;
		"not ok "*"# TODO"*)
			n=$((n + 1))
			test_count=$((test_count + 1))
			test_broken=$((test_broken + 1))
			echo "not ok $test_count - $name: ${line#* - }" ;;
		"ok "*)
			n=$((n + 1))
			test_count=$((test_count + 1))
			test_success=$((test_success + 1))
			echo "ok $test_count - $name: ${line#* - }" ;;
		"not ok "*)
			n=$((n + 1))
			test_count=$((test_count + 1))
			test_failure=$((test_failure + 1))
			echo "not ok $test_count - $name: ${line#* - }" ;;
		1..*) plan=${line#1..} ;;
		"#"*) echo "$line" ;;
		esac
	done <"$name.out"
	if test "$rc" -gt 1 || test "$n" != "${plan:-none}"; then
		test_count=$((test_count + 1))
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - $name: sqltime-pg finished cleanly"
		echo "# exit status $rc, $n of ${plan:-no plan} cases reported"
		sed 's/^/# stderr: /' "$name.err"
	fi
done
test_done
