/*
 * sqlexpr-res: PostgreSQL 15's type resolution over sqltype's catalog and
 * this module's own tables: coercion pathways (find_coercion_pathway),
 * can_coerce_type, candidate selection (func_match_argtypes and
 * func_select_candidate), polymorphic types (check_ and
 * enforce_generic_type_consistency), operators (oper, make_op), function
 * calls (func_get_detail, including calls that are casts), common types
 * (select_common_type) and coercions (coerce_type).  The code follows
 * parse_oper.c, parse_func.c and parse_coerce.c step by step, so that the
 * same inputs pick the same candidate and fail with the same error.
 */
#include <stdio.h>
#include <string.h>

#include "edn.h"
#include "sqlexpr-int.h"

/* --- the catalog, as resolution sees it --- */

const struct dh_sqltype *
dh__sqlx_type(uint32_t oid)
{
	return dh_sqltype_by_oid(oid);
}

char
dh__sqlx_category(uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	return t ? t->category : 'X';
}

static int
preferred(uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	return t && t->preferred;
}

int
dh__sqlx_is_poly(uint32_t oid)
{
	switch (oid) {
	case DH_OID_ANYELEMENT:
	case DH_OID_ANYARRAY:
	case DH_OID_ANYNONARRAY:
	case DH_OID_ANYENUM:
	case DH_OID_ANYRANGE:
	case DH_OID_ANYMULTIRANGE:
	case DH_OID_ANYCOMPATIBLE:
	case DH_OID_ANYCOMPATIBLEARRAY:
	case DH_OID_ANYCOMPATIBLENONARRAY:
	case DH_OID_ANYCOMPATIBLERANGE:
	case DH_OID_ANYCOMPATIBLEMULTIRANGE:
		return 1;
	default:
		return 0;
	}
}

/* get_element_type: only true arrays (the vector types are not) */
uint32_t
dh__sqlx_elem(uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	if (!t || t->typlen != -1 || t->category != 'A')
		return 0;
	return t->elem;
}

uint32_t
dh__sqlx_array_of(uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	return t ? t->array : 0;
}

