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
 * The adapters between sqltype's calling conventions and the modules'
 * APIs are sqltime-ops.c (date, time, timestamp, timestamptz, interval);
 * sqltype-int.h declares what they export.
 */
#include "sqltype-int.h"

const struct dh_sqltype_ops *
dh__sqltype_hook_ops(uint32_t oid)
{
	switch (oid) {
	case DH_OID_DATE:
	case DH_OID_TIME:
	case DH_OID_TIMESTAMP:
	case DH_OID_TIMESTAMPTZ:
	case DH_OID_INTERVAL:
		return &dh__sqltime_type_ops;
	/* TIMETZ has no representation yet */
	/* sqljson: JSON, JSONB, JSONPATH and the array types (elem != 0) */
	default:
		return NULL;
	}
}

const struct dh_sqlop *
dh__sqlop_hook_table(int i, size_t *n)
{
	switch (i) {
	case 0:
		*n = dh__sqltime_ops_n;
		return dh__sqltime_ops;
	default:
		*n = 0;
		return NULL;
	}
}

const struct dh_sqlproc *
dh__sqlproc_hook_table(int i, size_t *n)
{
	switch (i) {
	case 0:
		*n = dh__sqltime_procs_n;
		return dh__sqltime_procs;
	default:
		*n = 0;
		return NULL;
	}
}

const struct dh_sqlcast *
dh__sqlcast_hook_table(int i, size_t *n)
{
	switch (i) {
	case 0:
		*n = dh__sqltime_casts_n;
		return dh__sqltime_casts;
	default:
		*n = 0;
		return NULL;
	}
}
