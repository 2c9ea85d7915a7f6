/*
 * qfn-t: unit tests of lib/qfn.c, the built-in functions, predicates and
 * aggregates of the Datalog engine.  Calls are written as EDN text,
 * "(subs \"héllo\" 1 3)", turned into values (longs, doubles, bigdecs,
 * strings, keywords, collections, #inst, #uuid) and the result printed as
 * EDN, so each check reads like the query it stands for.  get-else,
 * get-some and missing? run against a temporary store.
 *
 * Where DataScript (npm datascript, JS) decides differently, the comment
 * says what it returned; JS cannot tell 1 from 1.0, so there Clojure's
 * rules apply.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "query-int.h"
#include "tap.h"

static struct dh_arena arena;
static struct dh_err err;
static struct qfn_ctx ctx;

/* --- EDN text -> values --- */

static struct dh_value
conv(const struct dh_edn *x)
{
	struct dh_value v = {.type = DH_T_NONE};
	switch (x->kind) {
	case DH_EDN_NIL:
		break;
	case DH_EDN_BOOL:
		v.type = DH_T_BOOL;
		v.b = x->b;
		break;
	case DH_EDN_INT:
		v.type = DH_T_LONG;
		v.i = x->i;
		break;
	case DH_EDN_FLOAT:
		v.type = DH_T_DOUBLE;
		v.d = x->d;
		break;
	case DH_EDN_BIGDEC:
		if (dh_bigdec_parse(x->s.p, x->s.n, &arena, &v))
			abort();
		break;
	case DH_EDN_STRING:
		v.type = DH_T_STRING;
		v.s.p = x->s.p;
		v.s.n = x->s.n;
		break;
	case DH_EDN_KEYWORD:
		v.type = DH_T_KEYWORD;
		v.s.p = x->s.p;
		v.s.n = x->s.n;
		break;
	case DH_EDN_TAGGED: {
		const struct dh_edn *s = x->tagged.val;
		if (!strcmp(x->tagged.tag, "inst")) {
			v.type = DH_T_INSTANT;
			if (dh_instant_parse(s->s.p, s->s.n, &v.i))
				abort();
		} else if (!strcmp(x->tagged.tag, "uuid")) {
			v.type = DH_T_UUID;
			if (dh_uuid_parse(s->s.p, s->s.n, v.uuid))
				abort();
		} else if (!strcmp(x->tagged.tag, "bytes")) {
			unsigned char *p;
			v.type = DH_T_BYTES;
			if (dh_base64_decode(s->s.p, s->s.n, &arena, &p, &v.s.n))
				abort();
			v.s.p = (const char *)p;
		} else
			abort();
		break;
	}
	case DH_EDN_LIST:
	case DH_EDN_VECTOR:
	case DH_EDN_SET:
	case DH_EDN_MAP: {
		struct dh_coll *c = dh_arena_alloc(&arena, sizeof(*c));
		c->kind = x->kind == DH_EDN_LIST     ? DH_COLL_LIST
			  : x->kind == DH_EDN_VECTOR ? DH_COLL_VECTOR
			  : x->kind == DH_EDN_SET    ? DH_COLL_SET
						     : DH_COLL_MAP;
		c->n = x->coll.n;
		c->items = dh_arena_alloc(&arena, (c->n + 1) * sizeof(*c->items));
		for (size_t i = 0; i < c->n; i++)
			c->items[i] = conv(x->coll.items[i]);
		v.type = DH_T_COLL;
		v.coll = c;
		break;
	}
	default:
		abort();
	}
	return v;
}

static struct dh_edn *
parse(const char *text)
{
	struct dh_edn *x;
	size_t used;
	struct dh_err e = {0};
	if (dh_edn_parse(&arena, text, strlen(text), &x, &used, &e) || !x) {
		printf("# cannot parse %s: %s\n", text, e.message);
		abort();
	}
	return x;
}

static struct dh_value
val(const char *text)
{
	return conv(parse(text));
}

static const char *
show(const struct dh_value *v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_value_print_edn(&b, v);
	char *s = dh_arena_strdup(&arena, (const char *)b.p);
	dh_buf_release(&b);
	return s;
}

