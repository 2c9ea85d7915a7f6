/*
 * pull-t: unit tests of lib/pull.c.  A scratch store gets a small social
 * graph (the data of DataScript's own pull tests, roughly), and each check
 * pulls a pattern and compares the printed result with the expected EDN
 * (maps order-insensitively, vectors in order).  In expected text, @name
 * stands for the entity id of tempid "name".
 *
 * The oracle is DataScript 1.8.1 (npm datascript), run with string
 * attribute names on the same data: "friend" for :p/friend, with
 * ivan=1 petr=2 oleg=3 dima=4, addr=10, p1..p3=11..13, kinda=20, loop=30,
 * c1=40 c2=41.  Comments quote what it returned as
 *   DS: d.pull(db, '<pattern>', <e>) => <result>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "pull.h"
#include "tap.h"

static char dir[512], path[600];
static struct dh_store *st;
static struct dh_conn *conn;
static struct dh_snapshot *snap;
static struct dh_arena arena; /* everything the checks print or parse */
static struct dh_err err;

/* --- entity names --- */

static struct {
	char name[24];
	uint64_t e;
} names[64];
static size_t nnames;

static void
name_put(const char *n, uint64_t e)
{
	if (nnames < DH_ARRAY_SIZE(names) && strlen(n) < sizeof(names[0].name)) {
		snprintf(names[nnames].name, sizeof(names[0].name), "%s", n);
		names[nnames++].e = e;
	}
}

static uint64_t
ent(const char *n)
{
	if (n[0] >= '0' && n[0] <= '9')
		return strtoull(n, NULL, 10);
	for (size_t i = 0; i < nnames; i++)
		if (strcmp(names[i].name, n) == 0)
			return names[i].e;
	printf("Bail out! no entity named %s\n", n);
	exit(1);
}

