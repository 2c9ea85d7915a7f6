# t/lib.sh: the shell test harness, sourced by every t/tNNNN-area-what.sh.
#
# A test script looks like this (git's t/test-lib.sh in spirit):
#
#	#!/bin/sh
#	test_description='dh-admin creates databases'
#	. "$(dirname "$0")/lib.sh"
#	test_expect_success 'create a database' '
#		dh-admin -s x.store create shop &&
#		dh-admin -s x.store list >out &&
#		grep "^shop " out
#	'
#	test_done
#
# Each body runs in a subshell with "set -e", its working directory the
# script's scratch directory t/trash.<script>/ (created empty and private at
# the start, removed at the end if every test passed), and stdin /dev/null.
# Any failing command fails the test.  Variables set in a body are lost when
# it ends; files in the scratch directory stay for the following tests.
# Beware that "set -e" does not look at a command preceded by "!" or inside
# an "if"/"&&"/"||" condition: use test_must_fail or test_expect_code instead
# of "! cmd", except as the last command of a body.
#
# Output is TAP (for automake's tap-driver.sh and for prove).  Without -v the
# bodies' output goes to t/trash.<script>.log and a failing test's share is
# printed as "# " diagnostics.  Options (or environment):
#	-v, --verbose    (TEST_VERBOSE=1)  show the bodies' output on stderr
#	-x, --trace      (TEST_TRACE=1)    trace the bodies with set -x
#	-i, --immediate  (TEST_IMMEDIATE=1) stop at the first failure
#	-d, --debug      (TEST_DEBUG=1)    keep the scratch directory
#
# Environment: DH_SRC_DIR (the source tree) and DH_BUILD_DIR (the build
# tree) default to the tree the script is in; make check sets both.
# TEST_OUTPUT_DIRECTORY (default $DH_BUILD_DIR/t) holds the scratch
# directories.  PATH starts with $DH_BUILD_DIR/bin and $DH_BUILD_DIR/t/helper.
# DH_STORE and DH_DATABASE are unset, HOME is the scratch directory, and
# LC_ALL=C, TZ=UTC, so the user's environment cannot leak into a test.
#
# Helpers: test_expect_success, test_expect_failure, test_cmp,
# test_must_fail, test_expect_code, test_must_be_empty, test_line_count,
# test_path_is_file, test_path_is_dir, test_path_is_missing, test_diag,
# test_skip, skip_all, test_done.

# ------------------------------------------------------------------ options
for _arg in "$@"; do
	case $_arg in
	-v | --verbose) TEST_VERBOSE=1 ;;
	-x | --trace) TEST_TRACE=1 ;;
	-i | --immediate) TEST_IMMEDIATE=1 ;;
	-d | --debug) TEST_DEBUG=1 ;;
	-h | --help)
		sed -n '/^# Output is TAP/,/^#$/p' "${DH_SRC_DIR:-$(dirname "$0")/..}/t/lib.sh" 2>/dev/null
		exit 0 ;;
	*)
		echo "Bail out! $0: unknown option '$_arg'"
		exit 1 ;;
	esac
done
unset _arg
test "${TEST_VERBOSE:-0}" = 0 && TEST_VERBOSE=
test "${TEST_TRACE:-0}" = 0 && TEST_TRACE=
test "${TEST_IMMEDIATE:-0}" = 0 && TEST_IMMEDIATE=
test "${TEST_DEBUG:-0}" = 0 && TEST_DEBUG=

# ------------------------------------------------------------------ paths
TEST_NAME=$(basename "$0" .sh)
TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd) || {
	echo "Bail out! cannot find the directory of $0"
	exit 1
}
if test -z "${DH_SRC_DIR:-}"; then
	DH_SRC_DIR=$(cd "$TEST_DIRECTORY/.." && pwd)
fi
if test -z "${DH_BUILD_DIR:-}"; then
	# An in-tree build, or the out-of-tree build/ that .ci/run makes.
	if test ! -x "$DH_SRC_DIR/bin/dh-admin" && test -x "$DH_SRC_DIR/build/bin/dh-admin"; then
		DH_BUILD_DIR=$DH_SRC_DIR/build
	else
		DH_BUILD_DIR=$DH_SRC_DIR
	fi
fi
TEST_OUTPUT_DIRECTORY=${TEST_OUTPUT_DIRECTORY:-$DH_BUILD_DIR/t}
TRASH_DIRECTORY=$TEST_OUTPUT_DIRECTORY/trash.$TEST_NAME
TEST_LOG=$TEST_OUTPUT_DIRECTORY/trash.$TEST_NAME.log
export DH_SRC_DIR DH_BUILD_DIR

