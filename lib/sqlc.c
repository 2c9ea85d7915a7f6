/*
 * sqlc: the SQL statement compiler's door: which statement goes where, and
 * results turned into PostgreSQL's text forms.
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

const char *
dh__sqlc_str(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

const char *
dh__sqlc_node_name(const PgQuery__Node *n)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, n->node_case);
	if (!f || !f->descriptor)
		return "unknown";
	return ((const ProtobufCMessageDescriptor *)f->descriptor)->short_name;
}

/* Structural equality of two parse trees, locations aside (PostgreSQL's
 * equal() on raw expressions, for matching GROUP BY items). */
int
dh__sqlc_is_star(const PgQuery__Node *v)
{
	return v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
	       v->column_ref->fields[v->column_ref->n_fields - 1]->node_case ==
		   PG_QUERY__NODE__NODE_A_STAR;
}

const ProtobufCMessage *
dh__sqlc_node_inner(const PgQuery__Node *n)
{
	const ProtobufCFieldDescriptor *f =
	    n->node_case ? protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor,
								   n->node_case)
			 : NULL;
	return f ? *(const ProtobufCMessage *const *)((const char *)n + f->offset) : NULL;
}

int
dh__sqlc_each_child(const ProtobufCMessage *m, int (*fn)(const ProtobufCMessage *c, void *ctx),
		    void *ctx)
{
	if (!m)
		return 0;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	/* a Node is a oneof of some 250 members: go to the one that is set */
	if (d == &pg_query__node__descriptor) {
		const ProtobufCMessage *c = dh__sqlc_node_inner((const PgQuery__Node *)m);
		return c ? fn(c, ctx) : 0;
	}
	const char *base = (const char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		/* a oneof's members share one place: only the set one */
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		int rc;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *v = *(ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				if (v[k] && (rc = fn(v[k], ctx)))
					return rc;
		} else {
			const ProtobufCMessage *c = *(const ProtobufCMessage *const *)(base + f->offset);
			if (c && (rc = fn(c, ctx)))
				return rc;
		}
	}
	return 0;
}

int
dh__sqlc_node_eq(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
	if (!a || !b)
		return a == b;
	if (a->descriptor != b->descriptor)
		return 0;
	/* a Node is a oneof of some 250 members: go to the one that is set */
	if (a->descriptor == &pg_query__node__descriptor) {
		const PgQuery__Node *na = (const PgQuery__Node *)a, *nb = (const PgQuery__Node *)b;
		if (na->node_case != nb->node_case)
			return 0;
		return dh__sqlc_node_eq(dh__sqlc_node_inner(na), dh__sqlc_node_inner(nb));
	}
	const ProtobufCMessageDescriptor *d = a->descriptor;
	const char *pa = (const char *)a, *pb = (const char *)b;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (strcmp(f->name, "location") == 0)
			continue;
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t wa = *(const uint32_t *)(pa + f->quantifier_offset);
			uint32_t wb = *(const uint32_t *)(pb + f->quantifier_offset);
			if (wa != wb)
				return 0;
			if (wa != f->id)
				continue;
		}
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t na = *(const size_t *)(pa + f->quantifier_offset);
			size_t nb = *(const size_t *)(pb + f->quantifier_offset);
			if (na != nb)
				return 0;
			if (f->type != PROTOBUF_C_TYPE_MESSAGE)
				return 0; /* repeated scalars do not occur in expressions */
			ProtobufCMessage *const *va = *(ProtobufCMessage *const *const *)(pa + f->offset);
			ProtobufCMessage *const *vb = *(ProtobufCMessage *const *const *)(pb + f->offset);
			for (size_t k = 0; k < na; k++)
				if (!dh__sqlc_node_eq(va[k], vb[k]))
					return 0;
			continue;
		}
		switch (f->type) {
		case PROTOBUF_C_TYPE_MESSAGE:
			if (!dh__sqlc_node_eq(*(const ProtobufCMessage *const *)(pa + f->offset),
					      *(const ProtobufCMessage *const *)(pb + f->offset)))
				return 0;
			break;
		case PROTOBUF_C_TYPE_STRING: {
			const char *sa = *(const char *const *)(pa + f->offset);
			const char *sb = *(const char *const *)(pb + f->offset);
			if ((sa == NULL) != (sb == NULL) || (sa && strcmp(sa, sb) != 0))
				return 0;
			break;
		}
		case PROTOBUF_C_TYPE_INT32:
		case PROTOBUF_C_TYPE_UINT32:
		case PROTOBUF_C_TYPE_ENUM:
		case PROTOBUF_C_TYPE_BOOL:
			if (*(const int32_t *)(pa + f->offset) != *(const int32_t *)(pb + f->offset))
				return 0;
			break;
		case PROTOBUF_C_TYPE_INT64:
		case PROTOBUF_C_TYPE_UINT64:
		case PROTOBUF_C_TYPE_DOUBLE:
			if (memcmp(pa + f->offset, pb + f->offset, 8) != 0)
				return 0;
			break;
		default:
			if (memcmp(pa + f->offset, pb + f->offset, 4) != 0)
				return 0;
			break;
		}
	}
	return 1;
}

