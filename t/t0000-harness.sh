#!/bin/sh
# t0000: the test harness t/lib.sh itself.  Everything else trusts it, so
# each helper is shown to fail when it should, not only to pass.
test_description='the test harness'
. "$(dirname "$0")/lib.sh"

# run_inner name [option...] <script: write a test script "name" that
# sources t/lib.sh, run it in the directory name/ (its scratch directory
# goes there too) and leave its stdout, stderr and exit status in
# name/out, name/err and name/rc.
run_inner() {
	_name=$1
	shift
	mkdir "$_name" &&
	{
		echo '. "$DH_SRC_DIR/t/lib.sh"'
		cat
	} >"$_name/$_name.sh" &&
	(
		cd "$_name" &&
		TEST_OUTPUT_DIRECTORY=$PWD &&
		export TEST_OUTPUT_DIRECTORY &&
		unset TEST_VERBOSE TEST_TRACE TEST_IMMEDIATE TEST_DEBUG &&
		_rc=0 &&
		{ sh "./$_name.sh" "$@" >out 2>err || _rc=$?; } &&
		echo $_rc >rc
	)
}

test_expect_success 'the scratch directory starts empty and private' '
	test -z "$(ls -A)" &&
	test "$PWD" = "$TRASH_DIRECTORY" &&
	test "$(basename "$PWD")" = trash.t0000-harness &&
	case $(ls -ld .) in
	drwx------*) ;;
	*) echo "mode: $(ls -ld .)"; false ;;
	esac
'

test_expect_success 'the environment is cleared' '
	test -z "${DH_STORE+set}" &&
	test -z "${DH_DATABASE+set}" &&
	test "$HOME" = "$TRASH_DIRECTORY" &&
	test "$LC_ALL" = C &&
	test "$TZ" = UTC
'

test_expect_success 'PATH starts with the build tree' '
	case $PATH in
	"$DH_BUILD_DIR/bin:$DH_BUILD_DIR/t/helper:"*) ;;
	*) echo "PATH=$PATH"; false ;;
	esac
'

test_expect_success 'a body reads /dev/null' '
	test -z "$(cat)"
'

test_expect_success 'a body may cd and set variables (setup)' '
	mkdir elsewhere &&
	cd elsewhere &&
	leaked=yes &&
	test "$leaked" = yes
'

test_expect_success 'the next body starts in the scratch directory, variables gone' '
	test "$PWD" = "$TRASH_DIRECTORY" &&
	test -z "${leaked:-}" &&
	rmdir elsewhere
'

test_expect_success 'test_cmp passes equal files and shows differences' '
	printf "a\nb\n" >expect &&
	printf "a\nb\n" >same &&
	printf "a\nc\n" >differ &&
	test_cmp expect same &&
	test_expect_code 1 test_cmp expect differ >diff.out &&
	grep "^-b$" diff.out &&
	grep "^+c$" diff.out &&
	test_must_fail test_cmp expect no-such-file &&
	test_must_fail test_cmp expect
'

test_expect_success 'test_must_fail accepts an ordinary failure' '
	test_must_fail false &&
	test_must_fail sh -c "exit 2" &&
	test_must_fail sh -c "exit 125"
'

test_expect_success 'test_must_fail rejects success' '
	test_expect_code 1 test_must_fail true &&
	test_expect_code 1 test_must_fail sh -c "exit 0"
'

test_expect_success 'test_must_fail rejects crashes' '
	ulimit -c 0 &&
	test_expect_code 1 test_must_fail sh -c "kill -SEGV \$\$" &&
	test_expect_code 1 test_must_fail sh -c "kill -ABRT \$\$" &&
	test_expect_code 1 test_must_fail sh -c "exit 134"
'

test_expect_success 'test_must_fail rejects a missing command' '
	test_expect_code 1 test_must_fail dh-no-such-command
'

test_expect_success 'test_expect_code' '
	test_expect_code 0 true &&
	test_expect_code 3 sh -c "exit 3" &&
	test_expect_code 1 test_expect_code 3 sh -c "exit 4" &&
	test_expect_code 1 test_expect_code 0 false
'

test_expect_success 'test_must_be_empty, test_line_count, test_path_*' '
	: >empty &&
	printf "1\n2\n" >two &&
	mkdir dir &&
	test_must_be_empty empty &&
	test_must_fail test_must_be_empty two &&
	test_must_fail test_must_be_empty no-such-file &&
	test_line_count = 2 two &&
	test_line_count -gt 1 two &&
	test_must_fail test_line_count = 3 two &&
	test_path_is_file two &&
	test_must_fail test_path_is_file dir &&
	test_path_is_dir dir &&
	test_must_fail test_path_is_dir two &&
	test_path_is_missing nothing &&
	test_must_fail test_path_is_missing two
