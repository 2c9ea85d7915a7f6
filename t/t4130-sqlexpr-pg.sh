#!/bin/sh
# t4130: lib/sqlexpr against PostgreSQL 15.  t/helper/sqlexpr-pg runs every
# case of t/sqlexpr/*.txt ("SELECT <expr>") on a throwaway cluster and
# through dh_sqlx_compile/eval; its TAP is renumbered here, one test per
# case.  Cases listed as known differences ("# known:" in the case files)
# come back as "# TODO" and count as known breakage, not failure; the
# helper's last line, the agreement count, is shown as a diagnostic.
test_description='sqlexpr against PostgreSQL 15: every case of t/sqlexpr/*.txt'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"
conninfo="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"

# pass_cases FILE: the helper's TAP for one case file, counted as ours
pass_cases() {
	_prefix=$(basename "$1" .txt)
	_prc=0
	sqlexpr-pg "$conninfo" "$1" >cases.out 2>cases.err || _prc=$?
	_pn=0
	_plan=
	_bail=
	while IFS= read -r _line; do
		case $_line in
		"ok "* | "not ok "*)
			_pn=$((_pn + 1))
			test_count=$((test_count + 1))
			_pname=${_line#* - }
			case $_line in
			ok*)
				test_success=$((test_success + 1))
				echo "ok $test_count - $_prefix: $_pname" ;;
			*"# TODO "*)
				test_broken=$((test_broken + 1))
				echo "not ok $test_count - $_prefix: $_pname" ;;
			*)
				test_failure=$((test_failure + 1))
				echo "not ok $test_count - $_prefix: $_pname" ;;
			esac ;;
		1..*) _plan=${_line#1..} ;;
		"Bail out!"*) _bail=${_line#Bail out! } ;;
		"#"*) echo "$_line" ;;
		esac
	done <cases.out
	if test -n "$_bail" || test "$_prc" != 0 || test "$_pn" != "${_plan:-none}"; then
		test_count=$((test_count + 1))
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - $_prefix: the helper finished cleanly"
		echo "# exit status $_prc, $_pn of ${_plan:-no plan} cases reported${_bail:+, bailed out: $_bail}"
		sed 's/^/# stderr: /' cases.err
	fi
}

for f in "$DH_SRC_DIR"/t/sqlexpr/*.txt; do
	pass_cases "$f"
done
test_done
