#!/bin/sh
# t4001: dh-sql-diff, the runner of t4000, catches what it must: every kind
# of difference (two PostgreSQL databases made to differ on purpose), a
# broken case, and a dh side that crashes, hangs, exits non-zero or answers
# wrong (DH_SQL_DIFF_FAULT); and its todo list behaves (TODO, unexpected
# pass, stale entries, --write-todo).  The fixtures are t/sql/harness/.
test_description='dh-sql-diff catches differences, crashes, hangs and broken cases'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"
H=$DH_SRC_DIR/t/sql/harness

# The second database finds objects of its own first, prints floats with
# extra_float_digits 0 and dates German style.
other_init="CREATE SCHEMA shadow;
CREATE FUNCTION shadow.f() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';
CREATE FUNCTION shadow.boom() RETURNS int LANGUAGE sql AS 'SELECT 1 / 0';
CREATE TABLE shadow.src (a int);
INSERT INTO shadow.src VALUES (1), (2), (3);
CREATE VIEW shadow.v AS SELECT 1 AS renamed;
SET search_path = shadow, public;
SET extra_float_digits = 0;
SET DateStyle = 'German'"

test_expect_success 'self-check of databases made to differ: run' '
	test_expect_code 1 dh-sql-diff --pg "$PG_URI" --self-check --other-init "$other_init" \
		"$H/compare.test" >compare.out &&
	grep "^1\.\.16$" compare.out &&
	grep "^# self-check: 3 of 16 cases agree" compare.out
'

test_expect_success 'self-check: agree-* agree, differ-* and broken-* do not' '
	grep -c "^ok [0-9]* - compare/agree-" compare.out >n &&
	echo 3 >expect && test_cmp expect n &&
	! grep "^ok [0-9]* - compare/differ-" compare.out &&
	! grep "^ok [0-9]* - compare/broken-" compare.out &&
	test $(grep -c "^not ok [0-9]* - compare/differ-" compare.out) = 11 &&
	test $(grep -c "^not ok [0-9]* - compare/broken-" compare.out) = 2
'

test_expect_success 'self-check: each difference is named' '
	cat >expect <<-\EOF_ &&
	#   compare.test:10: statement 1: rows differ
	#   compare.test:13: statement 1: rows differ
	#   compare.test:21: statement 1: rows differ (in order)
	#   compare.test:31: statement 1: rows differ (in order)
	#   compare.test:36: statement 2: column 1 '"'"'f'"'"' is int4, dh says int8
	#   compare.test:40: statement 2: column 1 is named '"'"'original'"'"', dh says '"'"'renamed'"'"'
	#   compare.test:46: statement 4: command tag '"'"'INSERT 0 2'"'"', dh says '"'"'INSERT 0 3'"'"'
	#   compare.test:51: statement 3: command tag '"'"'SELECT 2'"'"', dh says '"'"'SELECT 3'"'"'
	#   compare.test:55: statement 2: dh fails: 22012 division by zero
	#   compare.test:60: statement 2: SQLSTATE 22003, dh says 22012 (division by zero)
	#   compare.test:64: statement 2: result 2: rows differ
	#   compare.test:67: statement 1: the case is broken: PostgreSQL fails it (22012 division by zero)
	#   compare.test:71: statement 1: the case is broken: PostgreSQL runs a statement marked '"'"'error'"'"'
	EOF_
	grep "^#   compare.test:" compare.out >actual &&
	test_cmp expect actual
'

test_expect_success 'todo list: a run against dh with faults' '
	cat >todo <<-\EOF_ &&
	# a todo list
	todo/agrees-but-listed
	todo/differs-listed
	todo/crashes-listed
	todo/hangs-listed
	todo/exits-listed
	todo/broken-listed
	todo/no-such-case
	other/kept
	EOF_
	DH_SQL_DIFF_FAULT=lie:todo/differs-listed,lie:todo/differs-unlisted,crash:todo/crashes-listed,hang:todo/hangs-listed,exit:todo/exits-listed \
		test_expect_code 1 dh-sql-diff --pg "$PG_URI" --timeout 2 --todo todo \
		--scratch "$TRASH_DIRECTORY" "$H/todo.test" >todo.out 2>todo.err &&
	grep "^not ok\|^ok\|^1\.\." todo.out >actual &&
	cat >expect <<-\EOF_ &&
	ok 1 - todo/agrees
	ok 2 - todo/agrees-but-listed # TODO now agrees with PostgreSQL: remove it from the todo list
	not ok 3 - todo/differs-listed # TODO statement 1: command tag '"'"'CREATE TYPE'"'"', dh says '"'"'LIE'"'"'
	not ok 4 - todo/differs-unlisted
	not ok 5 - todo/crashes-listed
	not ok 6 - todo/hangs-listed
	not ok 7 - todo/exits-listed
	not ok 8 - todo/broken-listed
	not ok 9 - todo names only existing cases
	1..9
	EOF_
	test_cmp expect actual