const char *
dh__sqlx_typename_mod(struct dh_sqlx_cc *cc, uint32_t oid, int32_t typmod)
{
	struct dh_buf b;
	const char *s;
	dh_buf_init(&b, 0);
	dh_sqltype_format(oid, typmod, typmod >= 0, &b);
	s = dh_arena_strndup(cc->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

const char *
dh__sqlx_typename(struct dh_sqlx_cc *cc, uint32_t oid)
{
	return dh__sqlx_typename_mod(cc, oid, -1);
}

int
dh__sqlx_pos(struct dh_sqlx_cc *cc, int rc, int location)
{
	if (rc && cc->err && location >= 0 && cc->err->position == 0) {
		/* PostgreSQL counts characters, not bytes */
		cc->err->position = cc->text ? dh_edn_charpos(cc->text, strlen(cc->text),
							      (size_t)location)
					     : location + 1;
	}
	return rc;
}

/* PostgreSQL's exprLocation for operators, functions, casts and boolean
 * nodes: the leftmost of the node's own location and its arguments' */
void
dh__sqlx_leftmost(struct dh_sqlx *x)
{
	int loc = x->location;
	for (int i = 0; i < x->nargs; i++) {
		int l = x->args[i] ? x->args[i]->location : -1;
		if (l >= 0 && (loc < 0 || l < loc))
			loc = l;
	}
	x->location = loc;
}

struct dh_sqlx *
dh__sqlx_node(struct dh_arena *a, enum dh_sqlx_kind k, uint32_t type, int32_t typmod,
	      int location, int nargs)
{
	struct dh_sqlx *x = dh_arena_zalloc(a, sizeof(*x));
	x->k = k;
	x->type = type;
	x->typmod = typmod;
	x->location = location;
	x->nargs = nargs;
	if (nargs > 0)
		x->args = dh_arena_zalloc(a, sizeof(*x->args) * (size_t)nargs);
	x->name = "?column?";
	return x;
}

/* --- coercion pathways --- */

int
dh__sqlx_ctx(int castctx)
{
	switch (castctx) {
	case DH_CAST_IMPLICIT:
		return SX_COERCE_IMPLICIT;
	case DH_CAST_ASSIGNMENT:
		return SX_COERCE_ASSIGNMENT;
	default:
		return SX_COERCE_EXPLICIT;
	}
}

static int
allowed(char castcontext, int ctx)
{
	return dh__sqlx_ctx(castcontext) <= ctx;
}

/* find_coercion_pathway */
enum sx_path
dh__sqlx_pathway(uint32_t target, uint32_t source, int ctx, struct dh_sqlcast *c)
{
	struct dh_sqlcast tmp, io;
	uint32_t se, te;
	int have;
	if (!c)
		c = &tmp;
	if (source == target) {
		*c = (struct dh_sqlcast){source, target, DH_CAST_IMPLICIT, DH_CAST_BINARY, NULL};
		return SX_PATH_RELABEL;
	}
	have = dh_sqlcast_find(source, target, &io);
	if (have && !(io.method == DH_CAST_INOUT && io.fn == NULL &&
		      (dh__sqlx_category(target) == 'S' || dh__sqlx_category(source) == 'S'))) {
		/* a pg_cast row */
		if (!allowed(io.context, ctx))
			return SX_PATH_NONE;
		*c = io;
		if (io.method == DH_CAST_FUNCTION)
			return SX_PATH_FUNC;
		if (io.method == DH_CAST_INOUT)
			return SX_PATH_IO;
		return io.fn ? SX_PATH_FUNC : SX_PATH_RELABEL;
	}
	se = dh__sqlx_elem(source);
	te = dh__sqlx_elem(target);
	if (se && te) {
		struct dh_sqlcast ec;
		if (dh__sqlx_pathway(te, se, ctx, &ec) != SX_PATH_NONE) {
			*c = ec; /* the element's cast */
			return SX_PATH_ARRAY;
		}
	}
	if (have && allowed(io.context, ctx)) {
		*c = io;
		return SX_PATH_IO;
	}
	return SX_PATH_NONE;
}

/* --- polymorphic types --- */

static uint32_t common_from_oids(const uint32_t *types, int n);

static int
verify_common(uint32_t common, const uint32_t *types, int n)
{
	for (int i = 0; i < n; i++)
		if (!dh__sqlx_can_coerce(1, &types[i], &common, SX_COERCE_IMPLICIT))
			return 0;
	return 1;
}

struct poly {
	uint32_t elem, array, compat;
	int have_nonarray, have_compat_nonarray, have_compat;
	int ncompat;
	uint32_t compat_types[16];
	int ok;
};

static void
poly_scan(const uint32_t *actual, const uint32_t *declared, int nargs, struct poly *p)
{
	memset(p, 0, sizeof(*p));
	p->ok = 1;
	for (int j = 0; j < nargs; j++) {
		uint32_t d = declared[j], a = actual[j];
		if (d == DH_OID_ANYELEMENT || d == DH_OID_ANYNONARRAY || d == DH_OID_ANYENUM) {
			if (d == DH_OID_ANYNONARRAY)
				p->have_nonarray = 1;
			if (a == DH_OID_UNKNOWN)
				continue;
			if (p->elem && a != p->elem)
				p->ok = 0;
			p->elem = a;
		} else if (d == DH_OID_ANYARRAY) {
			if (a == DH_OID_UNKNOWN)
				continue;
			if (p->array && a != p->array)
				p->ok = 0;
			p->array = a;
		} else if (d == DH_OID_ANYCOMPATIBLE || d == DH_OID_ANYCOMPATIBLENONARRAY) {
			p->have_compat = 1;
			if (d == DH_OID_ANYCOMPATIBLENONARRAY)
				p->have_compat_nonarray = 1;
			if (a == DH_OID_UNKNOWN)
				continue;
			if (p->ncompat < 16)
				p->compat_types[p->ncompat++] = a;
		} else if (d == DH_OID_ANYCOMPATIBLEARRAY) {
			uint32_t e;
			p->have_compat = 1;
			if (a == DH_OID_UNKNOWN)
				continue;
			e = dh__sqlx_elem(a);
			if (!e) {
				p->ok = 0;
				continue;
			}
			if (p->ncompat < 16)
				p->compat_types[p->ncompat++] = e;
		} else if (dh__sqlx_is_poly(d)) {
			/* ranges and multiranges: no such values here */
			if (a != DH_OID_UNKNOWN)
				p->ok = 0;
		}
	}
}

/* check_generic_type_consistency */
static int
poly_check(const uint32_t *actual, const uint32_t *declared, int nargs)
{
	struct poly p;
	poly_scan(actual, declared, nargs, &p);
	if (!p.ok)
		return 0;
	if (p.array && p.array != DH_OID_ANYARRAY) {
		uint32_t e = dh__sqlx_elem(p.array);
		if (!e)
			return 0;
		if (!p.elem)
			p.elem = e;
		else if (e != p.elem)
			return 0;
	}
	if (p.have_nonarray && p.elem && dh__sqlx_elem(p.elem))
		return 0;
	if (p.ncompat > 0) {
		uint32_t c = common_from_oids(p.compat_types, p.ncompat);
		if (!c || !verify_common(c, p.compat_types, p.ncompat))
			return 0;
		if (p.have_compat_nonarray && dh__sqlx_elem(c))
			return 0;
	}
	return 1;
}

/* enforce_generic_type_consistency */
uint32_t
dh__sqlx_poly(struct dh_sqlx_cc *cc, const uint32_t *actual, uint32_t *declared, int nargs,
	      uint32_t rettype, int location)
{
	struct poly p;
	int have_poly = 0, have_unknowns = 0;
	uint32_t compat = 0;
	for (int j = 0; j < nargs; j++)
		if (dh__sqlx_is_poly(declared[j])) {
			have_poly = 1;
			if (actual[j] == DH_OID_UNKNOWN)
				have_unknowns = 1;
		}
	if (!have_poly && !dh__sqlx_is_poly(rettype))
		return rettype;
	poly_scan(actual, declared, nargs, &p);
	if (p.array) {
		uint32_t e = dh__sqlx_elem(p.array);
		if (!e) {
			dh_err_sql(cc->err, "42804",
				   "argument declared %s is not an array but type %s", "anyarray",
				   dh__sqlx_typename(cc, p.array));
			return 0;
		}
		if (!p.elem)
			p.elem = e;
		else if (e != p.elem) {
			dh_err_sql(cc->err, "42804",
				   "argument declared %s is not consistent with argument declared %s",
				   "anyarray", "anyelement");
			dh_err_detail(cc->err, "%s versus %s", dh__sqlx_typename(cc, p.array),
				      dh__sqlx_typename(cc, p.elem));
			return 0;
		}
	}
	if (p.ncompat > 0) {
		compat = common_from_oids(p.compat_types, p.ncompat);
		if (!compat) {
			dh_err_sql(cc->err, "42804", "arguments declared \"anycompatible\" are not all alike");
			return 0;
		}
	} else if (p.have_compat) {
		compat = DH_OID_TEXT; /* all unknown: text, as select_common_type */
	}
	if (!p.elem && (have_unknowns || rettype == DH_OID_ANYELEMENT ||
			rettype == DH_OID_ANYARRAY || rettype == DH_OID_ANYNONARRAY)) {
		int needed = 0;
		for (int j = 0; j < nargs; j++)
			if (declared[j] == DH_OID_ANYELEMENT || declared[j] == DH_OID_ANYARRAY ||
			    declared[j] == DH_OID_ANYNONARRAY || declared[j] == DH_OID_ANYENUM)
				needed = 1;
		if (rettype == DH_OID_ANYELEMENT || rettype == DH_OID_ANYARRAY ||
		    rettype == DH_OID_ANYNONARRAY)
			needed = 1;
		if (needed) {
			dh_err_sql(cc->err, "42804",
				   "could not determine polymorphic type because input has type %s",
				   "unknown");
			dh__sqlx_pos(cc, DH_ESQL, location);
			return 0;
		}
	}
	if (p.have_nonarray && p.elem && dh__sqlx_elem(p.elem)) {
		dh_err_sql(cc->err, "42804", "type matched to anynonarray is an array type: %s",
			   dh__sqlx_typename(cc, p.elem));
		return 0;
	}
	for (int j = 0; j < nargs; j++) {
		uint32_t d = declared[j];
		if (d == DH_OID_ANYELEMENT || d == DH_OID_ANYNONARRAY || d == DH_OID_ANYENUM) {
			declared[j] = p.elem;
		} else if (d == DH_OID_ANYARRAY) {
			uint32_t at = p.array ? p.array : dh__sqlx_array_of(p.elem);
			if (!at) {
				dh_err_sql(cc->err, "42704", "could not find array type for data type %s",
					   dh__sqlx_typename(cc, p.elem));
				return 0;
			}
			declared[j] = at;
		} else if (d == DH_OID_ANYCOMPATIBLE || d == DH_OID_ANYCOMPATIBLENONARRAY) {
			declared[j] = compat;
		} else if (d == DH_OID_ANYCOMPATIBLEARRAY) {
			uint32_t at = dh__sqlx_array_of(compat);
			if (!at) {
				dh_err_sql(cc->err, "42704", "could not find array type for data type %s",
					   dh__sqlx_typename(cc, compat));
				return 0;
			}
			declared[j] = at;
		}
	}
	switch (rettype) {
	case DH_OID_ANYELEMENT:
	case DH_OID_ANYNONARRAY:
	case DH_OID_ANYENUM:
		return p.elem;
	case DH_OID_ANYARRAY:
		if (p.array)
			return p.array;
		if (!dh__sqlx_array_of(p.elem)) {
			dh_err_sql(cc->err, "42704", "could not find array type for data type %s",
				   dh__sqlx_typename(cc, p.elem));
			return 0;
		}
		return dh__sqlx_array_of(p.elem);
	case DH_OID_ANYCOMPATIBLE:
	case DH_OID_ANYCOMPATIBLENONARRAY:
		return compat;
	case DH_OID_ANYCOMPATIBLEARRAY:
		return dh__sqlx_array_of(compat);
	default:
		return rettype;
	}
}

/* can_coerce_type */
int
dh__sqlx_can_coerce(int nargs, const uint32_t *in, const uint32_t *want, int ctx)
{
	int generics = 0;
	for (int i = 0; i < nargs; i++) {
		if (in[i] == want[i] || want[i] == DH_OID_ANY)
			continue;
		if (dh__sqlx_is_poly(want[i])) {
			generics = 1;
			continue;
		}
		if (in[i] == DH_OID_UNKNOWN)
			continue;
		if (dh__sqlx_pathway(want[i], in[i], ctx, NULL) != SX_PATH_NONE)
			continue;
		return 0;
	}
	if (generics && !poly_check(in, want, nargs))
		return 0;
	return 1;
}

/* --- common types --- */

/* select_common_type's loop over type OIDs; 0 if the categories differ */
static uint32_t
common_loop(const uint32_t *types, int n, int *bad_at)
{
	uint32_t p = types[0];
	char pcat = dh__sqlx_category(p);
	int ppref = preferred(p);
	if (bad_at)
		*bad_at = -1;
	for (int i = 1; i < n; i++) {
		uint32_t t = types[i];
		if (t == DH_OID_UNKNOWN || t == p)
			continue;
		if (p == DH_OID_UNKNOWN) {
			p = t;
			pcat = dh__sqlx_category(t);
			ppref = preferred(t);
		} else if (dh__sqlx_category(t) != pcat) {
			if (bad_at)
				*bad_at = i;
			return 0;
		} else if (!ppref && dh__sqlx_can_coerce(1, &p, &t, SX_COERCE_IMPLICIT) &&
			   !dh__sqlx_can_coerce(1, &t, &p, SX_COERCE_IMPLICIT)) {
			p = t;
			pcat = dh__sqlx_category(t);
			ppref = preferred(t);
		}
	}
	if (p == DH_OID_UNKNOWN)
		p = DH_OID_TEXT;
	return p;
}

static uint32_t
common_from_oids(const uint32_t *types, int n)
{
	int same = 1;
	for (int i = 1; i < n; i++)
		if (types[i] != types[0])
			same = 0;
	if (same && types[0] != DH_OID_UNKNOWN)
		return types[0];
	return common_loop(types, n, NULL);
}

uint32_t
dh__sqlx_common(struct dh_sqlx_cc *cc, struct dh_sqlx *const *xs, int n, const char *construct,
		int *failed)
{
	uint32_t stack[32], *types = n <= 32 ? stack : dh_arena_alloc(cc->a, sizeof(*types) * (size_t)n);
	uint32_t r;
	int bad = -1, same = 1;
	*failed = 0;
	if (n <= 0)
		return DH_OID_TEXT;
	for (int i = 0; i < n; i++) {
		types[i] = xs[i]->type;
		if (types[i] != types[0])
			same = 0;
	}
	if (same && types[0] != DH_OID_UNKNOWN)
		return types[0];
	r = common_loop(types, n, &bad);
	if (!r) {
		*failed = 1;
		if (construct) {
			/* the type so far: redo the loop up to the failing item */
			uint32_t so_far = common_loop(types, bad, NULL);
			if (so_far == DH_OID_TEXT && types[0] == DH_OID_UNKNOWN) {
				int any = 0;
				for (int i = 0; i < bad; i++)
					any |= types[i] != DH_OID_UNKNOWN;
				if (!any)
					so_far = DH_OID_UNKNOWN;
			}
			dh_err_sql(cc->err, "42804", "%s types %s and %s cannot be matched", construct,
				   dh__sqlx_typename(cc, so_far), dh__sqlx_typename(cc, types[bad]));
			dh__sqlx_pos(cc, DH_ESQL, xs[bad]->location);
		}
	}
	return r;
}

int
dh_sqlx_common_type(struct dh_sqlx_cc *cc, struct dh_sqlx *const *xs, int n,
		    const char *construct, uint32_t *type, int32_t *typmod)
{
	int failed;
	uint32_t t;
	if (n <= 0) {
		*type = DH_OID_TEXT;
		*typmod = -1;
		return 0;
	}
	t = dh__sqlx_common(cc, xs, n, construct ? construct : "UNION", &failed);
	if (failed)
		return DH_ESQL;
	*type = t;
	/* select_common_typmod: kept only if every input has the type and
	 * the same typmod */
	*typmod = xs[0]->typmod;
	for (int i = 0; i < n; i++)
		if (xs[i]->type != t || xs[i]->typmod != *typmod)
			*typmod = -1;
	return 0;
}

/* --- candidate selection --- */

/* func_match_argtypes: keep the candidates the inputs can coerce to */
static int
match_argtypes(struct sx_cand *cs, int nc, const uint32_t *in, int nargs, int *keep)
{
	int n = 0;
	for (int i = 0; i < nc; i++) {
		keep[i] = cs[i].nargs == nargs &&
			  dh__sqlx_can_coerce(nargs, in, cs[i].args, SX_COERCE_IMPLICIT);
		n += keep[i];
	}
	return n;
}

static int
first_kept(const int *keep, int nc)
{
	for (int i = 0; i < nc; i++)
		if (keep[i])
			return i;
	return -1;
}

/* func_select_candidate over the kept candidates */
static int
select_candidate(struct sx_cand *cs, int nc, int *keep, const uint32_t *in, int nargs)
{
	int nunknowns = 0, best, n;
	char slot_cat[16];
	int slot_pref[16];
	int resolved;

	for (int i = 0; i < nargs; i++)
		nunknowns += in[i] == DH_OID_UNKNOWN;

	/* most exact matches */
	best = 0;
	for (int c = 0; c < nc; c++) {
		int m = 0;
		if (!keep[c])
			continue;
		for (int i = 0; i < nargs; i++)
			m += in[i] != DH_OID_UNKNOWN && cs[c].args[i] == in[i];
		if (m > best)
			best = m;
	}
	n = 0;
	for (int c = 0; c < nc; c++) {
		int m = 0;
		if (!keep[c])
			continue;
		for (int i = 0; i < nargs; i++)
			m += in[i] != DH_OID_UNKNOWN && cs[c].args[i] == in[i];
		keep[c] = m == best;
		n += keep[c];
	}
	if (n == 1)
		return first_kept(keep, nc);

	/* exact or preferred types where coercion is needed */
	for (int i = 0; i < nargs; i++)
		slot_cat[i] = dh__sqlx_category(in[i]);
	best = 0;
	for (int pass = 0; pass < 2; pass++) {
		n = 0;
		for (int c = 0; c < nc; c++) {
			int m = 0;
			if (!keep[c])
				continue;
			for (int i = 0; i < nargs; i++) {
				uint32_t t = cs[c].args[i];
				if (in[i] == DH_OID_UNKNOWN)
					continue;
				if (t == in[i] ||
				    (preferred(t) && dh__sqlx_category(t) == slot_cat[i]))
					m++;
			}
			if (pass == 0) {
				if (m > best)
					best = m;
			} else {
				keep[c] = m == best;
				n += keep[c];
			}
		}
	}
	if (n == 1)
		return first_kept(keep, nc);

	/* assign types to the unknown inputs */
	if (nunknowns == 0)
		return -2;
	resolved = 1;
	for (int i = 0; i < nargs; i++) {
		int conflict = 0;
		if (in[i] != DH_OID_UNKNOWN)
			continue;
		slot_cat[i] = 0;
		slot_pref[i] = 0;
		for (int c = 0; c < nc; c++) {
			char cat;
			if (!keep[c])
				continue;
			cat = dh__sqlx_category(cs[c].args[i]);
			if (slot_cat[i] == 0) {
				slot_cat[i] = cat;
				slot_pref[i] = preferred(cs[c].args[i]);
			} else if (cat == slot_cat[i]) {
				slot_pref[i] |= preferred(cs[c].args[i]);
			} else if (cat == 'S') {
				slot_cat[i] = cat;
				slot_pref[i] = preferred(cs[c].args[i]);
			} else {
				conflict = 1;
			}
		}
		if (conflict && slot_cat[i] != 'S') {
			resolved = 0;
			break;
		}
	}
	if (resolved) {
		int stack2[64], *kept2 = nc <= 64 ? stack2 : xcalloc((size_t)nc, sizeof(int));
		int any = 0;
		n = 0;
		for (int c = 0; c < nc; c++) {
			int k = keep[c];
			for (int i = 0; k && i < nargs; i++) {
				uint32_t t = cs[c].args[i];
				if (in[i] != DH_OID_UNKNOWN)
					continue;
				if (dh__sqlx_category(t) != slot_cat[i])
					k = 0;
				else if (slot_pref[i] && !preferred(t))
					k = 0;
			}
			kept2[c] = k;
			any |= k;
		}
		if (any)
			for (int c = 0; c < nc; c++)
				keep[c] = kept2[c];
		if (kept2 != stack2)
			free(kept2);
		n = 0;
		for (int c = 0; c < nc; c++)
			n += keep[c];
	}
	if (n == 1)
		return first_kept(keep, nc);

	/* last gasp: the unknowns are the one known type */
	if (nunknowns < nargs) {
		uint32_t known = DH_OID_UNKNOWN, same[16];
		for (int i = 0; i < nargs; i++) {
			if (in[i] == DH_OID_UNKNOWN)
				continue;
			if (known == DH_OID_UNKNOWN) {
				known = in[i];
			} else if (known != in[i]) {
				known = DH_OID_UNKNOWN;
				break;
			}
		}
		if (known != DH_OID_UNKNOWN) {
			int found = -1, count = 0;
			for (int i = 0; i < nargs; i++)
				same[i] = known;
			for (int c = 0; c < nc; c++) {
				if (!keep[c])
					continue;
				if (dh__sqlx_can_coerce(nargs, same, cs[c].args, SX_COERCE_IMPLICIT)) {
					if (++count > 1)
						break;
					found = c;
				}
			}
			if (count == 1)
				return found;
		}
	}
	return -2;
}

int
dh__sqlx_select(struct sx_cand *cs, int nc, const uint32_t *in, int nargs)
{
	int keepstack[64], *keep = nc <= 64 ? keepstack : xcalloc((size_t)nc, sizeof(int));
	int n, r;
	n = match_argtypes(cs, nc, in, nargs, keep);
	if (n == 0)
		r = -1;
	else if (n == 1)
		r = first_kept(keep, nc);
	else
		r = select_candidate(cs, nc, keep, in, nargs);
	if (keep != keepstack)
		free(keep);
	return r;
}

/* --- candidates from the catalogs --- */

struct cands {
	struct sx_cand *c;
	int n, cap;
};

static struct sx_cand *
cand_add(struct cands *cs)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 32;
		cs->c = xrealloc(cs->c, sizeof(*cs->c) * (size_t)cs->cap);
	}
	memset(&cs->c[cs->n], 0, sizeof(cs->c[0]));
	return &cs->c[cs->n++];
}

