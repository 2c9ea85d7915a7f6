#!/bin/sh
# t4630: psql's describe commands against dh-serve, with PostgreSQL 15 as
# the oracle.  The same schema (primary keys, a composite one, UNIQUE,
# defaults, NOT NULL, CHECK, foreign keys, indexes, an identity column,
# sequences, a view, comments) is made on a throwaway PostgreSQL and on
# dh-serve; psql's \d, \dt, \di, \ds, \dv, \d TABLE, \d+ TABLE, \d of a
# sequence, an index and a view, \d+ of the view, \dn, \dn+, \du, \l, \df
# (no user functions), \dfS of built-in names whose every overload dh has,
# \dT run against both and must print the same, byte for byte.  psql
# builds these from its own queries over pg_catalog, so this checks the
# catalogs dh emulates
# (sqlc-pgcat.c) and the functions psql calls on them.
#
# What may legitimately differ is made equal on the PostgreSQL side, not
# edited out of the output: the objects are owned by a role named dh with
# the attributes dh's one user has (superuser, bypass RLS; dh checks no
# privileges), and the database is made with the C collation and ctype,
# which is how dh compares text.  The one value normalized is a
# relation's size (\dt+, \di+): dh keeps rows in the store's shared
# indexes, not in a file per relation, and reports 0 (lib/README).
test_description='dh-serve: psql describe commands read the emulated pg_catalog'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

. "$DH_SRC_DIR/t/lib-serve.sh"

d() { psql -X -h 127.0.0.1 -p "$DH_PORT" -U dh -d shop "$@"; }
p() { psql -X -h 127.0.0.1 -p "$PGPORT" -U dh -d shop "$@"; }

cat >schema.sql <<'EOF2'
CREATE TABLE customers (id serial PRIMARY KEY, email varchar(100) UNIQUE NOT NULL,
  name text NOT NULL DEFAULT 'anon', created timestamptz DEFAULT now());
CREATE TABLE orders (id int PRIMARY KEY,
  customer_id int REFERENCES customers(id) ON DELETE CASCADE,
  total numeric(10,2) CHECK (total >= 0), note text);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX orders_note_idx ON orders (note DESC);
CREATE TABLE lines (order_id int NOT NULL, n smallint NOT NULL,
  qty int DEFAULT 1 CHECK (qty > 0), sku text, PRIMARY KEY (order_id, n),
  FOREIGN KEY (order_id) REFERENCES orders (id));
CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label text UNIQUE, score double precision DEFAULT -1.5);
CREATE SEQUENCE invoice_seq START 100 INCREMENT 5;
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
COMMENT ON TABLE customers IS 'people who buy';
COMMENT ON COLUMN customers.email IS 'login';
EOF2

test_expect_success 'the same schema on PostgreSQL (owned by dh) and on dh' '
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres \
		-c "CREATE ROLE dh SUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION BYPASSRLS LOGIN" \
		-c "CREATE DATABASE shop OWNER dh TEMPLATE template0 LC_COLLATE '"'C'"' LC_CTYPE '"'C'"'" &&
	p -q -v ON_ERROR_STOP=1 -f schema.sql &&
	dh-admin -s s.store create shop &&
	dh-query -s s.store -d shop -f schema.sql >/dev/null
'
serve || echo "Bail out! dh-serve did not start"

# one psql command against both, the outputs (and exit statuses) compared
same() {
	{ p -c "$1" && echo rc=0 || echo "rc=$?"; } >expect 2>&1 &&
	{ d -c "$1" && echo rc=0 || echo "rc=$?"; } >actual 2>&1 &&
	test_cmp expect actual
}

for cmd in '\d' '\dt' '\di' '\ds' '\dv' '\dt cust*' '\d public.orders' \
	'\d customers' '\d orders' '\d lines' '\d tags' \
	'\d+ customers' '\d+ orders' \
	'\d invoice_seq' '\d customers_id_seq' '\d tags_id_seq' \
	'\d customers_pkey' '\d lines_pkey' '\d orders_note_idx' '\d orders_customer_idx' \
	'\d big_orders' '\d+ big_orders' '\dn' '\dn+' '\du dh' '\l shop' '\d nosuch' \
	'\df' '\dfS md5' '\dfS btrim' '\dfS to_char' '\dT' '\dT+'
do
	test_expect_success "psql $cmd prints what PostgreSQL prints" "same '$cmd'"
done

# sizes: PostgreSQL's files against dh's 0 (see the top)
sized() {
	p -A -c "$1" | sed "s/|[0-9][0-9]* \(bytes\|kB\)|/|SIZE|/" >expect &&
	d -A -c "$1" | sed "s/|[0-9][0-9]* \(bytes\|kB\)|/|SIZE|/" >actual &&
	test_cmp expect actual
}
test_expect_success 'psql \dt+ and \di+ agree but for the sizes' '
	sized "\\dt+" && sized "\\di+" &&
	d -A -t -c "SELECT pg_relation_size('"'orders'"'), pg_total_relation_size('"'orders'"')" >sz &&
	test "$(cat sz)" = "0|0"
'

test_expect_success 'a describe inside a transaction block sees its own DDL' '
	printf "%s\n" "BEGIN;" "CREATE TABLE tmp1 (a int PRIMARY KEY);" "\\d tmp1" "ROLLBACK;" "\\dt tmp1" >blk.sql &&
	p -f blk.sql >expect 2>&1 &&
	d -f blk.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'OIDs agree across the catalogs and regclass' '
	d -A -t -c "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE c.oid = '"'orders'"'::regclass AND a.attnum > 0" >n &&
	test "$(cat n)" = 4 &&
	d -A -t -c "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = '"'customers'"'::regclass ORDER BY 1" >idx &&
	printf "customers_email_key\ncustomers_pkey\n" >expect &&
	test_cmp expect idx &&
	d -A -t -c "SELECT oid::regclass, oid >= 16384 FROM pg_class WHERE relname = '"'lines'"'" >rc &&
	test "$(cat rc)" = "lines|t"
'

test_expect_success 'regproc names pg_proc'"'"'s functions as PostgreSQL does' '
	q="SELECT '"'"'initcap'"'"'::regproc, '"'"'initcap'"'"'::regproc::oid, 870::regproc, 1708::regproc" &&
	p -A -t -c "$q" >expect &&
	d -A -t -c "$q" >actual &&
	test_cmp expect actual &&
	test_expect_code 1 p -c "SELECT '"'"'lower'"'"'::regproc" >expect 2>&1 &&
	test_expect_code 1 d -c "SELECT '"'"'lower'"'"'::regproc" >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'what dh cannot answer is 0A000, not a made-up value' '
	test_expect_code 1 d -c "SELECT '"'"'int4pl'"'"'::regproc" 2>err &&
	grep "ERROR:  regproc \"int4pl\" is not supported" err &&
	test_expect_code 1 d -c "SELECT * FROM pg_operator" 2>err &&
	grep "pg_catalog.pg_operator is not supported" err &&
	test_expect_code 1 d -c "SELECT adbin FROM pg_attrdef" 2>err &&
	grep "ERROR" err
'

unserve

test_done
