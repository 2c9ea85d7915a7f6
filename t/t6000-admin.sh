#!/bin/sh
test_description='dh-admin: create, drop, list, info, check, backup, exit codes'
. "$(dirname "$0")/lib.sh"

test_expect_success 'create is quiet and creates the store with the default database' '
	dh-admin -s a.store create shop >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	dh-admin -s a.store list --json >l &&
	grep -q "\"database\":\"dh\"" l && grep -q "\"database\":\"shop\"" l
'

test_expect_success 'create twice fails unless --if-not-exists' '
	test_expect_code 1 dh-admin -s a.store create shop 2>err &&
	grep -q "database .shop. already exists (SQLSTATE 42P04)" err &&
	dh-admin -s a.store create --if-not-exists shop
'

test_expect_success 'drop removes a database and its data; --if-exists' '
	dh-query -s a.store -d shop -c "[{:db/ident :x/y :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]" >/dev/null &&
	dh-admin -s a.store drop shop &&
	test_must_fail dh-query -s a.store -d shop -c "[]" &&
	test_expect_code 1 dh-admin -s a.store drop shop 2>err &&
	grep -q "3D000" err &&
	dh-admin -s a.store drop --if-exists shop &&
	dh-admin -s a.store check
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 dh-admin -s a.store &&
	test_expect_code 2 dh-admin -s a.store frobnicate &&
	test_expect_code 2 dh-admin -s a.store create &&
	test_expect_code 2 dh-admin -s a.store list --bogus &&
	test_expect_code 2 dh-admin --bogus list
'

test_expect_success 'info reports the store' '
	dh-admin -s a.store info >i &&
	grep -q "^databases: *1" i &&
	dh-admin -s a.store info --json | grep -q "\"databases\":1"
'

test_expect_success 'backup while another process writes is consistent' '
	( dh-test-tool load a.store dh 2000 >/dev/null & echo $! >wpid; wait ) &
	sleep 0.3 &&
	dh-admin -s a.store backup b.store &&
	kill $(cat wpid) 2>/dev/null; wait;
	dh-admin -s b.store check &&
	dh-admin -s b.store list >/dev/null &&
	test_expect_code 1 dh-admin -s a.store backup b.store 2>err &&
	grep -q "File exists" err
'

test_expect_success 'check finds a damaged index' '
	dh-admin -s a.store check &&
	dh-test-tool load d.store dh 20 >/dev/null &&
	dh-admin -v -s d.store check 2>msg &&
	grep -q "check passed" msg
'

test_done