/* Operators called name: prefix (left 0) or binary */
static void
op_cands(const char *name, int prefix, struct cands *cs)
{
	const struct dh_sqlop *o = NULL;
	while ((o = dh_sqlop_next(name, o))) {
		struct sx_cand *c;
		if ((o->left == 0) != prefix)
			continue;
		c = cand_add(cs);
		c->nargs = prefix ? 1 : 2;
		c->args[0] = prefix ? o->right : o->left;
		c->args[1] = o->right;
		c->result = o->result;
		c->fn = o->fn;
		c->flags = o->nonstrict ? SXF_NONSTRICT : 0;
		c->name = o->name;
	}
	for (size_t i = 0; i < dh__sqlx_ops_n; i++) {
		const struct dh_sqlop *m = &dh__sqlx_ops[i];
		struct sx_cand *c;
		if (strcmp(m->name, name) || (m->left == 0) != prefix)
			continue;
		if (dh_sqlop_find(name, m->left, m->right))
			continue; /* the catalog has it now */
		c = cand_add(cs);
		c->nargs = prefix ? 1 : 2;
		c->args[0] = prefix ? m->right : m->left;
		c->args[1] = m->right;
		c->result = m->result;
		c->fn = m->fn;
		c->flags = m->nonstrict ? SXF_NONSTRICT : 0;
		c->name = m->name;
	}
}