'

test_expect_success 'a passing script: plan, exit 0, scratch directory removed' '
	run_inner pass <<-\EOF &&
	test_expect_success "first" "true"
	test_expect_success "second" "echo out; echo err >&2"
	test_done
	EOF
	printf "ok 1 - first\nok 2 - second\n1..2\n" >expect &&
	grep -v "^#" pass/out >actual &&
	test_cmp expect actual &&
	test "$(cat pass/rc)" = 0 &&
	test_path_is_missing pass/trash.pass &&
	test_path_is_missing pass/trash.pass.log
'

test_expect_success 'a failing command anywhere in a body fails the test' '
	run_inner fail <<-\EOF &&
	test_expect_success "fails in the middle" "
		echo before-the-failure
		false
		true
	"
	test_expect_success "passes" "true"
	test_done
	EOF
	grep "^not ok 1 - fails in the middle$" fail/out &&
	grep "^ok 2 - passes$" fail/out &&
	grep "^1\.\.2$" fail/out &&
	test "$(cat fail/rc)" = 1
'

test_expect_success 'a failure shows the body and its output as diagnostics' '
	grep "^#	*false$" fail/out &&
	grep "^# before-the-failure$" fail/out &&
	test_path_is_dir fail/trash.fail &&
	test_path_is_file fail/trash.fail.log
'

test_expect_success 'test_expect_failure: known breakage, and when it vanishes' '
	run_inner todo <<-\EOF &&
	test_expect_failure "still broken" "false"
	test_expect_failure "fixed meanwhile" "true"
	test_done
	EOF
	printf "%s\n" >expect \
		"not ok 1 - still broken # TODO known breakage" \
		"ok 2 - fixed meanwhile # TODO known breakage vanished" \
		"1..2" &&
	grep -v "^#" todo/out >actual &&
	test_cmp expect actual &&
	test "$(cat todo/rc)" = 0
'

test_expect_success 'skip_all prints an empty plan with the reason' '
	run_inner skip <<-\EOF &&
	skip_all "no frobnicator here"
	test_expect_success "never runs" "false"
	test_done
	EOF
	echo "1..0 # SKIP no frobnicator here" >expect &&
	test_cmp expect skip/out &&
	test "$(cat skip/rc)" = 0 &&
	test_path_is_missing skip/trash.skip
'

test_expect_success 'a script that ends without test_done bails out' '
	run_inner nodone <<-\EOF &&
	test_expect_success "passes" "true"
	exit 0
	EOF
	grep "^Bail out!" nodone/out &&
	test "$(cat nodone/rc)" != 0
'

test_expect_success 'the caller'"'"'s environment does not leak into a script' '
	(
		DH_STORE=leaked.store &&
		DH_DATABASE=leaked &&
		HOME=/nonexistent &&
		export DH_STORE DH_DATABASE HOME &&
		run_inner env <<-\EOF
		test_expect_success "clean" "
			test -z \"\${DH_STORE+set}\" &&
			test -z \"\${DH_DATABASE+set}\" &&
			test \"\$HOME\" = \"\$TRASH_DIRECTORY\"
		"
		test_done
		EOF
	) &&
	grep "^ok 1 - clean$" env/out &&
	test "$(cat env/rc)" = 0
'

test_expect_success '-v sends the output to stderr, keeping stdout TAP' '
	run_inner verbose -v <<-\EOF &&
	test_expect_success "talks" "echo chatter-on-stdout"
	test_done
	EOF
	grep "^chatter-on-stdout$" verbose/err &&
	test_must_fail grep chatter verbose/out &&
	test "$(cat verbose/rc)" = 0
'

test_expect_success 'a # in a description is escaped' '
	run_inner hash <<-\EOF &&
	test_expect_success "issue #12 # SKIP not really" "true"
	test_done
	EOF
	grep "^ok 1 - issue \\\\#12 \\\\# SKIP not really$" hash/out
'

test_expect_success 'TAP output passes prove' '
	if ! command -v prove >/dev/null; then
		echo "prove not installed, nothing to check"
		exit 0
	fi
	prove -e cat pass/out todo/out skip/out
'

test_done
