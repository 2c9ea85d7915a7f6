#!/bin/sh
test_description='store files: creation, foreign, truncated and missing files'
. "$(dirname "$0")/lib.sh"

test_expect_success 'dh-query creates a missing store with the default database' '
	dh-query -s new.store -c "\\datoms aevt :db/ident" >out &&
	test_path_is_file new.store &&
	grep -q ":db/ident :db/ident" out &&
	dh-admin -s new.store list --json >list &&
	grep -q "\"database\":\"dh\",\"branch\":\"main\"" list
'

test_expect_success 'DH_STORE and ./dh.store are found' '
	DH_STORE=env.store dh-query -c "[]" >/dev/null 2>&1 || true &&
	test_path_is_file env.store &&
	dh-query -c "\\datoms aevt :db/txInstant" >/dev/null &&
	test_path_is_file dh.store
'

test_expect_success 'read-only commands do not create a store' '
	test_expect_code 1 dh-admin -s missing.store list 2>err &&
	grep -q "cannot open store .missing.store.: No such file" err &&
	test_path_is_missing missing.store &&
	test_path_is_missing missing.store-lock
'

test_expect_success 'a foreign file is refused and left as it was' '
	printf "hello, I am not a database\n" >foreign.store &&
	cp foreign.store foreign.orig &&
	test_expect_code 1 dh-query -s foreign.store -c "[]" 2>err &&
	grep -q "foreign.store" err &&
	test_cmp foreign.orig foreign.store &&
	test_path_is_missing foreign.store-lock
'

test_expect_success 'an empty file is refused' '
	: >empty.store &&
	test_expect_code 1 dh-admin -s empty.store list 2>err &&
	grep -q "file is empty" err
'

test_expect_success 'a truncated store is refused, not crashed on' '
	dh-test-tool load big.store dh 300 >/dev/null &&
	size=$(wc -c <big.store) &&
	head -c $((size / 2)) big.store >trunc.store &&
	test_expect_code 1 dh-admin -s trunc.store check 2>err &&
	grep -q "truncated" err
'

test_expect_success 'another LMDB file is not a dh store' '
	if command -v mdb_load >/dev/null; then
		printf "VERSION=3\nformat=print\ntype=btree\nHEADER=END\n a\n b\nDATA=END\n" |
			mdb_load -n -f /dev/stdin other.lmdb &&
		test_expect_code 1 dh-admin -s other.lmdb list 2>err &&
		grep -q "not a dh store" err
	fi
'

test_expect_success 'unknown database and branch are 3D000 errors' '
	test_expect_code 1 dh-query -s new.store -d nosuch -c "[]" 2>err &&
	grep -q "database .nosuch. does not exist" err &&
	test_expect_code 1 dh-query -s new.store -d dh:nosuch -c "[]" 2>err &&
	grep -q "branch .nosuch. of database .dh. does not exist" err
'

test_expect_success 'bad names are refused' '
	test_expect_code 1 dh-admin -s new.store create "bad name" 2>err &&
	grep -q "invalid character" err &&
	test_expect_code 1 dh-admin -s new.store create ".x" 2>err
'

test_done
