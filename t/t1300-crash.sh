#!/bin/sh
test_description='durability and concurrency: kill -9 mid-load, concurrent writers'
. "$(dirname "$0")/lib.sh"

test_expect_success 'a writer killed with SIGKILL keeps every acknowledged tx' '
	dh-admin -s k.store create dh --if-not-exists &&
	( dh-test-tool load k.store dh 100000 >acks & echo $! >pid; wait ) &
	while ! [ -s acks ] || [ $(wc -l <acks) -lt 200 ]; do sleep 0.05; done &&
	kill -9 $(cat pid) &&
	sleep 0.2 &&
	last=$(tail -n 1 acks | sed "s/ack //") &&
	dh-admin -s k.store check &&
	dh-query -s k.store -c "\\datoms aevt :load/n" >got &&
	n=$(wc -l <got) &&
	test "$n" -ge $((last + 1)) &&
	dh-query -s k.store -c "\\datoms avet :load/n $last" | grep -q " $last "
'

writer() {
	i=0
	while [ $i -lt 150 ]; do
		dh-query -s c.store -c "[{:w/k \"$1-$i\"}]" >/dev/null || return 1
		i=$((i + 1))
	done
}

test_expect_success 'concurrent writers from two processes lose nothing' '
	dh-test-tool load c.store dh 1 >/dev/null &&
	dh-query -s c.store -c "[{:db/ident :w/k :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]" >/dev/null &&
	{ writer a & pa=$!; } &&
	{ writer b & pb=$!; } &&
	wait $pa && wait $pb &&
	dh-query -s c.store -c "\\datoms aevt :w/k" >all &&
	test_line_count = 300 all &&
	dh-admin -s c.store check
'

pairs() {
	i=0
	while [ $i -lt 200 ]; do
		dh-query -s r.store -c "[{:w/a $i} {:w/b $i}]" >/dev/null || return 1
		i=$((i + 1))
	done
}

test_expect_success 'readers never see a partial transaction while a writer runs' '
	dh-query -s r.store -c "[{:db/ident :w/a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
		{:db/ident :w/b :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]" >/dev/null &&
	{ pairs & wpid=$!; } &&
	n=0 && seen=0 &&
	while [ $n -lt 2000 ] && kill -0 $wpid 2>/dev/null; do
		dh-query -s r.store -c "\\datoms eavt" >snap &&
		a=$(grep -c ":w/a " snap || true) && b=$(grep -c ":w/b " snap || true) &&
		test "$a" = "$b" || return 1
		[ "$a" -gt 0 ] && [ "$a" -lt 200 ] && seen=$((seen + 1))
		n=$((n + 1))
	done &&
	wait $wpid &&
	dh-query -s r.store -c "\\datoms aevt :w/b" >all &&
	test_line_count = 200 all &&
	test $seen -gt 0
'

test_done
