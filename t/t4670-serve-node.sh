#!/bin/sh
# t4670: node-postgres (npm's pg) against dh-serve, with PostgreSQL 15 as
# the oracle.  t/clients/node-check.js runs sections of client code
# (parameters of many types, named prepared statements, several
# statements in one simple query, transactions and savepoints, error
# codes) against a throwaway PostgreSQL 15 and against dh-serve; the
# outputs must be the same.
test_description='dh-serve: node-postgres against it and against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

# pg comes from npm (t/clients/package-lock.json pins it) and is installed
# outside the source tree: in $DH_NODE_PG_DIR if set, else in the build
# tree, as t3100 installs DataScript.  CI installs it beforehand with the
# same npm ci and sets DH_CLIENTS_REQUIRED=1: there a missing driver is a
# failure.
node_skip() {
	if test "${DH_CLIENTS_REQUIRED:-}" = 1; then
		echo "Bail out! $*"
		exit 1
	fi
	skip_all "$@"
}
command -v node >/dev/null 2>&1 || node_skip "node not found: node-postgres skipped"
src=$DH_SRC_DIR/t/clients
DH_NODE_PG_DIR=${DH_NODE_PG_DIR:-$DH_BUILD_DIR/t/node-pg}
want=$(sed -n 's/.*"pg": *"\([^"]*\)".*/\1/p' "$src/package.json")
have=$(cd "$DH_NODE_PG_DIR" 2>/dev/null &&
	node -p 'require("./node_modules/pg/package.json").version' 2>/dev/null)
if test "$have" != "$want"; then
	command -v npm >/dev/null 2>&1 ||
		node_skip "npm not found to install pg $want: node-postgres skipped"
	mkdir -p "$DH_NODE_PG_DIR" &&
	cp "$src/package.json" "$src/package-lock.json" "$DH_NODE_PG_DIR/" &&
	(cd "$DH_NODE_PG_DIR" && npm ci --no-audit --no-fund --loglevel=error) >npm.log 2>&1 ||
		node_skip "npm ci of pg $want failed (offline?): node-postgres skipped"
fi
NODE_PATH=$DH_NODE_PG_DIR/node_modules
export NODE_PATH

pg_start || skip_all "$pg_why"
. "$DH_SRC_DIR/t/lib-serve.sh"

test_expect_success 'a store and a PostgreSQL database named nd' '
	dh-admin -s s.store create nd &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE nd"
'
serve || echo "Bail out! dh-serve did not start"

run() {
	node "$src/node-check.js" 127.0.0.1 "$PGPORT" nd "$@" >expect 2>expect.err &&
	node "$src/node-check.js" 127.0.0.1 "$DH_PORT" nd "$@" >actual 2>actual.err &&
	! grep UNEXPECTED expect &&
	test_cmp expect actual
}

for s in parameters prepared simple transactions errors; do
	test_expect_success "node-postgres: $s" "run $s"
done
test_expect_success 'node-postgres: LISTEN and NOTIFY between two clients' 'run notify'

unserve
test_expect_success 'dh-serve exits 0 on SIGTERM' '
	test "$(cat serve.rc)" = 0
'
test_done
