/*
 * sqlexpr-t: lib/sqlexpr's interface to the statement compiler: column
 * references through the scopes (levels, errors), parameters and their
 * inferred types, the aggregate, function and sublink hooks at compile and
 * run time, coercions for assignment and conditions, common types, output
 * column names.  The values themselves are t4130's business (against
 * PostgreSQL).
 */
#include <pg_query.h>

#include "sqlexpr.h"
#include "tap.h"

static struct dh_arena arena;
static struct dh_err err;
static PgQuery__ParseResult *tree;
static PgQueryProtobufParseResult pr;
static char sqlbuf[1024];

/* the first target of "SELECT <expr>" */
static const PgQuery__Node *
parse(const char *expr)
{
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	if (pr.parse_tree.data)
		pg_query_free_protobuf_parse_result(pr);
	tree = NULL;
	snprintf(sqlbuf, sizeof(sqlbuf), "SELECT %s", expr);
	pr = pg_query_parse_protobuf(sqlbuf);
	if (pr.error)
		return NULL;
	tree = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
					      (const uint8_t *)pr.parse_tree.data);
	return tree->stmts[0]->stmt->select_stmt->target_list[0]->res_target->val;
}

/* --- the scopes: this level has a, b, t.c; the outer level has o --- */

static int column_calls, agg_calls, fn_calls, sublink_calls;

static int
inner_column(void *ctx, const char *const *names, int n, int location, int *slot,
	     uint32_t *type, int32_t *typmod, struct dh_err *e)
{
	const char *col = names[n - 1];
	(void)ctx;
	(void)location;
	column_calls++;
	*typmod = -1;
	if (n == 1 && !strcmp(col, "a")) {
		*slot = 0;
		*type = DH_OID_INT4;
		return 0;
	}
	if (n == 1 && !strcmp(col, "b")) {
		*slot = 1;
		*type = DH_OID_TEXT;
		return 0;
	}
	if ((n == 1 || (n == 2 && !strcmp(names[0], "t"))) && !strcmp(col, "c")) {
		*slot = 2;
		*type = DH_OID_NUMERIC;
		return 0;
	}
	if (n == 1 && !strcmp(col, "amb"))
		return dh_err_sql(e, "42702", "column reference \"%s\" is ambiguous", col);
	return 1;
}

static int
outer_column(void *ctx, const char *const *names, int n, int location, int *slot,
	     uint32_t *type, int32_t *typmod, struct dh_err *e)
{
	(void)ctx;
	(void)location;
	(void)e;
	if (n == 1 && !strcmp(names[0], "o")) {
		*slot = 0;
		*type = DH_OID_INT8;
		*typmod = -1;
		return 0;
	}
	return 1;
}

static int
aggregate(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type, int32_t *typmod,
	  struct dh_err *e)
{
	const char *name = fc->funcname[fc->n_funcname - 1]->string->sval;
	(void)ctx;
	agg_calls++;
	if (!strcmp(name, "sum")) {
		*slot = 3;
		*type = DH_OID_NUMERIC;
		*typmod = -1;
		return 0;
	}
	if (!strcmp(name, "count") && fc->agg_star) {
		*slot = 4;
		*type = DH_OID_INT8;
		*typmod = -1;
		return 0;
	}
	if (!strcmp(name, "max"))
		return dh_err_sql(e, "42803", "aggregate functions are not allowed in WHERE");
	return 1;
}

static int
function(void *ctx, const char *name, int nargs, struct dh_sqlx *const *args, int location,
	 int *id, uint32_t *type, int32_t *typmod, int *volatile_, struct dh_err *e)
{
	(void)ctx;
	(void)location;
	(void)e;
	fn_calls++;
	if (!strcmp(name, "nextval") && nargs == 1) {
		/* the argument arrives compiled: an unknown literal stays unknown */
		ok(args[0]->type == DH_OID_UNKNOWN, "nextval's argument is an unknown literal");
		*id = 7;
		*type = DH_OID_INT8;
		*typmod = -1;
		*volatile_ = 1;
		return 0;
	}
	if (!strcmp(name, "current_date") && nargs == 0) {
		*id = 8;
		*type = DH_OID_INT4; /* a stand-in: the test has no dates */
		*typmod = -1;
		return 0;
	}
	return 1;
}