# ------------------------------------------------------------------ environment
unset DH_STORE DH_DATABASE CDPATH
PATH=$DH_BUILD_DIR/bin:$DH_BUILD_DIR/t/helper:$PATH
HOME=$TRASH_DIRECTORY
LC_ALL=C
LANG=C
TZ=UTC
export PATH HOME LC_ALL LANG TZ
# A sanitizer report must look like a crash (a signal), not like an ordinary
# failure that test_must_fail would accept.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

test_count=0
test_failure=0
test_fixed=0
test_broken=0
test_success=0
test_skipped=0
test_finished=

_die() {
	_code=$?
	if test -z "$test_finished"; then
		echo "Bail out! $TEST_NAME: unexpected exit with code $_code (missing test_done?)"
		exit 1
	fi
}
trap _die EXIT

# ------------------------------------------------------------------ scratch directory
case $TRASH_DIRECTORY in
*/trash.*) ;;
*) echo "Bail out! refusing to use '$TRASH_DIRECTORY' as a scratch directory"; exit 1 ;;
esac
rm -rf "$TRASH_DIRECTORY" "$TEST_LOG" || {
	echo "Bail out! cannot remove an old '$TRASH_DIRECTORY'"
	exit 1
}
mkdir -p "$TEST_OUTPUT_DIRECTORY" && mkdir -m 700 "$TRASH_DIRECTORY" && : >"$TEST_LOG" || {
	echo "Bail out! cannot create '$TRASH_DIRECTORY'"
	exit 1
}
cd "$TRASH_DIRECTORY" || exit 1

# ------------------------------------------------------------------ output
# test_diag text...: a TAP diagnostic line (shown by prove and kept in the
# automake log).
test_diag() {
	printf '# %s\n' "$*"
}

_quote_desc() {
	# '#' would start a TAP directive
	printf '%s' "$1" | sed 's/#/\\#/g'
}

_lines() {
	wc -l <"$TEST_LOG" | tr -d ' '
}

# Print what the failed test ran and printed, as diagnostics.
_diag_failure() {
	printf '%s\n' "$1" | sed -e '/^[[:space:]]*$/d' -e 's/^/#	/'
	if test -z "$TEST_VERBOSE"; then
		echo "# output:"
		sed -n "$(($2 + 1)),\$p" "$TEST_LOG" | sed 's/^/# /'
	fi
}

# Run body $1; its exit status is the return value.  The subshell must
# not be in a condition (if, &&, ||) or "set -e" would be ignored in it.
_run_body() {
	echo "=== $TEST_NAME $test_count: $_desc" >>"$TEST_LOG"
	if test -n "$TEST_VERBOSE"; then
		(
			cd "$TRASH_DIRECTORY" || exit 1
			set -e
			test -n "$TEST_TRACE" && set -x
			eval "$1"
		) </dev/null 1>&2
		_rc=$?
	else
		(
			cd "$TRASH_DIRECTORY" || exit 1
			set -e
			test -n "$TEST_TRACE" && set -x
			eval "$1"
		) </dev/null >>"$TEST_LOG" 2>&1
		_rc=$?
	fi
	echo "=== exit status $_rc" >>"$TEST_LOG"
	return $_rc
}

_check_args() {
	if test $# != 2; then
		echo "Bail out! $TEST_NAME: $_fn needs 2 arguments, a description and a body (got $#)"
		exit 1
	fi
}

# ------------------------------------------------------------------ tests
# test_expect_success 'description' 'body'
test_expect_success() {
	_fn=test_expect_success
	_check_args "$@"
	test_count=$((test_count + 1))
	_desc=$1
	_start=$(_lines)
	_run_body "$2"
	if test $_rc = 0; then
		test_success=$((test_success + 1))
		echo "ok $test_count - $(_quote_desc "$1")"
	else
		test_failure=$((test_failure + 1))
		echo "not ok $test_count - $(_quote_desc "$1")"
		_diag_failure "$2" "$_start"
		if test -n "$TEST_IMMEDIATE"; then
			test_diag "stopping at the first failure (-i)"
			test_done
		fi
	fi
}

# test_expect_failure 'description' 'body': a known bug.  The body states
# what should happen; it fails today.
test_expect_failure() {
	_fn=test_expect_failure
	_check_args "$@"
	test_count=$((test_count + 1))
	_desc=$1
	_run_body "$2"
	if test $_rc = 0; then
		test_fixed=$((test_fixed + 1))
		echo "ok $test_count - $(_quote_desc "$1") # TODO known breakage vanished"
	else
		test_broken=$((test_broken + 1))
		echo "not ok $test_count - $(_quote_desc "$1") # TODO known breakage"
	fi
}