/* Call "(f args...)"; the result (or "ERR <code>") as text. */
static int last_rc;
static const char *
call(const char *text)
{
	struct dh_edn *x = parse(text);
	if (x->kind != DH_EDN_LIST || !x->coll.n || x->coll.items[0]->kind != DH_EDN_SYMBOL)
		abort();
	const struct dh_edn *f = x->coll.items[0];
	unsigned flags;
	int fn = q_fn_lookup(f->s.p, f->s.n, &flags);
	if (fn < 0)
		return "UNKNOWN";
	int n = (int)x->coll.n - 1;
	struct dh_value *args = dh_arena_alloc(&arena, (size_t)(n + 1) * sizeof(*args)), out;
	for (int i = 0; i < n; i++)
		args[i] = conv(x->coll.items[i + 1]);
	dh_err_clear(&err);
	last_rc = q_fn_call(&ctx, fn, n, args, &out);
	if (last_rc)
		return dh_arena_printf(&arena, "ERR %s", err.sqlstate);
	return show(&out);
}

#define T(text, want) is_str(call(text), want, "%s => %s", text, want)
#define E(text, state) is_str(call(text), "ERR " state, "%s fails with %s", text, state)
#define EM(text, msg)                                                                            \
	do {                                                                                      \
		call(text);                                                                       \
		is_str(last_rc ? err.message : "(no error)", msg, "%s: message", text);           \
	} while (0)

/* Aggregate "(agg [vals])" or "(agg n [vals])". */
static const char *
agg(const char *text)
{
	struct dh_edn *x = parse(text);
	const struct dh_edn *f = x->coll.items[0];
	int a = q_agg_lookup(f->s.p, f->s.n), has_n = x->coll.n == 3;
	if (a < 0)
		return "UNKNOWN";
	int64_t n = has_n ? x->coll.items[1]->i : 0;
	struct dh_value bag = conv(x->coll.items[x->coll.n - 1]), out;
	dh_err_clear(&err);
	last_rc = q_agg_call(&ctx, a, has_n, n, bag.coll->items, bag.coll->n, &out);
	if (last_rc)
		return dh_arena_printf(&arena, "ERR %s", err.sqlstate);
	return show(&out);
}
#define A(text, want) is_str(agg(text), want, "%s => %s", text, want)
#define AE(text, state) is_str(agg(text), "ERR " state, "%s fails with %s", text, state)

/* --- the tables --- */

static void
test_lookup(void)
{
	unsigned fl = 0;
	int id = q_fn_lookup("subs", 4, &fl);
	ok(id >= 0 && fl == (FN_PRED | FN_FUNC), "subs: predicate and function");
	is_str(q_fn_name(id), "subs", "q_fn_name");
	id = q_fn_lookup("get-else", 8, &fl);
	ok(id >= 0 && (fl & FN_NEEDS_SRC), "get-else needs a source");
	ok(q_fn_lookup("missing?", 8, &fl) >= 0 && (fl & FN_NEEDS_SRC), "missing? needs a source");
	ok(q_fn_lookup("clojure.string/starts-with?", 27, &fl) >= 0, "clojure.string/ prefix");
	ok(q_fn_lookup("str/starts-with?", 16, &fl) >= 0, "str/ prefix");
	ok(q_fn_lookup("no-such-fn", 10, &fl) < 0, "unknown function");
	ok(q_fn_lookup("sub", 3, &fl) < 0, "no prefix match");
	is_int(q_agg_lookup("count-distinct", 14) >= 0, 1, "count-distinct aggregate");
	is_int(q_agg_lookup("avg", 3) >= 0, 1, "avg aggregate");
	is_int(q_agg_lookup("mode", 4), -1, "unknown aggregate");
	is_str(q_agg_name(q_agg_lookup("median", 6)), "median", "q_agg_name");
}