static int
sublink(void *ctx, const PgQuery__SubLink *sl, struct dh_sqlx *test, void **handle,
	uint32_t *type, int32_t *typmod, struct dh_err *e)
{
	static int h;
	(void)ctx;
	(void)e;
	sublink_calls++;
	if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK)
		ok(test && test->type == DH_OID_INT4, "IN (SELECT): the test expression comes compiled");
	*handle = &h;
	*type = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK ? DH_OID_INT4
									    : DH_OID_BOOL;
	*typmod = -1;
	return 0;
}

static int run_calls, run_sublinks;

static int
run_call(void *ctx, int id, int nargs, const struct dh_value *args, const struct dh_sqlx_run *r,
	 struct dh_value *out)
{
	(void)ctx;
	(void)r;
	run_calls++;
	out->type = DH_T_LONG;
	out->i = id == 7 && nargs == 1 && args[0].type == DH_T_STRING ? 1000 + (int64_t)args[0].s.n
								       : 99;
	return 0;
}

static int
run_sublink(void *ctx, void *handle, const struct dh_sqlx_run *r, const struct dh_value *test,
	    struct dh_value *out)
{
	(void)ctx;
	(void)handle;
	(void)r;
	run_sublinks++;
	if (test) {
		out->type = DH_T_BOOL;
		out->b = test->type == DH_T_LONG && test->i == 5;
	} else {
		out->type = DH_T_LONG;
		out->i = 17;
	}
	return 0;
}

static const struct dh_sqlx_scope outer = {.column = outer_column};
static const struct dh_sqlx_scope scope = {.outer = &outer, .column = inner_column,
					   .aggregate = aggregate, .sublink = sublink,
					   .function = function};
static uint32_t ptypes[4];
static struct dh_sqlx_cc cc;
static struct dh_value row[5], outer_row[1], params[4];
static struct dh_sqlx_run outer_run, run;

static void
reset(void)
{
	memset(&err, 0, sizeof(err));
}

static struct dh_sqlx *
compile(const char *expr)
{
	const PgQuery__Node *n = parse(expr);
	struct dh_sqlx *x = NULL;
	reset();
	if (!n) {
		ok(0, "%s parses", expr);
		return NULL;
	}
	cc.text = sqlbuf;
	if (dh_sqlx_compile(&cc, n, &x))
		return NULL;
	return x;
}

/* compile, resolve unknowns, evaluate, print */
static const char *
value(const char *expr)
{
	struct dh_sqlx *x = compile(expr);
	struct dh_value v;
	struct dh_buf b;
	if (!x || dh_sqlx_resolve_unknown(&cc, x, &x))
		return err.sqlstate[0] ? dh_arena_printf(&arena, "ERROR %s", err.sqlstate) : "?";
	if (dh_sqlx_eval(x, &run, &v))
		return dh_arena_printf(&arena, "ERROR %s", err.sqlstate);
	if (v.type == DH_T_NONE)
		return "NULL";
	dh_buf_init(&b, 0);
	dh_sqltype_out(x->type, &v, NULL, &b);
	{
		const char *s = dh_arena_strdup(&arena, (const char *)b.p);
		dh_buf_release(&b);
		return s;
	}
}