int
dh__sqlc_described(struct dh__sqlrun *r, int ncols, const struct dh_sql_col *cols)
{
	r->ndcols = ncols;
	r->dcols = cols;
	return DH__SQLC_DESCRIBED;
}

int
dh__sqlc_emit(struct dh__sqlrun *r, const char *tag, int ncols, const struct dh_sql_col *cols,
	      const struct dh_value *rows, size_t nrows)
{
	if (!r->cb)
		return 0;
	const char **cells = NULL;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	int rc = 0;
	if (ncols > 0 && nrows > 0) {
		cells = dh_arena_alloc(r->a, nrows * (size_t)ncols * sizeof(*cells));
		const struct dh_sqlenv *env = dh__sql_env(r->s);
		for (size_t i = 0; i < nrows * (size_t)ncols && rc == 0; i++) {
			const struct dh_value *v = &rows[i];
			if (v->type == DH_T_NONE) {
				cells[i] = NULL;
				continue;
			}
			b.len = 0;
			rc = dh_sqltype_out(cols[i % (size_t)ncols].type_oid, v, env, &b);
			if (rc) {
				rc = dh_err_set(r->err, rc, "cannot print a value of type %u",
						cols[i % (size_t)ncols].type_oid);
				break;
			}
			cells[i] = dh_arena_strndup(r->a, (const char *)b.p, b.len);
		}
	}
	dh_buf_release(&b);
	if (rc)
		return rc;
	struct dh_sql_result res = {.tag = tag, .ncols = ncols, .cols = cols, .nrows = nrows,
				    .cells = cells, .values = rows};
	return r->cb(r->ctx, &res);
}

/* Parse "SELECT <text>" and hand back its one target expression. */
int
dh__sqlc_parse_expr(struct dh__sqlrun *r, const char *text, PgQuery__ParseResult **tree,
		    const PgQuery__Node **expr)
{
	char *q = dh_arena_printf(r->a, "SELECT %s", text);
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(q);
	*tree = NULL;
	*expr = NULL;
	if (pr.error) {
		int rc = dh_err_sql(r->err, "42601", "stored expression %s: %s", text,
				    pr.error->message);
		pg_query_free_protobuf_parse_result(pr);
		return rc;
	}
	PgQuery__ParseResult *t = pg_query__parse_result__unpack(
	    NULL, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (!t || t->n_stmts != 1 ||
	    t->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
	    t->stmts[0]->stmt->select_stmt->n_target_list != 1) {
		if (t)
			pg_query__parse_result__free_unpacked(t, NULL);
		return dh_err_sql(r->err, "XX000", "stored expression %s is not an expression",
				  text);
	}
	*tree = t;
	*expr = t->stmts[0]->stmt->select_stmt->target_list[0]->res_target->val;
	return 0;
}

/* The SQL text of an expression node (PostgreSQL's deparser, through a
 * one-target SELECT). */
char *
dh__sqlc_deparse_expr(struct dh_arena *a, const PgQuery__Node *n)
{
	PgQuery__ResTarget rt = PG_QUERY__RES_TARGET__INIT;
	rt.val = (PgQuery__Node *)n;
	PgQuery__Node rtn = PG_QUERY__NODE__INIT;
	rtn.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
	rtn.res_target = &rt;
	PgQuery__Node *tl[1] = {&rtn};
	PgQuery__SelectStmt sel = PG_QUERY__SELECT_STMT__INIT;
	sel.n_target_list = 1;
	sel.target_list = tl;
	sel.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
	sel.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
	PgQuery__Node seln = PG_QUERY__NODE__INIT;
	seln.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
	seln.select_stmt = &sel;
	PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
	raw.stmt = &seln;
	PgQuery__RawStmt *raws[1] = {&raw};
	PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
	pr.version = PG_VERSION_NUM;
	pr.n_stmts = 1;
	pr.stmts = raws;
	size_t len = pg_query__parse_result__get_packed_size(&pr);
	uint8_t *buf = xmalloc(len ? len : 1);
	pg_query__parse_result__pack(&pr, buf);
	PgQueryProtobuf pb = {len, (char *)buf};
	PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
	free(buf);
	char *out = NULL;
	if (!d.error && d.query && strncmp(d.query, "SELECT ", 7) == 0)
		out = dh_arena_strdup(a, d.query + 7);
	pg_query_free_deparse_result(d);
	return out;
}

/* The statement's own WITH if it holds an INSERT, UPDATE or DELETE. */
static const PgQuery__WithClause *
dml_with(const PgQuery__Node *n)
{
	const PgQuery__WithClause *wc = NULL;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_SELECT_STMT:
		wc = n->select_stmt->with_clause;
		break;
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		wc = n->insert_stmt->with_clause;
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		wc = n->update_stmt->with_clause;
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		wc = n->delete_stmt->with_clause;
		break;
	default:
		break;
	}
	for (size_t i = 0; wc && i < wc->n_ctes; i++)
		if (wc->ctes[i]->common_table_expr->ctequery->node_case !=
		    PG_QUERY__NODE__NODE_SELECT_STMT)
			return wc;
	return NULL;
}