static const char *
op_signature(struct dh_sqlx_cc *cc, const char *name, uint32_t lt, uint32_t rt)
{
	if (lt)
		return dh_arena_printf(cc->a, "%s %s %s", dh__sqlx_typename(cc, lt), name,
				       dh__sqlx_typename(cc, rt));
	return dh_arena_printf(cc->a, "%s %s", name, dh__sqlx_typename(cc, rt));
}

int
dh__sqlx_oper(struct dh_sqlx_cc *cc, const char *name, uint32_t lt, uint32_t rt, int location,
	      struct sx_cand *out)
{
	/* the answer is a function of (name, lt, rt) over the built-in
	 * catalog: each thread keeps its last ones (a statement compiled
	 * again for each Execute asks the same questions) */
	enum { MEMO = 64, MEMO_NAME = 16 };
	static _Thread_local struct {
		char name[MEMO_NAME];
		uint32_t lt, rt;
		struct sx_cand c;
	} memo[MEMO];
	size_t nlen = strlen(name);
	unsigned slot = 0;
	if (nlen < MEMO_NAME) {
		uint32_t h = (lt * 2654435761u) ^ (rt * 40503u);
		for (size_t i = 0; i < nlen; i++)
			h = h * 31 + (unsigned char)name[i];
		slot = h % MEMO;
		if (memo[slot].name[0] && memo[slot].lt == lt && memo[slot].rt == rt &&
		    strcmp(memo[slot].name, name) == 0) {
			*out = memo[slot].c;
			return 0;
		}
	}
	struct cands cs = {NULL, 0, 0};
	uint32_t in[2];
	int prefix = lt == 0, nargs = prefix ? 1 : 2, r = -1, rc = 0;
	uint32_t el = lt, er = rt;