/* Replace each @name in t by its entity id. */
static const char *
expand(const char *t)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	while (*t) {
		if (*t != '@') {
			dh_buf_addc(&b, *t++);
			continue;
		}
		size_t n = strspn(++t, "abcdefghijklmnopqrstuvwxyz0123456789_");
		char nm[32];
		snprintf(nm, sizeof(nm), "%.*s", (int)n, t);
		dh_buf_printf(&b, "%llu", (unsigned long long)ent(nm));
		t += n;
	}
	const char *s = dh_arena_strndup(&arena, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

/* --- the store --- */

static struct dh_tx_report rep;

static void
reopen(void)
{
	dh_snapshot_close(snap);
	snap = NULL;
	if (dh_snapshot_open(conn, NULL, &snap, &err)) {
		printf("Bail out! snapshot: %s\n", err.message);
		exit(1);
	}
}

/* Transact text; name its tempids; the snapshot then sees it. */
static uint64_t
transact(const char *text)
{
	dh_snapshot_close(snap);
	snap = NULL;
	if (dh_transact_text(conn, text, strlen(text), &arena, &rep, &err)) {
		printf("Bail out! transact: %s (at %d)\n", err.message, err.position);
		exit(1);
	}
	if (rep.ntempids <= 32)
		for (size_t i = 0; i < rep.ntempids; i++)
			name_put(rep.tempids[i].name, rep.tempids[i].e);
	reopen();
	return rep.tx;
}

static uint64_t
tempid(const char *n)
{
	for (size_t i = 0; i < rep.ntempids; i++)
		if (strcmp(rep.tempids[i].name, n) == 0)
			return rep.tempids[i].e;
	printf("Bail out! no tempid %s\n", n);
	exit(1);
}

/* --- pulling --- */

static int
pull_in(struct dh_snapshot *s, uint64_t e, const char *pattern, struct dh_value *out)
{
	struct dh_edn *form;
	struct dh_pull *p;
	size_t used;
	int rc;
	dh_err_clear(&err);
	*out = (struct dh_value){.type = DH_T_NONE};
	if ((rc = dh_edn_parse(&arena, pattern, strlen(pattern), &form, &used, &err)))
		return rc;
	if ((rc = dh_pull_parse(&arena, form, dh_snapshot_schema(s), pattern, strlen(pattern), &p,
				&err)))
		return rc;
	return dh_pull_entity(dh_snapshot_view(s), dh_snapshot_schema(s), p, e, &arena, out, &err);
}

static const char *
print(const struct dh_value *v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_value_print_edn(&b, v);
	const char *s = dh_arena_strndup(&arena, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

static struct dh_edn *
read_edn(const char *s)
{
	struct dh_edn *x = NULL;
	size_t used;
	struct dh_err e = {0};
	if (dh_edn_parse(&arena, s, strlen(s), &x, &used, &e))
		return NULL;
	return x;
}

static void
pull_is_in(struct dh_snapshot *s, const char *ename, const char *pattern, const char *want,
	   const char *what)
{
	struct dh_value v;
	int rc = pull_in(s, ent(ename), pattern, &v);
	if (rc) {
		ok(0, "%s: pull %s on %s", what, pattern, ename);
		tap_diag("error %d: %s (at %d)", rc, err.message, err.position);
		return;
	}
	const char *got = print(&v), *w = expand(want);
	struct dh_edn *g = read_edn(got), *x = read_edn(w);
	if (!ok(g && x && dh_edn_equal(g, x), "%s: pull %s on %s", what, pattern, ename)) {
		tap_diag("got  %s", got);
		tap_diag("want %s", w);
	}
}

static void
pull_is(const char *ename, const char *pattern, const char *want, const char *what)
{
	pull_is_in(snap, ename, pattern, want, what);
}

/* The pattern fails with code at 1-based character position pos, with a
 * message containing msg. */
static void
pull_fails(const char *pattern, int code, int pos, const char *msg, const char *what)
{
	struct dh_value v;
	int rc = pull_in(snap, ent("ivan"), pattern, &v);
	if (!ok(rc == code && err.position == pos && strstr(err.message, msg), "%s: %s fails", what,
		pattern)) {
		tap_diag("got %d at %d: %s", rc, err.position, err.message);
		tap_diag("want %d at %d: ...%s...", code, pos, msg);
	}
}

/* Value of keyword key k in map m, or NULL. */
static const struct dh_value *
get(const struct dh_value *m, const char *k)
{
	if (!m || m->type != DH_T_COLL || m->coll->kind != DH_COLL_MAP)
		return NULL;
	for (size_t i = 0; i < m->coll->n; i += 2) {
		const struct dh_value *x = &m->coll->items[i];
		if (x->type == DH_T_KEYWORD && x->s.n == strlen(k) &&
		    memcmp(x->s.p, k, x->s.n) == 0)
			return &m->coll->items[i + 1];
	}
	return NULL;
}

static long
count(const struct dh_value *m, const char *k)
{
	const struct dh_value *v = get(m, k);
	return v && v->type == DH_T_COLL ? (long)v->coll->n : -1;
}

/* Follow :p/next down a pulled chain: how many maps, and the last name. */
static long
chain(const struct dh_value *v, const char **last)
{
	long n = 0;
	*last = "";
	for (; v && v->type == DH_T_COLL; v = get(v, "p/next")) {
		const struct dh_value *nm = get(v, "p/name");
		if (nm)
			*last = dh_arena_strndup(&arena, nm->s.p, nm->s.n);
		n++;
	}
	return n;
}

/* --- the checks --- */

static const char schema_tx[] =
    "[{:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one "
    "  :db/unique :db.unique/identity}"
    " {:db/ident :p/aka :db/valueType :db.type/string :db/cardinality :db.cardinality/many}"
    " {:db/ident :p/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}"
    " {:db/ident :p/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}"
    " {:db/ident :p/father :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}"
    " {:db/ident :p/address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one"
    "  :db/isComponent true}"
    " {:db/ident :a/city :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
    " {:db/ident :a/parts :db/valueType :db.type/ref :db/cardinality :db.cardinality/many"
    "  :db/isComponent true}"
    " {:db/ident :part/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}"
    " {:db/ident :p/kind :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}"
    " {:db/ident :p/next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}"
    " {:db/ident :p/tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}"
    " {:db/ident :kind/a}]";

static const char data_tx[] =
    "[{:db/id \"ivan\" :p/name \"Ivan\" :p/aka [\"b\" \"a\" \"c\"] :p/friend [\"petr\" \"oleg\"]"
    "  :p/address \"addr\" :p/kind :kind/a :p/age 30}"
    " {:db/id \"petr\" :p/name \"Petr\" :p/friend [\"ivan\" \"oleg\"] :p/father \"ivan\"}"
    " {:db/id \"oleg\" :p/name \"Oleg\" :p/friend [\"dima\"] :p/father \"ivan\" :p/age 40}"
    " {:db/id \"dima\" :p/name \"Dima\" :p/friend [\"ivan\"]}"
    " {:db/id \"addr\" :a/city \"X\" :a/parts [\"p1\" \"p2\"]}"
    " {:db/id \"p1\" :part/name \"p1\"}"
    " {:db/id \"p2\" :part/name \"p2\" :a/parts [\"p3\"]}"
    " {:db/id \"p3\" :part/name \"p3\"}"
    " {:db/id \"loop\" :p/name \"Loop\" :p/father \"loop\"}"
    " {:db/id \"c1\" :a/parts [\"c2\"]}"
    " {:db/id \"c2\" :a/parts [\"c1\"]}]";

static void
test_plain(void)
{
	ok(ent("ivan") < ent("petr") && ent("petr") < ent("oleg") && ent("oleg") < ent("dima") &&
	       ent("p1") < ent("p2"),
	   "entity ids follow the order the expected vectors assume");
	pull_is("ivan", "[:p/name]", "{:p/name \"Ivan\"}", "one attribute");
	pull_is("ivan", "[:p/name :p/age]", "{:p/name \"Ivan\" :p/age 30}", "two attributes");
	/* DS: d.pull(db, '["aka"]', 1) => {aka: ["a","b","c"]} (value order) */
	pull_is("ivan", "[:p/aka]", "{:p/aka [\"a\" \"b\" \"c\"]}",
		"cardinality many in value order");
	/* DS: d.pull(db, '[:name]', 999) => null */
	pull_is("999999", "[:p/name]", "nil", "missing entity");
	pull_is("addr", "[:p/name :p/age]", "nil", "entity without the attributes");
	/* DS: d.pull(db, '[]', 1) => null */
	pull_is("ivan", "[]", "nil", "empty pattern");
	/* DS: d.pull(db, '[*]', 999) => {":db/id": 999}; '[:db/id]' likewise;
	 * '["name" :db/id]' 999 => {":db/id": 999} */
	pull_is("999999", "[*]", "{:db/id 999999}", "wildcard on a missing entity");
	pull_is("999999", "[:db/id]", "{:db/id 999999}", ":db/id on a missing entity");
	pull_is("999999", "[:p/name :db/id]", "{:db/id 999999}", ":db/id keeps the map");
	pull_is("ivan", "[:db/id :p/name]", "{:db/id @ivan :p/name \"Ivan\"}", ":db/id");
	pull_is("ivan", "(:p/name)", "{:p/name \"Ivan\"}", "a list is a pattern too");
	/* DS: '[:name :name]' => {name: "Ivan"} */
	pull_is("ivan", "[:p/name :p/name]", "{:p/name \"Ivan\"}", "a repeated attribute");
}

static void
test_refs(void)
{
	/* DS: '["father"]' 2 => {father: {":db/id": 1}} */
	pull_is("petr", "[:p/father]", "{:p/father {:db/id @ivan}}", "card-one ref is a map");
	pull_is("ivan", "[:p/friend]", "{:p/friend [{:db/id @petr} {:db/id @oleg}]}",
		"card-many ref is a vector of maps");
	/* DS: '["kind"]' 1 => {kind: {":db/id": 20}} (no ident for enums) */
	pull_is("ivan", "[:p/kind]", "{:p/kind {:db/id @kinda}}", "a ref to an enum entity");
	/* DS: '[{"kind" [*]}]' 1 => {kind: {":db/id": 20, ":db/ident": "kind/a"}} */
	pull_is("ivan", "[{:p/kind [*]}]", "{:p/kind {:db/id @kinda :db/ident :kind/a}}",
		"sub-pattern with * on an enum entity");
	pull_is("ivan", "[{:p/friend [:p/name]}]",
		"{:p/friend [{:p/name \"Petr\"} {:p/name \"Oleg\"}]}", "sub-pattern");
	/* DS: '[{"friend" ["name"] "father" ["name"]}]' 2 =>
	 *     {father: {name: "Ivan"}, friend: [{name: "Ivan"}, {name: "Oleg"}]} */
	pull_is("petr", "[{:p/friend [:p/name] :p/father [:p/name]}]",
		"{:p/father {:p/name \"Ivan\"} :p/friend [{:p/name \"Ivan\"} {:p/name \"Oleg\"}]}",
		"map with two entries");
	/* DS: '[{"friend" ["nope"]}]' 1 => null: nil sub-pulls are left out */
	pull_is("ivan", "[{:p/friend [:p/aka]}]", "nil", "sub-pulls that find nothing");
	pull_is("dima", "[:p/name {:p/friend [:p/age]}]",
		"{:p/name \"Dima\" :p/friend [{:p/age 30}]}", "sub-pull of one friend");
	/* DS: '[{"friend" ["name" {"father" ...}]}]' 1 =>
	 *     {friend: [{father: {name: "Ivan"}, name: "Petr"}, {father: {name: "Ivan"}, name:
	 * "Oleg"}]} */
	pull_is("ivan", "[{:p/friend [:p/name {:p/father ...}]}]",
		"{:p/friend [{:p/name \"Petr\" :p/father {:p/name \"Ivan\"}}"
		" {:p/name \"Oleg\" :p/father {:p/name \"Ivan\"}}]}",
		"recursion in a sub-pattern repeats the sub-pattern");
}

static void
test_reverse(void)
{
	/* DS: '["_friend"]' 1 => {_friend: [{":db/id": 2}, {":db/id": 4}]} */
	pull_is("ivan", "[:p/_friend]", "{:p/_friend [{:db/id @petr} {:db/id @dima}]}",
		"reverse ref");
	pull_is("ivan", "[:p/_father]", "{:p/_father [{:db/id @petr} {:db/id @oleg}]}",
		"reverse of a card-one ref is a vector");
	/* DS: '[{"_father" ["name"]}]' 1 => {_father: [{name: "Petr"}, {name: "Oleg"}]} */
	pull_is("ivan", "[{:p/_father [:p/name]}]",
		"{:p/_father [{:p/name \"Petr\"} {:p/name \"Oleg\"}]}", "reverse with sub-pattern");
	/* DS: '["_addr"]' 10 => {_addr: {":db/id": 1}}; '["_parts"]' 13 => {_parts: {":db/id": 12}}
	 */
	pull_is("addr", "[:p/_address]", "{:p/_address {:db/id @ivan}}",
		"reverse component is one map");
	pull_is("p3", "[:a/_parts]", "{:a/_parts {:db/id @p2}}",
		"reverse of a card-many component is one map");
	/* DS: '[{"_addr" ["name"]}]' 10 => {_addr: {name: "Ivan"}} */
	pull_is("addr", "[{:p/_address [:p/name]}]", "{:p/_address {:p/name \"Ivan\"}}",
		"reverse component with sub-pattern");
	/* DS: '["_addr"]' 11 => null */
	pull_is("p1", "[:p/_address]", "nil", "no reverse refs");
	/* DS: '[("_friend" :limit 1)]' 1 => {_friend: [{":db/id": 2}]};
	 * '[["_friend" :as "fr" :limit 1]]' 1 => {fr: [{":db/id": 2}]};
	 * '[["_friend" :default 0]]' 999 => {_friend: 0} */
	pull_is("ivan", "[(:p/_friend :limit 1)]", "{:p/_friend [{:db/id @petr}]}",
		"limit on a reverse attribute");
	pull_is("ivan", "[[:p/_friend :as \"fr\" :limit 1]]", "{\"fr\" [{:db/id @petr}]}",
		":as and :limit on a reverse attribute");
	pull_is("999999", "[[:p/_friend :default 0]]", "{:p/_friend 0}",
		":default on a reverse attribute");
	/* DataScript refuses this one ("Expected limit attribute having
	 * :db.cardinality/many, got: father"); options apply to every reverse
	 * attribute here. */
	pull_is("ivan", "[{[:p/_father :limit 1] [:p/name]}]", "{:p/_father [{:p/name \"Petr\"}]}",
		"limit on the reverse of a card-one attribute");
}

static void
test_components(void)
{
	/* DS: '["addr"]' 1 => {addr: {":db/id": 10, city: "X", parts: [{":db/id": 11, pn: "p1"},
	 *     {":db/id": 12, parts: [{":db/id": 13, pn: "p3"}], pn: "p2"}]}} */
	const char *addr =
	    "{:db/id @addr, :a/city \"X\", :a/parts [{:db/id @p1, :part/name \"p1\"}"
	    " {:db/id @p2, :a/parts [{:db/id @p3, :part/name \"p3\"}], :part/name \"p2\"}]}";
	char want[1024];
	snprintf(want, sizeof(want), "{:p/address %s}", addr);
	pull_is("ivan", "[:p/address]", want, "a named component is pulled whole");
	/* DS: '[{"addr" ["city"]}]' 1 => {addr: {city: "X"}} */
	pull_is("ivan", "[{:p/address [:a/city]}]", "{:p/address {:a/city \"X\"}}",
		"component with sub-pattern");
	/* DS: '[{"addr" ...}]' 1 => null (the pattern has nothing for addr) */
	pull_is("ivan", "[{:p/address ...}]", "nil", "recursion into a component");
	/* DS: '[*]' 1 (see gen output in the header comment's terms) */
	snprintf(want, sizeof(want),
		 "{:db/id @ivan, :p/address %s, :p/age 30, :p/aka [\"a\" \"b\" \"c\"],"
		 " :p/friend [{:db/id @petr} {:db/id @oleg}], :p/kind {:db/id @kinda},"
		 " :p/name \"Ivan\"}",
		 addr);
	pull_is("ivan", "[*]", want, "wildcard: components whole, other refs as ids");
	/* DS: '[*]' 40 => {:db/id 40, parts: [{:db/id 41, parts: [{:db/id 40,
	 *     parts: [{:db/id 41}]}]}]} */
	pull_is("c1", "[*]",
		"{:db/id @c1, :a/parts [{:db/id @c2, :a/parts [{:db/id @c1, :a/parts [{:db/id "
		"@c2}]}]}]}",
		"a cycle of components ends");
}

static void
test_wildcard(void)
{
	pull_is("999999", "[\"*\"]", "{:db/id 999999}", "\"*\" is the wildcard");
	pull_is("999999", "[:*]", "{:db/id 999999}", ":* is the wildcard (as in DataScript)");
	pull_is("petr", "[* *]",
		"{:db/id @petr :p/name \"Petr\" :p/friend [{:db/id @ivan} {:db/id @oleg}]"
		" :p/father {:db/id @ivan}}",
		"two wildcards");
	/* DS: '[* {"friend" ["name"]}]' 1 => friend: [{name: "Petr"}, {name: "Oleg"}] and the rest
	 */
	pull_is("petr", "[* {:p/friend [:p/name]}]",
		"{:db/id @petr :p/name \"Petr\" :p/friend [{:p/name \"Ivan\"} {:p/name \"Oleg\"}]"
		" :p/father {:db/id @ivan}}",
		"a map overrides the wildcard");
	/* DS: '[* ("name" :as "x")]' 1 => "x": "Ivan" and no "name" */
	pull_is("petr", "[* (:p/name :as \"x\")]",
		"{:db/id @petr \"x\" \"Petr\" :p/friend [{:db/id @ivan} {:db/id @oleg}]"
		" :p/father {:db/id @ivan}}",
		":as overrides the wildcard");
	/* DS: '[* [:db/id :as "id"]]' 1 => "id": 1 and no :db/id */
	pull_is("petr", "[* [:db/id :as \"id\"]]",
		"{\"id\" @petr :p/name \"Petr\" :p/friend [{:db/id @ivan} {:db/id @oleg}]"
		" :p/father {:db/id @ivan}}",
		":db/id with :as overrides the wildcard's");
	/* DS: '[* ("aka" :limit 1)]' 1 => aka: ["a"] */
	pull_is("ivan", "[* (:p/aka :limit 1) {:p/address [:a/city]} {:p/friend [:p/name]}]",
		"{:db/id @ivan :p/name \"Ivan\" :p/aka [\"a\"] :p/age 30 :p/kind {:db/id @kinda}"
		" :p/address {:a/city \"X\"} :p/friend [{:p/name \"Petr\"} {:p/name \"Oleg\"}]}",
		"limit overrides the wildcard");
	/* DS: '[* {"friend" 1}]' 1 => the friends pulled with *, without their friends */
	pull_is("ivan", "[* {:p/friend 1} {:p/address [:a/city]}]",
		"{:db/id @ivan :p/name \"Ivan\" :p/aka [\"a\" \"b\" \"c\"] :p/age 30"
		" :p/kind {:db/id @kinda} :p/address {:a/city \"X\"}"
		" :p/friend [{:db/id @petr :p/name \"Petr\" :p/father {:db/id @ivan}}"
		" {:db/id @oleg :p/name \"Oleg\" :p/father {:db/id @ivan} :p/age 40}]}",
		"wildcard with recursion");
	pull_is("ivan", "[* :p/_friend]",
		"{:db/id @ivan, :p/address {:db/id @addr, :a/city \"X\", :a/parts [{:db/id @p1,"
		" :part/name \"p1\"} {:db/id @p2, :a/parts [{:db/id @p3, :part/name \"p3\"}],"
		" :part/name \"p2\"}]}, :p/age 30, :p/aka [\"a\" \"b\" \"c\"],"
		" :p/friend [{:db/id @petr} {:db/id @oleg}], :p/kind {:db/id @kinda},"
		" :p/name \"Ivan\" :p/_friend [{:db/id @petr} {:db/id @dima}]}",
		"wildcard and a reverse attribute");
	/* system attributes are attributes: * on an attribute entity shows them */
	char want[512], e[32];
	uint64_t name_attr = dh_schema_attr(dh_snapshot_schema(snap), "p/name", 6)->id;
	snprintf(e, sizeof(e), "%llu", (unsigned long long)name_attr);
	snprintf(want, sizeof(want),
		 "{:db/id %llu :db/ident :p/name :db/valueType {:db/id %llu}"
		 " :db/cardinality {:db/id %d} :db/unique {:db/id %d}}",
		 (unsigned long long)name_attr, (unsigned long long)DH_E_TYPE(DH_T_STRING),
		 DH_E_CARD_ONE, DH_E_UNIQUE_IDENTITY);
	pull_is(e, "[*]", want, "wildcard on an attribute entity");
	snprintf(e, sizeof(e), "%llu", (unsigned long long)DH_E_TYPE(DH_T_STRING));
	pull_is(e, "[:db/ident :db/doc]", "{:db/ident :db.type/string}",
		":db/ident of a system enum");
}

static void
test_options(void)
{
	/* DS: '[("name" :as "x")]' 1, '[["name" :as "x"]]' 1 => {x: "Ivan"} */
	pull_is("ivan", "[(:p/name :as \"x\")]", "{\"x\" \"Ivan\"}", ":as in a list");
	pull_is("ivan", "[[:p/name :as \"x\"]]", "{\"x\" \"Ivan\"}", ":as in a vector");
	pull_is("ivan", "[[:p/name :as :x]]", "{:x \"Ivan\"}", ":as a keyword");
	/* DS: '[["name" :as x]]' 1 => {x: "Ivan"} with the symbol x; there are
	 * no symbol values here, so the key is the string "x" */
	pull_is("ivan", "[[:p/name :as x]]", "{\"x\" \"Ivan\"}", ":as a symbol gives a string");
	/* DS: '[["name" :as 5]]' 1 => {5: "Ivan"} */
	pull_is("ivan", "[[:p/name :as 5]]", "{5 \"Ivan\"}", ":as an integer");
	/* DS: '[["name" :as "x" :as "y"]]' 1 => {y: "Ivan"} */
	pull_is("ivan", "[[:p/name :as \"x\" :as \"y\"]]", "{\"y\" \"Ivan\"}",
		"the later :as wins");
	/* DS: '[("name" :as "x") "name"]' 1 => {x: "Ivan"}; '["name" ("name" :as "x")]' 1 =>
	 * {name: "Ivan"} (DataScript keeps the first here, though a plain name and a map
	 * of one attribute go the other way; the first always wins here) */
	pull_is("ivan", "[:p/name (:p/name :as \"x\")]", "{:p/name \"Ivan\"}",
		"the first spec of an attribute wins");
	pull_is("ivan", "[(:p/name :as \"x\") :p/name]", "{\"x\" \"Ivan\"}",
		"the first spec of an attribute wins, with :as");
	/* DS: '[("name" :as "n") ("aka" :as "n")]' 3 => {n: ["x"]} */
	pull_is("ivan", "[(:p/name :as \"n\") (:p/aka :as \"n\")]", "{\"n\" [\"a\" \"b\" \"c\"]}",
		"two specs with one key: the later wins");
	/* DS: '[("aka" :limit 2)]', '[["aka" :limit 2]]', '[(limit "aka" 2)]' 1 => {aka: ["a","b"]}
	 */
	pull_is("ivan", "[(:p/aka :limit 2)]", "{:p/aka [\"a\" \"b\"]}", ":limit in a list");
	pull_is("ivan", "[[:p/aka :limit 2]]", "{:p/aka [\"a\" \"b\"]}", ":limit in a vector");
	pull_is("ivan", "[(limit :p/aka 2)]", "{:p/aka [\"a\" \"b\"]}", "(limit :a n)");
	/* DS: '[["aka" :limit nil]]' 1 => all three */
	pull_is("ivan", "[(:p/aka :limit nil)]", "{:p/aka [\"a\" \"b\" \"c\"]}", ":limit nil");
	/* DS: '[(default "foo" 0)]' 999 => {foo: 0}; on an entity with it: its value */
	pull_is("petr", "[(default :p/age 0)]", "{:p/age 0}", "(default :a v)");
	pull_is("ivan", "[(default :p/age 0)]", "{:p/age 30}", "a default does not hide a value");
	/* DS: '[["foo" :default 0 :as "F"]]' 999 => {F: 0} */
	pull_is("999999", "[[:p/age :default 0 :as \"A\"]]", "{\"A\" 0}", ":default with :as");
	/* DS: '[("name" :default nil)]' 999 => null */
	pull_is("999999", "[(:p/age :default nil)]", "nil", "a nil default is no default");
	pull_is("petr",
		"[[:p/tags :default [:x \"y\" #{1}]] (:p/age :default #inst \"2020-01-01\")]",
		"{:p/tags [:x \"y\" #{1}] :p/age #inst \"2020-01-01T00:00:00Z\"}",
		"defaults of any EDN value");
	pull_is("petr", "[(:p/age :default foo/bar)]", "{:p/age \"foo/bar\"}",
		"a symbol default is a string");
	/* DS: '[{["friend" :limit 1] ["name"]}]' 1 (and the list and limit forms) =>
	 * {friend: [{name: "Petr"}]} */
	pull_is("ivan", "[{[:p/friend :limit 1] [:p/name]}]", "{:p/friend [{:p/name \"Petr\"}]}",
		"map key with options");
	pull_is("ivan", "[{(:p/friend :limit 1 :as \"F\") [:p/name]}]",
		"{\"F\" [{:p/name \"Petr\"}]}", "map key as a list");
	pull_is("ivan", "[{(limit :p/friend 1) [:p/name]}]", "{:p/friend [{:p/name \"Petr\"}]}",
		"map key as (limit ...)");
	/* DS: '[{(default "friend" 0) ["name"]}]' 999 => {friend: 0};
	 * '[{(default "friend" 7) ["nope"]}]' 1 => null (datoms exist: no default) */
	pull_is("999999", "[{(default :p/friend 0) [:p/name]}]", "{:p/friend 0}",
		"map key as (default ...)");
	pull_is("ivan", "[{(default :p/friend 7) [:p/aka]}]", "nil",
		"no default when the refs pull to nothing");
	/* DS: '[{("friend" :limit 1) ["aka"]}]' (friend 2 without aka, 3 with) =>
	 * {friend: [{aka: ["x"]}]}: the limit counts what is kept */
	pull_is("ivan", "[{(:p/friend :limit 1) [:p/age]}]", "{:p/friend [{:p/age 40}]}",
		"limit counts non-nil sub-pulls");
}

static void
test_recursion(void)
{
	/* DS: '["name" {"friend" ...}]' 1 */
	pull_is(
	    "ivan", "[:p/name {:p/friend ...}]",
	    "{:p/friend [{:p/friend [{:p/friend [{:db/id @petr} {:p/friend [{:p/friend [{:db/id "
	    "@ivan}], :p/name \"Dima\"}], :p/name \"Oleg\"}], :p/name \"Ivan\"} {:p/friend "
	    "[{:p/friend [{:p/friend [{:db/id @petr} {:db/id @oleg}], :p/name \"Ivan\"}], :p/name "
	    "\"Dima\"}], :p/name \"Oleg\"}], :p/name \"Petr\"} {:p/friend [{:p/friend [{:p/friend "
	    "[{:p/friend [{:db/id @ivan} {:db/id @oleg}], :p/name \"Petr\"} {:db/id @oleg}], "
	    ":p/name \"Ivan\"}], :p/name \"Dima\"}], :p/name \"Oleg\"}], :p/name \"Ivan\"}",
	    "unbounded recursion stops at entities on the path");
	/* DS: '["name" {"friend" 1}]' 1 => {friend: [{name: "Petr"}, {name: "Oleg"}], name: "Ivan"}
	 */
	pull_is("ivan", "[:p/name {:p/friend 1}]",
		"{:p/name \"Ivan\" :p/friend [{:p/name \"Petr\"} {:p/name \"Oleg\"}]}",
		"recursion limit 1");
	/* DS: '["name" {"friend" 2}]' 1 */
	pull_is(
	    "ivan", "[:p/name {:p/friend 2}]",
	    "{:p/friend [{:p/friend [{:p/friend [{:db/id @petr}], :p/name \"Ivan\"} {:p/name "
	    "\"Oleg\"}], :p/name \"Petr\"} {:p/friend [{:p/name \"Dima\"}], :p/name \"Oleg\"}], "
	    ":p/name \"Ivan\"}",
	    "recursion limit 2: seen entities before the limit");
	/* DS: '[{"father" ...}]' 30 => {father: {father: {":db/id": 30}}} */
	pull_is("loop", "[{:p/father ...}]", "{:p/father {:p/father {:db/id @loop}}}",
		"a self-reference ends");
	pull_is("loop", "[:p/name {:p/father ...}]",
		"{:p/name \"Loop\" :p/father {:p/name \"Loop\" :p/father {:db/id @loop}}}",
		"a self-reference with a name");
	/* DS: '[{"_father" ...} "name"]' 1 => {name: "Ivan", _father: [{name: "Petr"}, {name:
	 * "Oleg"}]} */
	pull_is("ivan", "[{:p/_father ...} :p/name]",
		"{:p/name \"Ivan\" :p/_father [{:p/name \"Petr\"} {:p/name \"Oleg\"}]}",
		"reverse recursion");
	/* DS: '[{"friend" [{"friend" ...}]}]' 1 */
	pull_is(
	    "ivan", "[{:p/friend [{:p/friend ...}]}]",
	    "{:p/friend [{:p/friend [{:p/friend [{:p/friend [{:db/id @ivan} {:p/friend [{:p/friend "
	    "[{:db/id @ivan}]}]}]} {:p/friend [{:p/friend [{:db/id @ivan}]}]}]} {:p/friend "
	    "[{:p/friend [{:p/friend [{:p/friend [{:db/id @ivan} {:db/id @oleg}]} {:db/id "
	    "@oleg}]}]}]}]} {:p/friend [{:p/friend [{:p/friend [{:p/friend [{:db/id @ivan} "
	    "{:p/friend [{:db/id @dima}]}]} {:p/friend [{:db/id @dima}]}]}]}]}]}",
	    "recursion inside a sub-pattern");
	/* DS: '[{"friend" ... "father" ...}]' 2 */
	pull_is(
	    "petr", "[{:p/friend ... :p/father ...}]",
	    "{:p/father {:p/friend [{:p/father {:db/id @ivan}, :p/friend [{:db/id @ivan} "
	    "{:p/father {:db/id @ivan}, :p/friend [{:p/friend [{:db/id @ivan}]}]}]} {:p/father "
	    "{:db/id @ivan}, :p/friend [{:p/friend [{:db/id @ivan}]}]}]}, :p/friend [{:p/friend "
	    "[{:p/father {:db/id @ivan}, :p/friend [{:db/id @ivan} {:p/father {:db/id @ivan}, "
	    ":p/friend [{:p/friend [{:db/id @ivan}]}]}]} {:p/father {:db/id @ivan}, :p/friend "
	    "[{:p/friend [{:db/id @ivan}]}]}]} {:p/father {:p/friend [{:p/father {:db/id @ivan}, "
	    ":p/friend [{:db/id @ivan} {:db/id @oleg}]} {:db/id @oleg}]}, :p/friend [{:p/friend "
	    "[{:p/friend [{:p/father {:db/id @ivan}, :p/friend [{:db/id @ivan} {:db/id @oleg}]} "
	    "{:db/id @oleg}]}]}]}]}",
	    "two recursions share the path");
	/* DS: '[{"friend" 2 "_friend" 1}]' 1 */
	pull_is(
	    "ivan", "[{:p/friend 2 :p/_friend 1}]",
	    "{:p/friend [{:p/friend [{:p/friend [{:db/id @petr}], :p/_friend [{:db/id @petr} "
	    "{:p/friend [{:db/id @ivan}]}]} {:p/_friend [{:p/friend [{:db/id @petr} {:db/id "
	    "@oleg}], :p/_friend [{:db/id @petr}]} {:db/id @petr}]}], :p/_friend [{:p/friend "
	    "[{:db/id @petr} {:p/_friend [{:db/id @ivan} {:db/id @petr}]}], :p/_friend [{:db/id "
	    "@petr}]}]} {:p/friend [{:p/_friend [{:db/id @oleg}]}], :p/_friend [{:p/friend "
	    "[{:p/friend [{:db/id @ivan} {:db/id @oleg}], :p/_friend [{:db/id @ivan}]} {:db/id "
	    "@oleg}]} {:p/friend [{:p/friend [{:db/id @petr} {:db/id @oleg}], :p/_friend [{:db/id "
	    "@petr}]} {:db/id @oleg}]}]}], :p/_friend [{:p/friend [{:p/friend [{:db/id @petr} "
	    "{:p/_friend [{:db/id @ivan} {:db/id @petr}]}], :p/_friend [{:db/id @petr}]} "
	    "{:p/friend [{:p/_friend [{:db/id @oleg}]}], :p/_friend [{:db/id @petr}]}]} "
	    "{:p/friend [{:p/friend [{:p/friend [{:db/id @ivan}], :p/_friend [{:db/id @ivan}]} "
	    "{:p/friend [{:db/id @dima}], :p/_friend [{:db/id @ivan}]}], :p/_friend [{:db/id "
	    "@dima}]}]}]}",
	    "forward and reverse recursion limits count apart");
}

static void
test_errors(void)
{
	pull_fails("{:p/name 1}", DH_EBADEDN, 1,
		   "expected a pull pattern (a vector), found {:p/name 1}", "not a vector");
	pull_fails("[:p/name :p/nope]", DH_ENOATTR, 10, "attribute :p/nope does not exist",
		   "unknown attribute");
	pull_fails("[:p/_nope]", DH_ENOATTR, 2, "attribute :p/nope does not exist",
		   "unknown reverse attribute");
	pull_fails("[:p/_name]", DH_EBADEDN, 2,
		   "reverse attribute :p/_name needs :p/name to be a ref", "reverse of a non-ref");
	pull_fails("[:p/name 42]", DH_EBADEDN, 10, "expected an attribute, *, a map", "a number");
	pull_fails("[:p/name \"p/age\"]", DH_EBADEDN, 10, "found \"p/age\"", "a string attribute");
	pull_fails("[[]]", DH_EBADEDN, 2, "found an empty vector", "empty vector");
	pull_fails("[{}]", DH_EBADEDN, 2, "found {}", "empty map");
	pull_fails("[(:p/name :as)]", DH_EBADEDN, 11, "expected a value after :as",
		   "option without value");
	pull_fails("[(:p/name :xform str)]", DH_EBADEDN, 11,
		   "expected :as, :limit or :default, found :xform", "unknown option");
	pull_fails("[(:p/name :as [1])]", DH_EBADEDN, 15, "after :as, found [1]", "bad :as");
	pull_fails("[(limit :p/name 2)]", DH_EBADEDN, 3,
		   "attribute :p/name is not cardinality many", "limit on card-one");
	pull_fails("[[:db/id :limit 2]]", DH_EBADEDN, 10, "not cardinality many",
		   "limit on :db/id");
	pull_fails("[(limit :p/aka 0)]", DH_EBADEDN, 16,
		   "positive integer or nil as the limit, found 0", "zero limit");
	pull_fails("[(:p/aka :limit -1)]", DH_EBADEDN, 17, "found -1", "negative limit");
	pull_fails("[(:p/aka :limit 1.5)]", DH_EBADEDN, 17, "found 1.5", "fractional limit");
	pull_fails("[{:p/name [:p/age]}]", DH_EBADEDN, 3, "attribute :p/name is not a ref",
		   "sub-pattern on a non-ref");
	pull_fails("[{:db/id [:p/age]}]", DH_EBADEDN, 3, "attribute :db/id is not a ref",
		   "sub-pattern on :db/id");
	pull_fails("[{:p/friend 0}]", DH_EBADEDN, 13, "positive recursion limit, found 0",
		   "zero recursion limit");
	pull_fails("[{:p/friend :p/name}]", DH_EBADEDN, 13, "found :p/name",
		   "keyword as sub-pattern");
	pull_fails("[{:p/friend [:p/name {:p/father [:p/nope]}]}]", DH_ENOATTR, 34,
		   "attribute :p/nope does not exist", "unknown attribute deep inside");
	pull_fails("[#_\"\xc3\xa9\" :p/nope]", DH_ENOATTR, 8, "attribute :p/nope does not exist",
		   "position counts characters, not bytes");
	pull_fails("[(default :p/age)]", DH_EBADEDN, 3, "expected an attribute name, found default",
		   "two-item default");
	pull_fails("[[* :as \"x\"]]", DH_EBADEDN, 3, "expected an attribute name, found *",
		   "wildcard with options");
	pull_fails("[(:p/age :default #foo 1)]", DH_EBADEDN, 19, "cannot use #foo 1 as a value",
		   "unknown tag");

	/* no text: no position */
	struct dh_edn *form = read_edn("[:p/nope]");
	struct dh_pull *p;
	int rc = dh_pull_parse(&arena, form, dh_snapshot_schema(snap), NULL, 0, &p, &err);
	ok(rc == DH_ENOATTR && err.position == 0 && p == NULL, "without text the position is 0");
	rc = dh_pull_parse(&arena, NULL, dh_snapshot_schema(snap), NULL, 0, &p, &err);
	ok(rc == DH_EBADEDN, "no form");
}

/* A puller pulls what dh_pull_entity pulls, entity after entity in any
 * order, each result in an arena of its own that is gone before the next
 * pull (so nothing of one result may serve the next). */
static void
test_puller(void)
{
	static const char *const pats[] = {
	    "[:p/name :p/age :p/aka]",
	    "[*]",
	    "[[:p/name :as \"n\"] (:p/age :default \"none\") {:p/friend [*]}]",
	    "[:p/name {:p/_friend [:p/name]} :p/address]",
	    "[:p/name {:p/friend ...}]",
	    "[:db/id * {:p/friend 1}]",
	};
	struct dh_view *view = dh_snapshot_view(snap);
	const struct dh_schema *sch = dh_snapshot_schema(snap);
	for (size_t k = 0; k < DH_ARRAY_SIZE(pats); k++) {
		struct dh_edn *form = read_edn(pats[k]);
		struct dh_pull *p;
		struct dh_puller *pl;
		int rc = dh_pull_parse(&arena, form, sch, pats[k], strlen(pats[k]), &p, &err);
		if (rc == 0)
			rc = dh_puller_open(view, sch, p, &pl, &err);
		if (!ok(rc == 0, "puller for %s", pats[k])) {
			tap_diag("%s", err.message);
			continue;
		}
		size_t bad = 0, n = 3 * nnames;
		for (size_t i = 0; i < n; i++) {
			/* forward, backward, then scattered */
			size_t j = i < nnames ? i : i < 2 * nnames ? 2 * nnames - 1 - i
						: (i * 7 + 3) % nnames;
			struct dh_arena a1, a2;
			struct dh_value v1, v2;
			dh_arena_init(&a1);
			dh_arena_init(&a2);
			int r1 = dh_puller_pull(pl, names[j].e, &a1, &v1, &err);
			const char *got = r1 ? "error" : print(&v1);
			dh_arena_release(&a1);
			int r2 = dh_pull_entity(view, sch, p, names[j].e, &a2, &v2, &err);
			const char *want = r2 ? "error" : print(&v2);
			dh_arena_release(&a2);
			if (strcmp(got, want) && bad++ == 0)
				tap_diag("%s on %s: got %s, want %s", pats[k], names[j].name, got,
					 want);
		}
		ok(bad == 0 && nnames > 10, "puller agrees with dh_pull_entity: %s (%zu pulls)",
		   pats[k], n);
		dh_puller_close(pl);
	}
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	struct dh_value v;
	int rc;
	snprintf(dir, sizeof(dir), "%s/pull-t.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp %s\n", dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/s.dh", dir);
	dh_arena_init(&arena);
	if (dh_store_open(path, DH_STORE_CREATE, &st, &err) || dh_db_create(st, "dh", 0, &err) ||
	    dh_conn_open(st, "dh", &conn, &err)) {
		printf("Bail out! %s\n", err.message);
		return 1;
	}
	uint64_t schema_txid = transact(schema_tx);
	name_put("kinda", dh_schema_ident(dh_snapshot_schema(snap), "kind/a", 6)->e);
	uint64_t data_txid = transact(data_tx);
	int64_t data_instant = rep.instant;

	test_plain();
	test_refs();
	test_reverse();
	test_components();
	test_wildcard();
	test_options();
	test_recursion();
	test_errors();
	test_puller();

	/* --- the result lives in the caller's arena alone --- */
	{
		struct dh_arena pa, ra;
		struct dh_edn *form;
		struct dh_pull *p;
		size_t used;
		const char *pat =
		    "[[:p/name :as \"n\"] (:p/age :default \"none\") {:p/friend [*]}]";
		dh_arena_init(&pa);
		dh_arena_init(&ra);
		rc = dh_edn_parse(&pa, pat, strlen(pat), &form, &used, &err);
		if (rc == 0)
			rc = dh_pull_parse(&pa, form, dh_snapshot_schema(snap), pat, strlen(pat),
					   &p, &err);
		if (rc == 0)
			rc = dh_pull_entity(dh_snapshot_view(snap), dh_snapshot_schema(snap), p,
					    ent("dima"), &ra, &v, &err);
		dh_arena_release(&pa); /* pattern and its text gone */
		const char *got = rc ? "" : print(&v);
		const char *w =
		    expand("{\"n\" \"Dima\" :p/age \"none\" :p/friend [{:db/id @ivan "
			   ":p/name \"Ivan\" :p/age 30 :p/aka [\"a\" \"b\" \"c\"] :p/kind "
			   "{:db/id @kinda} :p/friend [{:db/id @petr} {:db/id @oleg}] "
			   ":p/address {:db/id @addr :a/city \"X\" :a/parts [{:db/id @p1 "
			   ":part/name \"p1\"} {:db/id @p2 :part/name \"p2\" :a/parts "
			   "[{:db/id @p3 :part/name \"p3\"}]}]}}]}");
		if (!ok(rc == 0 && dh_edn_equal(read_edn(got), read_edn(w)),
			"result does not point into the pattern's arena"))
			tap_diag("got %s", got);
		dh_arena_release(&ra);
	}

	/* --- one compiled pattern, many entities (pull-many) --- */
	{
		const char *pat = "[(:p/name :as \"n\") {(:p/friend :limit 1) [:p/name]} "
				  "{:p/father ...}]";
		struct dh_edn *form = read_edn(pat);
		struct dh_pull *p;
		const char *want[] = {
		    "{\"n\" \"Dima\" :p/friend [{:p/name \"Ivan\"}]}",
		    "{\"n\" \"Oleg\" :p/friend [{:p/name \"Dima\"}]"
		    " :p/father {\"n\" \"Ivan\" :p/friend [{:p/name \"Petr\"}]}}",
		    "nil", "{\"n\" \"Loop\" :p/father {\"n\" \"Loop\" :p/father {:db/id @loop}}}"};
		const char *who[] = {"dima", "oleg", "999999", "loop"};
		rc = dh_pull_parse(&arena, form, dh_snapshot_schema(snap), pat, strlen(pat), &p,
				   &err);
		for (int i = 0; i < 4; i++) {
			if (rc == 0)
				rc =
				    dh_pull_entity(dh_snapshot_view(snap), dh_snapshot_schema(snap),
						   p, ent(who[i]), &arena, &v, &err);
			const char *got = rc ? "" : print(&v);
			if (!ok(rc == 0 && dh_edn_equal(read_edn(got), read_edn(expand(want[i]))),
				"one compiled pattern, entity %s", who[i]))
				tap_diag("got %s (%s)", got, err.message);
		}
	}

	/* --- value types in the result --- */
	rc = pull_in(snap, ent("ivan"), "[:p/name :db/id {:p/father [:db/id]}]", &v);
	const struct dh_value *k0 = rc ? NULL : &v.coll->items[0];
	ok(rc == 0 && v.type == DH_T_COLL && v.coll->kind == DH_COLL_MAP && v.coll->n == 4 &&
	       k0->type == DH_T_KEYWORD && k0->s.n == 6 && memcmp(k0->s.p, "p/name", 6) == 0,
	   "keys are keywords without the colon, in pattern order");
	ok(rc == 0 && get(&v, "db/id") && get(&v, "db/id")->type == DH_T_LONG &&
	       get(&v, "db/id")->i == (int64_t)ent("ivan"),
	   "entity ids are longs");
	rc = pull_in(snap, ent("petr"), "[:p/father]", &v);
	ok(rc == 0 && get(get(&v, "p/father"), "db/id") &&
	       get(get(&v, "p/father"), "db/id")->type == DH_T_LONG,
	   "ref ids are longs");

	/* --- views: as-of, history --- */
	{
		char text[512];
		snprintf(
		    text, sizeof(text),
		    "[[:db/add %llu :p/age 31] [:db/retract %llu :p/friend %llu]"
		    " [:db/add %llu :p/aka \"d\"] {:db/id \"eve\" :p/name \"Eve\" :p/friend %llu}]",
		    (unsigned long long)ent("ivan"), (unsigned long long)ent("ivan"),
		    (unsigned long long)ent("oleg"), (unsigned long long)ent("ivan"),
		    (unsigned long long)ent("ivan"));
		transact(text);
		const char *pat = "[:p/age :p/aka {:p/friend [:p/name]} :p/_friend]";
		pull_is("ivan", pat,
			"{:p/age 31 :p/aka [\"a\" \"b\" \"c\" \"d\"] :p/friend [{:p/name \"Petr\"}]"
			" :p/_friend [{:db/id @petr} {:db/id @dima} {:db/id @eve}]}",
			"current view after a change");
		struct dh_snapshot *old;
		char at[32];
		snprintf(at, sizeof(at), "%llu", (unsigned long long)data_txid);
		struct dh_view_spec spec = {.mode = DH_VIEW_CURRENT, .as_of = at};
		if (dh_snapshot_open(conn, &spec, &old, &err) == 0) {
			pull_is_in(
			    old, "ivan", pat,
			    "{:p/age 30 :p/aka [\"a\" \"b\" \"c\"] :p/friend [{:p/name \"Petr\"}"
			    " {:p/name \"Oleg\"}] :p/_friend [{:db/id @petr} {:db/id @dima}]}",
			    "as of a tx id");
			pull_is_in(old, "eve", "[*]", "{:db/id @eve}",
				   "as of: an entity from later");
			dh_snapshot_close(old);
		} else {
			ok(0, "as-of snapshot: %s", err.message);
		}
		char inst[DH_INSTANT_STRLEN];
		dh_instant_format(data_instant, inst);
		spec.as_of = inst;
		if (dh_snapshot_open(conn, &spec, &old, &err) == 0) {
			pull_is_in(old, "ivan", "[:p/age {:p/friend [:p/name]}]",
				   "{:p/age 30 :p/friend [{:p/name \"Petr\"} {:p/name \"Oleg\"}]}",
				   "as of an instant");
			dh_snapshot_close(old);
		} else {
			ok(0, "as-of snapshot: %s", err.message);
		}
		snprintf(at, sizeof(at), "%llu", (unsigned long long)schema_txid);
		spec.as_of = at;
		if (dh_snapshot_open(conn, &spec, &old, &err) == 0) {
			pull_is_in(old, "ivan", "[:p/name :p/age]", "nil",
				   "as of before the entity");
			dh_snapshot_close(old);
		} else {
			ok(0, "as-of snapshot: %s", err.message);
		}
		spec = (struct dh_view_spec){.mode = DH_VIEW_HISTORY};
		if (dh_snapshot_open(conn, &spec, &old, &err) == 0) {
			rc = pull_in(old, ent("ivan"), "[:p/name]", &v);
			ok(rc == DH_ENOTSUP && strstr(err.message, "history"),
			   "a history view is not supported");
			dh_snapshot_close(old);
		} else {
			ok(0, "history snapshot: %s", err.message);
		}
	}

	/* --- default limits: 1000 for card-many and reverse refs --- */
	{
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_buf_adds(&b, "[{:db/id \"big\" :p/name \"Big\" :p/tags [");
		for (int i = 0; i < 1500; i++)
			dh_buf_printf(&b, " :t%d", i);
		dh_buf_adds(&b, "]}");
		for (int i = 0; i < 1200; i++)
			dh_buf_printf(&b, " {:p/father \"big\" :p/age %d}", i);
		dh_buf_adds(&b, "]");
		transact((const char *)b.p);
		dh_buf_release(&b);
		uint64_t big = tempid("big");
		/* DS: '["aka"]' with 1500 values => 1000; '[*]' => 1000; :limit nil => 1500 */
		rc = pull_in(snap, big, "[:p/tags]", &v);
		ok(rc == 0 && count(&v, "p/tags") == 1000, "card-many: 1000 values by default");
		rc = pull_in(snap, big, "[*]", &v);
		ok(rc == 0 && count(&v, "p/tags") == 1000,
		   "card-many by *: 1000 values by default");
		rc = pull_in(snap, big, "[(:p/tags :limit nil)]", &v);
		ok(rc == 0 && count(&v, "p/tags") == 1500, ":limit nil: every value");
		rc = pull_in(snap, big, "[(:p/tags :limit 1200)]", &v);
		ok(rc == 0 && count(&v, "p/tags") == 1200, ":limit over 1000");
		/* DS: '["_r"]' with 1200 referrers => 1200: DataScript has no default
		 * limit on reverse refs; Datomic's 1000 applies here */
		rc = pull_in(snap, big, "[:p/_father]", &v);
		ok(rc == 0 && count(&v, "p/_father") == 1000, "reverse: 1000 refs by default");
		rc = pull_in(snap, big, "[{(:p/_father :limit nil) [:p/age]}]", &v);
		ok(rc == 0 && count(&v, "p/_father") == 1200, "reverse with :limit nil");
	}

	/* --- deep data: a chain of refs longer than the C stack could recurse --- */
	{
		enum { N = DH_PULL_MAX_DEPTH + 50 };
		struct dh_buf b;
		const char *last;
		dh_buf_init(&b, 0);
		dh_buf_adds(&b, "[");
		for (int i = 0; i < N; i++) {
			dh_buf_printf(&b, "{:db/id \"n%d\" :p/name \"n%d\"", i, i);
			if (i + 1 < N)
				dh_buf_printf(&b, " :p/next \"n%d\"", i + 1);
			dh_buf_adds(&b, "}");
		}
		dh_buf_adds(&b, "]");
		transact((const char *)b.p);
		dh_buf_release(&b);
		/* DataScript's test-deep-recursion pulls a chain of 1400 with ... */
		rc = pull_in(snap, tempid("n8600"), "[:p/name {:p/next ...}]", &v);
		ok(rc == 0 && chain(&v, &last) == N - 8600 && strcmp(last, "n10049") == 0,
		   "a chain of %d refs with ...", N - 8600);
		rc = pull_in(snap, tempid("n0"), "[:p/name {:p/next 1499}]", &v);
		ok(rc == 0 && chain(&v, &last) == 1500 && strcmp(last, "n1499") == 0,
		   "a recursion limit on a long chain");
		rc = pull_in(snap, tempid("n0"), "[:p/name {:p/next ...}]", &v);
		ok(rc == DH_ETOOLONG && strstr(err.message, "deeper than"),
		   "a chain longer than DH_PULL_MAX_DEPTH is an error, not a crash");
		rc = pull_in(snap, tempid("n0"),
			     "[:p/name {:p/next [:p/name {:p/next [:p/name]}]}]", &v);
		ok(rc == 0 && chain(&v, &last) == 3 && strcmp(last, "n2") == 0,
		   "nested sub-patterns follow the chain as deep as they go");
		rc = pull_in(snap, tempid("n10049"), "[{:p/_next ...}]", &v);
		ok(rc == DH_ETOOLONG, "reverse recursion on the chain is bounded too");
	}

	/* --- a deeply nested pattern --- */
	{
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (int i = 0; i < 200; i++)
			dh_buf_adds(&b, "[:p/name {:p/next ");
		dh_buf_adds(&b, "[:p/name]");
		for (int i = 0; i < 200; i++)
			dh_buf_adds(&b, "}]");
		const char *last;
		rc = pull_in(snap, tempid("n0"), (const char *)b.p, &v);
		ok(rc == 0 && chain(&v, &last) == 201 && strcmp(last, "n200") == 0,
		   "a pattern nested 200 deep");
		dh_buf_release(&b);
	}

	dh_snapshot_close(snap);
	dh_conn_close(conn);
	dh_store_close(st);
	dh_arena_release(&arena);
	unlink(path);
	snprintf(path, sizeof(path), "%s/s.dh-lock", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
