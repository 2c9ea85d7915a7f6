#!/bin/sh
test_description='history: as-of equals the state seen at that time; since; history; noHistory'
. "$(dirname "$0")/lib.sh"

q() { dh-query -s h.store "$@"; }

test_expect_success 'setup: a counter updated many times, snapshots taken at each tx' '
	q -c "[{:db/ident :c/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
	       {:db/ident :c/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
	       {:db/ident :c/tag :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
	       {:db/ident :c/pw :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/noHistory true}]" >/dev/null &&
	for i in 1 2 3 4 5 6; do
		q -c "[{:c/name \"k\" :c/n $i :c/tag \"t$i\" :c/pw \"p$i\"}]" >out.$i &&
		sed -n "s/^{:tx \([0-9]*\),/\1/p" out.$i >tx.$i &&
		sed -n "s/^ :instant #inst \"\(.*\)\",/\1/p" out.$i >inst.$i &&
		q -c "\\datoms eavt" >state.$i || return 1
	done
'

test_expect_success 'as-of each tx id equals the state seen then' '
	for i in 1 2 3 4 5 6; do
		q --as-of $(cat tx.$i) -c "\\datoms eavt" >asof.$i &&
		grep -v ":c/pw" state.$i >want && grep -v ":c/pw" asof.$i >got &&
		test_cmp want got || return 1
	done
'

test_expect_success 'as-of an instant equals as-of its tx' '
	for i in 2 5; do
		q --as-of "$(cat inst.$i)" -c "\\datoms eavt" >a &&
		q --as-of "$(cat tx.$i)" -c "\\datoms eavt" >b &&
		test_cmp b a || return 1
	done &&
	q --as-of 1970-01-01T00:00:00Z -c "\\datoms eavt" >empty &&
	test ! -s empty
'

test_expect_success 'history holds every assertion and retraction' '
	q --history -c "\\datoms aevt :c/n" >h &&
	test_line_count = 11 h &&
	grep -c " false\]" h >n && test "$(cat n)" = 5
'

test_expect_success 'since shows only what was asserted after a tx' '
	q --since $(cat tx.4) -c "\\datoms aevt :c/tag" >s &&
	test_line_count = 2 s &&
	grep -q "\"t5\"" s && grep -q "\"t6\"" s
'

test_expect_success 'noHistory attributes forget retracted values' '
	q --history -c "\\datoms aevt :c/pw" >pw &&
	test_line_count = 1 pw &&
	grep -q "\"p6\"" pw
'

test_expect_success 'bad time points are refused' '
	test_expect_code 1 q --as-of yesterday -c "\\datoms eavt" 2>err &&
	grep -q "invalid time" err
'

test_done