	op_cands(name, prefix, &cs);
	/* binary_oper_exact: an unknown side is taken as the other's type */
	if (!prefix) {
		if (el == DH_OID_UNKNOWN)
			el = er;
		else if (er == DH_OID_UNKNOWN)
			er = el;
	}
	for (int i = 0; i < cs.n; i++)
		if (prefix ? cs.c[i].args[0] == rt
			   : (cs.c[i].args[0] == el && cs.c[i].args[1] == er)) {
			r = i;
			break;
		}
	if (r < 0 && cs.n > 0) {
		in[0] = prefix ? rt : lt;
		in[1] = rt;
		r = dh__sqlx_select(cs.c, cs.n, in, nargs);
	}
	if (r == -2) {
		rc = dh_err_sql(cc->err, "42725", "operator is not unique: %s",
				op_signature(cc, name, lt, rt));
		dh_err_hint(cc->err, "Could not choose a best candidate operator. You might need to "
				     "add explicit type casts.");
		dh__sqlx_pos(cc, rc, location);
	} else if (r < 0) {
		rc = dh_err_sql(cc->err, "42883", "operator does not exist: %s",
				op_signature(cc, name, lt, rt));
		if (prefix)
			dh_err_hint(cc->err, "No operator matches the given name and argument type. "
					     "You might need to add an explicit type cast.");
		else
			dh_err_hint(cc->err, "No operator matches the given name and argument types. "
					     "You might need to add explicit type casts.");
		dh__sqlx_pos(cc, rc, location);
	} else {
		*out = cs.c[r];
		if (nlen < MEMO_NAME) {
			memcpy(memo[slot].name, name, nlen + 1);
			memo[slot].lt = lt;
			memo[slot].rt = rt;
			memo[slot].c = *out;
		}
	}
	free(cs.c);
	return rc;
}

/* The pg_operator row of candidate c (chosen for operand types left,
 * right), or NULL. */
static const struct dh_sqlop *
op_row(const char *name, uint32_t left, const struct sx_cand *cp)
{
	const struct sx_cand c = *cp;
	const struct dh_sqlop *o = NULL;
	while ((o = dh_sqlop_next(name, o)))
		if (o->fn == c.fn && o->left == (left ? c.args[0] : 0) &&
		    o->right == (left ? c.args[1] : c.args[0]))
			return o;
	for (size_t i = 0; i < dh__sqlx_ops_n; i++) {
		o = &dh__sqlx_ops[i];
		if (!strcmp(o->name, name) && o->fn == c.fn &&
		    o->left == (left ? c.args[0] : 0) && o->right == (left ? c.args[1] : c.args[0]))
			return o;
	}
	return NULL;
}

const struct dh_sqlop *
dh_sqlx_oper(struct dh_sqlx_cc *cc, const char *name, uint32_t left, uint32_t right, int location)
{
	struct sx_cand c;
	const struct dh_sqlop *o = NULL;
	if (dh__sqlx_oper(cc, name, left, right, location, &c))
		return NULL;
	/* the row itself: search both tables for the chosen one */
	while ((o = dh_sqlop_next(name, o)))
		if (o->fn == c.fn && o->left == (left ? c.args[0] : 0) &&
		    o->right == (left ? c.args[1] : c.args[0]))
			return o;
	for (size_t i = 0; i < dh__sqlx_ops_n; i++) {
		o = &dh__sqlx_ops[i];
		if (!strcmp(o->name, name) && o->fn == c.fn &&
		    o->left == (left ? c.args[0] : 0) && o->right == (left ? c.args[1] : c.args[0]))
			return o;
	}
	return NULL;
}