/* SELECT ... INTO t: the INTO (on the leftmost SELECT under set
 * operations), and in *out the query without it. */
static const PgQuery__IntoClause *
select_into(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, const PgQuery__SelectStmt **out)
{
	const PgQuery__SelectStmt *p = st;
	while (p->op != PG_QUERY__SET_OPERATION__SETOP_NONE && p->larg)
		p = p->larg;
	if (!p->into_clause)
		return NULL;
	PgQuery__SelectStmt *top = dh_arena_alloc(r->a, sizeof(*top)), *cur = top;
	*top = *st;
	while (cur->op != PG_QUERY__SET_OPERATION__SETOP_NONE && cur->larg) {
		PgQuery__SelectStmt *l = dh_arena_alloc(r->a, sizeof(*l));
		*l = *cur->larg;
		cur->larg = l;
		cur = l;
	}
	cur->into_clause = NULL;
	*out = top;
	return p->into_clause;
}

int
dh__sqlc_stmt(struct dh__sqlrun *r, const PgQuery__Node *n)
{
	dh__sqlsess_stmt(r->s); /* sqlc-fn.c: the statement's and transaction's instants */
	int rc;
	if ((rc = dh__sqltemp_rewrite(r, n, &n))) /* sqlc-temp.c: temporary tables' names */
		return rc;
	if ((n->node_case == PG_QUERY__NODE__NODE_INSERT_STMT ||
	     n->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT ||
	     n->node_case == PG_QUERY__NODE__NODE_DELETE_STMT) &&
	    (rc = dh__sqlc_view_rewrite(r, n, &n))) /* sqlc-view.c: a view's base table */
		return rc;
	const PgQuery__WithClause *wc = dml_with(n);
	if (wc && r->describe)
		/* its sub-statements run before the statement compiles */
		return dh_err_sql(r->err, "0A000",
				  "a prepared statement with INSERT, UPDATE or DELETE in WITH is "
				  "not supported");
	if (wc)
		return dh__sqlc_defer_run(r, n, wc); /* sqlc-dml.c */
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		return dh__sqlc_create_table(r, n->create_stmt);
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return dh__sqlc_drop(r, n->drop_stmt);
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		return dh__sqlc_insert(r, n->insert_stmt);
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		return dh__sqlc_update(r, n->update_stmt);
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		return dh__sqlc_delete(r, n->delete_stmt);
	case PG_QUERY__NODE__NODE_SELECT_STMT: {
		const PgQuery__SelectStmt *sel;
		const PgQuery__IntoClause *into = select_into(r, n->select_stmt, &sel);
		if (into)
			return dh__sqlc_create_table_as(r, into, sel, 0);
		return dh__sqlc_select(r, n->select_stmt, 1, NULL, NULL, NULL, NULL);
	}
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;
		if (c->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE || !c->query ||
		    c->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
			return 1; /* materialized views, EXECUTE */
		return dh__sqlc_create_table_as(r, c->into, c->query->select_stmt,
						c->if_not_exists);
	}
	/* sqlc-seq.c, sqlc-ddl.c */
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		return dh__sqlc_create_seq(r, n->create_seq_stmt);
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		return dh__sqlc_alter_seq(r, n->alter_seq_stmt);
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		return dh__sqlc_alter_table(r, n->alter_table_stmt);
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		return dh__sqlc_rename(r, n->rename_stmt);
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		return dh__sqlc_truncate(r, n->truncate_stmt);
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		return dh__sqlc_vacuum(r, n->vacuum_stmt); /* sqlc-vacuum.c */
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return dh__sqlc_create_index(r, n->index_stmt);
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		return dh__sqlc_create_view(r, n->view_stmt);
	case PG_QUERY__NODE__NODE_CONSTRAINTS_SET_STMT:
		return dh__sqlc_set_constraints(r, n->constraints_set_stmt);
	case PG_QUERY__NODE__NODE_COMMENT_STMT:
		return dh__sqlc_comment(r, n->comment_stmt);
	case PG_QUERY__NODE__NODE_COPY_STMT:
		return dh__sqlc_copy(r, n->copy_stmt); /* sqlc-copy.c */
	/* sqlcursor.c */
	case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
		return dh__sqlcur_declare(r, n->declare_cursor_stmt);
	case PG_QUERY__NODE__NODE_FETCH_STMT:
		return dh__sqlcur_fetch(r, n->fetch_stmt);
	case PG_QUERY__NODE__NODE_CLOSE_PORTAL_STMT:
		return dh__sqlcur_close(r, n->close_portal_stmt);
	default:
		return 1;
	}
}
