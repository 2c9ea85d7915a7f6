/*
 * fuzz-sqlexpr: libFuzzer target for lib/sqlexpr.  The bytes are an
 * expression: "SELECT <bytes>" is parsed by libpg_query (a syntax error is
 * fine), and the first target of a SELECT is compiled by dh_sqlx_compile
 * with a scope of three columns (an int4 a, a text b, a numeric c, one row
 * of values) and parameters $1..$4 of inferred types, then evaluated and
 * printed.  Errors are fine, if they are SQL errors with a SQLSTATE and a
 * message; crashes, sanitizer reports, leaks and "cannot happen" errors
 * (XX000) are not.  Everything lives in one arena per input.
 *
 * Numeric powers, exponentials and factorials cost time in the digits of
 * their results (123.4^56789 has a quarter million digits; PostgreSQL
 * computes it too, slowly): inputs naming them are compiled but not
 * evaluated, as fuzz-sqltype keeps to small numeric inputs.
 *
 * Built and run as mk/fuzz.am says (t/t8000-fuzz.sh; make fuzz
 * FUZZ_TARGETS=sqlexpr); its seeds are t/fuzz/corpus-sqlexpr/.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "sqlexpr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
column(void *ctx, const char *const *names, int n, int location, int *slot, uint32_t *type,
       int32_t *typmod, struct dh_err *err)
{
	static const char *const cols[] = {"a", "b", "c"};
	static const uint32_t types[] = {DH_OID_INT4, DH_OID_TEXT, DH_OID_NUMERIC};
	(void)ctx;
	(void)location;
	(void)err;
	if (n != 1)
		return 1;
	for (int i = 0; i < 3; i++)
		if (!strcmp(names[0], cols[i])) {
			*slot = i;
			*type = types[i];
			*typmod = -1;
			return 0;
		}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sql;
	PgQueryProtobufParseResult pr;
	PgQuery__ParseResult *tree = NULL;
	struct dh_arena a;
	struct dh_err err;
	struct dh_sqlenv env = DH_SQLENV_INIT;
	struct dh_sqlx_scope scope = {.column = column};
	uint32_t ptypes[4] = {0, 0, 0, 0};
	struct dh_sqlx_cc cc;
	struct dh_value row[3], params[4];
	struct dh_sqlx *x;

	if (size > 4096 || memchr(data, 0, size))
		return 0;
	sql = malloc(size + 8);
	memcpy(sql, "SELECT ", 7);
	memcpy(sql + 7, data, size);
	sql[size + 7] = '\0';
	dh_arena_init(&a);
	memset(&err, 0, sizeof(err));
	cc = (struct dh_sqlx_cc){&a, &err, &env, &scope, ptypes, 0, 4, sql};
	pr = pg_query_parse_protobuf(sql);
	if (pr.error)
		goto out;
	tree = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
					      (const uint8_t *)pr.parse_tree.data);
	if (!tree || tree->n_stmts < 1 ||
	    tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		goto out;
	{
		const PgQuery__SelectStmt *s = tree->stmts[0]->stmt->select_stmt;
		const PgQuery__ResTarget *rt;
		if (s->n_target_list < 1 ||
		    s->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
			goto out;
		rt = s->target_list[0]->res_target;
		if (!rt->val)
			goto out;
		if (dh_sqlx_compile(&cc, rt->val, &x) || dh_sqlx_resolve_unknown(&cc, x, &x)) {
			assert(err.message[0] && err.sqlstate[0]);
			assert(strcmp(err.sqlstate, "XX000") != 0);
			goto out;
		}
	}
	assert(x->name && x->name[0]);
	{
		static const char *const slow[] = {"^", "pow", "exp", "factorial", "|/"};
		for (size_t i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
			if (memmem(data, size, slow[i], strlen(slow[i])))
				goto out;
	}
	row[0] = (struct dh_value){.type = DH_T_LONG, .i = 42};
	row[1] = (struct dh_value){.type = DH_T_STRING};
	row[1].s.p = "hello";
	row[1].s.n = 5;
	row[2] = (struct dh_value){.type = DH_T_NONE};
	for (int i = 0; i < 4; i++)
		params[i] = (struct dh_value){.type = DH_T_NONE};
	{
		struct dh_sqlx_run run = {&a, &err, &env, row, NULL, params, NULL, NULL, NULL};
		struct dh_value v;
		memset(&err, 0, sizeof(err));
		if (dh_sqlx_eval(x, &run, &v)) {
			assert(err.message[0] && err.sqlstate[0]);
			goto out;
		}
		if (v.type != DH_T_NONE) {
			struct dh_buf b;
			dh_buf_init(&b, 1 << 20);
			dh_sqltype_out(x->type, &v, &env, &b);
			dh_buf_release(&b);
		}
	}
out:
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	pg_query_free_protobuf_parse_result(pr);
	dh_arena_release(&a);
	free(sql);
	return 0;
}