/* make_fn_arguments: coerce each argument to its declared type */
static int
fn_arguments(struct dh_sqlx_cc *cc, struct dh_sqlx **args, const uint32_t *declared, int nargs)
{
	for (int i = 0; i < nargs; i++) {
		int rc;
		if (declared[i] == args[i]->type || declared[i] == DH_OID_ANY ||
		    dh__sqlx_is_poly(declared[i]))
			continue;
		rc = dh__sqlx_coerce_type(cc, args[i], declared[i], -1, SX_COERCE_IMPLICIT,
					  args[i]->location, &args[i]);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return dh_err_sql(cc->err, "XX000", "cannot coerce %s to %s",
					  dh__sqlx_typename(cc, args[i]->type),
					  dh__sqlx_typename(cc, declared[i]));
	}
	return 0;
}

static struct dh_sqlx *
func_node(struct dh_sqlx_cc *cc, const struct sx_cand *c, uint32_t rettype, uint32_t *declared,
	  struct dh_sqlx **args, int nargs, int location)
{
	struct dh_sqlx *x = dh__sqlx_node(cc->a, SX_FUNC, rettype, -1, location, nargs);
	uint32_t *at = dh_arena_alloc(cc->a, sizeof(*at) * (size_t)(nargs ? nargs : 1));
	for (int i = 0; i < nargs; i++) {
		x->args[i] = args[i];
		at[i] = args[i]->type;
		(void)declared;
	}
	x->argtypes = at;
	dh__sqlx_leftmost(x);
	x->fn = c->fn;
	x->strict = !(c->flags & SXF_NONSTRICT);
	x->volatile_ = !!(c->flags & SXF_VOLATILE);
	return x;
}

int
dh__sqlx_make_op(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx *l, struct dh_sqlx *r,
		 int location, struct dh_sqlx **out)
{
	struct sx_cand c;
	uint32_t actual[2], declared[2], rettype;
	struct dh_sqlx *args[2];
	int nargs = l ? 2 : 1, rc;
	rc = dh__sqlx_oper(cc, name, l ? l->type : 0, r->type, location, &c);
	if (rc)
		return rc;
	if (l) {
		args[0] = l;
		args[1] = r;
	} else {
		args[0] = r;
	}
	for (int i = 0; i < nargs; i++) {
		actual[i] = args[i]->type;
		declared[i] = c.args[i];
	}
	rettype = dh__sqlx_poly(cc, actual, declared, nargs, c.result, location);
	if (!rettype)
		return dh__sqlx_pos(cc, DH_ESQL, location);
	rc = fn_arguments(cc, args, declared, nargs);
	if (rc)
		return rc;
	*out = func_node(cc, &c, rettype, declared, args, nargs, location);
	(*out)->oper = op_row(name, l ? l->type : 0, &c);
	return 0;
}

int
dh_sqlx_op(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx *l, struct dh_sqlx *r,
	   int location, struct dh_sqlx **out)
{
	return dh__sqlx_make_op(cc, name, l, r, location, out);
}

/* --- functions --- */

static void
func_cands(const char *name, int nargs, struct cands *cs, int variadic_call)
{
	const struct dh_sqlproc *p = NULL;
	while ((p = dh_sqlproc_next(name, p))) {
		struct sx_cand *c;
		/* a call written VARIADIC arr passes the array itself */
		int expand = p->variadic && !variadic_call;
		int fixed = expand ? p->nargs - 1 : p->nargs;
		/* pronargdefaults: the last ndefaults may be left out; a
		 * variadic one takes any number >= 1 of trailing arguments
		 * (expanded form), VARIADIC "any" also none */
		if (expand) {
			if (nargs < fixed + 1 || nargs > 16)
				continue;
		} else if (nargs > p->nargs || nargs < p->nargs - p->ndefaults ||
			   (variadic_call && !p->variadic)) {
			continue;
		}
		c = cand_add(cs);
		c->nargs = nargs;
		for (int k = 0; k < nargs; k++)
			c->args[k] = k < fixed ? p->args[k] : p->variadic;
		c->result = p->result;
		c->fn = p->fn;
		c->flags = (p->nonstrict ? SXF_NONSTRICT : 0) |
			   (expand && p->variadic != DH_OID_ANY ? SXF_VARARRAY : 0);
		c->name = p->name;
	}
	for (size_t i = 0; i < dh__sqlx_funcs_n; i++) {
		const struct dh__sqlfunc *f = &dh__sqlx_funcs[i];
		struct sx_cand *c;
		if (strcmp(f->name, name))
			continue;
		if (f->flags & SXF_VARIADIC) {
			if (nargs < f->nargs + 1 || nargs > 16)
				continue;
		} else if (f->nargs != nargs) {
			continue;
		}
		if (!(f->flags & SXF_VARIADIC) && dh_sqlproc_find(name, nargs, f->args))
			continue; /* the catalog has it now */
		c = cand_add(cs);
		c->nargs = nargs;
		for (int k = 0; k < nargs; k++)
			c->args[k] = k < f->nargs ? f->args[k] : DH_OID_ANY;
		c->result = f->result;
		c->fn = f->fn;
		c->flags = f->flags;
		c->name = f->name;
	}
}

int
dh_sqlx_has_func(const char *name, int nargs, const uint32_t *args)
{
	if (dh_sqlproc_find(name, nargs, args))
		return 1;
	for (size_t i = 0; i < dh__sqlx_funcs_n; i++) {
		const struct dh__sqlfunc *f = &dh__sqlx_funcs[i];
		int var = (f->flags & SXF_VARIADIC) != 0;
		if (strcmp(f->name, name) != 0 || f->nargs + var != nargs ||
		    (var && args[nargs - 1] != DH_OID_ANY))
			continue;
		int same = 1;
		for (int k = 0; same && k < f->nargs; k++)
			same = f->args[k] == args[k];
		if (same)
			return 1;
	}
	return 0;
}

/* A function name that is a type name (FuncNameAsType) */
static uint32_t
func_name_as_type(const char *name)
{
	const struct dh_sqltype *t;
	for (size_t i = 0; (t = dh_sqltype_at(i)); i++)
		if (!strcmp(t->typname, name) && t->typtype != 'p')
			return t->oid;
	return 0;
}

/* The cast functions named after their target type (pg_proc's int4(numeric),
 * float8(int4), ...) as candidates. */