static void
test_compare(void)
{
	T("(= 1 1)", "true");
	T("(= 1 1.0)", "false"); /* Clojure; JS DataScript cannot tell */
	T("(= 1.5M 1.50M)", "true");
	T("(= \"a\" \"a\" \"a\")", "true");
	T("(= \"a\" \"a\" \"b\")", "false");
	T("(= nil nil)", "true");
	T("(= nil false)", "false");
	T("(= [1 2] (1 2))", "true"); /* Clojure: vectors = lists */
	T("(= #{1 2} #{2 1})", "true");
	T("(= {:a 1 :b 2} {:b 2 :a 1})", "true");
	T("(= ##NaN ##NaN)", "false");
	T("(= 0.0 -0.0)", "true");
	T("(= 7)", "true");
	T("(== 1 1.0)", "true");
	T("(== 1 1.0 1M)", "true");
	T("(== 1 2)", "false");
	E("(== 1 \"a\")", "42804");
	T("(not= 1 2)", "true");
	T("(!= 1 1)", "false");
	T("(< 1 2 3)", "true");
	T("(< 1 3 2)", "false");
	T("(< 1 1.5)", "true");
	T("(<= 1 1 2)", "true");
	T("(> 3 2.5 1M)", "true");
	T("(>= 2 2 3)", "false");
	T("(< \"a\" \"b\")", "true");
	T("(< :a/b :a/c)", "true");
	T("(< false true)", "true");
	T("(< #inst \"2020-01-01\" #inst \"2021-01-01\")", "true");
	T("(< 9007199254740993 9007199254740992.0)", "false"); /* exact long/double */
	T("(> 9007199254740993 9007199254740992.0)", "true");
	T("(< 1.5M 1.6)", "true");
	/* bigdec against double is exact (Clojure rounds the bigdec to a double
	 * and says (== 0.1M 0.1)); the double 0.1 is 0.1000000000000000055... */
	T("(== 0.1M 0.1)", "false");
	T("(< 0.1M 0.1)", "true");
	T("(== 0.5M 0.5)", "true");
	T("(compare -1.50M -1.5)", "0");
	T("(< -0.5M -0.25 0M 0.0 1)", "false");
	T("(<= -0.5M -0.25 0M 0.0 1)", "true");
	T("(> 1e300 123456789012345678901234567890M)", "true");
	T("(< 1M ##Inf)", "true");
	T("(> 1M ##-Inf)", "true");
	T("(< 1M ##NaN)", "true");
	T("(< 1 ##NaN)", "true"); /* NaN sorts last, as in the indexes */
	E("(< \"a\" 1)", "42804"); /* DataScript/JS: false, no error */
	EM("(< \"a\" 1)", "operator < cannot compare string and long");
	E("(< nil 1)", "42804"); /* DataScript: error too */
	T("(< nil nil)", "false");
	T("(compare 1 2)", "-1");
	T("(compare \"b\" \"a\")", "1");
	T("(compare 2.0 2)", "0");
	E("(compare :a 1)", "42804");
	E("(<)", "42601");
	EM("(<)", "function < takes at least 1 argument, got 0");

	struct dh_value x = val("1"), y = val("2.5"), s = val("\"x\"");
	int cmp = 99;
	ok(q_compare(&ctx, &x, &y, &cmp) == 0 && cmp < 0, "q_compare long < double");
	ok(q_compare(&ctx, &x, &s, &cmp) == DH_EDATATYPE, "q_compare long vs string");
	is_str(err.message, "cannot compare long and string", "q_compare: message");
}

static void
test_predicates(void)
{
	T("(zero? 0)", "true");
	T("(zero? 0.0)", "true");
	T("(zero? 0.00M)", "true");
	T("(pos? 3)", "true");
	T("(pos? -0.5)", "false");
	T("(neg? -1M)", "true");
	T("(neg? ##NaN)", "false");
	E("(zero? \"0\")", "42804");
	T("(even? 4)", "true");
	T("(odd? -3)", "true");
	E("(even? 1.0)", "42804"); /* Clojure: integers only */
	T("(nil? nil)", "true");
	T("(some? false)", "true");
	T("(true? true)", "true");
	T("(true? 1)", "false");
	T("(false? nil)", "false");
	T("(string? \"s\")", "true");
	T("(number? 1.5M)", "true");
	T("(int? 1.0)", "false");
	T("(keyword? :k)", "true");
	T("(boolean? false)", "true");
	T("(inst? #inst \"2020-01-01\")", "true");
	T("(uuid? #uuid \"01234567-89ab-cdef-0123-456789abcdef\")", "true");
	T("(vector? [1])", "true");
	T("(map? {})", "true");
	T("(identical? 1 1)", "true");
	T("(identical? 1 1.0)", "false");
	T("(not nil)", "true");
	T("(not 0)", "false"); /* 0 is truthy in Clojure */
	T("(not false)", "true");
	E("(not 1 2)", "42601");
	T("(distinct? 1 2 3)", "true");
	T("(distinct? 1 2 1)", "false");
	T("(distinct? 1 1.0)", "true");
	T("(contains? #{1 2} 2)", "true");
	T("(contains? #{1 2} 3)", "false");
	T("(contains? {:a 1} :a)", "true");
	T("(contains? [5 6] 1)", "true"); /* Clojure: an index */
	T("(contains? [5 6] 5)", "false");
	T("(contains? nil 1)", "false");
	E("(contains? 1 1)", "42804");
	T("(empty? [])", "true");
	T("(empty? \"a\")", "false");
	T("(and 1 2)", "2");
	T("(and 1 nil 2)", "nil");
	T("(or nil false 3)", "3");
	T("(or)", "nil");
}

