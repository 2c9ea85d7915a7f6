#!/bin/sh
# t4500: SCRAM-SHA-256 verifiers (lib/scram.c) agree with PostgreSQL 15 in
# both directions.  A throwaway cluster asks for scram-sha-256 on TCP.
#   - ours to PostgreSQL: a verifier made by dh-test-tool scram-verifier is
#     set as a role's password (ALTER ROLE ... PASSWORD 'SCRAM-SHA-256$...',
#     which PostgreSQL stores as given), and psql logs in over TCP with the
#     password: libpq's SCRAM client against PostgreSQL's server, checking
#     the keys we derived; a wrong password is refused.
#   - PostgreSQL's to ours: PostgreSQL makes a verifier from a password
#     (rolpassword in pg_authid), and our exchange (dh-test-tool
#     scram-login: our server with that verifier, our client computing
#     RFC 5802's proof with the password) accepts the password and refuses
#     another, with 28P01.
#   - libpq to ours: psql logs in to dh-test-tool scram-serve (a
#     one-connection login server over the codec and the exchange) with
#     PostgreSQL's verifier and with ours; a wrong password and an unknown
#     user get the same 28P01 error from it.
test_description='SCRAM-SHA-256 verifiers against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

psu() { psql -X -q -t -A -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres "$@"; }
# log in over TCP, where the cluster asks for SCRAM
login() {
	PGPASSWORD=$2 psql -X -q -t -A -w "host=127.0.0.1 port=$PGPORT user=$1 dbname=postgres" \
		-c 'select current_user'
}

test_expect_success 'the cluster asks for scram-sha-256 over TCP' '
	hba=$PG_DIR/data/pg_hba.conf &&
	{ echo "host all postgres 127.0.0.1/32 trust" &&
	  echo "host all all 127.0.0.1/32 scram-sha-256"; cat "$hba"; } >hba.new &&
	as_pg sh -c "cat >\"$hba\"" <hba.new &&
	psu -c "select pg_reload_conf()" >/dev/null &&
	psu -c "create role alice login; create role bob login" &&
	test_must_fail login alice x 2>err &&
	grep "password authentication failed" err
'

test_expect_success 'a verifier of ours logs in to PostgreSQL with its password' '
	v=$(dh-test-tool scram-verifier "correct horse battery staple") &&
	case "$v" in SCRAM-SHA-256\$4096:*) ;; *) false ;; esac &&
	psu -c "alter role alice password '\''$v'\''" &&
	test "$(psu -c "select rolpassword from pg_authid where rolname = '\''alice'\''")" = "$v" &&
	login alice "correct horse battery staple" >out &&
	echo alice >expect &&
	test_cmp expect out
'

test_expect_success 'PostgreSQL refuses a wrong password for our verifier' '
	test_must_fail login alice "correct horse battery stapler" 2>err &&
	grep "password authentication failed for user \"alice\"" err
'

test_expect_success 'a verifier of ours with other iterations and punctuation' '
	v=$(dh-test-tool scram-verifier "p@ss:w\$rd,=x" 10000) &&
	case "$v" in SCRAM-SHA-256\$10000:*) ;; *) false ;; esac &&
	psu -c "alter role alice password '\''$v'\''" &&
	login alice "p@ss:w\$rd,=x" >out &&
	test_cmp expect out
'

test_expect_success 'a verifier PostgreSQL made passes our exchange' '
	psu -c "set password_encryption = '\''scram-sha-256'\''; alter role bob password '\''tr0ub4dor&3'\''" &&
	pv=$(psu -c "select rolpassword from pg_authid where rolname = '\''bob'\''") &&
	case "$pv" in SCRAM-SHA-256\$4096:*) ;; *) false ;; esac &&
	login bob "tr0ub4dor&3" >out &&
	echo bob >expect-bob &&
	test_cmp expect-bob out &&
	dh-test-tool scram-login "$pv" "tr0ub4dor&3" >ours &&
	echo ok >expect-ok &&
	test_cmp expect-ok ours
'

test_expect_success 'and our exchange refuses a wrong password for it, with 28P01' '
	pv=$(psu -c "select rolpassword from pg_authid where rolname = '\''bob'\''") &&
	test_expect_code 1 dh-test-tool scram-login "$pv" "tr0ub4dor&4" >ours &&
	echo "28P01 password authentication failed for user \"tester\"" >expect-fail &&
	test_cmp expect-fail ours
'

# serve USER VERIFIER: a login server for one connection (60 s at most, so
# a client that never comes cannot hang the test), its port in $port
serve() {
	rm -f port &&
	{ timeout 60 dh-test-tool scram-serve port "$1" "$2" >serve.out 2>serve.err & } &&
	n=0 && while ! test -s port && test $n -lt 100; do sleep 0.1; n=$((n + 1)); done &&
	port=$(cat port)
}
# ours_login USER PASSWORD: psql (libpq's SCRAM client, SSLRequest first)
# against it
ours_login() {
	PGPASSWORD=$2 psql -X -q -t -A -w "host=127.0.0.1 port=$port user=$1 dbname=x" \
		-c 'select current_user'
}

test_expect_success 'libpq logs in to our exchange with PostgreSQL'\''s verifier' '
	pv=$(psu -c "select rolpassword from pg_authid where rolname = '\''bob'\''") &&
	serve bob "$pv" &&
	ours_login bob "tr0ub4dor&3" >out &&
	wait &&
	test_cmp expect-bob out
'

test_expect_success 'and with a verifier of ours' '
	dh-test-tool scram-verifier "correct horse battery staple" >verifier &&
	serve alice "$(cat verifier)" &&
	ours_login alice "correct horse battery staple" >out &&
	wait &&
	test_cmp expect out
'

test_expect_success 'a wrong password and an unknown user get the same 28P01 from it' '
	serve alice "$(cat verifier)" &&
	test_must_fail ours_login alice "wrong" 2>err1 &&
	wait &&
	serve alice "$(cat verifier)" &&
	test_must_fail ours_login carol "correct horse battery staple" 2>err2 &&
	wait &&
	grep "FATAL:  password authentication failed for user \"alice\"" err1 &&
	grep "FATAL:  password authentication failed for user \"carol\"" err2 &&
	sed "s/alice/USER/; s/port [0-9]*/port P/" err1 >e1 &&
	sed "s/carol/USER/; s/port [0-9]*/port P/" err2 >e2 &&
	test_cmp e1 e2
'

test_done