static void
test_columns(void)
{
	struct dh_sqlx *x;
	x = compile("a + 1");
	ok(x && x->type == DH_OID_INT4, "a + 1 is integer");
	is_str(value("a + 1"), "6", "a + 1 reads slot 0");
	is_str(value("b || '!'"), "hi!", "b || '!' reads slot 1");
	is_str(value("t.c * 2"), "3.0", "t.c * 2 reads the qualified column");
	x = compile("o + a");
	ok(x && x->type == DH_OID_INT8, "o + a is bigint");
	ok(x && x->args[0]->k == SX_SLOT && x->args[0]->levelsup == 1,
	   "o comes from the outer scope (levelsup 1)");
	is_str(value("o + a"), "105", "o + a reads the outer row");
	x = compile("nosuch + 1");
	ok(!x && !strcmp(err.sqlstate, "42703") &&
	       !strcmp(err.message, "column \"nosuch\" does not exist") && err.position == 8,
	   "an unknown column: 42703 at its position");
	x = compile("x.y");
	ok(!x && !strcmp(err.sqlstate, "42P01") &&
	       !strcmp(err.message, "missing FROM-clause entry for table \"x\""),
	   "an unknown table: 42P01");
	x = compile("1 + amb");
	ok(!x && !strcmp(err.sqlstate, "42702") && err.position == 12,
	   "a hook's error comes back with the position added");
	x = compile("a");
	is_str(x ? x->name : "", "a", "a column's output name is its name");
}

static void
test_params(void)
{
	struct dh_sqlx *x;
	memset(ptypes, 0, sizeof(ptypes));
	cc.nparams = 0;
	x = compile("$1 + 1");
	ok(x && ptypes[0] == DH_OID_INT4 && cc.nparams == 1, "$1 + 1 infers $1 integer");
	x = compile("$2 = 'a'::text");
	ok(x && ptypes[1] == DH_OID_TEXT && cc.nparams == 2, "$2 = text infers $2 text");
	x = compile("$1 + $2");
	ok(!x && !strcmp(err.sqlstate, "42883") &&
	       !strcmp(err.message, "operator does not exist: integer + text"),
	   "inferred types stick: $1 + $2 is integer + text");
	x = compile("$3");
	ok(x && dh_sqlx_resolve_unknown(&cc, x, &x) == 0 && ptypes[2] == DH_OID_TEXT,
	   "a bare $3 becomes text");
	x = compile("$5");
	ok(!x && !strcmp(err.sqlstate, "42P02") && !strcmp(err.message, "there is no parameter $5"),
	   "$5 beyond the cap: 42P02");
	params[0] = (struct dh_value){.type = DH_T_LONG, .i = 41};
	is_str(value("$1 + 1"), "42", "$1 reads params[0]");
	ok(!dh_sqlx_is_const(compile("$1 + 1")), "an expression with a parameter is not constant");
	ok(dh_sqlx_is_const(compile("1 + 2 * 3")), "1 + 2 * 3 is constant");
}

static void
test_hooks(void)
{
	struct dh_sqlx *x;
	agg_calls = 0;
	x = compile("sum(a) + 1");
	ok(x && x->type == DH_OID_NUMERIC && agg_calls == 1, "sum(a) comes from the aggregate hook");
	is_str(value("sum(a) + 1"), "11", "sum(a) reads its slot");
	is_str(x ? x->name : "", "?column?", "sum(a) + 1 is ?column?");
	x = compile("sum(a)");
	is_str(x ? x->name : "", "sum", "sum(a) is named sum");
	is_str(value("count(*)"), "3", "count(*) reads its slot");
	x = compile("max(a)");
	ok(!x && !strcmp(err.sqlstate, "42803") && err.position == 8,
	   "the aggregate hook's error, with its position");
	x = compile("abs(a) FILTER (WHERE true)");
	ok(!x && !strcmp(err.sqlstate, "42809") &&
	       !strcmp(err.message, "FILTER specified, but abs is not an aggregate function"),
	   "FILTER on a scalar function: 42809");
	fn_calls = run_calls = 0;
	x = compile("nextval('seq')");
	ok(x && x->k == SX_CALL && x->type == DH_OID_INT8, "nextval goes to the function hook");
	ok(x && !dh_sqlx_is_const(x), "a volatile call is not constant");
	is_str(value("nextval('seq') + 1"), "1004", "the call hook runs with the argument's value");
	ok(run_calls == 1, "once");
	is_str(value("current_date"), "99", "current_date goes to the function hook");
	x = compile("nosuchfn(1, 'a')");
	ok(!x && !strcmp(err.sqlstate, "42883") &&
	       !strcmp(err.message, "function nosuchfn(integer, unknown) does not exist") &&
	       err.position == 8,
	   "an unknown function: 42883 with the argument types");
	sublink_calls = run_sublinks = 0;
	is_str(value("(SELECT 1) + 1"), "18", "a scalar sublink runs through the hooks");
	is_str(value("5 IN (SELECT 1)"), "t", "IN (SELECT) gets its test value at run time");
	is_str(value("6 IN (SELECT 1)"), "f", "... which is evaluated per call");
	ok(sublink_calls == 3 && run_sublinks == 3, "three sublinks compiled and run");
	x = compile("(SELECT 1 AS k)");
	is_str(x ? x->name : "", "k", "a scalar sublink is named after its column");
	x = compile("EXISTS (SELECT 1)");
	is_str(x ? x->name : "", "exists", "EXISTS is named exists");
}