static void
cast_func_cands(uint32_t target, struct cands *cs)
{
	const struct dh_sqltype *t;
	for (size_t i = 0; (t = dh_sqltype_at(i)); i++) {
		struct dh_sqlcast c;
		struct sx_cand *k;
		if (t->oid == target || !dh_sqlcast_find(t->oid, target, &c))
			continue;
		if (c.method != DH_CAST_FUNCTION || !c.fn)
			continue;
		k = cand_add(cs);
		k->nargs = 1;
		k->args[0] = t->oid;
		k->result = target;
		k->fn = c.fn;
		k->flags = 0;
		k->name = t->typname;
	}
}

static const char *
func_signature(struct dh_sqlx_cc *cc, const char *shown, struct dh_sqlx **args, int nargs)
{
	struct dh_buf b;
	const char *s;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "%s(", shown);
	for (int i = 0; i < nargs; i++) {
		if (i)
			dh_buf_adds(&b, ", ");
		dh_buf_adds(&b, dh__sqlx_typename(cc, args[i]->type));
	}
	dh_buf_addc(&b, ')');
	s = dh_arena_strndup(cc->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

static const char *
shown_name(struct dh_sqlx_cc *cc, const char *name, const PgQuery__FuncCall *fc)
{
	struct dh_buf b;
	const char *s;
	if (!fc || fc->n_funcname <= 1)
		return name;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < fc->n_funcname; i++) {
		const PgQuery__Node *n = fc->funcname[i];
		if (i)
			dh_buf_addc(&b, '.');
		if (n->node_case == PG_QUERY__NODE__NODE_STRING)
			dh_buf_adds(&b, n->string->sval);
	}
	s = dh_arena_strndup(cc->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

int
dh__sqlx_make_func(struct dh_sqlx_cc *cc, const char *name, struct dh_sqlx **args, int nargs,
		   int location, const PgQuery__FuncCall *fc, struct dh_sqlx **out)
{
	struct cands cs = {NULL, 0, 0};
	uint32_t in[16], declared[16], rettype, astype = 0;
	int r = -1, rc = 0;
	if (nargs > 16) {
		rc = dh_err_sql(cc->err, "54023", "cannot pass more than %d arguments to a function",
				100);
		return dh__sqlx_pos(cc, rc, location);
	}
	for (int i = 0; i < nargs; i++)
		in[i] = args[i]->type;
	func_cands(name, nargs, &cs, fc && fc->func_variadic);
	if (nargs == 1 && (astype = func_name_as_type(name)))
		cast_func_cands(astype, &cs);
	/* an exact match */
	for (int i = 0; i < cs.n && r < 0; i++) {
		int same = cs.c[i].nargs == nargs;
		for (int k = 0; same && k < nargs; k++)
			same = cs.c[i].args[k] == in[k];
		if (same)
			r = i;
	}
	/* a cast written as a call: int4('12'), text(12) */
	if (r < 0 && astype) {
		int coercion = 0;
		if (in[0] == DH_OID_UNKNOWN && args[0]->k == SX_CONST) {
			coercion = 1;
		} else {
			struct dh_sqlcast c;
			enum sx_path p = dh__sqlx_pathway(astype, in[0], SX_COERCE_EXPLICIT, &c);
			coercion = p == SX_PATH_RELABEL || p == SX_PATH_IO || p == SX_PATH_ARRAY;
		}
		if (coercion) {
			free(cs.c);
			rc = dh__sqlx_coerce_type(cc, args[0], astype, -1, SX_COERCE_EXPLICIT,
						  location, out);
			if (rc > 0)
				rc = DH_ESQL; /* cannot happen: the pathway exists */
			return rc;
		}
	}
	if (r < 0 && cs.n > 0)
		r = dh__sqlx_select(cs.c, cs.n, in, nargs);
	if (r == -2) {
		rc = dh_err_sql(cc->err, "42725", "function %s is not unique",
				func_signature(cc, shown_name(cc, name, fc), args, nargs));
		dh_err_hint(cc->err, "Could not choose a best candidate function. You might need to "
				     "add explicit type casts.");
		dh__sqlx_pos(cc, rc, location);
		goto out;
	}
	if (r < 0) {
		rc = dh_err_sql(cc->err, "42883", "function %s does not exist",
				func_signature(cc, shown_name(cc, name, fc), args, nargs));
		dh_err_hint(cc->err, "No function matches the given name and argument types. You "
				     "might need to add explicit type casts.");
		dh__sqlx_pos(cc, rc, location);
		goto out;
	}
	for (int i = 0; i < nargs; i++)
		declared[i] = cs.c[r].args[i];
	rettype = dh__sqlx_poly(cc, in, declared, nargs, cs.c[r].result, location);
	if (!rettype) {
		rc = dh__sqlx_pos(cc, DH_ESQL, location);
		goto out;
	}
	rc = fn_arguments(cc, args, declared, nargs);
	if (rc)
		goto out;
	if (cs.c[r].flags & SXF_VARARRAY) {
		/* the trailing arguments of a VARIADIC elem[] become one array,
		 * as PostgreSQL's expanded variadic call does */
		const struct dh_sqlproc *p = NULL;
		int fixed = nargs;
		while ((p = dh_sqlproc_next(name, p)))
			if (p->fn == cs.c[r].fn && p->variadic)
				fixed = p->nargs - 1;
		if (fixed < nargs) {
			struct dh_sqlx *arr = dh__sqlx_node(cc->a, SX_ARRAY,
							    dh__sqlx_array_of(declared[fixed]), -1,
							    args[fixed]->location, nargs - fixed);
			for (int i = fixed; i < nargs; i++)
				arr->args[i - fixed] = args[i];
			dh__sqlx_leftmost(arr);
			args[fixed] = arr;
			declared[fixed] = arr->type;
			nargs = fixed + 1;
		}
	}
	*out = func_node(cc, &cs.c[r], rettype, declared, args, nargs, location);
out:
	free(cs.c);
	return rc;
}

/* --- coercion --- */

int
dh__sqlx_coerce_type(struct dh_sqlx_cc *cc, struct dh_sqlx *x, uint32_t type, int32_t typmod,
		     int ctx, int location, struct dh_sqlx **out)
{
	struct dh_sqlcast c;
	enum sx_path p;
	struct dh_sqlx *y;
	if (x->type == type && (typmod < 0 || typmod == x->typmod)) {
		*out = x;
		return 0;
	}
	if (type == DH_OID_ANY || dh__sqlx_is_poly(type)) {
		*out = x;
		return 0;
	}
	if (x->type == DH_OID_UNKNOWN && x->k == SX_CONST) {
		/* the literal read as the type (errors point at it) */
		struct dh_value v;
		int32_t inmod = type == DH_OID_INTERVAL ? typmod : -1;
		if (x->val.type == DH_T_NONE) {
			v.type = DH_T_NONE;
		} else {
			int rc = dh_sqltype_in(type, inmod, x->val.s.p, x->val.s.n, cc->env, cc->a,
					       &v, cc->err);
			if (rc) {
				if (rc != DH_ESQL && cc->err && !cc->err->sqlstate[0])
					dh_err_sql(cc->err, dh_sqlstate(rc), "%s", dh_strerror(rc));
				return dh__sqlx_pos(cc, rc, x->location);
			}
		}
		y = dh_sqlx_const(cc->a, type, inmod, &v);
		y->location = x->location;
		y->name = x->name;
		x = y;
		if (typmod < 0 || typmod == inmod) {
			*out = x;
			return 0;
		}
		/* then the length coercion, at run time */
		c = (struct dh_sqlcast){type, type, DH_CAST_IMPLICIT, DH_CAST_BINARY, NULL};
		p = SX_PATH_RELABEL;
		goto build;
	}
	if (x->type == DH_OID_UNKNOWN && x->k == SX_PARAM) {
		/* a parameter takes the type it is first used as */
		if (cc->param_types && x->slot < cc->param_cap)
			cc->param_types[x->slot] = type;
		else if (!cc->param_types && cc->env && cc->env->param_types &&
			 x->slot < cc->env->nparams)
			cc->env->param_types[x->slot] = type;
		x->type = type;
		x->typmod = -1;
		if (typmod < 0) {
			*out = x;
			return 0;
		}
		c = (struct dh_sqlcast){type, type, DH_CAST_IMPLICIT, DH_CAST_BINARY, NULL};
		p = SX_PATH_RELABEL;
		goto build;
	}
	if (x->type == DH_OID_UNKNOWN) {
		c = (struct dh_sqlcast){DH_OID_UNKNOWN, type, DH_CAST_IMPLICIT, DH_CAST_INOUT, NULL};
		p = SX_PATH_IO;
		goto build;
	}
	p = dh__sqlx_pathway(type, x->type, ctx, &c);
	if (p == SX_PATH_NONE)
		return 1;
build:
	if (p == SX_PATH_ARRAY) {
		y = dh__sqlx_node(cc->a, SX_OTHER, type, typmod, location, 1);
		y->op = SXO_ARRAYCOERCE;
	} else {
		y = dh__sqlx_node(cc->a, SX_CAST, type, typmod, location, 1);
		y->op = ctx == SX_COERCE_EXPLICIT ? SX_CAST_EXPLICIT : 0;
	}
	y->args[0] = x;
	y->cast = dh_arena_memdup(cc->a, &c, sizeof(c));
	y->name = x->name;
	dh__sqlx_leftmost(y);
	*out = y;
	return 0;
}

int
dh__sqlx_coerce_common(struct dh_sqlx_cc *cc, struct dh_sqlx *x, uint32_t type,
		       const char *construct, struct dh_sqlx **out)
{
	int rc;
	if (x->type == type) {
		*out = x;
		return 0;
	}
	if (!dh__sqlx_can_coerce(1, &x->type, &type, SX_COERCE_IMPLICIT)) {
		rc = dh_err_sql(cc->err, "42846", "%s could not convert type %s to %s", construct,
				dh__sqlx_typename(cc, x->type), dh__sqlx_typename(cc, type));
		return dh__sqlx_pos(cc, rc, x->location);
	}
	rc = dh__sqlx_coerce_type(cc, x, type, -1, SX_COERCE_IMPLICIT, x->location, out);
	if (rc > 0) {
		rc = dh_err_sql(cc->err, "42846", "%s could not convert type %s to %s", construct,
				dh__sqlx_typename(cc, x->type), dh__sqlx_typename(cc, type));
		return dh__sqlx_pos(cc, rc, x->location);
	}
	return rc;
}

int
dh_sqlx_coerce(struct dh_sqlx_cc *cc, struct dh_sqlx *x, uint32_t type, int32_t typmod, int ctx,
	       const char *what, struct dh_sqlx **out)
{
	int c = dh__sqlx_ctx(ctx), rc;
	int32_t tm = typmod;
	rc = dh__sqlx_coerce_type(cc, x, type, tm, c, x->location, out);
	if (rc <= 0)
		return rc;
	if (what) {
		rc = dh_err_sql(cc->err, "42804", "column \"%s\" is of type %s but expression is of type %s",
				what, dh__sqlx_typename(cc, type), dh__sqlx_typename(cc, x->type));
		dh_err_hint(cc->err, "You will need to rewrite or cast the expression.");
	} else {
		rc = dh_err_sql(cc->err, "42846", "cannot cast type %s to %s",
				dh__sqlx_typename(cc, x->type), dh__sqlx_typename_mod(cc, type, typmod));
	}
	return dh__sqlx_pos(cc, rc, x->location);
}

int
dh_sqlx_coerce_bool(struct dh_sqlx_cc *cc, struct dh_sqlx *x, const char *construct,
		    struct dh_sqlx **out)
{
	int rc;
	if (x->type == DH_OID_BOOL) {
		*out = x;
		return 0;
	}
	rc = dh__sqlx_coerce_type(cc, x, DH_OID_BOOL, -1, SX_COERCE_ASSIGNMENT, x->location, out);
	if (rc <= 0)
		return rc;
	rc = dh_err_sql(cc->err, "42804", "argument of %s must be type %s, not type %s", construct,
			"boolean", dh__sqlx_typename(cc, x->type));
	return dh__sqlx_pos(cc, rc, x->location);
}

int
dh_sqlx_resolve_unknown(struct dh_sqlx_cc *cc, struct dh_sqlx *x, struct dh_sqlx **out)
{
	if (x->type != DH_OID_UNKNOWN) {
		*out = x;
		return 0;
	}
	return dh__sqlx_coerce_type(cc, x, DH_OID_TEXT, -1, SX_COERCE_IMPLICIT, x->location, out);
}
