#!/bin/sh
# t4610: COPY FROM STDIN and COPY TO STDOUT, text and csv, with PostgreSQL
# 15 as the oracle.  The same psql scripts (data inline after each COPY,
# as psql -f reads it: escapes, quoting, NULLs, options, errors with their
# CONTEXT lines, a failed COPY leaving nothing, COPY in a transaction
# block, \copy to and from client files) run against a throwaway
# PostgreSQL 15 and against dh-serve, and psql's output must be the same
# byte for byte; dh-query runs the scripts too (its messages name itself
# where psql's name psql).
test_description='COPY through dh-serve and dh-query, against PostgreSQL 15'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/lib-pg.sh"

pg_start || skip_all "$pg_why"

. "$DH_SRC_DIR/t/lib-serve.sh"

d() { psql -X -h 127.0.0.1 -p "$DH_PORT" "$@"; }
p() { psql -X -h 127.0.0.1 -p "$PGPORT" "$@"; }

test_expect_success 'stores and PostgreSQL databases: shop (dh-serve), q (dh-query)' '
	dh-admin -s s.store create shop &&
	dh-admin -s q.store create q &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE shop" &&
	psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE q"
'
serve --log-queries || echo "Bail out! dh-serve did not start"

# COPY FROM STDIN: the data lines follow each statement, up to \.
cat >in.sql <<'EOF2'
CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, price numeric(8,2), note text DEFAULT 'none', CHECK (price >= 0));
COPY t FROM STDIN;
1	bolt	0.25	\N
2	tab\there	1.5	line\nbreak
3	back\\slash	\N	oct\101hex\x42\x4
4		7	cr\rff\fbs\bvt\vq\q
\.
SELECT * FROM t ORDER BY id;
COPY t (id, name) FROM STDIN;
5	nut
\.
COPY t FROM STDIN WITH (FORMAT csv);
6,"quoted, comma",2.00,"say ""hi"""
7,"multi
line",,
8,"",3,""
\.
COPY t FROM STDIN WITH (FORMAT csv, HEADER true, NULL 'NULL', DELIMITER ';');
id;name;price;note
9;semi;NULL;NULL
\.
COPY t FROM STDIN CSV FORCE NOT NULL note;
10,old,1,
\.
COPY t FROM STDIN WITH (FORMAT csv, FORCE_NULL (note), QUOTE '''', ESCAPE '\');
11,'it\'s',1,''
\.
COPY t FROM STDIN WITH (DELIMITER '|', NULL '');
12|bar||
\.
SELECT id, name, price, note, note IS NULL AS null_note FROM t ORDER BY id;
COPY t FROM STDIN;
20	bad	abc	x
\.
COPY t FROM STDIN;
21	short
\.
COPY t FROM STDIN;
22	x	1	y	extra
\.
COPY t FROM STDIN;
23	ok	1	x
1	dup	1	x
\.
COPY t FROM STDIN;
24	\N	1	x
\.
COPY t FROM STDIN;
25	neg	-1	x
\.
COPY t FROM STDIN (FORMAT csv);
26,"unterminated
\.
COPY t FROM STDIN;
27	nul\000	1	x
\.
COPY t (id, name, id) FROM STDIN;
COPY t (nosuch) FROM STDIN;
COPY nosuch FROM STDIN;
COPY t FROM STDIN (DELIMITER 'ab');
COPY t FROM STDIN (DELIMITER 'x');
COPY t FROM STDIN (FORMAT xml);
COPY t FROM STDIN (bogus 1);
COPY t FROM STDIN (FORMAT csv, FORMAT text);
COPY t FROM STDIN (QUOTE '"');
COPY t FROM STDIN (FORMAT csv, FORCE_QUOTE *);
COPY t FROM STDIN (FORMAT csv, FORCE_NOT_NULL (nosuch));
COPY t (id, name) FROM STDIN (FORMAT csv, FORCE_NULL (note));
COPY t FROM STDIN;
30	a	1	x
31	b	1	x
32	c	zz	x
\.
SELECT count(*) FROM t WHERE id >= 20;
BEGIN;
COPY t FROM STDIN;
40	in	1	x
\.
SELECT count(*) FROM t WHERE id = 40;
ROLLBACK;
SELECT count(*) FROM t WHERE id = 40;
CREATE TABLE s (id serial PRIMARY KEY, v text, at date DEFAULT '2020-01-02', flag bool);
COPY s (v, flag) FROM STDIN;
first	t
second	false
\N	\N
\.
COPY s (v) FROM STDIN;
\.
SELECT * FROM s ORDER BY id;
COPY s (v, flag) FROM STDIN (FORMAT csv);
x,maybe
\.
EOF2

test_expect_success 'COPY FROM STDIN in a psql script: the same through dh-serve as in PostgreSQL' '
	p -d shop -a -f in.sql >expect 2>&1 &&
	d -d shop -a -f in.sql >actual 2>&1 &&
	test_cmp expect actual
'

cat >out.sql <<'EOF2'
COPY t TO STDOUT;
COPY (SELECT * FROM t ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER);
COPY (SELECT * FROM t ORDER BY id) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *);
COPY (SELECT * FROM t ORDER BY id) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (name), NULL 'N/A', DELIMITER ';');
COPY t (name, id) TO STDOUT (DELIMITER '|', HEADER);
COPY (SELECT E'a\\b' AS x, E'tab\there' AS y, E'nl\nx\r' AS z, NULL::int AS n, 1.5::float8 AS f, true AS b, '2024-02-29'::date AS d) TO STDOUT;
COPY (SELECT E'a\\b' AS "we|rd", 'x"y' AS "q""c") TO STDOUT (FORMAT csv, HEADER, DELIMITER '|');
COPY (VALUES (1, '\.'), (2, '')) TO STDOUT CSV;
COPY (SELECT '\.' AS x) TO STDOUT CSV;
COPY (SELECT '\.' AS x) TO STDOUT;
COPY (SELECT 1 WHERE false) TO STDOUT;
COPY s TO STDOUT WITH CSV HEADER;
COPY (SELECT 1/0) TO STDOUT;
COPY t TO STDOUT (FORMAT csv, FORCE_NOT_NULL (name));
COPY t TO STDOUT (HEADER match);
COPY nosuch TO STDOUT;
CREATE VIEW v AS SELECT id FROM t;
COPY v TO STDOUT;
COPY (SELECT * FROM v ORDER BY id) TO STDOUT;
EOF2

test_expect_success 'COPY TO STDOUT: the same through dh-serve as in PostgreSQL' '
	p -d shop -a -f out.sql >expect 2>&1 &&
	d -d shop -a -f out.sql >actual 2>&1 &&
	test_cmp expect actual
'

# line ends (\r\n, \r, mixed), end markers (after data, corrupt, in CSV
# data), long lines in CONTEXT, headers, escapes, bytes that are no UTF-8
x150=$(printf "%150s" "" | tr " " x)
printf '%s\n' 'CREATE TABLE e (a int, b text);' >edge.sql
printf 'COPY e FROM STDIN;\n1\tcrlf\r\n2\tx\r\n\\.\r\nCOPY e FROM STDIN;\n3\tcr\r4\tcr2\r\\.\r\n' >>edge.sql
printf 'COPY e FROM STDIN;\n5\tmixed\r\n6\tlf\n\\.\nCOPY e FROM STDIN;\n7\tnl\n8\tcr\r9\tz\n\\.\n' >>edge.sql
printf 'COPY e FROM STDIN;\n10\tend\\.\n\\.\nCOPY e FROM STDIN;\n11\tbad\\.x\n\\.\n' >>edge.sql
printf 'COPY e FROM STDIN CSV;\n12,"a\n\\.x\nb"\n\\.\nCOPY e FROM STDIN CSV;\n13,\\.x\n\\.\n' >>edge.sql
printf 'COPY e FROM STDIN;\n14\tlong%s\n\\.\nCOPY e FROM STDIN;\n15\tlong%s\tz\n\\.\n' "$x150" "$x150" >>edge.sql
printf 'COPY e FROM STDIN (FORMAT csv, HEADER);\na,b\n\\.\nCOPY e FROM STDIN (HEADER);\n\\.\n' >>edge.sql
printf 'COPY e FROM STDIN;\n\\x41\ta\\\n\\.\nCOPY e (b) FROM STDIN;\n\n\\.\n' >>edge.sql
printf 'COPY e FROM STDIN (FORMAT csv, ESCAPE %s);\n16,"a\\"b\\\\c"\n\\.\n' "'\\'" >>edge.sql
printf "COPY e FROM STDIN (DELIMITER ',');\n17,a\\\\,b\n\\\\.\n" >>edge.sql
printf 'COPY e FROM STDIN;\n18\t\303\n\\.\nCOPY e FROM STDIN;\n19\t\\303\n\\.\n' >>edge.sql
printf 'COPY e FROM STDIN;\n20\t\\x\tx\n\\.\n' >>edge.sql
printf '%s\n' 'SELECT * FROM e ORDER BY a;' "COPY e TO STDOUT (DELIMITER ',');" \
	"COPY e TO STDOUT (FORMAT csv, QUOTE '|', ESCAPE '!');" >>edge.sql

test_expect_success 'line ends, end markers, encodings: the same through dh-serve as in PostgreSQL' '
	p -d shop -a -f edge.sql >expect 2>&1 &&
	d -d shop -a -f edge.sql >actual 2>&1 &&
	test_cmp expect actual
'

# types through their input and output, identity, a foreign key, a
# temporary table, settings that change the output
cat >types.sql <<'EOF2'
CREATE TABLE par (id int PRIMARY KEY);
CREATE TABLE ch (id int GENERATED ALWAYS AS IDENTITY, p int REFERENCES par, tags text[], j jsonb, v varchar(3), ts timestamptz, iv interval, u uuid, by bytea);
INSERT INTO par VALUES (1), (2);
COPY ch (p, tags, j, v, ts, iv, u, by) FROM STDIN;
1	{a,"b c",NULL}	{"k": [1, 2]}	abc	2024-01-02 03:04:05+02	1 day 02:00	a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11	\\x0102
2	{}	null	ab	infinity	-1 mon	\N	\\x
\.
COPY ch (p) FROM STDIN;
3
\.
COPY ch (p, v) FROM STDIN;
1	abcd
\.
COPY ch (p, j) FROM STDIN;
1	{bad
\.
COPY ch FROM STDIN;
99	1	\N	\N	\N	\N	\N	\N	\N
\.
SELECT * FROM ch ORDER BY id;
COPY ch TO STDOUT;
COPY ch TO STDOUT CSV;
CREATE TEMP TABLE tt (a int, b text);
COPY tt FROM STDIN CSV;
1,x
\.
COPY tt TO STDOUT;
COPY tt (nosuch) FROM STDIN;
SET DateStyle = 'German';
COPY (SELECT ts FROM ch) TO STDOUT;
COPY (SELECT 1 AS a, 2 AS a) TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE (a));
COPY (SELECT 1 AS a) TO STDOUT (FORMAT csv, FORCE_QUOTE (b));
EOF2

test_expect_success 'types, identity, foreign keys, a temporary table: the same through dh-serve as in PostgreSQL' '
	p -d shop -a -f types.sql >expect 2>&1 &&
	d -d shop -a -f types.sql >actual 2>&1 &&
	test_cmp expect actual
'

# FREEZE: taken for a table created or truncated in the current
# subtransaction (pgbench -i's COPY), else 55000; data lines follow even
# the refused COPYs, as PostgreSQL asks for them before it refuses
cat >freeze.sql <<'EOF2'
CREATE TABLE ft (a int);
COPY ft FROM STDIN (FREEZE);
1
\.
COPY ft TO STDOUT (FREEZE);
BEGIN;
TRUNCATE ft;
COPY ft FROM STDIN (FREEZE);
2
\.
SAVEPOINT a;
COPY ft FROM STDIN (FREEZE);
3
\.
ROLLBACK TO a;
RELEASE a;
COPY ft FROM STDIN (FREEZE);
4
\.
COMMIT;
BEGIN;
SAVEPOINT a;
CREATE TABLE ft2 (a int);
RELEASE a;
COPY ft2 FROM STDIN (FREEZE);
5
\.
SAVEPOINT b;
TRUNCATE ft2;
ROLLBACK TO b;
COPY ft2 FROM STDIN (FREEZE);
6
\.
ROLLBACK;
CREATE TABLE ft3 (a int)\; COPY ft3 FROM STDIN (FREEZE)\; SELECT 1 AS one;
7
\.
SELECT * FROM ft3;
SELECT * FROM ft ORDER BY a;
EOF2

test_expect_success 'COPY FREEZE: the same through dh-serve as in PostgreSQL' '
	p -d shop -a -f freeze.sql >expect 2>&1 &&
	d -d shop -a -f freeze.sql >actual 2>&1 &&
	test_cmp expect actual &&
	grep "COPY FREEZE because" actual
'

test_expect_success 'COPY FROM STDIN with -c reads standard input' '
	printf "1\tone\n2\ttwo\n\\\\.\n" >stdin.txt &&
	for c in p d; do
		$c -d shop -c "CREATE TABLE c (a int, b text)" &&
		$c -d shop -c "COPY c FROM STDIN" <stdin.txt &&
		$c -d shop -c "COPY c TO STDOUT" || return 1
	done >actual 2>&1 &&
	sed -n "1,4p" actual >first && sed -n "5,8p" actual >second &&
	test_cmp first second &&
	grep "^COPY 2$" first
'

test_expect_success 'psql client-side copy (backslash copy) to and from files through dh-serve as in PostgreSQL' '
	printf "%s\n" "1,\"a,b\"" "2," "3,\"\"" >c.csv &&
	cat >copy.sql <<-\EOF2 &&
	CREATE TABLE f (a int, b text);
	\copy f FROM c.csv WITH (FORMAT csv)
	\copy f (a) FROM c.csv CSV
	\copy f TO f.out
	\copy (SELECT * FROM f ORDER BY a, b) TO f.csv CSV HEADER
	\copy f FROM nosuch.csv
	\copy f from stdin
	7	seven
	\.
	\copy f to stdout
	SELECT count(*) FROM f;
	EOF2
	p -d shop -a -f copy.sql >expect 2>&1 &&
	cp f.out f.out.p && cp f.csv f.csv.p &&
	d -d shop -a -f copy.sql >actual 2>&1 &&
	test_cmp expect actual &&
	test_cmp f.out.p f.out &&
	test_cmp f.csv.p f.csv
'

test_expect_success 'a COPY FROM whose data has an error leaves the session usable' '
	{ printf "COPY t FROM STDIN;\n"; i=100; while test $i -lt 3100; do
		printf "%d\tn%d\t1\tx\n" $i $i; i=$((i + 1)); done;
	  printf "bad\n\\\\.\nSELECT count(*) FROM t WHERE id >= 100;\n"; } >big.sql &&
	p -d shop -f big.sql >expect 2>&1 &&
	d -d shop -f big.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'a client that gives up mid-COPY (psql on SIGINT sends CopyFail): 57014, nothing copied' '
	for c in p d; do
		rm -f ff && mkfifo ff &&
		$c -d shop -c "CREATE TABLE cf (a int)" >/dev/null &&
		# exec: $! must be psql itself
		{ (exec psql -X -h 127.0.0.1 -p $(test $c = p && echo $PGPORT || echo $DH_PORT) \
			-d shop -c "COPY cf FROM STDIN" <ff >cf.$c 2>&1) & pid=$!; } &&
		exec 7>ff && printf "1\n2\n" >&7 &&
		# until the server runs the COPY (then psql waits for its input)
		i=0 && while test $i -lt 50; do
			if test $c = d; then
				grep -q "COPY cf FROM STDIN" serve.err && break
			else
				test "$(p -d shop -A -t -c "SELECT count(*) FROM pg_stat_activity WHERE query = '"'COPY cf FROM STDIN'"'")" = 1 && break
			fi
			i=$((i + 1)); sleep 0.1
		done &&
		sleep 0.3 && kill -INT $pid && sleep 0.3 && exec 7>&- &&
		{ wait $pid; echo "rc=$?" >>cf.$c; } &&
		$c -d shop -A -t -c "SELECT count(*) FROM cf" >>cf.$c || return 1
	done &&
	test_cmp cf.p cf.d &&
	grep "COPY from stdin failed" cf.d
'

# dh-query runs the same scripts; its messages say dh-query where psql's
# say psql
test_expect_success 'dh-query: COPY FROM STDIN in a script as psql -f' '
	p -d q -f in.sql >expect.raw 2>&1 &&
	sed "s/^psql:/dh-query:/" expect.raw >expect &&
	test_expect_code 1 dh-query -s q.store -d q --continue -f in.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'dh-query: COPY TO STDOUT' '
	p -d q -f out.sql >expect.raw 2>&1 &&
	sed "s/^psql:/dh-query:/" expect.raw >expect &&
	test_expect_code 1 dh-query -s q.store -d q --continue -f out.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'dh-query: line ends, end markers, encodings' '
	p -d q -f edge.sql >expect.raw 2>&1 &&
	sed "s/^psql:/dh-query:/" expect.raw >expect &&
	test_expect_code 1 dh-query -s q.store -d q --continue -f edge.sql >actual 2>&1 &&
	test_cmp expect actual
'

test_expect_success 'dh-query: backslash copy to and from files and the script, as psql' '
	p -d q -f copy.sql >expect.raw 2>&1 &&
	sed "s/^psql:/dh-query:/" expect.raw >expect &&
	mv f.out f.out.p && mv f.csv f.csv.p &&
	test_expect_code 1 dh-query -s q.store -d q --continue -f copy.sql >actual 2>&1 &&
	test_cmp expect actual &&
	test_cmp f.out.p f.out &&
	test_cmp f.csv.p f.csv
'

test_expect_success 'dh-query -c: COPY FROM STDIN reads standard input, as psql -c' '
	p -d q -c "CREATE TABLE c (a int, b text)" >expect &&
	p -d q -c "COPY c FROM STDIN" <stdin.txt >>expect &&
	p -d q -c "COPY c TO STDOUT" >>expect &&
	dh-query -s q.store -d q -c "CREATE TABLE c (a int, b text)" >actual &&
	dh-query -s q.store -d q -c "COPY c FROM STDIN" <stdin.txt >>actual &&
	dh-query -s q.store -d q -c "COPY c TO STDOUT" >>actual &&
	test_cmp expect actual
'

unserve
test_done
