# t/datalog/tap-pass.sh: sourced by t3000-datalog.sh and t3100-datascript.sh
# after t/lib.sh.
#
# pass_tap PREFIX CMD [ARG...]: run CMD, whose stdout is TAP (dh-datalog-t),
# and count each of its tests as one of this script's, renumbered and named
# "PREFIX: name"; its diagnostics follow their test.  A runner that bails
# out, dies, or reports fewer tests than it planned adds one failing test.
pass_tap() {
	_prefix=$1
	shift
	_prc=0
	"$@" >pass_tap.out 2>pass_tap.err || _prc=$?
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
			*)
				test_failure=$((test_failure + 1))
				echo "not ok $test_count - $_prefix: $_pname" ;;
			esac ;;
		1..*) _plan=${_line#1..} ;;
		"Bail out!"*) _bail=${_line#Bail out! } ;;
		"#"*) echo "$_line" ;;
		esac
	done <pass_tap.out
	if test -n "$_bail" || test "$_prc" -gt 1 || test "$_pn" != "${_plan:-none}"; then
		test_count=$((test_count + 1))
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - $_prefix: the runner finished cleanly"
		echo "# exit status $_prc, $_pn of ${_plan:-no plan} tests reported${_bail:+, bailed out: $_bail}"
		sed 's/^/# stderr: /' pass_tap.err
	fi
}