static void
test_strings(void)
{
	T("(str)", "\"\"");
	T("(str \"a\" 1 nil :k/w 1.5 1.0 true)", "\"a1:k/w1.51.0true\"");
	T("(str 1.50M)", "\"1.50\"");
	T("(str ##NaN \" \" ##Inf \" \" ##-Inf)", "\"NaN Infinity -Infinity\"");
	T("(str 1e20)", "\"1.0E20\"");
	/* Java's Double.toString thresholds */
	T("(str 1e7 \" \" 1234567.5 \" \" 0.001 \" \" 0.0001 \" \" -0.0 \" \" 1.5e-10)",
	  "\"1.0E7 1234567.5 0.001 1.0E-4 -0.0 1.5E-10\"");
	/* shortest digits: Java prints the smallest subnormal as 4.9E-324 */
	T("(str 100.0 \" \" 0.1 \" \" 123.456 \" \" 5e-324)", "\"100.0 0.1 123.456 5.0E-324\"");
	T("(str #inst \"2020-01-02T03:04:05Z\")", "\"2020-01-02T03:04:05Z\"");
	T("(str #uuid \"01234567-89AB-cdef-0123-456789abcdef\")",
	  "\"01234567-89ab-cdef-0123-456789abcdef\"");
	T("(str [1 \"a\"])", "\"[1 \\\"a\\\"]\"");
	T("(pr-str \"a\" 1)", "\"\\\"a\\\" 1\"");
	T("(subs \"hello\" 1)", "\"ello\"");
	T("(subs \"héllo\" 1 3)", "\"él\""); /* DataScript: "él" */
	T("(subs \"日本語\" 2)", "\"語\"");
	T("(subs \"abc\" 3)", "\"\"");
	E("(subs \"abc\" 4)", "22003");
	E("(subs \"abc\" 2 1)", "22003");
	E("(subs \"abc\" -1)", "22003");
	E("(subs 1 0)", "42804");
	E("(subs \"abc\")", "42601");
	EM("(subs \"abc\")", "function subs takes 2 or 3 arguments, got 1");
	T("(count \"héllo\")", "5"); /* DataScript: 5 */
	T("(count \"😀a\")", "2");
	T("(count [1 2 3])", "3");
	T("(count {:a 1 :b 2})", "2");
	T("(count nil)", "0");
	E("(count 5)", "42804");
	T("(str/starts-with? \"hello\" \"he\")", "true");
	T("(clojure.string/ends-with? \"hello\" \"lo\")", "true");
	T("(str/includes? \"hello\" \"ll\")", "true");
	T("(str/includes? \"hello\" \"\")", "true");
	T("(str/includes? \"he\" \"hello\")", "false");
	E("(str/starts-with? nil \"a\")", "42804");
	T("(str/blank? \"  \\t\")", "true");
	T("(str/blank? nil)", "true");
	T("(clojure.string/blank? \" x \")", "false");
	T("(str/lower-case \"HeLLo ÀÉÎ ΣΑ Д\")", "\"hello àéî σα д\"");
	T("(str/upper-case \"straße é ж\")", "\"STRAßE É Ж\""); /* no special casing */
	T("(str/trim \"  a b \\n\")", "\"a b\"");
	T("(str/triml \"  a \")", "\"a \"");
	T("(str/trimr \"  a \")", "\"  a\"");
	T("(str/trim \"   \")", "\"\"");
	T("(str/trim \"\u3000x\u3000\")", "\"x\""); /* ideographic space is whitespace */
	T("(str/capitalize \"hELLO\")", "\"Hello\"");
	T("(str/capitalize \"élan\")", "\"Élan\"");
	T("(str/reverse \"añb😀\")", "\"😀bña\"");
	T("(str/join \", \" [1 \"a\" :b])", "\"1, a, :b\"");
	T("(str/join [1 2])", "\"12\"");
	T("(str/join \"-\" \"abc\")", "\"a-b-c\"");
	E("(str/join \"-\" 5)", "42804");
	T("(keyword \"a\")", ":a");
	T("(keyword \"ns\" \"n\")", ":ns/n");
	T("(keyword nil)", "nil");
	T("(name :ns/n)", "\"n\"");
	T("(name :n)", "\"n\"");
	T("(name \"s\")", "\"s\"");
	T("(namespace :ns/n)", "\"ns\"");
	T("(namespace :n)", "nil");
	E("(name 1)", "42804");
	E("(str/upper-case 1)", "42804");
}

