# gen.awk: the data and the SQL scripts of the SQL benchmark (t/perf/sql),
# the same text for dh-query, sqlite3 and psql.  Run by run.sh as
#
#	awk -v scale=1 -v seed=42 -v out=DIR -f gen.awk
#
# and writes into DIR:
#
#	schema.sql     CREATE TABLE customers, orders, items
#	indexes.sql    CREATE INDEX on the columns the workloads filter, join
#	               and order by (dh keeps every attribute in AVET and may
#	               refuse CREATE INDEX: run.sh says so and goes on)
#	load.sql       the data: customers, orders, items; INSERTs of 1,000
#	               rows, one transaction per 100,000 rows
#	insert.sql     workload insert: 100,000 one-row INSERTs into items,
#	               in one BEGIN ... COMMIT (into a fresh database)
#	insert-check.sql   what the insert left, as one checksum row
#	point.sql      workload point: 10,000 SELECTs of one items row by id
#	join.sql       workload join: customers x orders x items, filtered
#	groupby.sql    workload groupby: GROUP BY with aggregates over items
#	orderby.sql    workload orderby: ORDER BY created DESC LIMIT 10 over items
#	sizes          "NAME ROWS" lines for the report
#	*.hdr          the header line each script's results print (column
#	               names, tab separated); run.sh drops these lines before
#	               comparing, since sqlite3 prints none for an empty result
#
# Sizes at scale 1: 20,000 customers, 200,000 orders, 1,000,000 items;
# each count is multiplied by scale (at least 10).  The numbers come from
# Park and Miller's minimal standard generator (x = x * 48271 mod 2^31-1),
# exact in any awk's doubles, so a seed gives the same files everywhere.
# items.created is a permutation of the item ids (k * 48271 mod 2^31-1),
# unique, so ORDER BY created has no ties and one right answer.
#
# Only integers and plain text without quotes, tabs, commas or NULLs, so
# that the three CLIs print the same bytes.

function rnd(n) {
	rng = (rng * 48271) % 2147483647
	return rng % n
}
function scaled(n,   v) {
	v = int(n * scale + 0.5)
	return v < 10 ? 10 : v
}
function hdr(name, cols,   h) {
	h = out "/" name ".hdr"
	gsub(/ /, "\t", cols)
	print cols > h
	close(h)
}
function created(k) {
	return (k * 48271) % 2147483647
}

BEGIN {
	if (out == "" || scale == "" || seed == "") {
		print "gen.awk: set out, scale and seed" > "/dev/stderr"
		exit 2
	}
	rng = seed % 2147483646 + 1
	NC = scaled(20000); NO = scaled(200000); NI = scaled(1000000)
	NINS = scaled(100000); NQ = scaled(10000)
	NCITY = 100; NPROD = 1000
	split("pending shipped delivered cancelled", status, " ")

	f = out "/sizes"
	printf "customers %d\norders %d\nitems %d\ninsert %d\npoint %d\n", \
		NC, NO, NI, NINS, NQ > f
	close(f)

	f = out "/schema.sql"
	print "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, city text NOT NULL);" > f
	print "CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, status text NOT NULL, day integer NOT NULL);" > f
	print "CREATE TABLE items (id integer PRIMARY KEY, order_id integer NOT NULL, product_id integer NOT NULL, qty integer NOT NULL, price integer NOT NULL, created integer NOT NULL);" > f
	close(f)

	f = out "/indexes.sql"
	print "CREATE INDEX customers_city ON customers (city);" > f
	print "CREATE INDEX orders_customer_id ON orders (customer_id);" > f
	print "CREATE INDEX items_order_id ON items (order_id);" > f
	print "CREATE INDEX items_created ON items (created);" > f
	close(f)

	# --- the data
	f = out "/load.sql"
	for (i = 1; i <= NC; i++) {
		city[i] = rnd(NCITY)
		row("customers (id, name, city)", i, NC, \
			sprintf("(%d, 'cust-%d', 'city-%d')", i, i, city[i]))
	}
	for (i = 1; i <= NO; i++) {
		row("orders (id, customer_id, status, day)", i, NO, \
			sprintf("(%d, %d, '%s', %d)", i, 1 + rnd(NC), status[1 + rnd(4)], \
				19000 + rnd(730)))
	}
	for (i = 1; i <= NI; i++) {
		o = 1 + rnd(NO); p = 1 + rnd(NPROD); q = 1 + rnd(10); pr = 100 + rnd(99900)
		row("items (id, order_id, product_id, qty, price, created)", i, NI, \
			sprintf("(%d, %d, %d, %d, %d, %d)", i, o, p, q, pr, created(i)))
	}
	close(f)

	# --- workload insert: a second stream, so the base data does not
	# depend on NINS
	rng = (seed + 1) % 2147483646 + 1
	f = out "/insert.sql"
	print "BEGIN;" > f
	for (i = 1; i <= NINS; i++) {
		printf "INSERT INTO items (id, order_id, product_id, qty, price, created) VALUES (%d, %d, %d, %d, %d, %d);\n", \
			i, 1 + rnd(NO), 1 + rnd(NPROD), 1 + rnd(10), 100 + rnd(99900), created(i) > f
	}
	print "COMMIT;" > f
	close(f)
	f = out "/insert-check.sql"
	hdr("insert-check", "n s_order s_product s_qty s_price min_created max_created")
	print "SELECT count(*) AS n, sum(order_id) AS s_order, sum(product_id) AS s_product, sum(qty) AS s_qty, sum(price) AS s_price, min(created) AS min_created, max(created) AS max_created FROM items;" > f
	close(f)

	# --- workload point
	f = out "/point.sql"
	hdr("point", "id order_id product_id qty price created")
	for (i = 1; i <= NQ; i++)
		printf "SELECT id, order_id, product_id, qty, price, created FROM items WHERE id = %d;\n", \
			1 + rnd(NI) > f
	close(f)

	# --- workload join: ~1/100 of the customers (the city of one, so never
	# none), 1/4 of their orders
	f = out "/join.sql"
	hdr("join", "customer order_id day item_id product_id qty")
	printf "SELECT c.name AS customer, o.id AS order_id, o.day AS day, i.id AS item_id, i.product_id AS product_id, i.qty AS qty FROM customers c JOIN orders o ON o.customer_id = c.id JOIN items i ON i.order_id = o.id WHERE c.city = 'city-%d' AND o.status = 'shipped' ORDER BY o.id, i.id;\n", \
		city[1 + rnd(NC)] > f
	close(f)

	# --- workload groupby: 1,000 groups over all items
	f = out "/groupby.sql"
	hdr("groupby", "product_id n qty revenue min_price max_price")
	print "SELECT product_id, count(*) AS n, sum(qty) AS qty, sum(qty * price) AS revenue, min(price) AS min_price, max(price) AS max_price FROM items GROUP BY product_id ORDER BY product_id;" > f
	close(f)

	# --- workload orderby: the 10 newest items, by the index on created
	f = out "/orderby.sql"
	hdr("orderby", "id order_id price created")
	print "SELECT id, order_id, price, created FROM items ORDER BY created DESC LIMIT 10;" > f
	close(f)
}

# row(TABLE, I, N, TUPLE): the I-th of N rows of TABLE into load.sql
function row(table, i, n, tuple) {
	if (i % 100000 == 1)
		print "BEGIN;" > f
	if (i % 1000 == 1)
		printf "INSERT INTO %s VALUES\n%s", table, tuple > f
	else
		printf ",\n%s", tuple > f
	if (i % 1000 == 0 || i == n)
		print ";" > f
	if (i % 100000 == 0 || i == n)
		print "COMMIT;" > f
}
