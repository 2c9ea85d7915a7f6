/*
 * sqltype-hooks: the types, operators, functions and casts that modules
 * other than sqltype implement, plugged into sqltype's catalog.  This is
 * the one place to edit when such a module lands:
 *
 *   - a type: return the module's const struct dh_sqltype_ops for its OID
 *     from dh__sqltype_hook_ops (the catalog row, with OID, names, typlen,
 *     category and typmod kind, is already in sqltype.c);
 *   - operators, functions, casts: return the module's table from the
 *     matching dh__sql*_hook_table at the next index.
 *
 * For example, when lib/sqltime.c exports dh_sqltime_date_ops and a table
 * dh_sqltime_ops[] of dh_sqltime_ops_n rows:
 *
 *	case DH_OID_DATE: return &dh_sqltime_date_ops;
 *	...
 *	if (i == 0) { *n = dh_sqltime_ops_n; return dh_sqltime_ops; }
 */
#include "sqltype-int.h"

const struct dh_sqltype_ops *
dh__sqltype_hook_ops(uint32_t oid)
{
	switch (oid) {
	/* sqltime: DATE, TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ, INTERVAL */
	/* sqljson: JSON, JSONB, JSONPATH and the array types (elem != 0) */
	default:
		return NULL;
	}
}

const struct dh_sqlop *
dh__sqlop_hook_table(int i, size_t *n)
{
	(void)i;
	*n = 0;
	return NULL;
}

const struct dh_sqlproc *
dh__sqlproc_hook_table(int i, size_t *n)
{
	(void)i;
	*n = 0;
	return NULL;
}

const struct dh_sqlcast *
dh__sqlcast_hook_table(int i, size_t *n)
{
	(void)i;
	*n = 0;
	return NULL;
}