static void
test_regex(void)
{
	T("(re-find \"b+\" \"abbbc\")", "\"bbb\"");
	T("(re-find \"x\" \"abc\")", "nil");
	T("(re-find \"a(b)?(c)\" \"xac\")", "[\"ac\" nil \"c\"]");
	T("(re-matches \"a.c\" \"abc\")", "\"abc\"");
	T("(re-matches \"a.\" \"abc\")", "nil");
	T("(re-matches \"(a|ab)(c|bcd)\" \"abcd\")", "[\"abcd\" \"a\" \"bcd\"]");
	T("(re-pattern \"^a[0-9]+$\")", "\"^a[0-9]+$\"");
	E("(re-pattern \"a(\")", "22P02");
	E("(re-find 1 \"a\")", "42804");
	T("(str/split \"a,b,,c,,\" \",\")", "[\"a\" \"b\" \"\" \"c\"]");
	T("(str/split \"a1b22c\" \"[0-9]+\")", "[\"a\" \"b\" \"c\"]");
	T("(str/split \"abc\" \"\")", "[\"a\" \"b\" \"c\"]");
	T("(str/split \"\" \",\")", "[\"\"]");
	T("(str/split \",a\" \",\")", "[\"\" \"a\"]");
}

static void
test_arith(void)
{
	T("(+)", "0");
	T("(+ 1 2 3)", "6");
	T("(+ 1 2.5)", "3.5");
	T("(+ 1 1.5M)", "2.5M");
	T("(+ 0.1M 0.20M)", "0.30M");
	T("(+ 1.5M 0.5)", "2.0");
	E("(+ 9223372036854775807 1)", "22003");
	EM("(+ 9223372036854775807 1)", "function +: long out of range");
	E("(+ 1 \"a\")", "42804");
	EM("(+ 1 \"a\")", "function + cannot add long and string");
	E("(+ \"a\")", "42804");
	T("(- 5)", "-5");
	T("(- 10 1 2)", "7");
	E("(- -9223372036854775808)", "22003");
	E("(-)", "42601");
	T("(- 1.5M 2)", "-0.5M");
	T("(- 1.5M 1.5M)", "0.0M");
	T("(*)", "1");
	T("(* 2 3 4)", "24");
	T("(* 1.5M 1.5M)", "2.25M");
	T("(* -2M 0.5M)", "-1.0M");
	E("(* 4611686018427387904 2)", "22003");
	T("(/ 6 3)", "2");
	T("(/ 3 2)", "1.5"); /* DataScript: 1.5; Clojure would give 3/2 */
	T("(/ 4)", "0.25");
	T("(/ 1 2.0)", "0.5");
	T("(/ 1.0M 4)", "0.25M");
	T("(/ 6.00M 2)", "3.00M");
	T("(/ 1M 8M)", "0.125M");
	E("(/ 1M 3)", "22003"); /* non-terminating, as Java's BigDecimal */
	E("(/ 1 0)", "22012");  /* DataScript/JS: Infinity */
	E("(/ 1.5 0)", "22012");
	E("(/ 1M 0.0M)", "22012");
	T("(/ 1 0.0)", "##Inf");
	E("(/ -9223372036854775808 -1)", "22003");
	T("(quot 7 2)", "3");
	T("(quot -7 2)", "-3");
	T("(rem -7 2)", "-1");  /* DataScript: -1 */
	T("(mod -7 2)", "1");   /* DataScript: 1 */
	T("(mod 7 -2)", "-1");
	T("(mod -7 -2)", "-1");
	T("(mod 6 3)", "0");
	T("(mod 7.5 2)", "1.5");
	T("(mod -7.5 2)", "0.5");
	T("(quot 7.5 2)", "3.0");
	E("(quot 1 0)", "22012");
	E("(mod 1 0)", "22012");
	T("(rem -9223372036854775808 -1)", "0");
	E("(quot -9223372036854775808 -1)", "22003");
	E("(quot 1.5M 1)", "0A000");
	T("(inc 1)", "2");
	T("(dec 1.5)", "0.5");
	T("(inc 1.5M)", "2.5M");
	E("(inc 9223372036854775807)", "22003");
	E("(dec -9223372036854775808)", "22003");
	E("(inc \"a\")", "42804");
	T("(max 1 3 2)", "3");
	T("(max 1 2.5)", "2.5");
	T("(min 1 2.5 0.5M)", "0.5M");
	T("(max 1 ##NaN 3)", "##NaN");
	E("(max 1 \"a\")", "42804");
	T("(abs -3)", "3");
	T("(abs -2.5)", "2.5");
	T("(abs -1.50M)", "1.50M");
	E("(abs -9223372036854775808)", "22003");
}