'

test_expect_success 'todo list: why each failed' '
	grep "dh died by signal 6" todo.out &&
	grep "dh timed out after 2 s" todo.out &&
	grep "dh exited with status 3" todo.out &&
	grep "the case is broken: PostgreSQL fails it (22012" todo.out &&
	grep "no case '"'"'todo/no-such-case'"'"'" todo.out &&
	test $(grep -c "on the todo list, but a crash" todo.out) = 4 &&
	grep "^# 2 of 8 cases agree with PostgreSQL 15" todo.out &&
	ls "$TRASH_DIRECTORY" >files && ! grep "\.store" files
'

test_expect_success 'todo list: only TODO failures is a pass' '
	DH_SQL_DIFF_FAULT=lie:todo/differs-listed dh-sql-diff --pg "$PG_URI" --todo todo \
		-k "todo/*s-listed" "$H/todo.test" >subset.out &&
	grep "^not ok 1 - todo/differs-listed # TODO" subset.out
'

test_expect_success 'todo list: --write-todo lists what differs' '
	cp todo todo.w &&
	DH_SQL_DIFF_FAULT=lie:todo/differs-listed,lie:todo/differs-unlisted,crash:todo/crashes-listed,hang:todo/hangs-listed,exit:todo/exits-listed \
		test_expect_code 1 dh-sql-diff --pg "$PG_URI" --timeout 2 --todo todo.w --write-todo \
		"$H/todo.test" >write.out 2>write.err &&
	grep -v "^#" todo.w >actual &&
	printf "%s\n" todo/differs-listed todo/differs-unlisted other/kept >expect &&
	test_cmp expect actual
'

test_expect_success 'todo list: --write-todo -k keeps the cases not run' '
	cp todo todo.k &&
	dh-sql-diff --pg "$PG_URI" --todo todo.k --write-todo -k "todo/agrees*" \
		"$H/todo.test" >k.out 2>k.err &&
	grep -v "^#" todo.k >actual &&
	printf "%s\n" todo/differs-listed todo/crashes-listed todo/hangs-listed \
		todo/exits-listed todo/broken-listed other/kept >expect &&
	test_cmp expect actual
'

test_expect_success 'a dh child that exits non-zero after its cases fails its file' '
	DH_SQL_DIFF_FAULT=exit-after:todo/agrees test_expect_code 1 dh-sql-diff --pg "$PG_URI" \
		-k "todo/agrees" "$H/todo.test" >after.out 2>after.err &&
	grep "^ok 1 - todo/agrees$" after.out &&
	grep "^not ok 2 - todo.test: the dh child exits cleanly$" after.out &&
	grep "^#   the dh child of todo.test exited with status 3" after.out &&
	grep "^1\.\.2$" after.out
'

test_expect_success 'a malformed case file is refused' '
	printf "case a\nSELECT 1\n\ncase b\nSELECT 2;\n" >bad.test &&
	test_expect_code 2 dh-sql-diff --pg "$PG_URI" bad.test >bad.out &&
	grep "^Bail out! bad.test:3: the statement of line 2 does not end in" bad.out &&
	printf "case a\nSELECT 1\nordered\nSELECT 2;\n" >bad2.test &&
	test_expect_code 2 dh-sql-diff --pg "$PG_URI" bad2.test >bad2.out &&
	grep "inside the statement of line 2" bad2.out &&
	printf "case a\nSELECT 1;\ncase a\nSELECT 2;\n" >bad3.test &&
	test_expect_code 2 dh-sql-diff --pg "$PG_URI" bad3.test >bad3.out &&
	grep "a second case" bad3.out
'
test_done
