#!/bin/sh
test_description='json, jsonb and arrays against a real PostgreSQL 15

Runs the cases of t/sqljson/*.txt through t/helper/sqljson-pg, which
evaluates each in PostgreSQL and through lib/sqljson.h and lib/sqlarray.h
and compares text output or error fields.'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

for f in "$DH_SRC_DIR"/t/sqljson/*.txt; do
	name=$(basename "$f" .txt)
	test_expect_success "sqljson cases: $name" '
		sqljson-pg "host=$PGHOST port=$PGPORT user=postgres dbname=postgres" "$f" >out.$name 2>&1 ||
		{ grep -A12 "^not ok" out.$name | head -200; false; }
		tail -n 1 out.$name
	'
done

test_done