static void
test_colls(void)
{
	T("(identity \"x\")", "\"x\"");
	T("(ground [1 2])", "[1 2]");
	T("(tuple 1 \"a\" :b)", "[1 \"a\" :b]");
	T("(tuple)", "[]");
	T("(untuple [1 2])", "[1 2]");
	E("(untuple 1)", "42804");
	T("(vector 1 2)", "[1 2]");
	T("(list 1 2)", "(1 2)");
	T("(set [3 1 3 2])", "#{1 2 3}");
	T("(hash-map :a 1 :b 2 :a 3)", "{:a 3, :b 2}");
	E("(hash-map :a)", "42601");
	T("(get {:a 1} :a)", "1");
	T("(get {:a 1} :b)", "nil");
	T("(get {:a 1} :b 0)", "0");
	T("(get [5 6] 1)", "6");
	T("(get \"héllo\" 1)", "\"é\"");
	T("(get #{1 2} 2)", "2");
}

static void
test_truthy_hash(void)
{
	struct dh_value v;
	v = val("nil");
	ok(!q_truthy(&v), "nil is falsy");
	v = val("false");
	ok(!q_truthy(&v), "false is falsy");
	v = val("0");
	ok(q_truthy(&v), "0 is truthy");
	v = val("\"\"");
	ok(q_truthy(&v), "empty string is truthy");
	v = val("[]");
	ok(q_truthy(&v), "empty vector is truthy");

	/* equal values (dh_value_eq) hash equal */
	static const char *const same[][2] = {
		{"0.0", "-0.0"},
		{"##NaN", "(- 0.0 ##NaN)"},
		{"1.50M", "1.50M"},
		{"[1 \"a\" [2.0 :k]]", "[1 \"a\" [2.0 :k]]"},
		{"{:a #{1 2}}", "{:a #{1 2}}"},
		{"\"héllo\"", "\"héllo\""},
		{"#uuid \"01234567-89ab-cdef-0123-456789abcdef\"",
		 "#uuid \"01234567-89AB-CDEF-0123-456789ABCDEF\""},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(same); i++) {
		struct dh_value a = val(same[i][0]), b;
		if (same[i][1][0] == '(') {
			/* a NaN of another sign/payload, computed */
			b.type = DH_T_DOUBLE;
			b.d = -NAN;
		} else
			b = val(same[i][1]);
		ok(dh_value_eq(&a, &b) && q_value_hash(&a) == q_value_hash(&b), "hash %s == hash %s",
		   same[i][0], same[i][1]);
	}
	/* different values: different hashes (not required, but expected) */
	static const char *const diff[][2] = {
		{"1", "1.0"}, {"1", "\"1\""}, {"\"a\"", ":a"}, {"[1 2]", "(1 2)"},
		{"[1 2]", "[2 1]"}, {"1.5M", "1.50M"}, {"nil", "false"}, {"true", "false"},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(diff); i++) {
		struct dh_value a = val(diff[i][0]), b = val(diff[i][1]);
		ok(!dh_value_eq(&a, &b) && q_value_hash(&a) != q_value_hash(&b),
		   "hash %s != hash %s", diff[i][0], diff[i][1]);
	}
}

