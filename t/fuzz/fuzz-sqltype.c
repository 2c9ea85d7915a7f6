/*
 * fuzz-sqltype: libFuzzer target for sqltype's parsers of untrusted bytes:
 * the text input functions (SQL literals, COPY, the wire's text format) and
 * the binary receive functions (the wire's binary format).  The first byte
 * picks a type, the second text or binary, the rest is the input.  Whatever
 * the bytes, parsing must not crash; whatever parses must print, the print
 * must parse back to an equal value printing the same, and the binary form
 * must receive back to an equal value.  A second byte 'N' runs every
 * numeric operator and function on the two numerics "x|y" that follow
 * (errors are fine; crashes and hangs are not).
 *
 * Built and run as mk/fuzz.am says (t/t8000-fuzz.sh; make fuzz
 * FUZZ_TARGETS=sqltype); its seeds are t/fuzz/corpus-sqltype/.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltype.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	uint32_t oid;
	int32_t typmod;
} types[] = {
    {DH_OID_BOOL, -1},	 {DH_OID_INT2, -1},	{DH_OID_INT4, -1},
    {DH_OID_INT8, -1},	 {DH_OID_OID, -1},	{DH_OID_FLOAT4, -1},
    {DH_OID_FLOAT8, -1}, {DH_OID_NUMERIC, -1},	{DH_OID_NUMERIC, ((10 << 16) | 2) + 4},
    {DH_OID_TEXT, -1},	 {DH_OID_VARCHAR, 9},	{DH_OID_BPCHAR, 7},
    {DH_OID_NAME, -1},	 {DH_OID_CHAR, -1},	{DH_OID_BYTEA, -1},
    {DH_OID_UUID, -1},	 {DH_OID_REGCLASS, -1},
};

static void
print(uint32_t oid, const struct dh_value *v, struct dh_buf *b)
{
	dh_buf_reset(b);
	int rc = dh_sqltype_out(oid, v, NULL, b);
	assert(rc == 0);
}

/* Every numeric operator and function on two numerics: errors are fine,
 * crashes and hangs are not. */
static void
numeric_ops(const uint8_t *data, size_t size)
{
	static const char *const ops[] = {"+", "-", "*", "/", "%", "^"};
	static const char *const fns1[] = {"sqrt",  "exp",	 "ln",	      "log",   "ceil",
					   "floor", "sign",	 "round",     "trunc", "abs",
					   "scale", "min_scale", "trim_scale"};
	static const char *const fns2[] = {"log", "mod", "div", "gcd", "lcm", "power"};
	const uint8_t *sep = memchr(data, '|', size);
	struct dh_arena a;
	struct dh_err err;
	struct dh_value v[2], r;
	uint32_t nn[2] = {DH_OID_NUMERIC, DH_OID_NUMERIC};
	struct dh_sqlcall c = {NULL, &err, NULL, 2, nn, 0};
	if (!sep)
		return;
	dh_arena_init(&a);
	c.arena = &a;
	if (dh_sqltype_in(DH_OID_NUMERIC, -1, (const char *)data, (size_t)(sep - data), NULL, &a,
			  &v[0], &err) ||
	    dh_sqltype_in(DH_OID_NUMERIC, -1, (const char *)sep + 1,
			  size - (size_t)(sep - data) - 1, NULL, &a, &v[1], &err))
		goto out;
	/* Keep each input's work small: no results of huge size (13 ^ 62287
	 * is a fine 69,000-digit number, but too slow to fuzz under ASan) */
	{
		double dx = dh_sqlnum_to_double(&v[0], NULL), dy = dh_sqlnum_to_double(&v[1], NULL);
		double digits = dx != 0 ? fabs(log10(fabs(dx))) + 1 : 1;
		if (isinf(dx) || isinf(dy) || fabs(dy) > 2000 || digits * fabs(dy) > 20000)
			goto out;
	}
	for (size_t i = 0; i < DH_ARRAY_SIZE(ops); i++) {
		const struct dh_sqlop *o = dh_sqlop_find(ops[i], DH_OID_NUMERIC, DH_OID_NUMERIC);
		c.nargs = 2;
		(void)dh_sqlfn_call(o->fn, &c, v, &r);
	}
	for (size_t i = 0; i < DH_ARRAY_SIZE(fns1); i++) {
		const struct dh_sqlproc *p = dh_sqlproc_find(fns1[i], 1, nn);
		c.nargs = 1;
		(void)dh_sqlfn_call(p->fn, &c, v, &r);
	}
	for (size_t i = 0; i < DH_ARRAY_SIZE(fns2); i++) {
		const struct dh_sqlproc *p = dh_sqlproc_find(fns2[i], 2, nn);
		c.nargs = 2;
		(void)dh_sqlfn_call(p->fn, &c, v, &r);
	}
out:
	dh_arena_release(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dh_arena a;
	struct dh_err err;
	struct dh_buf t1, t2, bin;
	struct dh_value v, w;
	uint32_t oid;
	int32_t typmod;
	int rc;

	if (size < 2)
		return 0;
	if (data[1] == 'N') {
		numeric_ops(data + 2, size - 2);
		return 0;
	}
	oid = types[data[0] % DH_ARRAY_SIZE(types)].oid;
	typmod = types[data[0] % DH_ARRAY_SIZE(types)].typmod;
	dh_arena_init(&a);
	dh_buf_init(&t1, 0);
	dh_buf_init(&t2, 0);
	dh_buf_init(&bin, 0);
	memset(&err, 0, sizeof(err));
	if (data[1] & 1)
		rc = dh_sqltype_recv(oid, typmod, data + 2, size - 2, &a, &v, &err);
	else
		rc = dh_sqltype_in(oid, typmod, (const char *)data + 2, size - 2, NULL, &a, &v,
				   &err);
	if (rc) {
		assert(rc == DH_ESQL && err.sqlstate[0] && err.message[0]);
		goto out;
	}
	print(oid, &v, &t1);
	/* the text reads back equal and prints the same (a name or text may
	 * hold bytes the text form cannot carry: a NUL ends the text) */
	memset(&err, 0, sizeof(err));
	rc = dh_sqltype_in(oid, typmod, (const char *)t1.p, t1.len, NULL, &a, &w, &err);
	if (rc == 0) {
		print(oid, &w, &t2);
		if (dh_sqltype_cmp(oid, &v, &w) != 0 || t1.len != t2.len ||
		    memcmp(t1.p, t2.p, t1.len)) {
			fprintf(stderr, "text round trip differs: '%s' then '%s'\n", (char *)t1.p,
				(char *)t2.p);
			abort();
		}
	} else if (oid != DH_OID_TEXT && oid != DH_OID_VARCHAR && oid != DH_OID_BPCHAR &&
		   oid != DH_OID_NAME && oid != DH_OID_CHAR) {
		fprintf(stderr, "printed '%s' does not read back: %s\n", (char *)t1.p, err.message);
		abort();
	}
	/* the binary form receives back equal */
	memset(&err, 0, sizeof(err));
	rc = dh_sqltype_send(oid, &v, &bin, &err);
	assert(rc == 0);
	rc = dh_sqltype_recv(oid, typmod, bin.p, bin.len, &a, &w, &err);
	if (rc == 0 && dh_sqltype_cmp(oid, &v, &w) != 0) {
		fprintf(stderr, "binary round trip differs for '%s'\n", (char *)t1.p);
		abort();
	}
	(void)dh_sqltype_hash(oid, &v);
out:
	dh_buf_release(&bin);
	dh_buf_release(&t2);
	dh_buf_release(&t1);
	dh_arena_release(&a);
	return 0;
}
