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
 * APIs are sqltime-ops.c (date, time, timestamp, timestamptz, interval),
 * sqltime-timetz.c (time with time zone), sqljson-path.c (jsonpath),
 * sqljson-ops.c (json, jsonb) and sqlarray-ops.c (every array type, and
 * the casts between array types, which dh_sqlcast_find asks it for);
 * sqlbytea.c adds functions of bytea; sqltype-int.h declares what they export.
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
	case DH_OID_TIMETZ:
		return &dh__sqltimetz_type_ops;
	case DH_OID_JSON:
		return &dh__sqljson_json_ops;
	case DH_OID_JSONB:
		return &dh__sqljson_jsonb_ops;
	case DH_OID_JSONPATH:
		return &dh__sqljson_path_type_ops;
	case DH_OID_INT2VECTOR:
	case DH_OID_OIDVECTOR:
		/* category A, but not arrays: space-separated text */
		return NULL;
	default: {
		const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
		if (t && t->category == 'A' && t->elem && t->typtype == 'b')
			return &dh__sqlarray_type_ops;
		return NULL;
	}
	}
}

const struct dh_sqlop *
dh__sqlop_hook_table(int i, size_t *n)
{
	switch (i) {
	case 0:
		*n = dh__sqltime_ops_n;
		return dh__sqltime_ops;
	case 1:
		*n = dh__sqljson_ops_n;
		return dh__sqljson_ops;
	case 2:
		*n = dh__sqlarray_ops_n;
		return dh__sqlarray_ops;
	case 3:
		*n = dh__sqltimetz_ops_n;
		return dh__sqltimetz_ops;
	case 4:
		*n = dh__sqljson_path_ops_n;
		return dh__sqljson_path_ops;
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
	case 1:
		*n = dh__sqljson_procs_n;
		return dh__sqljson_procs;
	case 2:
		*n = dh__sqlarray_procs_n;
		return dh__sqlarray_procs;
	case 3:
		*n = dh__sqlbytea_procs_n;
		return dh__sqlbytea_procs;
	case 4:
		*n = dh__sqltimetz_procs_n;
		return dh__sqltimetz_procs;
	case 5:
		*n = dh__sqljson_path_procs_n;
		return dh__sqljson_path_procs;
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
	case 1:
		*n = dh__sqljson_casts_n;
		return dh__sqljson_casts;
	case 2:
		*n = dh__sqltimetz_casts_n;
		return dh__sqltimetz_casts;
	default:
		*n = 0;
		return NULL;
	}
}