static void
test_coerce(void)
{
	struct dh_sqlx *x, *y;
	struct dh_value v;
	x = compile("true");
	ok(x && dh_sqlx_coerce(&cc, x, DH_OID_INT4, -1, DH_CAST_ASSIGNMENT, "price", &y) &&
	       !strcmp(err.sqlstate, "42804") &&
	       !strcmp(err.message,
		       "column \"price\" is of type integer but expression is of type boolean") &&
	       !strcmp(err.hint, "You will need to rewrite or cast the expression."),
	   "assigning boolean to integer: 42804 naming the column");
	x = compile("2.5");
	ok(x && !dh_sqlx_coerce(&cc, x, DH_OID_INT4, -1, DH_CAST_ASSIGNMENT, "n", &y) &&
	       y->type == DH_OID_INT4 && !dh_sqlx_eval(y, &run, &v) && v.i == 3,
	   "numeric assigns to integer, rounding");
	x = compile("2.5");
	reset();
	ok(x && dh_sqlx_coerce(&cc, x, DH_OID_INT4, -1, DH_CAST_IMPLICIT, NULL, &y) &&
	       !strcmp(err.sqlstate, "42846"),
	   "but not implicitly");
	x = compile("'abcd'");
	ok(x && !dh_sqlx_coerce(&cc, x, DH_OID_VARCHAR, 3 + 4, DH_CAST_ASSIGNMENT, "v", &y) &&
	       dh_sqlx_eval(y, &run, &v) && !strcmp(err.sqlstate, "22001"),
	   "'abcd' into varchar(3): 22001 when evaluated");
	x = compile("'x'");
	ok(x && dh_sqlx_coerce(&cc, x, DH_OID_INT4, -1, DH_CAST_ASSIGNMENT, "n", &y) &&
	       !strcmp(err.sqlstate, "22P02") && err.position == 8,
	   "an unknown literal is read as the type, errors at the literal");
	x = compile("a");
	ok(x && dh_sqlx_coerce_bool(&cc, x, "WHERE", &y) && !strcmp(err.sqlstate, "42804") &&
	       !strcmp(err.message, "argument of WHERE must be type boolean, not type integer"),
	   "WHERE a: 42804");
	x = compile("'t'");
	ok(x && !dh_sqlx_coerce_bool(&cc, x, "WHERE", &y) && dh_sqlx_test(y, &run) == 1,
	   "WHERE 't' is true");
	x = compile("NULL");
	ok(x && !dh_sqlx_coerce_bool(&cc, x, "WHERE", &y) && dh_sqlx_test(y, &run) == 0,
	   "WHERE NULL is not true");
	{
		struct dh_sqlx *xs[3];
		uint32_t t;
		int32_t m;
		xs[0] = compile("1");
		xs[1] = compile("2.5");
		xs[2] = compile("NULL");
		ok(!dh_sqlx_common_type(&cc, xs, 3, "UNION", &t, &m) && t == DH_OID_NUMERIC,
		   "UNION of integer, numeric and NULL is numeric");
		xs[1] = compile("'a'::text");
		reset();
		ok(dh_sqlx_common_type(&cc, xs, 2, "UNION", &t, &m) &&
		       !strcmp(err.message, "UNION types integer and text cannot be matched"),
		   "UNION of integer and text: 42804");
		xs[0] = compile("'a'::varchar(3)");
		xs[1] = compile("'b'::varchar(3)");
		ok(!dh_sqlx_common_type(&cc, xs, 2, "VALUES", &t, &m) && t == DH_OID_VARCHAR &&
		       m == 7,
		   "a common typmod survives when all agree");
	}
	{
		const struct dh_sqlop *o = dh_sqlx_oper(&cc, "=", DH_OID_INT4, DH_OID_INT8, -1);
		ok(o && o->left == DH_OID_INT4 && o->right == DH_OID_INT8, "oper = (int4, int8)");
		o = dh_sqlx_oper(&cc, "=", DH_OID_INT4, DH_OID_NUMERIC, -1);
		ok(o && o->left == DH_OID_NUMERIC, "oper = (int4, numeric) is numeric's");
		reset();
		o = dh_sqlx_oper(&cc, "=", DH_OID_INT4, DH_OID_TEXT, 3);
		ok(!o && !strcmp(err.sqlstate, "42883") && err.position == 4,
		   "oper = (int4, text) does not exist");
	}
}