static void
test_aggregates(void)
{
	A("(count [1 1 2])", "3");
	A("(count-distinct [1 1 2 1.0])", "3");
	A("(sum [1 2 3])", "6");
	A("(sum [1 2.5])", "3.5");
	A("(sum [0.1M 0.2M])", "0.3M");
	AE("(sum [9223372036854775807 1])", "22003");
	AE("(sum [\"a\" \"b\"])", "42804"); /* DataScript/JS: "0ab" */
	AE("(sum [1 \"b\"])", "42804");
	agg("(sum [1 \"b\"])");
	is_str(err.message, "aggregate sum over mixed types: long and string", "sum: message");
	A("(avg [1 2 3 4])", "2.5"); /* DataScript: 2.5 */
	A("(avg [2 2])", "2.0");
	A("(avg [9223372036854775807 9223372036854775807])", "9.223372036854776E18");
	A("(avg [1.5M 2.5M])", "2.0");
	AE("(avg [:a])", "42804");
	A("(median [3 1 2])", "2");
	A("(median [1 3])", "2");      /* DataScript: 2 */
	A("(median [1 2 3 4])", "2.5"); /* DataScript: 2.5 */
	A("(median [1 3 10])", "3");   /* DataScript: 3 */
	A("(median [1.0M 2.0M])", "1.5M"); /* Java: 3.0M / 2 = 1.5M */
	AE("(median [1 \"a\"])", "42804");
	A("(variance [1 2 3 4])", "1.25");                  /* DataScript: 1.25 (population) */
	A("(variance [1 3 10])", "14.888888888888891");     /* DataScript: 14.888888888888891 */
	A("(stddev [1 2 3 4])", "1.118033988749895");      /* DataScript: 1.118033988749895 */
	A("(variance [5])", "0.0");
	AE("(stddev [true])", "42804");
	A("(min [3 1 2 5])", "1");
	A("(max [3 1 2 5])", "5");
	A("(min [2 1.5 3M])", "1.5");
	/* exact across types, so the order is transitive */
	A("(min 3 [9007199254740994 9007199254740993M 9007199254740992.0])",
	  "[9007199254740992.0 9007199254740993M 9007199254740994]");
	A("(min [\"b\" \"a\" \"c\"])", "\"a\""); /* DataScript: "a" */
	A("(max [\"b\" \"a\" \"c\"])", "\"c\"");
	A("(max [#inst \"2020-01-01\" #inst \"2021-01-01\"])", "#inst \"2021-01-01T00:00:00Z\"");
	AE("(min [1 \"a\"])", "42804"); /* DataScript: "Cannot compare a to 1" */
	A("(min 2 [3 1 2 5])", "[1 2]");  /* DataScript: [1 2] */
	A("(max 2 [3 1 2 5])", "[3 5]");  /* DataScript: [3 5] (ascending) */
	A("(min 9 [3 1])", "[1 3]");
	A("(min 0 [3 1])", "[]");
	A("(min 2 [\"b\" \"a\" \"c\"])", "[\"a\" \"b\"]"); /* DataScript: ["a" "b"] */
	AE("(min -1 [1])", "22003");
	A("(distinct [3 1 3 2 1])", "#{1 2 3}");
	A("(distinct [1 1.0])", "#{1 1.0}");
	const char *r = agg("(rand [7 7 7])");
	is_str(r, "7", "rand: one of the values");
	r = agg("(rand 5 [7])");
	is_str(r, "[7 7 7 7 7]", "rand n: with replacement");
	r = agg("(rand [1 2 3])");
	ok(!strcmp(r, "1") || !strcmp(r, "2") || !strcmp(r, "3"), "rand picks a member: %s", r);
	r = agg("(sample 2 [1 1 1])");
	is_str(r, "[1]", "sample: distinct values, at most n");
	r = agg("(sample 3 [1 2 3 3])");
	ok(strlen(r) == 7 && strchr(r, '1') && strchr(r, '2') && strchr(r, '3'),
	   "sample 3 of 3 distinct: a permutation: %s", r);
	AE("(sample [1 2])", "42601");
	AE("(count 2 [1 2])", "42601");
}

/* A position from the clause form, when a query is known. */
static void
test_position(void)
{
	static const char text[] = "[:find ?x :where\n [(subs \"é\" 5) ?x]]";
	struct dh_query q = {0};
	q.text = text;
	q.len = strlen(text);
	struct dh_edn *form = NULL;
	size_t used;
	dh_edn_parse(&arena, text, q.len, &form, &used, &err);
	ctx.q = &q;
	ctx.form = form->coll.items[3]; /* [(subs ...) ?x] */
	E("(subs \"é\" 5)", "22003");
	is_int(err.position, 19, "error position is the clause's first character");
	ctx.q = NULL;
	ctx.form = NULL;
}

/* --- the database functions --- */