# test_skip 'description' 'reason': one test that cannot run here (a tool
# is missing).  TAP reports it as skipped ("ok N - ... # SKIP reason"), which
# make check counts as SKIP, never as PASS.  Only for environments that
# truly lack something; never to hide a failure.
test_skip() {
	if test $# != 2; then
		echo "Bail out! $TEST_NAME: test_skip needs 2 arguments, a description and a reason (got $#)"
		exit 1
	fi
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	echo "ok $test_count - $(_quote_desc "$1") # SKIP $(_quote_desc "$2")"
}

# test_cmp expected actual: the files are equal, else show the diff.
test_cmp() {
	if test $# != 2; then
		echo "test_cmp: needs 2 files" >&2
		return 1
	fi
	diff -u "$1" "$2"
}

# test_must_fail cmd [arg...]: cmd exits with a failure status.  Success,
# death by a signal (a crash, an abort, a sanitizer report), and "command not
# found" are not the failure a test is asking for.
test_must_fail() {
	local _code=0
	# "|| _code=$?" keeps the caller's "set -e" from ending the body here
	"$@" || _code=$?
	if test $_code = 0; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif test $_code -gt 128; then
		echo "test_must_fail: died by signal $((_code - 128)): $*" >&2
		return 1
	elif test $_code = 127; then
		echo "test_must_fail: command not found: $1" >&2
		return 1
	elif test $_code = 126; then
		echo "test_must_fail: cannot execute: $1" >&2
		return 1
	fi
	return 0
}

# test_expect_code N cmd [arg...]: cmd exits with status N.
test_expect_code() {
	local _want=$1 _code=0
	shift
	"$@" || _code=$?
	if test "$_code" = "$_want"; then
		return 0
	fi
	echo "test_expect_code: exit status $_code, wanted $_want: $*" >&2
	return 1
}

# test_must_be_empty file
test_must_be_empty() {
	if test ! -f "$1"; then
		echo "test_must_be_empty: '$1' is missing" >&2
		return 1
	elif test -s "$1"; then
		echo "test_must_be_empty: '$1' is not empty, it contains:" >&2
		cat "$1" >&2
		return 1
	fi
}

# test_line_count = N file (or any test(1) comparison: -gt, -lt, ...)
test_line_count() {
	if test $# != 3; then
		echo "test_line_count: needs 3 arguments" >&2
		return 1
	fi
	local _n
	_n=$(wc -l <"$3" | tr -d ' ')
	if ! test "$_n" "$1" "$2"; then
		echo "test_line_count: line count of '$3' is $_n, not $1 $2" >&2
		return 1
	fi
}

test_path_is_file() {
	test -f "$1" || { echo "'$1' is not a file" >&2; return 1; }
}
test_path_is_dir() {
	test -d "$1" || { echo "'$1' is not a directory" >&2; return 1; }
}
test_path_is_missing() {
	test ! -e "$1" || { echo "'$1' exists" >&2; return 1; }
}

# skip_all 'reason': the whole script cannot run here (a tool is missing).
# Only for environments that truly lack something; never to hide a failure.
skip_all() {
	if test $test_count != 0; then
		echo "Bail out! $TEST_NAME: skip_all after $test_count tests"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	test_finished=1
	cd "$TEST_OUTPUT_DIRECTORY" && rm -rf "$TRASH_DIRECTORY" "$TEST_LOG"
	exit 0
}

# test_done: print the plan and exit 0 if no test failed, else 1.
test_done() {
	test_finished=1
	echo "1..$test_count"
	test $test_fixed = 0 || test_diag "$test_fixed known breakage(s) vanished; turn them into test_expect_success"
	test $test_broken = 0 || test_diag "$test_broken known breakage(s) still present"
	test $test_skipped = 0 || test_diag "skipped $test_skipped test(s)"
	if test $test_failure = 0; then
		test_diag "passed all $test_success test(s)"
		if test -z "$TEST_DEBUG"; then
			cd "$TEST_OUTPUT_DIRECTORY" && rm -rf "$TRASH_DIRECTORY" "$TEST_LOG"
		fi
		exit 0
	fi
	test_diag "failed $test_failure of $test_count test(s); see $TEST_LOG and $TRASH_DIRECTORY"
	exit 1
}
