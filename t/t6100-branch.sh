#!/bin/sh
test_description='branches: copy-on-write forks, isolation both ways, as-of on branches'
. "$(dirname "$0")/lib.sh"

q() { dh-query -s b.store "$@"; }

test_expect_success 'setup' '
	q -c "[{:db/ident :k/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
	       {:db/ident :k/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]" >/dev/null &&
	q -c "[{:k/name \"a\" :k/v 1} {:k/name \"b\" :k/v 2}]" >t1 &&
	sed -n "s/^{:tx \([0-9]*\),/\1/p" t1 >tx1 &&
	q -c "[{:k/name \"a\" :k/v 10}]" >/dev/null
'

test_expect_success 'a branch from the head sees the parent state' '
	dh-admin -s b.store branch dh feature &&
	q -c "\\datoms aevt :k/v" >main.txt &&
	q -d dh:feature -c "\\datoms aevt :k/v" >feat.txt &&
	test_cmp main.txt feat.txt
'

test_expect_success 'writes on a branch are invisible to its parent and the reverse' '
	q -d dh:feature -c "[{:k/name \"a\" :k/v 100} {:k/name \"c\" :k/v 3} [:db/retractEntity [:k/name \"b\"]]]" >/dev/null &&
	q -c "[{:k/name \"d\" :k/v 4}]" >/dev/null &&
	q -c "\\datoms aevt :k/v" >main2 &&
	q -d dh:feature -c "\\datoms aevt :k/v" >feat2 &&
	grep -q " 10 " main2 && ! grep -q " 100 " main2 && grep -q " 2 " main2 && grep -q " 4 " main2 &&
	grep -q " 100 " feat2 && ! grep -q " 10 " feat2 && ! grep -q " 2 " feat2 && ! grep -q " 4 " feat2 &&
	grep -q " 3 " feat2 && ! grep -q " 3 " main2
'

test_expect_success 'a branch at an earlier tx sees the state as of then' '
	dh-admin -s b.store branch dh old --at $(cat tx1) &&
	q --as-of $(cat tx1) -c "\\datoms aevt :k/v" >want &&
	q -d dh:old -c "\\datoms aevt :k/v" >got &&
	test_cmp want got
'

test_expect_success 'a branch at an instant sees the state as of then' '
	inst=$(sed -n "s/^ :instant #inst \"\(.*\)\",/\1/p" t1) &&
	dh-admin -s b.store branch dh at-inst --at "$inst" &&
	q -d dh:at-inst -c "\\datoms aevt :k/v" >got2 &&
	test_cmp want got2
'

test_expect_success 'a branch of a branch, and history on a branch' '
	dh-admin -s b.store branch dh:feature sub &&
	q -d dh:sub -c "[{:k/name \"a\" :k/v 1000}]" >/dev/null &&
	q -d dh:sub --history -c "\\datoms aevt :k/v" >h &&
	grep -q " 1 [0-9]* true" h && grep -q " 10 [0-9]* true" h &&
	grep -q " 100 [0-9]* true" h && grep -q " 1000 [0-9]* true" h &&
	q -d dh:feature -c "\\datoms aevt :k/v" | grep -q " 100 "
'

test_expect_success 'as-of on a branch' '
	q -d dh:feature -c "\\datoms aevt :k/v" >f_before &&
	tx=$(dh-admin -s b.store list --json | sed -n "s/.*\"branch\":\"feature\",\"head_tx\":\([0-9]*\).*/\1/p") &&
	q -d dh:feature -c "[{:k/name \"e\" :k/v 5}]" >/dev/null &&
	q -d dh:feature --as-of $tx -c "\\datoms aevt :k/v" >f_asof &&
	test_cmp f_before f_asof
'

test_expect_success 'delete-branch keeps what other branches stand on' '
	dh-admin -s b.store delete-branch dh:feature &&
	test_must_fail q -d dh:feature -c "[]" 2>/dev/null &&
	q -d dh:sub -c "\\datoms aevt :k/v" | grep -q " 1000 " &&
	dh-admin -s b.store check &&
	test_expect_code 1 dh-admin -s b.store delete-branch dh:main 2>err &&
	grep -q "cannot delete branch .main." err
'

test_expect_success 'branch errors' '
	test_expect_code 1 dh-admin -s b.store branch dh sub 2>err &&
	grep -q "already exists" err &&
	test_expect_code 1 dh-admin -s b.store branch dh:nope x 2>err &&
	grep -q "does not exist" err &&
	test_expect_code 1 dh-admin -s b.store branch dh later --at 999999999 2>err &&
	grep -q "after the head" err
'

test_done