static void
test_db(void)
{
	char path[] = "/tmp/qfn-t-XXXXXX";
	int fd = mkstemp(path);
	struct dh_store *st = NULL;
	struct dh_conn *conn = NULL;
	struct dh_snapshot *snap = NULL;
	struct dh_tx_report rep;
	struct dh_err e = {0};
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	static const char schema[] =
		"[{:db/ident :person/name :db/valueType :db.type/string "
		"  :db/cardinality :db.cardinality/one}"
		" {:db/ident :person/age :db/valueType :db.type/long "
		"  :db/cardinality :db.cardinality/one}"
		" {:db/ident :person/tags :db/valueType :db.type/string "
		"  :db/cardinality :db.cardinality/many}"
		" {:db/ident :person/friend :db/valueType :db.type/ref "
		"  :db/cardinality :db.cardinality/one}]";
	static const char data[] = "[{:db/id \"ann\" :person/name \"Ann\" :person/tags [\"a\" \"b\"]}"
				   " {:db/id \"bob\" :person/age 42 :person/friend \"ann\"}]";
	int rc = dh_store_open(path, DH_STORE_CREATE, &st, &e);
	if (!rc)
		rc = dh_db_create(st, "t", 0, &e);
	if (!rc)
		rc = dh_conn_open(st, "t", &conn, &e);
	if (!rc)
		rc = dh_transact_text(conn, schema, strlen(schema), &arena, &rep, &e);
	if (!rc)
		rc = dh_transact_text(conn, data, strlen(data), &arena, &rep, &e);
	if (!ok(rc == 0, "store with schema and data")) {
		tap_diag("%s", e.message);
		goto out;
	}
	int64_t ann = 0, bob = 0;
	for (size_t i = 0; i < rep.ntempids; i++) {
		if (!strcmp(rep.tempids[i].name, "ann"))
			ann = (int64_t)rep.tempids[i].e;
		if (!strcmp(rep.tempids[i].name, "bob"))
			bob = (int64_t)rep.tempids[i].e;
	}
	struct dh_view_spec spec = {.mode = DH_VIEW_CURRENT};
	if (!ok(dh_snapshot_open(conn, &spec, &snap, &e) == 0, "snapshot"))
		goto out;
	ctx.view = dh_snapshot_view(snap);
	ctx.schema = dh_snapshot_schema(snap);

	char q[200], want[64];
#define Q(...) (snprintf(q, sizeof(q), __VA_ARGS__), q)
	T(Q("(get-else %lld :person/name \"none\")", (long long)ann), "\"Ann\"");
	T(Q("(get-else %lld :person/name \"none\")", (long long)bob), "\"none\"");
	T(Q("(get-else %lld :person/age 0)", (long long)bob), "42");
	snprintf(want, sizeof(want), "%lld", (long long)ann);
	T(Q("(get-else %lld :person/friend 0)", (long long)bob), want); /* ref -> long */
	E(Q("(get-else %lld :person/tags \"x\")", (long long)ann), "42601"); /* Datomic: error */
	E(Q("(get-else %lld :person/name nil)", (long long)bob), "42601");
	/* DataScript: "get-else: nil default value is not supported" */
	E(Q("(get-else %lld :person/nope 1)", (long long)bob), "42703");
	EM(Q("(get-else %lld :person/nope 1)", (long long)bob), "attribute :person/nope does not exist");
	E("(get-else -1 :person/name 1)", "42804");
	E("(get-else \"x\" :person/name 1)", "42804");
	E("(get-else 1 :person/name)", "42601");
	EM("(get-else 1 :person/name)", "function get-else takes 4 arguments, got 3");
	T(Q("(get-some %lld :person/age :person/name)", (long long)ann), "[:person/name \"Ann\"]");
	T(Q("(get-some %lld :person/age :person/name)", (long long)bob), "[:person/age 42]");
	T(Q("(get-some %lld :person/tags)", (long long)bob), "nil");
	E(Q("(get-some %lld :person/x)", (long long)bob), "42703");
	T(Q("(missing? %lld :person/name)", (long long)bob), "true");
	T(Q("(missing? %lld :person/name)", (long long)ann), "false");
	T(Q("(missing? %lld :person/tags)", (long long)ann), "false");
	T("(missing? 999999 :person/name)", "true");
	E("(missing? 1 :no/attr)", "42703");
	ctx.view = NULL;
	ctx.schema = NULL;
	E("(missing? 1 :person/name)", "42601");
#undef Q
out:
	if (snap)
		dh_snapshot_close(snap);
	if (conn)
		dh_conn_close(conn);
	if (st)
		dh_store_close(st);
	unlink(path);
	char lock[sizeof(path) + 8];
	snprintf(lock, sizeof(lock), "%s-lock", path);
	unlink(lock);
}

int
main(void)
{
	dh_arena_init(&arena);
	ctx.a = &arena;
	ctx.err = &err;
	test_lookup();
	test_compare();
	test_predicates();
	test_strings();
	test_regex();
	test_arith();
	test_colls();
	test_truthy_hash();
	test_aggregates();
	test_position();
	test_db();
	dh_arena_release(&arena);
	return tap_done();
}
