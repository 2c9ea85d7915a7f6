/*
 * sql: sessions and statement dispatch.  Text is parsed by libpg_query
 * (pg_query_parse_protobuf) into the protobuf-c node structs; syntax errors
 * come out as PostgreSQL reports them (42601 with the position).  Statement
 * kinds not implemented yet fail with 0A000 naming the statement.
 */
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "dh.h"
#include "sql.h"

struct dh_sql {
	struct dh_store *st;
	struct dh_conn *conn;
	char txstatus;
};

int
dh_sql_open(struct dh_store *st, const char *db_branch, struct dh_sql **out, struct dh_err *err)
{
	struct dh_conn *c;
	*out = NULL;
	int rc = dh_conn_open(st, db_branch ? db_branch : "dh", &c, err);
	if (rc)
		return rc;
	struct dh_sql *s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->conn = c;
	s->txstatus = 'I';
	*out = s;
	return 0;
}

void
dh_sql_close(struct dh_sql *s)
{
	if (!s)
		return;
	dh_conn_close(s->conn);
	free(s);
}

char
dh_sql_txstatus(const struct dh_sql *s)
{
	return s->txstatus;
}

/* The node's message name ("SelectStmt"), for messages. */
static const char *
node_name(const PgQuery__Node *n)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, n->node_case);
	if (!f || !f->descriptor)
		return "unknown";
	return ((const ProtobufCMessageDescriptor *)f->descriptor)->short_name;
}

/* Character position (1-based) of byte offset off in text. */
static int
char_pos(const char *text, size_t off)
{
	int n = 0;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			n++;
	return n + 1;
}

int
dh_sql_exec(struct dh_sql *s, const char *text, size_t len, dh_sql_cb cb, void *ctx,
	    struct dh_err *err)
{
	(void)s;
	(void)cb;
	(void)ctx;
	/* libpg_query wants a NUL-terminated string */
	char *z = xmalloc(len + 1);
	memcpy(z, text, len);
	z[len] = 0;
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(z);
	int rc = 0;
	if (pr.error) {
		rc = dh_err_sql(err, "42601", "%s", pr.error->message);
		if (err && pr.error->cursorpos > 0)
			err->position = pr.error->cursorpos;
		goto out;
	}
	PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
	    NULL, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
	if (!tree) {
		rc = dh_err_set(err, DH_EINTERNAL, "cannot read the parse tree");
		goto out;
	}
	for (size_t i = 0; i < tree->n_stmts && rc == 0; i++) {
		const PgQuery__RawStmt *rs = tree->stmts[i];
		rc = dh_err_sql(err, "0A000", "%s is not supported yet", node_name(rs->stmt));
		if (err)
			err->position = char_pos(z, (size_t)rs->stmt_location);
	}
	pg_query__parse_result__free_unpacked(tree, NULL);
out:
	pg_query_free_protobuf_parse_result(pr);
	free(z);
	return rc;
}
