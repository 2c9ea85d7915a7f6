#!/bin/sh
# t4520: password authentication in dh-serve.  dh-admin passwd writes the
# password file (SCRAM verifiers only); psql (libpq) logs in with SCRAM,
# and with a cleartext password under --auth password; a wrong password
# and an unknown user fail alike with 28P01; a verifier PostgreSQL 15 made
# for a role logs that role in; SIGHUP reads the file again, and a broken
# file keeps the old one.  With a certificate, psql's sslmode=require gets
# TLS and channel_binding=require gets SCRAM-SHA-256-PLUS.
test_description='dh-serve: passwords (SCRAM-SHA-256, cleartext) from dh-admin passwd, and TLS'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

. "$DH_SRC_DIR/t/lib-serve.sh"

# psql as USER with PASSWORD against dh-serve: d USER PASSWORD [psql args]
d() {
	u=$1 pw=$2
	shift 2
	PGPASSWORD=$pw psql -X -At -h 127.0.0.1 -p "$DH_PORT" -U "$u" -d shop "$@"
}

test_expect_success 'dh-admin passwd: a file of SCRAM verifiers, mode 0600' '
	dh-admin -s s.store create shop &&
	echo "s3cret pass" | dh-admin passwd --file pw alice &&
	echo "other" | dh-admin passwd --file pw bob &&
	test "$(stat -c %a pw)" = 600 &&
	test "$(wc -l <pw)" = 2 &&
	grep "^alice:SCRAM-SHA-256\\\$4096:[A-Za-z0-9+/=]*\\\$[A-Za-z0-9+/=]*:[A-Za-z0-9+/=]*\$" pw &&
	! grep "s3cret" pw
'

test_expect_success 'dh-admin passwd replaces a user, --delete removes one, bad input fails' '
	cp pw pw.old &&
	echo "again" | dh-admin passwd --file pw bob &&
	test "$(wc -l <pw)" = 2 &&
	grep "^alice:" pw.old >a1 && grep "^alice:" pw >a2 && test_cmp a1 a2 &&
	! test "$(grep "^bob:" pw.old)" = "$(grep "^bob:" pw)" &&
	dh-admin passwd --file pw --delete bob &&
	! grep "^bob:" pw &&
	test_expect_code 1 dh-admin passwd --file pw --delete bob 2>err &&
	grep "no user" err &&
	test_expect_code 1 dh-admin passwd --file pw "a:b" </dev/null 2>err &&
	test_expect_code 1 dh-admin passwd --file pw carol </dev/null 2>err &&
	grep "no password" err &&
	test_expect_code 2 dh-admin passwd --file pw 2>err
'

test_expect_success 'a verifier PostgreSQL 15 made for a role is taken as it is' '
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres \
		-c "CREATE ROLE pgmade LOGIN PASSWORD '\''from pg'\''" &&
	v=$(psql -X -At -h 127.0.0.1 -p "$PGPORT" -d postgres \
		-c "SELECT rolpassword FROM pg_authid WHERE rolname = '\''pgmade'\''") &&
	case "$v" in SCRAM-SHA-256*) ;; *) false ;; esac &&
	echo "pgmade:$v" >>pw
'

serve --passwd pw || echo "Bail out! dh-serve did not start"

test_expect_success 'SCRAM: the right password logs in' '
	test "$(d alice "s3cret pass" -c "SELECT current_user IS NOT NULL")" = t &&
	test "$(d pgmade "from pg" -c "SELECT 1")" = 1 &&
	grep "connection: .* user=alice database=shop" serve.err
'

test_expect_success 'SCRAM: a wrong password and an unknown user fail alike, 28P01' '
	test_expect_code 2 d alice wrong -c "SELECT 1" 2>e1 &&
	test_expect_code 2 d nobody wrong -c "SELECT 1" 2>e2 &&
	grep "FATAL:  password authentication failed for user \"alice\"" e1 &&
	sed "s/\"alice\"/USER/" e1 >e1.n &&
	sed "s/\"nobody\"/USER/" e2 >e2.n &&
	test_cmp e1.n e2.n &&
	grep "28P01 password authentication failed for user \"nobody\"" serve.err
'

test_expect_success 'SIGHUP reads the password file again; a broken one keeps the old' '
	echo "changed" | dh-admin passwd --file pw alice &&
	kill -HUP $SERVE_PID &&
	i=0 &&
	while ! grep -q "reloaded the password file" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	test "$(d alice changed -c "SELECT 2")" = 2 &&
	test_expect_code 2 d alice "s3cret pass" -c "SELECT 1" 2>err &&
	cp pw pw.good &&
	echo "not a line of the file" >>pw &&
	kill -HUP $SERVE_PID &&
	i=0 &&
	while ! grep -q "was not reloaded" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	grep "was not reloaded: pw:3: not USER:VERIFIER" serve.err &&
	test "$(d alice changed -c "SELECT 3")" = 3 &&
	mv pw.good pw
'

unserve
serve --passwd pw --auth password || echo "Bail out! dh-serve did not start"

