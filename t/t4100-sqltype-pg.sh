#!/bin/sh
test_description='sqltype against PostgreSQL 15: every case of t/sqltype/*.txt, the catalog, random floats and numerics'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"
. "$DH_SRC_DIR/t/datalog/tap-pass.sh"

pg_start || skip_all "$pg_why"
conninfo="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"

pass_tap catalog sqltype-pg "$conninfo" --catalog
for f in "$DH_SRC_DIR"/t/sqltype/*.txt; do
	pass_tap "$(basename "$f" .txt)" sqltype-pg "$conninfo" "$f"
done
pass_tap random sqltype-pg "$conninfo" --random-floats 20 --random-numeric 20
test_done