static void
test_names(void)
{
	static const char *const cases[][2] = {
	    {"1", "?column?"},	   {"1::text", "text"},		{"a::text", "a"},
	    {"CAST(b AS int)", "b"}, {"CAST(1 AS int)", "int4"}, {"CASE WHEN true THEN 1 END", "case"},
	    {"coalesce(a, 1)", "coalesce"}, {"greatest(1, 2)", "greatest"},
	    {"nullif(1, 2)", "nullif"}, {"upper(b)", "upper"},
	    {"ARRAY[1]", "array"},	   {"t.c", "c"},		{"'x'", "?column?"},
	    {"trim(b)", "btrim"},	   {"substring(b from 1)", "substring"},
	    {"a IS NULL", "?column?"}, {"(a)", "a"},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(cases); i++) {
		struct dh_sqlx *x = compile(cases[i][0]);
		is_str(x ? x->name : err.message, cases[i][1], "the name of %s", cases[i][0]);
	}
}

int
main(void)
{
	dh_arena_init(&arena);
	cc = (struct dh_sqlx_cc){&arena, &err, NULL, &scope, ptypes, 0, 4, NULL};
	row[0] = (struct dh_value){.type = DH_T_LONG, .i = 5};
	row[1] = (struct dh_value){.type = DH_T_STRING};
	row[1].s.p = "hi";
	row[1].s.n = 2;
	row[2] = (struct dh_value){.type = DH_T_BIGDEC};
	row[2].s.p = "1.5";
	row[2].s.n = 3;
	row[3] = (struct dh_value){.type = DH_T_BIGDEC};
	row[3].s.p = "10";
	row[3].s.n = 2;
	row[4] = (struct dh_value){.type = DH_T_LONG, .i = 3};
	outer_row[0] = (struct dh_value){.type = DH_T_LONG, .i = 100};
	outer_run = (struct dh_sqlx_run){&arena, &err, NULL, outer_row, NULL, NULL, NULL, NULL, NULL};
	run = (struct dh_sqlx_run){&arena,  &err,	 NULL,	      row, &outer_run,
				   params,  NULL,	 run_sublink, run_call};
	test_columns();
	test_params();
	test_hooks();
	test_coerce();
	test_names();
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	pg_query_free_protobuf_parse_result(pr);
	dh_arena_release(&arena);
	return tap_done();
}