test_expect_success '--auth password: a cleartext password checked against the verifier' '
	test "$(d alice changed -c "SELECT 4")" = 4 &&
	test "$(d pgmade "from pg" -c "SELECT 5")" = 5 &&
	test_expect_code 2 d alice wrong -c "SELECT 1" 2>e1 &&
	test_expect_code 2 d nobody wrong -c "SELECT 1" 2>e2 &&
	grep "FATAL:  password authentication failed for user \"alice\"" e1 &&
	sed "s/\"alice\"/USER/" e1 >e1.n &&
	sed "s/\"nobody\"/USER/" e2 >e2.n &&
	test_cmp e1.n e2.n
'

unserve

test_expect_success 'a self-signed certificate for TLS' '
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
		-subj /CN=localhost 2>/dev/null &&
	test -s cert.pem && test -s key.pem
'
serve --passwd pw --tls-cert cert.pem --tls-key key.pem ||
	echo "Bail out! dh-serve did not start"

# psql with a connection string: t CONNINFO [psql args]
t() {
	c=$1
	shift
	PGPASSWORD=changed psql -X -At "host=127.0.0.1 port=$DH_PORT user=alice dbname=shop $c" "$@"
}

test_expect_success 'TLS: sslmode=require, SCRAM-SHA-256-PLUS bound to the certificate' '
	t "sslmode=require channel_binding=require" -c "SELECT 6" -c "\\conninfo" >out &&
	grep "^6$" out &&
	grep "SSL connection (protocol: TLSv1" out &&
	grep "connection: .* user=alice database=shop tls=TLSv1" serve.err
'

test_expect_success 'SIGHUP loads a new certificate; one that does not load keeps the last' '
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key2.pem -out cert2.pem -days 2 \
		-subj /CN=second 2>/dev/null &&
	test "$(t "sslmode=verify-ca sslrootcert=cert.pem" -c "SELECT 8")" = 8 &&
	cp cert.pem cert1.pem &&
	cp cert2.pem cert.pem && cp key2.pem key.pem &&
	kill -HUP $SERVE_PID &&
	i=0 &&
	while ! grep -q "reloaded the TLS certificate cert.pem" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	test "$(t "sslmode=verify-ca sslrootcert=cert2.pem" -c "SELECT 9")" = 9 &&
	test_expect_code 2 t "sslmode=verify-ca sslrootcert=cert1.pem" -c "SELECT 1" 2>err &&
	grep "certificate verify failed" err &&
	echo "not a certificate" >cert.pem &&
	kill -HUP $SERVE_PID &&
	i=0 &&
	while ! grep -q "the TLS certificate was not reloaded" serve.err; do
		i=$((i + 1)); test $i -lt 100 || break; sleep 0.1
	done &&
	grep "the TLS certificate was not reloaded: cannot load TLS certificate" serve.err &&
	test "$(t "sslmode=verify-ca sslrootcert=cert2.pem" -c "SELECT 10")" = 10
'

test_expect_success 'TLS: a client without TLS still gets in; a wrong password still fails' '
	test "$(t "sslmode=disable" -c "SELECT 7")" = 7 &&
	PGPASSWORD=wrong test_expect_code 2 psql -X "host=127.0.0.1 port=$DH_PORT user=alice dbname=shop sslmode=require" -c "SELECT 1" 2>err &&
	grep "password authentication failed for user \"alice\"" err
'

unserve
serve --passwd pw --auth-timeout 1 || echo "Bail out! dh-serve did not start"
test_expect_success '--auth-timeout: a client that stalls before logging in is dropped' '
	python3 "$DH_SRC_DIR/t/helper/pgwire-stall.py" "$DH_PORT" alice shop >stall.out &&
	cat stall.out &&
	grep "^silent: closed, 0 bytes$" stall.out &&
	grep "^startup: R E(FATAL 57014 canceling authentication due to timeout) closed$" stall.out &&
	test "$(grep -c "canceling authentication due to timeout (from" serve.err)" = 2
'
test_expect_success '--auth-timeout: a session idle after logging in stays' '
	{ echo "SELECT 1;"; sleep 2; echo "SELECT 2;"; } | d alice changed >idle.out &&
	printf "1\n2\n" >idle.expect &&
	test_cmp idle.expect idle.out
'

unserve
serve --passwd pw || echo "Bail out! dh-serve did not start"
test_expect_success 'without a certificate, sslmode=require is refused by the client' '
	test_expect_code 2 t "sslmode=require" -c "SELECT 1" 2>err &&
	grep "server does not support SSL, but SSL was required" err
'

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM; bad options are usage errors' '
	test "$(cat serve.rc)" = 0 &&
	test_expect_code 2 dh-serve -s s.store --auth-timeout 0 2>err &&
	grep "auth-timeout: not a number of seconds from 1 to 600" err &&
	test_expect_code 2 dh-serve -s s.store --auth-timeout 601 2>err &&
	test_expect_code 2 dh-serve -s s.store --auth md4 --passwd pw 2>err &&
	grep "scram-sha-256, md5 or password" err &&
	test_expect_code 2 dh-serve -s s.store --auth md5 2>err &&
	grep "needs --passwd" err &&
	test_expect_code 1 dh-serve -s s.store -p "$DH_PORT" --passwd nosuch 2>err &&
	grep "cannot read the password file" err &&
	test_expect_code 2 dh-serve -s s.store --tls-cert cert.pem 2>err &&
	grep "go together" err &&
	test_expect_code 1 dh-serve -s s.store -p "$DH_PORT" --tls-cert key.pem --tls-key key.pem 2>err &&
	grep "cannot load TLS certificate" err
'
test_done
