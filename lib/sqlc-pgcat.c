/*
 * sqlc-pgcat: PostgreSQL's system catalogs (pg_catalog) and the
 * information_schema views, as virtual relations whose rows are computed
 * from the live schema of the statement's view, so that psql's backslash
 * commands, drivers and tools can read them (issue 5).
 *
 * A FROM item naming pg_catalog.X, or an unqualified X that is one of
 * them (PostgreSQL searches pg_catalog before the search path, so an
 * unqualified pg_class is the catalog even beside a user table of that
 * name), becomes a function scan (sqlc_fnscan kind 3) of the relation
 * here: the executor joins, filters and sorts its rows like any derived
 * table's.  information_schema.X must be qualified.  A catalog PostgreSQL
 * has and dh does not is 0A000 naming it; a name in neither schema is
 * 42P01.
 *
 * The rows come from one snapshot of the catalog per statement (struct
 * dh__pgcat, kept by the session and dropped when the next statement
 * starts): the tables, their columns, constraints and indexes from
 * sqlcat, sequences, views, comments.  Every object has a stable OID
 * derived from its entity id, above PostgreSQL's fixed system OIDs:
 *
 *	oid = 16384 + 2 * entity id	the table, view, sequence, index,
 *					constraint, column default
 *	oid + 1				a table's or view's row type; a
 *					PRIMARY KEY's or UNIQUE constraint's
 *					index (the constraint is the even one)
 *
 * (a Datalog namespace, which has no table entity, takes its first
 * attribute's id).  So pg_class.oid = pg_attribute.attrelid =
 * pg_index.indrelid = 'name'::regclass everywhere, and an OID survives
 * renames.  pg_type's rows are sqltype's, with PostgreSQL's real OIDs.
 * The fixed rows (namespaces, the one role, access methods, collations)
 * use PostgreSQL's OIDs.
 *
 * What dh cannot answer truthfully is 0A000 when read, never a made-up
 * value: the text form of pg_node_tree (adbin, conbin: pg_get_expr and
 * pg_get_constraintdef read them).  The regproc columns (typinput,
 * amhandler, ...) name PostgreSQL's built-in functions with their OIDs
 * (sqlc-pgcat-proc.c); pg_proc lists the built-in functions dh implements,
 * with PostgreSQL 15's rows (sqlc-pgcat-proc.c), pg_rewrite a view's
 * _RETURN rule (OID DH_PGCAT_RULE_BASE + the view's entity id).  Where dh has nothing of the kind
 * the relation is empty (triggers, policies, publications, inheritance,
 * extended statistics, extensions, enums) or holds what dh has: one role
 * (the session's user, a superuser: dh checks no privileges), the
 * session's database, pg_depend only the sequences' ownership.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "sqlc-int.h"
#include "sqlset.h"

/* --- the relations --- */

struct pgc_out;
typedef int (*pgc_rows_fn)(struct dh__pgcat *pc, struct pgc_out *o);

struct dh__pgcat_rel {
	const char *schema, *name;
	uint32_t oid; /* PostgreSQL's OID of the catalog or view */
	char kind;    /* its relkind there */
	const char *spec; /* "column:typname ..." in PostgreSQL 15's order */
	pgc_rows_fn rows; /* NULL: no rows */
	/* parsed from spec once */
	int ncols;
	const char **names;
	uint32_t *types;
	int32_t *typmods;
};

/* A relation's rows being built. */
struct pgc_out {
	struct dh__pgcat *pc;
	const struct dh__pgcat_rel *rel;
	struct dh_value *rows;
	size_t n, cap;
	struct dh_value *row; /* the row being filled */
};

static int r_namespace(struct dh__pgcat *pc, struct pgc_out *o);
static int r_class(struct dh__pgcat *pc, struct pgc_out *o);
static int r_attribute(struct dh__pgcat *pc, struct pgc_out *o);
static int r_attrdef(struct dh__pgcat *pc, struct pgc_out *o);
static int r_type(struct dh__pgcat *pc, struct pgc_out *o);
static int r_index(struct dh__pgcat *pc, struct pgc_out *o);
static int r_constraint(struct dh__pgcat *pc, struct pgc_out *o);
static int r_database(struct dh__pgcat *pc, struct pgc_out *o);
static int r_roles(struct dh__pgcat *pc, struct pgc_out *o);
static int r_user(struct dh__pgcat *pc, struct pgc_out *o);
static int r_am(struct dh__pgcat *pc, struct pgc_out *o);
static int r_description(struct dh__pgcat *pc, struct pgc_out *o);
static int r_tablespace(struct dh__pgcat *pc, struct pgc_out *o);
static int r_settings(struct dh__pgcat *pc, struct pgc_out *o);
static int r_collation(struct dh__pgcat *pc, struct pgc_out *o);
static int r_sequence(struct dh__pgcat *pc, struct pgc_out *o);
static int r_depend(struct dh__pgcat *pc, struct pgc_out *o);
static int r_is_tables(struct dh__pgcat *pc, struct pgc_out *o);
static int r_is_columns(struct dh__pgcat *pc, struct pgc_out *o);
static int r_is_table_constraints(struct dh__pgcat *pc, struct pgc_out *o);
static int r_is_key_column_usage(struct dh__pgcat *pc, struct pgc_out *o);
static int r_is_schemata(struct dh__pgcat *pc, struct pgc_out *o);
static int r_proc(struct dh__pgcat *pc, struct pgc_out *o);
static int r_rewrite(struct dh__pgcat *pc, struct pgc_out *o);

#define PGC "pg_catalog"
#define ISC "information_schema"

/* clang-format off */
#define R(sch, nm, oid, kind, spec, fn) {sch, nm, oid, kind, spec, fn, 0, NULL, NULL, NULL}
static struct dh__pgcat_rel rels[] = {
    R(PGC, "pg_namespace", 2615, 'r', "oid:oid nspname:name nspowner:oid nspacl:_aclitem",
     r_namespace),
    R(PGC, "pg_class", 1259, 'r',
     "oid:oid relname:name relnamespace:oid reltype:oid reloftype:oid relowner:oid relam:oid "
     "relfilenode:oid reltablespace:oid relpages:int4 reltuples:float4 relallvisible:int4 "
     "reltoastrelid:oid relhasindex:bool relisshared:bool relpersistence:char relkind:char "
     "relnatts:int2 relchecks:int2 relhasrules:bool relhastriggers:bool relhassubclass:bool "
     "relrowsecurity:bool relforcerowsecurity:bool relispopulated:bool relreplident:char "
     "relispartition:bool relrewrite:oid relfrozenxid:xid relminmxid:xid relacl:_aclitem "
     "reloptions:_text relpartbound:pg_node_tree", r_class),
    R(PGC, "pg_attribute", 1249, 'r',
     "attrelid:oid attname:name atttypid:oid attstattarget:int4 attlen:int2 attnum:int2 "
     "attndims:int4 attcacheoff:int4 atttypmod:int4 attbyval:bool attalign:char "
     "attstorage:char attcompression:char attnotnull:bool atthasdef:bool atthasmissing:bool "
     "attidentity:char attgenerated:char attisdropped:bool attislocal:bool attinhcount:int4 "
     "attcollation:oid attacl:_aclitem attoptions:_text attfdwoptions:_text "
     "attmissingval:anyarray", r_attribute),
    R(PGC, "pg_attrdef", 2604, 'r', "oid:oid adrelid:oid adnum:int2 adbin:pg_node_tree",
     r_attrdef),
    R(PGC, "pg_type", 1247, 'r',
     "oid:oid typname:name typnamespace:oid typowner:oid typlen:int2 typbyval:bool "
     "typtype:char typcategory:char typispreferred:bool typisdefined:bool typdelim:char "
     "typrelid:oid typsubscript:regproc typelem:oid typarray:oid typinput:regproc "
     "typoutput:regproc typreceive:regproc typsend:regproc typmodin:regproc "
     "typmodout:regproc typanalyze:regproc typalign:char typstorage:char typnotnull:bool "
     "typbasetype:oid typtypmod:int4 typndims:int4 typcollation:oid "
     "typdefaultbin:pg_node_tree typdefault:text typacl:_aclitem", r_type),
    R(PGC, "pg_index", 2610, 'r',
     "indexrelid:oid indrelid:oid indnatts:int2 indnkeyatts:int2 indisunique:bool "
     "indnullsnotdistinct:bool indisprimary:bool indisexclusion:bool indimmediate:bool "
     "indisclustered:bool indisvalid:bool indcheckxmin:bool indisready:bool indislive:bool "
     "indisreplident:bool indkey:int2vector indcollation:oidvector indclass:oidvector "
     "indoption:int2vector indexprs:pg_node_tree indpred:pg_node_tree", r_index),
    R(PGC, "pg_constraint", 2606, 'r',
     "oid:oid conname:name connamespace:oid contype:char condeferrable:bool "
     "condeferred:bool convalidated:bool conrelid:oid contypid:oid conindid:oid "
     "conparentid:oid confrelid:oid confupdtype:char confdeltype:char confmatchtype:char "
     "conislocal:bool coninhcount:int4 connoinherit:bool conkey:_int2 confkey:_int2 "
     "conpfeqop:_oid conppeqop:_oid conffeqop:_oid confdelsetcols:_int2 conexclop:_oid "
     "conbin:pg_node_tree", r_constraint),
    R(PGC, "pg_database", 1262, 'r',
     "oid:oid datname:name datdba:oid encoding:int4 datlocprovider:char "
     "datistemplate:bool datallowconn:bool datconnlimit:int4 datfrozenxid:xid "
     "datminmxid:xid dattablespace:oid datcollate:text datctype:text daticulocale:text "
     "datcollversion:text datacl:_aclitem", r_database),
    R(PGC, "pg_roles", 12000, 'v',
     "rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool "
     "rolcanlogin:bool rolreplication:bool rolconnlimit:int4 rolpassword:text "
     "rolvaliduntil:timestamptz rolbypassrls:bool rolconfig:_text oid:oid", r_roles),
    R(PGC, "pg_user", 12014, 'v',
     "usename:name usesysid:oid usecreatedb:bool usesuper:bool userepl:bool "
     "usebypassrls:bool passwd:text valuntil:timestamptz useconfig:_text", r_user),
    R(PGC, "pg_am", 2601, 'r', "oid:oid amname:name amhandler:regproc amtype:char", r_am),
    R(PGC, "pg_description", 2609, 'r',
     "objoid:oid classoid:oid objsubid:int4 description:text", r_description),
    R(PGC, "pg_inherits", 2611, 'r',
     "inhrelid:oid inhparent:oid inhseqno:int4 inhdetachpending:bool", NULL),
    R(PGC, "pg_tablespace", 1213, 'r',
     "oid:oid spcname:name spcowner:oid spcacl:_aclitem spcoptions:_text", r_tablespace),
    R(PGC, "pg_settings", 12104, 'v',
     "name:text setting:text unit:text category:text short_desc:text extra_desc:text "
     "context:text vartype:text source:text min_val:text max_val:text enumvals:_text "
     "boot_val:text reset_val:text sourcefile:text sourceline:int4 pending_restart:bool",
     r_settings),
    R(PGC, "pg_collation", 3456, 'r',
     "oid:oid collname:name collnamespace:oid collowner:oid collprovider:char "
     "collisdeterministic:bool collencoding:int4 collcollate:text collctype:text "
     "colliculocale:text collversion:text", r_collation),
    R(PGC, "pg_sequence", 2224, 'r',
     "seqrelid:oid seqtypid:oid seqstart:int8 seqincrement:int8 seqmax:int8 seqmin:int8 "
     "seqcache:int8 seqcycle:bool", r_sequence),
    R(PGC, "pg_depend", 2608, 'r',
     "classid:oid objid:oid objsubid:int4 refclassid:oid refobjid:oid refobjsubid:int4 "
     "deptype:char", r_depend),
    R(PGC, "pg_policy", 3256, 'r',
     "oid:oid polname:name polrelid:oid polcmd:char polpermissive:bool polroles:_oid "
     "polqual:pg_node_tree polwithcheck:pg_node_tree", NULL),
    R(PGC, "pg_statistic_ext", 3381, 'r',
     "oid:oid stxrelid:oid stxname:name stxnamespace:oid stxowner:oid stxstattarget:int4 "
     "stxkeys:int2vector stxkind:_char stxexprs:pg_node_tree", NULL),
    R(PGC, "pg_publication", 6104, 'r',
     "oid:oid pubname:name pubowner:oid puballtables:bool pubinsert:bool pubupdate:bool "
     "pubdelete:bool pubtruncate:bool pubviaroot:bool", NULL),
    R(PGC, "pg_publication_namespace", 6237, 'r', "oid:oid pnpubid:oid pnnspid:oid", NULL),
    R(PGC, "pg_publication_rel", 6106, 'r',
     "oid:oid prpubid:oid prrelid:oid prqual:pg_node_tree prattrs:int2vector", NULL),
    R(PGC, "pg_trigger", 2620, 'r',
     "oid:oid tgrelid:oid tgparentid:oid tgname:name tgfoid:oid tgtype:int2 tgenabled:char "
     "tgisinternal:bool tgconstrrelid:oid tgconstrindid:oid tgconstraint:oid "
     "tgdeferrable:bool tginitdeferred:bool tgnargs:int2 tgattr:int2vector tgargs:bytea "
     "tgqual:pg_node_tree tgoldtable:name tgnewtable:name", NULL),
    R(PGC, "pg_auth_members", 1261, 'r',
     "roleid:oid member:oid grantor:oid admin_option:bool", NULL),
    R(PGC, "pg_extension", 3079, 'r',
     "oid:oid extname:name extowner:oid extnamespace:oid extrelocatable:bool "
     "extversion:text extconfig:_oid extcondition:_text", NULL),
    R(PGC, "pg_enum", 3501, 'r', "oid:oid enumtypid:oid enumsortorder:float4 enumlabel:name",
     NULL),
    R(PGC, "pg_proc", 1255, 'r',
     "oid:oid proname:name pronamespace:oid proowner:oid prolang:oid procost:float4 "
     "prorows:float4 provariadic:oid prosupport:regproc prokind:char prosecdef:bool "
     "proleakproof:bool proisstrict:bool proretset:bool provolatile:char proparallel:char "
     "pronargs:int2 pronargdefaults:int2 prorettype:oid proargtypes:oidvector "
     "proallargtypes:_oid proargmodes:_char proargnames:_text proargdefaults:pg_node_tree "
     "protrftypes:_oid prosrc:text probin:text prosqlbody:pg_node_tree proconfig:_text "
     "proacl:_aclitem", r_proc),
    R(PGC, "pg_rewrite", 2618, 'r',
     "oid:oid rulename:name ev_class:oid ev_type:char ev_enabled:char is_instead:bool "
     "ev_qual:pg_node_tree ev_action:pg_node_tree", r_rewrite),
    R(PGC, "pg_range", 3541, 'r',
     "rngtypid:oid rngsubtype:oid rngmultitypid:oid rngcollation:oid rngsubopc:oid "
     "rngcanonical:regproc rngsubdiff:regproc", NULL),
    /* information_schema's views: their domains as the base types
     * (sql_identifier name, character_data and yes_or_no varchar,
     * cardinal_number integer) */
    R(ISC, "tables", 13425, 'v',
     "table_catalog:name table_schema:name table_name:name table_type:varchar "
     "self_referencing_column_name:name reference_generation:varchar "
     "user_defined_type_catalog:name user_defined_type_schema:name "
     "user_defined_type_name:name is_insertable_into:varchar is_typed:varchar "
     "commit_action:varchar", r_is_tables),
    R(ISC, "columns", 13295, 'v',
     "table_catalog:name table_schema:name table_name:name column_name:name "
     "ordinal_position:int4 column_default:varchar is_nullable:varchar data_type:varchar "
     "character_maximum_length:int4 character_octet_length:int4 numeric_precision:int4 "
     "numeric_precision_radix:int4 numeric_scale:int4 datetime_precision:int4 "
     "interval_type:varchar interval_precision:int4 character_set_catalog:name "
     "character_set_schema:name character_set_name:name collation_catalog:name "
     "collation_schema:name collation_name:name domain_catalog:name domain_schema:name "
     "domain_name:name udt_catalog:name udt_schema:name udt_name:name scope_catalog:name "
     "scope_schema:name scope_name:name maximum_cardinality:int4 dtd_identifier:name "
     "is_self_referencing:varchar is_identity:varchar identity_generation:varchar "
     "identity_start:varchar identity_increment:varchar identity_maximum:varchar "
     "identity_minimum:varchar identity_cycle:varchar is_generated:varchar "
     "generation_expression:varchar is_updatable:varchar", r_is_columns),
    R(ISC, "table_constraints", 13411, 'v',
     "constraint_catalog:name constraint_schema:name constraint_name:name "
     "table_catalog:name table_schema:name table_name:name constraint_type:varchar "
     "is_deferrable:varchar initially_deferred:varchar enforced:varchar "
     "nulls_distinct:varchar", r_is_table_constraints),
    R(ISC, "key_column_usage", 13329, 'v',
     "constraint_catalog:name constraint_schema:name constraint_name:name "
     "table_catalog:name table_schema:name table_name:name column_name:name "
     "ordinal_position:int4 position_in_unique_constraint:int4", r_is_key_column_usage),
    R(ISC, "schemata", 13382, 'v',
     "catalog_name:name schema_name:name schema_owner:name "
     "default_character_set_catalog:name default_character_set_schema:name "
     "default_character_set_name:name sql_path:varchar", r_is_schemata),
};

/* Catalogs PostgreSQL has that dh does not emulate yet: 0A000, not 42P01. */
static const char *const missing[] = {
    "pg_operator", "pg_cast", "pg_language", "pg_aggregate", "pg_opclass",
    "pg_opfamily", "pg_amop", "pg_amproc", "pg_authid", "pg_shdescription",
    "pg_shdepend", "pg_stat_activity", "pg_stat_user_tables", "pg_stat_all_tables",
    "pg_statio_user_tables", "pg_locks", "pg_tables", "pg_views", "pg_indexes",
    "pg_sequences", "pg_matviews", "pg_partitioned_table", "pg_foreign_table",
    "pg_foreign_server", "pg_foreign_data_wrapper", "pg_event_trigger", "pg_conversion",
    "pg_ts_config", "pg_ts_dict", "pg_ts_parser", "pg_ts_template", "pg_transform",
    "pg_default_acl", "pg_init_privs", "pg_seclabel", "pg_shseclabel", "pg_largeobject",
    "pg_largeobject_metadata", "pg_statistic", "pg_stats", "pg_subscription",
    "pg_replication_slots", "pg_prepared_statements", "pg_cursors", "pg_timezone_names",
    "pg_timezone_abbrevs", "pg_available_extensions", "pg_file_settings", "pg_db_role_setting",
    "pg_user_mappings", "pg_group", "pg_shadow", "pg_stat_database", "pg_class_info",
};
static const char *const missing_is[] = {
    "views", "sequences", "routines", "parameters", "referential_constraints",
    "check_constraints", "constraint_column_usage", "constraint_table_usage",
    "column_privileges", "table_privileges", "role_table_grants", "triggers",
    "element_types", "domains", "attributes", "character_sets", "collations",
    "enabled_roles", "applicable_roles", "view_table_usage", "view_column_usage",
    "information_schema_catalog_name", "column_udt_usage", "usage_privileges",
};
/* clang-format on */

static uint32_t
typ_by_name(const char *name, size_t n)
{
	if (n == 7 && memcmp(name, "anyarray", 7) == 0)
		return DH_OID_ANYARRAY;
	const struct dh_sqltype *t;
	for (size_t i = 0; (t = dh_sqltype_at(i)); i++)
		if (strlen(t->typname) == n && memcmp(t->typname, name, n) == 0)
			return t->oid;
	return 0;
}

static pthread_once_t parse_once = PTHREAD_ONCE_INIT;

/* The parsed columns live in static pools (nothing to free at exit). */
enum { POOL_COLS = 1024, POOL_CHARS = 16384 };
static const char *pool_names[POOL_COLS];
static uint32_t pool_types[POOL_COLS];
static int32_t pool_typmods[POOL_COLS];
static char pool_chars[POOL_CHARS];

static void
parse_specs(void)
{
	size_t nc = 0, nch = 0;
	for (size_t r = 0; r < DH_ARRAY_SIZE(rels); r++) {
		struct dh__pgcat_rel *d = &rels[r];
		int n = 1;
		for (const char *p = d->spec; *p; p++)
			n += *p == ' ';
		if (nc + (size_t)n > POOL_COLS)
			abort(); /* the pools are sized for the specs above */
		d->names = &pool_names[nc];
		d->types = &pool_types[nc];
		d->typmods = &pool_typmods[nc];
		nc += (size_t)n;
		const char *p = d->spec;
		for (int i = 0; i < n; i++) {
			size_t len = strcspn(p, " ");
			const char *colon = memchr(p, ':', len);
			size_t nl = (size_t)(colon - p);
			if (nch + nl + 1 > POOL_CHARS)
				abort();
			char *nm = &pool_chars[nch];
			nch += nl + 1;
			memcpy(nm, p, nl);
			nm[nl] = 0;
			d->names[i] = nm;
			d->types[i] = typ_by_name(colon + 1, len - nl - 1);
			/* information_schema's yes_or_no is varchar(3) */
			d->typmods[i] = -1;
			if (strcmp(d->schema, ISC) == 0 && d->types[i] == DH_OID_VARCHAR &&
			    (strncmp(nm, "is_", 3) == 0 || strcmp(nm, "enforced") == 0 ||
			     strcmp(nm, "nulls_distinct") == 0 || strcmp(nm, "identity_cycle") == 0 ||
			     strcmp(nm, "initially_deferred") == 0))
				d->typmods[i] = dh_sqltype_typmod_length(3);
			p += len + (p[len] == ' ');
		}
		d->ncols = n;
	}
}

int
dh__sqlc_pgcat_find(struct sqlc_sel *S, const PgQuery__RangeVar *rv,
		    const struct dh__pgcat_rel **out)
{
	*out = NULL;
	pthread_once(&parse_once, parse_specs);
	const char *sch = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
	const char *name = rv->relname;
	if (sch && strcmp(sch, PGC) != 0 && strcmp(sch, ISC) != 0)
		return 0;
	/* every pg_catalog name starts so: the common case, a user table
	 * unqualified, costs one compare */
	if (!sch && strncmp(name, "pg_", 3) != 0)
		return 0;
	const char *want = sch ? sch : PGC;
	for (size_t r = 0; r < DH_ARRAY_SIZE(rels); r++)
		if (strcmp(rels[r].schema, want) == 0 && strcmp(rels[r].name, name) == 0) {
			*out = &rels[r];
			return 0;
		}
	const char *const *miss = strcmp(want, PGC) == 0 ? missing : missing_is;
	size_t nm = strcmp(want, PGC) == 0 ? DH_ARRAY_SIZE(missing) : DH_ARRAY_SIZE(missing_is);
	for (size_t i = 0; i < nm; i++)
		if (strcmp(miss[i], name) == 0) {
			dh_err_sql(S->r->err, "0A000", "%s.%s is not supported yet", want, name);
			return dh__sql_at(S->r, rv->location, DH_ESQL);
		}
	if (!sch)
		return 0;
	dh_err_sql(S->r->err, "42P01", "relation \"%s.%s\" does not exist", sch, name);
	return dh__sql_at(S->r, rv->location, DH_ESQL);
}

void
dh__sqlc_pgcat_cols(const struct dh__pgcat_rel *rel, int *ncols, const char *const **names,
		    const uint32_t **types, const int32_t **typmods)
{
	*ncols = rel->ncols;
	*names = rel->names;
	*types = rel->types;
	*typmods = rel->typmods;
}

const char *
dh__sqlc_pgcat_name(const struct dh__pgcat_rel *rel)
{
	return rel->name;
}

/* The regproc columns name sqlc-pgcat-proc.c's functions: refused if a
 * type of sqltype's is missing there (a type added without them). */
int
dh__sqlc_pgcat_check(struct sqlc_sel *S, const struct dh__pgcat_rel *rel, const int *cslot)
{
	const struct dh_sqltype *t;
	for (size_t k = 0; (t = dh_sqltype_at(k)); k++) {
		if (dh__pgproc_type(t->oid))
			continue;
		for (int i = 0; i < rel->ncols; i++)
			if (cslot[i] >= 0 && rel->types[i] == DH_OID_REGPROC)
				return dh_err_sql(S->r->err, "0A000",
						  "%s.%s is not supported: the functions of type %s "
						  "are not known",
						  rel->name, rel->names[i], t->typname);
		break;
	}
	return 0;
}

/* pg_type's regproc columns, in sqlc-pgcat-proc.c's order */
static const char *const typprocs[DH_PGPROC_NTYPCOLS] = {
    "typsubscript", "typinput", "typoutput", "typreceive",
    "typsend",	    "typmodin", "typmodout", "typanalyze"};

/* --- the snapshot --- */

static void
sort_rels(struct dh__pgcat *pc);

/* The objects' rows of pg_class, in one list. */
static void
add_rel(struct dh__pgcat *pc, const struct pgc_rel *r)
{
	if (pc->nrels == pc->arels) {
		pc->arels = pc->arels ? 2 * pc->arels : 32;
		struct pgc_rel *n = dh_arena_alloc(&pc->a, pc->arels * sizeof(*n));
		if (pc->nrels)
			memcpy(n, pc->rels, pc->nrels * sizeof(*n));
		pc->rels = n;
	}
	pc->rels[pc->nrels++] = *r;
}

uint32_t
dh__pgcat_oid(uint64_t eid, int odd)
{
	if (eid >= DH_PGCAT_EID_MAX)
		return 0;
	return (uint32_t)(DH_PGCAT_OID_BASE + 2 * eid + (uint64_t)(odd ? 1 : 0));
}

static uint64_t
table_key(const struct dh_sqltable *t)
{
	if (t->eid)
		return t->eid;
	uint64_t m = 0;
	for (int i = 0; i < t->ncols; i++)
		if (!m || t->cols[i].attr < m)
			m = t->cols[i].attr;
	return m;
}

uint32_t
dh__pgcat_table_oid(const struct dh_sqltable *t)
{
	return dh__pgcat_oid(table_key(t), 0);
}

uint32_t
dh__pgcat_rel_oid(const struct dh__pgcat_rel *rel)
{
	return rel->oid;
}

static int
comment_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

const char *
dh__pgcat_comment(struct dh__pgcat *pc, uint64_t eid)
{
	size_t lo = 0, hi = pc->ncom;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pc->com[mid].eid == eid)
			return pc->com[mid].text;
		if (pc->com[mid].eid < eid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
rel_oid_cmp(const void *x, const void *y)
{
	uint32_t a = ((const struct pgc_rel *)x)->oid, b = ((const struct pgc_rel *)y)->oid;
	return a < b ? -1 : a > b;
}

static void
sort_rels(struct dh__pgcat *pc)
{
	if (pc->nrels)
		qsort(pc->rels, pc->nrels, sizeof(*pc->rels), rel_oid_cmp);
}

const struct pgc_rel *
dh__pgcat_rel(struct dh__pgcat *pc, uint32_t oid)
{
	size_t lo = 0, hi = pc->nrels;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pc->rels[mid].oid == oid)
			return &pc->rels[mid];
		if (pc->rels[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct pgc_rel *
dh__pgcat_rel_named(struct dh__pgcat *pc, const char *name, uint32_t nsp)
{
	for (size_t i = 0; i < pc->nrels; i++)
		if (pc->rels[i].nsp == nsp && strcmp(pc->rels[i].name, name) == 0)
			return &pc->rels[i];
	return NULL;
}

/* Is the stored name one of another session's temporary tables? */
static int
temp_hidden(struct dh_sql *s, const char *name, const char **shown)
{
	*shown = name;
	if (strncmp(name, "pg_temp_", 8) != 0)
		return 0;
	if (!dh__sqltemp_is(s, name))
		return 1;
	/* pg_temp_PID_N_NAME: the name the session gave */
	const char *p = name + 8;
	for (int k = 0; k < 2 && p; k++) {
		p = strchr(p, '_');
		if (p)
			p++;
	}
	if (p)
		*shown = p;
	return 0;
}

static int
build(struct dh__pgcat *pc, struct dh_err *err)
{
	int rc;
	struct dh_arena *a = &pc->a;
	if ((rc = dh__sql_view(pc->s, &pc->v, &pc->sc, err)))
		return rc;
	const char *u = dh__sql_get(pc->s, "session_authorization");
	pc->user = dh_arena_strdup(a, u && *u ? u : "dh");
	pc->db = dh_arena_strdup(a, dh_conn_db(dh__sql_conn(pc->s)));
	pthread_once(&parse_once, parse_specs);
	/* the catalogs themselves */
	for (size_t i = 0; i < DH_ARRAY_SIZE(rels); i++) {
		struct pgc_rel r = {.oid = rels[i].oid,
				    .nsp = strcmp(rels[i].schema, PGC) == 0 ? DH_PGCAT_NSP_CATALOG
									    : DH_PGCAT_NSP_INFO,
				    .name = rels[i].name,
				    .kind = rels[i].kind,
				    .sys = &rels[i],
				    .natts = rels[i].ncols};
		add_rel(pc, &r);
	}
	/* comments */
	const char **texts;
	uint64_t *eids;
	size_t n;
	if ((rc = dh__sqlcat_names(pc->v, pc->sc, "dh.sql/comment", a, &texts, &eids, &n, err)))
		return rc;
	pc->com = dh_arena_alloc(a, (n + 1) * sizeof(*pc->com));
	for (size_t i = 0; i < n; i++)
		pc->com[i] = (struct pgc_comment){eids[i], texts[i]};
	pc->ncom = n;
	if (n)
		qsort(pc->com, n, sizeof(*pc->com), comment_cmp);
	/* tables, their indexes and constraints */
	struct dh_sqltable **ts;
	int nt;
	if ((rc = dh__sqlcat_tables(pc->v, pc->sc, a, &ts, &nt, err)))
		return rc;
	for (int i = 0; i < nt; i++) {
		struct dh_sqltable *t = ts[i];
		const char *shown;
		if (temp_hidden(pc->s, t->name, &shown))
			continue;
		uint64_t key = table_key(t);
		struct pgc_rel r = {.oid = dh__pgcat_oid(key, 0),
				    .reltype = dh__pgcat_oid(key, 1),
				    .nsp = shown == t->name ? DH_PGCAT_NSP_PUBLIC : DH_PGCAT_NSP_TEMP,
				    .name = shown,
				    .kind = 'r',
				    .t = t,
				    .eid = key,
				    .natts = t->ncols,
				    .comment = t->eid ? dh__pgcat_comment(pc, t->eid) : NULL};
		if (!r.oid)
			goto range;
		add_rel(pc, &r);
		for (int k = 0; k < t->ncons; k++) {
			const struct dh_sqlcon *c = &t->cons[k];
			if (c->kind != 'p' && c->kind != 'u')
				continue;
			struct pgc_rel x = {.oid = dh__pgcat_oid(c->eid, 1),
					    .nsp = r.nsp,
					    .name = c->name,
					    .kind = 'i',
					    .t = t,
					    .con = c,
					    .eid = c->eid,
					    .natts = c->ncols,
					    .comment = dh__pgcat_comment(pc, c->eid)};
			if (!x.oid)
				goto range;
			add_rel(pc, &x);
		}
		for (int k = 0; k < t->nidx; k++) {
			const struct dh_sqlindex *ix = &t->idx[k];
			struct pgc_rel x = {.oid = dh__pgcat_oid(ix->eid, 0),
					    .nsp = r.nsp,
					    .name = ix->name,
					    .kind = 'i',
					    .t = t,
					    .ix = ix,
					    .eid = ix->eid,
					    .natts = ix->ncols,
					    .comment = dh__pgcat_comment(pc, ix->eid)};
			if (!x.oid)
				goto range;
			add_rel(pc, &x);
		}
	}
	pc->tabs = ts;
	pc->ntabs = nt;
	/* sequences */
	if ((rc = dh__sqlcat_names(pc->v, pc->sc, "dh.sql/sequence", a, &texts, &eids, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct pgc_rel r = {.oid = dh__pgcat_oid(eids[i], 0),
				    .nsp = DH_PGCAT_NSP_PUBLIC,
				    .name = texts[i],
				    .kind = 'S',
				    .eid = eids[i],
				    .natts = 3,
				    .comment = dh__pgcat_comment(pc, eids[i])};
		if (!r.oid)
			goto range;
		r.seq = dh_arena_alloc(a, sizeof(*r.seq));
		if ((rc = dh__sqlcat_seq_eid(pc->v, pc->sc, eids[i], a, r.seq, err)))
			return rc;
		add_rel(pc, &r);
	}
	/* views (their columns' types when a relation needs them) */
	if ((rc = dh__sqlcat_names(pc->v, pc->sc, "dh.sql/view", a, &texts, &eids, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct pgc_rel r = {.oid = dh__pgcat_oid(eids[i], 0),
				    .reltype = dh__pgcat_oid(eids[i], 1),
				    .nsp = DH_PGCAT_NSP_PUBLIC,
				    .name = texts[i],
				    .kind = 'v',
				    .eid = eids[i],
				    .comment = dh__pgcat_comment(pc, eids[i])};
		if (!r.oid)
			goto range;
		r.view = dh_arena_zalloc(a, sizeof(*r.view));
		if ((rc = dh__sqlcat_view_info(pc->v, pc->sc, texts[i], a, r.view, err)) < 0)
			return rc;
		r.natts = r.view->ncols;
		add_rel(pc, &r);
	}
	sort_rels(pc);
	return 0;
range:
	return dh_err_sql(err, "0A000",
			  "an entity id above %llu has no OID: the catalogs cannot show it",
			  (unsigned long long)(DH_PGCAT_EID_MAX - 1));
}

/* The view's columns' types, compiled from its SELECT once. */
int
dh__pgcat_view_types(struct dh__pgcat *pc, struct pgc_rel *r, struct dh_err *err)
{
	if (r->vtypes || !r->view)
		return 0;
	r->vtypes = dh_arena_zalloc(&pc->a, (size_t)(r->view->ncols + 1) * sizeof(*r->vtypes));
	r->vtypmods = dh_arena_zalloc(&pc->a, (size_t)(r->view->ncols + 1) * sizeof(*r->vtypmods));
	for (int i = 0; i < r->view->ncols; i++)
		r->vtypmods[i] = -1;
	if (!r->view->sql)
		return 0;
	struct dh_arena a;
	dh_arena_init(&a);
	struct dh__sqlrun run = {.s = pc->s, .text = "", .err = err, .a = &a};
	PgQuery__ParseResult *tree = NULL;
	const PgQuery__Node *n = NULL;
	int rc = 0;
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(r->view->sql);
	if (!pr.error) {
		tree = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
						      (const uint8_t *)pr.parse_tree.data);
		if (tree && tree->n_stmts == 1)
			n = tree->stmts[0]->stmt;
	}
	pg_query_free_protobuf_parse_result(pr);
	if (n && n->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
		struct sqlc_q *q;
		rc = dh__sqlc_query(&run, n->select_stmt, NULL, &q);
		for (int i = 0; rc == 0 && i < q->ncols && i < r->view->ncols; i++) {
			r->vtypes[i] = q->cols[i].type_oid;
			r->vtypmods[i] = q->cols[i].typmod;
		}
	}
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	dh_arena_release(&a);
	return rc;
}

int
dh__pgcat_get(struct dh_sql *s, struct dh__pgcat **out, struct dh_err *err)
{
	struct dh__pgcat **slot = dh__sqlsess_pgcat(s);
	if (*slot && (*slot)->ready) {
		*out = *slot;
		return 0;
	}
	if (*slot && (*slot)->building) {
		/* a view compiled while the snapshot is built reads it: as far
		 * as it goes */
		*out = *slot;
		return 0;
	}
	struct dh__pgcat *pc = *slot;
	if (!pc) {
		pc = xcalloc(1, sizeof(*pc));
		dh_arena_init(&pc->a);
		*slot = pc;
	}
	pc->s = s;
	pc->building = 1;
	int rc = build(pc, err);
	pc->building = 0;
	if (rc) {
		dh__pgcat_reset(pc);
		return rc;
	}
	pc->ready = 1;
	*out = pc;
	return 0;
}

void
dh__pgcat_reset(struct dh__pgcat *pc)
{
	if (!pc)
		return;
	dh_arena_release(&pc->a);
	memset(pc, 0, sizeof(*pc));
	dh_arena_init(&pc->a);
}

void
dh__pgcat_free(struct dh__pgcat *pc)
{
	if (!pc)
		return;
	dh_arena_release(&pc->a);
	free(pc);
}

/* --- building rows --- */

static int
colix(const struct dh__pgcat_rel *d, const char *name)
{
	for (int i = 0; i < d->ncols; i++)
		if (strcmp(d->names[i], name) == 0)
			return i;
	abort(); /* a misspelt column here */
}

static void
new_row(struct pgc_out *o)
{
	const struct dh__pgcat_rel *d = o->rel;
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		struct dh_value *nr =
		    dh_arena_alloc(&o->pc->a, o->cap * (size_t)d->ncols * sizeof(*nr));
		if (o->n)
			memcpy(nr, o->rows, o->n * (size_t)d->ncols * sizeof(*nr));
		o->rows = nr;
	}
	struct dh_value *row = &o->rows[o->n++ * (size_t)d->ncols];
	/* the NOT NULL columns' zero values; the varlena ones NULL (and all
	 * of information_schema's) */
	int zero = strcmp(d->schema, PGC) == 0;
	for (int i = 0; i < d->ncols; i++) {
		switch (zero ? d->types[i] : 0) {
		case DH_OID_OID:
		case DH_OID_INT2:
		case DH_OID_INT4:
		case DH_OID_INT8:
		case DH_OID_XID:
		case DH_OID_REGPROC:
			row[i] = (struct dh_value){.type = DH_T_LONG, .i = 0};
			break;
		case DH_OID_FLOAT4:
			row[i] = (struct dh_value){.type = DH_T_DOUBLE, .d = 0};
			break;
		case DH_OID_BOOL:
			row[i] = (struct dh_value){.type = DH_T_BOOL, .b = 0};
			break;
		case DH_OID_CHAR:
			row[i] = (struct dh_value){.type = DH_T_STRING, .s = {"", 0}};
			break;
		default:
			row[i] = (struct dh_value){.type = DH_T_NONE};
			break;
		}
	}
	o->row = row;
}

static void
set(struct pgc_out *o, const char *col, struct dh_value v)
{
	o->row[colix(o->rel, col)] = v;
}

static struct dh_value
v_long(int64_t i)
{
	return (struct dh_value){.type = DH_T_LONG, .i = i};
}

static struct dh_value
v_bool(int b)
{
	return (struct dh_value){.type = DH_T_BOOL, .b = b != 0};
}

static struct dh_value
v_str(const char *s)
{
	if (!s)
		return (struct dh_value){.type = DH_T_NONE};
	return (struct dh_value){.type = DH_T_STRING, .s = {s, strlen(s)}};
}

static struct dh_value
v_char(struct dh__pgcat *pc, char c)
{
	char *p = dh_arena_alloc(&pc->a, 2);
	p[0] = c;
	p[1] = 0;
	return (struct dh_value){.type = DH_T_STRING, .s = {p, c ? 1 : 0}};
}

static struct dh_value
v_vec(struct dh__pgcat *pc, const int64_t *x, int n)
{
	struct dh_coll *c = dh_arena_alloc(&pc->a, sizeof(*c));
	struct dh_value *it = dh_arena_alloc(&pc->a, (size_t)(n + 1) * sizeof(*it));
	for (int i = 0; i < n; i++)
		it[i] = v_long(x[i]);
	c->kind = DH_COLL_VECTOR;
	c->n = (size_t)n;
	c->items = it;
	return (struct dh_value){.type = DH_T_COLL, .coll = c};
}

static const char *
nsp_name(uint32_t nsp)
{
	switch (nsp) {
	case DH_PGCAT_NSP_CATALOG:
		return PGC;
	case DH_PGCAT_NSP_INFO:
		return ISC;
	case DH_PGCAT_NSP_TEMP:
		return "pg_temp";
	default:
		return "public";
	}
}

const char *
dh__pgcat_nsp_name(uint32_t nsp)
{
	return nsp == DH_PGCAT_NSP_CATALOG || nsp == DH_PGCAT_NSP_INFO ||
		       nsp == DH_PGCAT_NSP_PUBLIC || nsp == DH_PGCAT_NSP_TEMP
		   ? nsp_name(nsp)
		   : NULL;
}

/* A column's attnum in its table (ordinal), by attribute id; 0 if none. */
static int
attnum_of(const struct dh_sqltable *t, uint64_t attr)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].attr == attr)
			return i + 1;
	return 0;
}

static const struct pgc_rel *
table_rel(struct dh__pgcat *pc, const char *name, uint64_t eid)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind == 'r' && r->t &&
		    (eid ? r->t->eid == eid : strcmp(r->t->name, name) == 0))
			return r;
	}
	return NULL;
}

static int
r_namespace(struct dh__pgcat *pc, struct pgc_out *o)
{
	static const struct {
		uint32_t oid;
		const char *name;
		uint32_t owner;
	} ns[] = {{DH_PGCAT_NSP_CATALOG, PGC, DH_PGCAT_ROLE},
		  {DH_PGCAT_NSP_PUBLIC, "public", DH_PGCAT_ROLE_DBOWNER},
		  {DH_PGCAT_NSP_INFO, ISC, DH_PGCAT_ROLE}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(ns); i++) {
		new_row(o);
		set(o, "oid", v_long(ns[i].oid));
		set(o, "nspname", v_str(ns[i].name));
		set(o, "nspowner", v_long(ns[i].owner));
		if (ns[i].oid == DH_PGCAT_NSP_PUBLIC && i == 1) {
			/* PostgreSQL 15's: the owner creates, everyone uses */
			static const struct dh_value acl[] = {
			    {.type = DH_T_STRING,
			     .s = {"pg_database_owner=UC/pg_database_owner", 38}},
			    {.type = DH_T_STRING, .s = {"=U/pg_database_owner", 20}}};
			struct dh_coll *c = dh_arena_alloc(&pc->a, sizeof(*c));
			c->kind = DH_COLL_VECTOR;
			c->n = 2;
			c->items = (struct dh_value *)acl;
			set(o, "nspacl", (struct dh_value){.type = DH_T_COLL, .coll = c});
		}
	}
	/* the session's temporary tables' schema, while it has some */
	for (size_t i = 0; i < pc->nrels; i++)
		if (pc->rels[i].nsp == DH_PGCAT_NSP_TEMP) {
			new_row(o);
			set(o, "oid", v_long(DH_PGCAT_NSP_TEMP));
			set(o, "nspname", v_str("pg_temp"));
			set(o, "nspowner", v_long(DH_PGCAT_ROLE));
			break;
		}
	return 0;
}

/* Does table t have a foreign key, or is it referenced by one?  (Then
 * PostgreSQL has its constraint triggers: relhastriggers.) */
static int
has_fk(const struct dh_sqltable *t)
{
	for (int i = 0; i < t->ncons; i++)
		if (t->cons[i].kind == 'f')
			return 1;
	return t->nrefby > 0;
}

static int
r_class(struct dh__pgcat *pc, struct pgc_out *o)
{
	int rc;
	for (size_t i = 0; i < pc->nrels; i++) {
		struct pgc_rel *r = &pc->rels[i];
		if (r->kind == 'v' && (rc = dh__pgcat_view_types(pc, r, o->pc->err)))
			return rc;
		new_row(o);
		set(o, "oid", v_long(r->oid));
		set(o, "relname", v_str(r->name));
		set(o, "relnamespace", v_long(r->nsp));
		set(o, "reltype", v_long(r->reltype));
		set(o, "relowner", v_long(DH_PGCAT_ROLE));
		set(o, "relam", v_long(r->kind == 'r' ? 2 : r->kind == 'i' ? 403 : 0));
		set(o, "relisshared", v_bool(r->sys && strcmp(r->name, "pg_database") == 0));
		set(o, "relpersistence", v_char(pc, r->nsp == DH_PGCAT_NSP_TEMP ? 't' : 'p'));
		set(o, "relkind", v_char(pc, r->kind));
		set(o, "relnatts", v_long(r->natts));
		set(o, "reltuples", (struct dh_value){.type = DH_T_DOUBLE,
						     .d = r->kind == 'r' || r->kind == 'v' ? -1 : 0});
		set(o, "relispopulated", v_bool(1));
		set(o, "relreplident", v_char(pc, r->kind == 'r' ? 'd' : 'n'));
		if (r->kind == 'v')
			set(o, "relhasrules", v_bool(!r->sys));
		if (r->t && r->kind == 'r') {
			int checks = 0, idx = r->t->nidx > 0;
			for (int k = 0; k < r->t->ncons; k++) {
				checks += r->t->cons[k].kind == 'c';
				idx |= r->t->cons[k].kind == 'p' || r->t->cons[k].kind == 'u';
			}
			set(o, "relchecks", v_long(checks));
			set(o, "relhasindex", v_bool(idx));
			set(o, "relhastriggers", v_bool(has_fk(r->t)));
		}
	}
	return 0;
}

/* typlen and storage of a type, as pg_attribute repeats them */
static void
type_traits(uint32_t oid, int *len, int *byval, char *align, char *storage)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	int l = t ? t->typlen : -1;
	*len = l;
	*byval = l == 1 || l == 2 || l == 4 || l == 8;
	*align = l == 8 || oid == DH_OID_NUMERIC ? (l == 8 ? 'd' : 'i')
		 : l == 2			 ? 's'
		 : l == 1 || l == -2 || oid == DH_OID_NAME || oid == DH_OID_UUID ||
			 oid == DH_OID_BOOL
		     ? 'c'
		     : oid == DH_OID_INTERVAL || oid == DH_OID_TIMETZ ? 'd'
								      : 'i';
	*storage = l == -1 ? (oid == DH_OID_NUMERIC ? 'm' : 'x') : 'p';
	if (t && t->category == 'A' && l == -1)
		*align = 'i';
}

/* pg_type.typcollation: 100 (default) for the collatable types, C for name */
uint32_t
dh__pgcat_typcoll(uint32_t oid)
{
	if (oid == DH_OID_NAME)
		return 950;
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	if (t && t->elem)
		t = dh_sqltype_by_oid(t->elem);
	if (t && t->category == 'S' && t->oid != DH_OID_CHAR && t->oid != DH_OID_NAME)
		return 100;
	return 0;
}

static void
att_row(struct dh__pgcat *pc, struct pgc_out *o, uint32_t rel, const char *name, uint32_t type,
	int32_t typmod, int num)
{
	int len, byval;
	char align, storage;
	type_traits(type, &len, &byval, &align, &storage);
	const struct dh_sqltype *t = dh_sqltype_by_oid(type);
	new_row(o);
	set(o, "attrelid", v_long(rel));
	set(o, "attname", v_str(name));
	set(o, "atttypid", v_long(type));
	set(o, "attstattarget", v_long(-1));
	set(o, "attlen", v_long(len));
	set(o, "attnum", v_long(num));
	set(o, "attndims", v_long(t && t->category == 'A' && t->elem && type != DH_OID_INT2VECTOR &&
					  type != DH_OID_OIDVECTOR
				      ? 1
				      : 0));
	set(o, "attcacheoff", v_long(-1));
	set(o, "atttypmod", v_long(typmod));
	set(o, "attbyval", v_bool(byval));
	set(o, "attalign", v_char(pc, align));
	set(o, "attstorage", v_char(pc, storage));
	set(o, "attcompression", v_char(pc, 0));
	set(o, "attidentity", v_char(pc, 0));
	set(o, "attgenerated", v_char(pc, 0));
	set(o, "attislocal", v_bool(1));
	set(o, "attcollation", v_long(dh__pgcat_typcoll(type)));
}

static int
r_attribute(struct dh__pgcat *pc, struct pgc_out *o)
{
	int rc;
	for (size_t i = 0; i < pc->nrels; i++) {
		struct pgc_rel *r = &pc->rels[i];
		if (r->sys) {
			for (int k = 0; k < r->sys->ncols; k++)
				att_row(pc, o, r->oid, r->sys->names[k], r->sys->types[k],
					r->sys->typmods[k], k + 1);
			if (strcmp(r->sys->schema, PGC) == 0)
				for (int k = 0; k < r->sys->ncols; k++)
					if (strcmp(r->sys->names[k], "oid") == 0) {
						/* PostgreSQL 12+: oid is an ordinary column */
					}
			continue;
		}
		switch (r->kind) {
		case 'r':
			for (int k = 0; k < r->t->ncols; k++) {
				const struct dh_sqlcol *c = &r->t->cols[k];
				att_row(pc, o, r->oid, c->name, c->type, c->typmod, k + 1);
				set(o, "attnotnull", v_bool(c->notnull));
				set(o, "atthasdef", v_bool(c->dflt != NULL));
				set(o, "attidentity", v_char(pc, c->identity));
			}
			break;
		case 'i':
			if (r->con) {
				for (int k = 0; k < r->con->ncols; k++) {
					int ci = r->con->cols[k];
					const struct dh_sqlcol *c = ci >= 0 ? &r->t->cols[ci] : NULL;
					att_row(pc, o, r->oid, c ? c->name : "?",
						c ? c->type : DH_OID_TEXT, c ? c->typmod : -1, k + 1);
				}
			} else {
				for (int k = 0; k < r->ix->ncols; k++) {
					int ci = r->ix->cols[k];
					if (ci >= 0) {
						const struct dh_sqlcol *c = &r->t->cols[ci];
						att_row(pc, o, r->oid, c->name, c->type, c->typmod,
							k + 1);
					} else {
						/* an expression's type is known once it is
						 * compiled: not here yet */
						att_row(pc, o, r->oid, "expr", DH_OID_TEXT, -1, k + 1);
					}
				}
			}
			break;
		case 'S': {
			static const char *const sn[] = {"last_value", "log_cnt", "is_called"};
			static const uint32_t st[] = {DH_OID_INT8, DH_OID_INT8, DH_OID_BOOL};
			for (int k = 0; k < 3; k++) {
				att_row(pc, o, r->oid, sn[k], st[k], -1, k + 1);
				set(o, "attnotnull", v_bool(1));
			}
			break;
		}
		case 'v':
			if ((rc = dh__pgcat_view_types(pc, r, pc->err)))
				return rc;
			for (int k = 0; k < r->view->ncols; k++)
				att_row(pc, o, r->oid, r->view->cols[k],
					r->vtypes[k] ? r->vtypes[k] : DH_OID_TEXT, r->vtypmods[k],
					k + 1);
			break;
		}
	}
	return 0;
}

static int
r_attrdef(struct dh__pgcat *pc, struct pgc_out *o)
{
	struct dh__sqlshow sh = {&pc->a, dh__sql_env(pc->s), pc->sc};
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' || !r->t)
			continue;
		for (int k = 0; k < r->t->ncols; k++) {
			const struct dh_sqlcol *c = &r->t->cols[k];
			if (!c->dflt || c->identity)
				continue;
			new_row(o);
			set(o, "oid", v_long(dh__pgcat_oid(c->attr, 0)));
			set(o, "adrelid", v_long(r->oid));
			set(o, "adnum", v_long(k + 1));
			set(o, "adbin", v_str(dh__sqlshow_default(&sh, c)));
		}
	}
	return 0;
}

static void
set_typprocs(struct pgc_out *o, const uint32_t *f)
{
	for (int i = 0; f && i < DH_PGPROC_NTYPCOLS; i++)
		set(o, typprocs[i], v_long(f[i]));
}

static int
r_type(struct dh__pgcat *pc, struct pgc_out *o)
{
	const struct dh_sqltype *t;
	for (size_t i = 0; (t = dh_sqltype_at(i)); i++) {
		int len, byval;
		char align, storage;
		type_traits(t->oid, &len, &byval, &align, &storage);
		new_row(o);
		set(o, "oid", v_long(t->oid));
		set(o, "typname", v_str(t->typname));
		set(o, "typnamespace", v_long(DH_PGCAT_NSP_CATALOG));
		set(o, "typowner", v_long(DH_PGCAT_ROLE));
		set(o, "typlen", v_long(t->typlen));
		set(o, "typbyval", v_bool(byval));
		set(o, "typtype", v_char(pc, t->typtype));
		set(o, "typcategory", v_char(pc, t->category));
		set(o, "typispreferred", v_bool(t->preferred));
		set(o, "typisdefined", v_bool(1));
		set(o, "typdelim", v_char(pc, ','));
		set(o, "typelem", v_long(t->elem));
		set(o, "typarray", v_long(t->array));
		set(o, "typalign", v_char(pc, align));
		set(o, "typstorage", v_char(pc, storage));
		set(o, "typtypmod", v_long(-1));
		set(o, "typcollation", v_long(dh__pgcat_typcoll(t->oid)));
		set_typprocs(o, dh__pgproc_type(t->oid));
	}
	/* the row types of tables and views */
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (!r->reltype)
			continue;
		new_row(o);
		set(o, "oid", v_long(r->reltype));
		set(o, "typname", v_str(r->name));
		set(o, "typnamespace", v_long(r->nsp));
		set(o, "typowner", v_long(DH_PGCAT_ROLE));
		set(o, "typlen", v_long(-1));
		set(o, "typtype", v_char(pc, 'c'));
		set(o, "typcategory", v_char(pc, 'C'));
		set(o, "typisdefined", v_bool(1));
		set(o, "typdelim", v_char(pc, ','));
		set(o, "typrelid", v_long(r->oid));
		set(o, "typalign", v_char(pc, 'd'));
		set(o, "typstorage", v_char(pc, 'x'));
		set(o, "typtypmod", v_long(-1));
		set_typprocs(o, dh__pgproc_type(0));
	}
	return 0;
}

/* The btree operator class PostgreSQL picks for a type (pg_index.indclass). */
static uint32_t
opclass_of(uint32_t type)
{
	switch (type) {
	case DH_OID_INT2:
		return 1979;
	case DH_OID_INT4:
		return 1978;
	case DH_OID_INT8:
		return 3124;
	case DH_OID_TEXT:
	case DH_OID_VARCHAR:
		return 3126;
	case DH_OID_BPCHAR:
		return 426;
	case DH_OID_NAME:
		return 1986;
	case DH_OID_NUMERIC:
		return 3125;
	case DH_OID_BOOL:
		return 424;
	case DH_OID_FLOAT4:
		return 1970;
	case DH_OID_FLOAT8:
		return 1971;
	case DH_OID_DATE:
		return 3122;
	case DH_OID_TIMESTAMP:
		return 3128;
	case DH_OID_TIMESTAMPTZ:
		return 3127;
	case DH_OID_TIME:
		return 1996;
	case DH_OID_INTERVAL:
		return 1982;
	case DH_OID_UUID:
		return 2968;
	case DH_OID_BYTEA:
		return 421;
	case DH_OID_OID:
		return 1981;
	case DH_OID_JSONB:
		return 4033;
	default:
		return 0;
	}
}

static int
r_index(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'i' || !r->t)
			continue;
		const struct pgc_rel *tr = table_rel(pc, r->t->name, 0);
		int n = r->con ? r->con->ncols : r->ix->ncols;
		const int *cols = r->con ? r->con->cols : r->ix->cols;
		int64_t *key = dh_arena_alloc(&pc->a, (size_t)(n + 1) * sizeof(*key));
		int64_t *coll = dh_arena_alloc(&pc->a, (size_t)(n + 1) * sizeof(*coll));
		int64_t *cls = dh_arena_alloc(&pc->a, (size_t)(n + 1) * sizeof(*cls));
		int64_t *opt = dh_arena_alloc(&pc->a, (size_t)(n + 1) * sizeof(*opt));
		const char *sort[64], *keys[64];
		int nk = 0;
		if (r->ix) {
			struct dh__sqlshow sh = {&pc->a, dh__sql_env(pc->s), pc->sc};
			nk = dh__sqlshow_split_keys(&sh, r->ix->keys ? r->ix->keys : "", keys, sort,
						    64);
		}
		int exprs = 0;
		for (int k = 0; k < n; k++) {
			int ci = cols[k];
			uint32_t ty = ci >= 0 ? r->t->cols[ci].type : 0;
			key[k] = ci >= 0 ? ci + 1 : 0;
			exprs |= ci < 0;
			coll[k] = dh__pgcat_typcoll(ty);
			cls[k] = opclass_of(ty);
			/* INDOPTION_DESC 1, INDOPTION_NULLS_FIRST 2 */
			opt[k] = 0;
			if (k < nk && strstr(sort[k], "DESC"))
				opt[k] |= 3;
			if (k < nk && strstr(sort[k], "NULLS FIRST"))
				opt[k] |= 2;
			if (k < nk && strstr(sort[k], "NULLS LAST"))
				opt[k] &= ~2;
		}
		int unique = r->con ? 1 : r->ix->unique;
		new_row(o);
		set(o, "indexrelid", v_long(r->oid));
		set(o, "indrelid", v_long(tr ? tr->oid : 0));
		set(o, "indnatts", v_long(n));
		set(o, "indnkeyatts", v_long(n));
		set(o, "indisunique", v_bool(unique));
		set(o, "indisprimary", v_bool(r->con && r->con->kind == 'p'));
		set(o, "indimmediate", v_bool(!(r->con && r->con->deferrable)));
		set(o, "indisvalid", v_bool(1));
		set(o, "indisready", v_bool(1));
		set(o, "indislive", v_bool(1));
		set(o, "indkey", v_vec(pc, key, n));
		set(o, "indcollation", v_vec(pc, coll, n));
		set(o, "indclass", v_vec(pc, cls, n));
		set(o, "indoption", v_vec(pc, opt, n));
		if (exprs)
			set(o, "indexprs", v_str(r->ix->keys));
	}
	return 0;
}

/* attnums of attribute ids in table t */
static struct dh_value
attnums(struct dh__pgcat *pc, const struct dh_sqltable *t, const uint64_t *attrs, int n)
{
	int64_t *x = dh_arena_alloc(&pc->a, (size_t)(n + 1) * sizeof(*x));
	for (int k = 0; k < n; k++)
		x[k] = t ? attnum_of(t, attrs[k]) : 0;
	struct dh_value v = v_vec(pc, x, n);
	return v;
}

static int
r_constraint(struct dh__pgcat *pc, struct pgc_out *o)
{
	struct dh__sqlshow sh = {&pc->a, dh__sql_env(pc->s), pc->sc};
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' || !r->t)
			continue;
		for (int k = 0; k < r->t->ncons; k++) {
			const struct dh_sqlcon *c = &r->t->cons[k];
			new_row(o);
			set(o, "oid", v_long(dh__pgcat_oid(c->eid, 0)));
			set(o, "conname", v_str(c->name));
			set(o, "connamespace", v_long(r->nsp));
			set(o, "contype", v_char(pc, c->kind));
			set(o, "condeferrable", v_bool(c->deferrable != 0));
			set(o, "condeferred", v_bool(c->deferrable == 'd'));
			set(o, "convalidated", v_bool(1));
			set(o, "conrelid", v_long(r->oid));
			set(o, "confupdtype", v_char(pc, ' '));
			set(o, "confdeltype", v_char(pc, ' '));
			set(o, "confmatchtype", v_char(pc, ' '));
			set(o, "conislocal", v_bool(1));
			set(o, "connoinherit", v_bool(c->kind != 'c'));
			if (c->ncols && c->attrs)
				set(o, "conkey", attnums(pc, r->t, c->attrs, c->ncols));
			if (c->kind == 'p' || c->kind == 'u')
				set(o, "conindid", v_long(dh__pgcat_oid(c->eid, 1)));
			if (c->kind == 'c') {
				set(o, "conbin",
				    v_str(dh__sqlshow_check(&sh, r->t, c->expr ? c->expr : "")));
				/* the columns the expression reads */
				int64_t cols[SQLC_MAXKEY];
				int nc = dh__sqlshow_check_cols(r->t, c->expr ? c->expr : "", cols,
								SQLC_MAXKEY);
				set(o, "conkey", nc ? v_vec(pc, cols, nc)
						    : (struct dh_value){.type = DH_T_NONE});
			}
			if (c->kind == 'f') {
				const struct pgc_rel *ref = table_rel(pc, c->reftable, c->reftable_eid);
				set(o, "confrelid", v_long(ref ? ref->oid : 0));
				set(o, "confupdtype", v_char(pc, c->onupdate ? c->onupdate : 'a'));
				set(o, "confdeltype", v_char(pc, c->ondelete ? c->ondelete : 'a'));
				set(o, "confmatchtype", v_char(pc, 's'));
				if (ref && c->refattrs) {
					set(o, "confkey", attnums(pc, ref->t, c->refattrs, c->ncols));
					/* the referenced key's index: its constraint */
					for (int m = 0; m < ref->t->ncons; m++) {
						const struct dh_sqlcon *u = &ref->t->cons[m];
						int same = (u->kind == 'p' || u->kind == 'u') &&
							   u->ncols == c->ncols;
						for (int q = 0; same && q < c->ncols; q++) {
							int found = 0;
							for (int q2 = 0; q2 < u->ncols; q2++)
								found |= u->attrs[q2] ==
									 c->refattrs[q];
							same = found;
						}
						if (same) {
							set(o, "conindid",
							    v_long(dh__pgcat_oid(u->eid, 1)));
							break;
						}
					}
				}
			}
		}
	}
	return 0;
}

static int
r_database(struct dh__pgcat *pc, struct pgc_out *o)
{
	new_row(o);
	set(o, "oid", v_long(DH_PGCAT_DATABASE));
	set(o, "datname", v_str(pc->db));
	set(o, "datdba", v_long(DH_PGCAT_ROLE));
	set(o, "encoding", v_long(6)); /* PG_UTF8 */
	set(o, "datlocprovider", v_char(pc, 'c'));
	set(o, "datallowconn", v_bool(1));
	set(o, "datconnlimit", v_long(-1));
	set(o, "dattablespace", v_long(1663));
	/* text compares bytewise: the C collation */
	set(o, "datcollate", v_str("C"));
	set(o, "datctype", v_str("C"));
	return 0;
}

static int
r_roles(struct dh__pgcat *pc, struct pgc_out *o)
{
	static const struct {
		uint32_t oid;
		int login;
	} roles[] = {{DH_PGCAT_ROLE, 1}, {DH_PGCAT_ROLE_DBOWNER, 0}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(roles); i++) {
		int me = roles[i].login;
		new_row(o);
		set(o, "rolname", v_str(me ? pc->user : "pg_database_owner"));
		/* dh checks no privileges: the one user may do anything */
		set(o, "rolsuper", v_bool(me));
		set(o, "rolinherit", v_bool(1));
		set(o, "rolcanlogin", v_bool(me));
		set(o, "rolbypassrls", v_bool(me));
		set(o, "rolconnlimit", v_long(-1));
		set(o, "rolpassword", v_str("********"));
		set(o, "oid", v_long(roles[i].oid));
	}
	return 0;
}

static int
r_user(struct dh__pgcat *pc, struct pgc_out *o)
{
	new_row(o);
	set(o, "usename", v_str(pc->user));
	set(o, "usesysid", v_long(DH_PGCAT_ROLE));
	set(o, "usesuper", v_bool(1));
	set(o, "usebypassrls", v_bool(1));
	set(o, "passwd", v_str("********"));
	return 0;
}

static int
r_am(struct dh__pgcat *pc, struct pgc_out *o)
{
	static const struct {
		uint32_t oid;
		const char *name;
		char type;
		uint32_t handler;
	} am[] = {{2, "heap", 't', 3}, {403, "btree", 'i', 330}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(am); i++) {
		new_row(o);
		set(o, "oid", v_long(am[i].oid));
		set(o, "amname", v_str(am[i].name));
		set(o, "amhandler", v_long(am[i].handler));
		set(o, "amtype", v_char(pc, am[i].type));
	}
	return 0;
}

static int
r_description(struct dh__pgcat *pc, struct pgc_out *o)
{
	/* the built-in schema's own, as initdb writes it */
	new_row(o);
	set(o, "objoid", v_long(DH_PGCAT_NSP_PUBLIC));
	set(o, "classoid", v_long(2615));
	set(o, "description", v_str("standard public schema"));
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->comment) {
			new_row(o);
			set(o, "objoid", v_long(r->oid));
			set(o, "classoid", v_long(1259));
			set(o, "description", v_str(r->comment));
		}
		if (r->kind != 'r' || !r->t)
			continue;
		for (int k = 0; k < r->t->ncols; k++) {
			const char *c = dh__pgcat_comment(pc, r->t->cols[k].attr);
			if (!c)
				continue;
			new_row(o);
			set(o, "objoid", v_long(r->oid));
			set(o, "classoid", v_long(1259));
			set(o, "objsubid", v_long(k + 1));
			set(o, "description", v_str(c));
		}
	}
	return 0;
}

static int
r_tablespace(struct dh__pgcat *pc, struct pgc_out *o)
{
	(void)pc;
	new_row(o);
	set(o, "oid", v_long(1663));
	set(o, "spcname", v_str("pg_default"));
	set(o, "spcowner", v_long(DH_PGCAT_ROLE));
	new_row(o);
	set(o, "oid", v_long(1664));
	set(o, "spcname", v_str("pg_global"));
	set(o, "spcowner", v_long(DH_PGCAT_ROLE));
	return 0;
}

static int
r_settings(struct dh__pgcat *pc, struct pgc_out *o)
{
	struct dh_sqlset *defaults = dh_sqlset_new();
	const char *name, *value, *desc;
	for (size_t i = 0; dh_sqlset_nth(defaults, i, &name, &value, &desc); i++) {
		const char *cur = dh__sql_get(pc->s, name);
		new_row(o);
		set(o, "name", v_str(dh_arena_strdup(&pc->a, name)));
		set(o, "setting", v_str(cur ? dh_arena_strdup(&pc->a, cur) : NULL));
		set(o, "short_desc", v_str(desc ? dh_arena_strdup(&pc->a, desc) : NULL));
		set(o, "context", v_str("user"));
		set(o, "vartype", v_str("string"));
		set(o, "source", v_str(cur && value && strcmp(cur, value) == 0 ? "default"
									     : "session"));
		set(o, "boot_val", v_str(value ? dh_arena_strdup(&pc->a, value) : NULL));
		set(o, "reset_val", v_str(value ? dh_arena_strdup(&pc->a, value) : NULL));
		set(o, "sourceline", (struct dh_value){.type = DH_T_NONE});
	}
	dh_sqlset_free(defaults);
	return 0;
}

static int
r_collation(struct dh__pgcat *pc, struct pgc_out *o)
{
	static const struct {
		uint32_t oid;
		const char *name;
		char prov;
		int enc;
	} co[] = {{100, "default", 'd', -1}, {950, "C", 'c', -1}, {951, "POSIX", 'c', -1}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(co); i++) {
		new_row(o);
		set(o, "oid", v_long(co[i].oid));
		set(o, "collname", v_str(co[i].name));
		set(o, "collnamespace", v_long(DH_PGCAT_NSP_CATALOG));
		set(o, "collowner", v_long(DH_PGCAT_ROLE));
		set(o, "collprovider", v_char(pc, co[i].prov));
		set(o, "collisdeterministic", v_bool(1));
		set(o, "collencoding", v_long(co[i].enc));
		if (co[i].prov == 'c') {
			set(o, "collcollate", v_str(co[i].name));
			set(o, "collctype", v_str(co[i].name));
		}
	}
	return 0;
}

static int
r_sequence(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'S')
			continue;
		new_row(o);
		set(o, "seqrelid", v_long(r->oid));
		set(o, "seqtypid", v_long(r->seq->type));
		set(o, "seqstart", v_long(r->seq->start));
		set(o, "seqincrement", v_long(r->seq->inc));
		set(o, "seqmax", v_long(r->seq->max));
		set(o, "seqmin", v_long(r->seq->min));
		set(o, "seqcache", v_long(r->seq->cache));
		set(o, "seqcycle", v_bool(r->seq->cycle));
	}
	return 0;
}

/* pg_depend: only the sequences' ownership (OWNED BY 'a', identity 'i') */
static int
r_depend(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' || !r->t)
			continue;
		for (int k = 0; k < r->t->ncols; k++) {
			const struct dh_sqlcol *c = &r->t->cols[k];
			for (size_t j = 0; j < pc->nrels; j++) {
				const struct pgc_rel *q = &pc->rels[j];
				if (q->kind != 'S' ||
				    !((q->seq->owner && q->seq->owner == c->attr) ||
				      (c->identity && c->seq == q->eid)))
					continue;
				new_row(o);
				set(o, "classid", v_long(1259));
				set(o, "objid", v_long(q->oid));
				set(o, "refclassid", v_long(1259));
				set(o, "refobjid", v_long(r->oid));
				set(o, "refobjsubid", v_long(k + 1));
				set(o, "deptype", v_char(pc, c->identity ? 'i' : 'a'));
			}
		}
	}
	return 0;
}

/* a list of texts, split at commas: text[] or "char"[] */
static struct dh_value
v_list(struct dh__pgcat *pc, const char *s)
{
	if (!s)
		return (struct dh_value){.type = DH_T_NONE};
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	struct dh_coll *c = dh_arena_alloc(&pc->a, sizeof(*c));
	struct dh_value *it = dh_arena_alloc(&pc->a, n * sizeof(*it));
	const char *p = s;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(p, ",");
		it[i] = (struct dh_value){.type = DH_T_STRING, .s = {p, len}};
		p += len + (p[len] == ',');
	}
	c->kind = DH_COLL_VECTOR;
	c->n = n;
	c->items = it;
	return (struct dh_value){.type = DH_T_COLL, .coll = c};
}

/* OIDs separated by blanks, as a vector */
static struct dh_value
v_oids(struct dh__pgcat *pc, const char *s, int *n)
{
	int64_t x[DH_SQLPROC_MAXARGS];
	*n = 0;
	if (!s)
		return (struct dh_value){.type = DH_T_NONE};
	for (const char *p = s; *p && *n < DH_SQLPROC_MAXARGS;) {
		char *end;
		x[(*n)++] = strtoll(p, &end, 10);
		p = end + (*end == ' ');
	}
	return v_vec(pc, x, *n);
}

/* pg_proc: the built-in functions dh implements (sqlc-pgcat-proc.c) */
static int
r_proc(struct dh__pgcat *pc, struct pgc_out *o)
{
	const struct dh__pgfn *f = NULL;
	while ((f = dh__pgfn_next(f))) {
		int n, nall;
		struct dh_value args = v_oids(pc, f->argtypes, &n);
		new_row(o);
		set(o, "oid", v_long(f->oid));
		set(o, "proname", v_str(f->name));
		set(o, "pronamespace", v_long(DH_PGCAT_NSP_CATALOG));
		set(o, "proowner", v_long(DH_PGCAT_ROLE));
		set(o, "prolang", v_long(f->lang));
		set(o, "procost", (struct dh_value){.type = DH_T_DOUBLE, .d = f->cost});
		set(o, "prorows", (struct dh_value){.type = DH_T_DOUBLE, .d = f->rows});
		set(o, "provariadic", v_long(f->variadic));
		set(o, "prosupport", v_long(f->support));
		set(o, "prokind", v_char(pc, f->flags[0]));
		set(o, "provolatile", v_char(pc, f->flags[1]));
		set(o, "proparallel", v_char(pc, f->flags[2]));
		set(o, "proisstrict", v_bool(f->flags[3] == 't'));
		set(o, "proretset", v_bool(f->flags[4] == 't'));
		set(o, "proleakproof", v_bool(f->flags[5] == 't'));
		set(o, "pronargs", v_long(n));
		set(o, "pronargdefaults", v_long(f->nargdefaults));
		set(o, "prorettype", v_long(f->rettype));
		set(o, "proargtypes", args);
		set(o, "proallargtypes", v_oids(pc, f->allargtypes, &nall));
		set(o, "proargmodes", v_list(pc, f->argmodes));
		set(o, "proargnames", v_list(pc, f->argnames));
		set(o, "proargdefaults", v_str(f->argdefaults));
		set(o, "prosrc", v_str(f->src));
		set(o, "prosqlbody", v_str(f->sqlbody));
	}
	return 0;
}

uint32_t
dh__pgcat_rule_oid(uint64_t view)
{
	return view < DH_PGCAT_EID_MAX ? (uint32_t)(DH_PGCAT_RULE_BASE + view) : 0;
}

/* pg_rewrite: a view's one rule, _RETURN, its SELECT (a view's pg_node_tree
 * is its text, as pg_get_viewdef shows it) */
static int
r_rewrite(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'v' || r->sys || !r->view)
			continue;
		new_row(o);
		set(o, "oid", v_long(dh__pgcat_rule_oid(r->eid)));
		set(o, "rulename", v_str("_RETURN"));
		set(o, "ev_class", v_long(r->oid));
		set(o, "ev_type", v_char(pc, '1')); /* CMD_SELECT */
		set(o, "ev_enabled", v_char(pc, 'O'));
		set(o, "is_instead", v_bool(1));
		set(o, "ev_qual", v_str("<>")); /* no qualification */
		set(o, "ev_action", v_str(r->view->sql));
	}
	return 0;
}

/* --- information_schema --- */

/* Is the view automatically updatable (sqlc-view.c's rewrite takes it):
 * one table in FROM, no grouping, DISTINCT, LIMIT, WITH or set operation,
 * plain columns only. */
static int
view_updatable(const struct pgc_rel *r)
{
	if (!r->view || !r->view->sql)
		return 0;
	int ok = 0;
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(r->view->sql);
	PgQuery__ParseResult *t = NULL;
	if (!pr.error)
		t = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
						   (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (t && t->n_stmts == 1 &&
	    t->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
		const PgQuery__SelectStmt *st = t->stmts[0]->stmt->select_stmt;
		ok = st->n_from_clause == 1 &&
		     st->from_clause[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR &&
		     !st->n_group_clause && !st->having_clause && !st->n_distinct_clause &&
		     !st->limit_count && !st->limit_offset && !st->with_clause &&
		     st->op == PG_QUERY__SET_OPERATION__SETOP_NONE && !st->n_window_clause;
		for (size_t i = 0; ok && i < st->n_target_list; i++) {
			const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
			ok = rt && rt->val && rt->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF;
		}
	}
	if (t)
		pg_query__parse_result__free_unpacked(t, NULL);
	return ok;
}

static int
r_is_tables(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' && r->kind != 'v')
			continue;
		new_row(o);
		set(o, "table_catalog", v_str(pc->db));
		set(o, "table_schema", v_str(nsp_name(r->nsp)));
		set(o, "table_name", v_str(r->name));
		set(o, "table_type",
		    v_str(r->kind == 'v'			  ? "VIEW"
			  : r->nsp == DH_PGCAT_NSP_TEMP ? "LOCAL TEMPORARY"
							  : "BASE TABLE"));
		set(o, "is_insertable_into",
		    v_str(r->kind == 'r' || view_updatable(r) ? "YES" : "NO"));
		set(o, "is_typed", v_str("NO"));
		if (r->nsp == DH_PGCAT_NSP_TEMP)
			set(o, "commit_action", v_str("PRESERVE"));
	}
	return 0;
}

/* information_schema's data_type: the type's SQL name without modifiers
 * ("character varying", "ARRAY", "USER-DEFINED") */
static const char *
is_data_type(struct dh__pgcat *pc, uint32_t type)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(type);
	if (!t)
		return "USER-DEFINED";
	if (t->category == 'A' && t->elem)
		return "ARRAY";
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltype_format(type, -1, 0, &b);
	const char *s = dh_arena_strndup(&pc->a, b.p ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	if (strcmp(s, "\"char\"") == 0)
		return "\"char\"";
	return s;
}

static void
is_col_row(struct dh__pgcat *pc, struct pgc_out *o, const struct pgc_rel *r, const char *name,
	   int num, uint32_t type, int32_t typmod, int notnull, const char *dflt, char identity)
{
	new_row(o);
	set(o, "table_catalog", v_str(pc->db));
	set(o, "table_schema", v_str(nsp_name(r->nsp)));
	set(o, "table_name", v_str(r->name));
	set(o, "column_name", v_str(name));
	set(o, "ordinal_position", v_long(num));
	set(o, "column_default", v_str(dflt));
	set(o, "is_nullable", v_str(notnull ? "NO" : "YES"));
	set(o, "data_type", v_str(is_data_type(pc, type)));
	const struct dh_sqltype *t = dh_sqltype_by_oid(type);
	if ((type == DH_OID_VARCHAR || type == DH_OID_BPCHAR) && typmod >= 4) {
		set(o, "character_maximum_length", v_long(typmod - 4));
		set(o, "character_octet_length", v_long(4 * (typmod - 4)));
	} else if (type == DH_OID_TEXT || type == DH_OID_VARCHAR || type == DH_OID_BPCHAR) {
		set(o, "character_octet_length", v_long(1073741824));
	}
	switch (type) {
	case DH_OID_INT2:
		set(o, "numeric_precision", v_long(16));
		set(o, "numeric_precision_radix", v_long(2));
		set(o, "numeric_scale", v_long(0));
		break;
	case DH_OID_INT4:
		set(o, "numeric_precision", v_long(32));
		set(o, "numeric_precision_radix", v_long(2));
		set(o, "numeric_scale", v_long(0));
		break;
	case DH_OID_INT8:
		set(o, "numeric_precision", v_long(64));
		set(o, "numeric_precision_radix", v_long(2));
		set(o, "numeric_scale", v_long(0));
		break;
	case DH_OID_FLOAT4:
		set(o, "numeric_precision", v_long(24));
		set(o, "numeric_precision_radix", v_long(2));
		break;
	case DH_OID_FLOAT8:
		set(o, "numeric_precision", v_long(53));
		set(o, "numeric_precision_radix", v_long(2));
		break;
	case DH_OID_NUMERIC:
		set(o, "numeric_precision_radix", v_long(10));
		if (typmod >= 4) {
			set(o, "numeric_precision", v_long(((typmod - 4) >> 16) & 0xffff));
			set(o, "numeric_scale", v_long((((typmod - 4) & 0x7ff) ^ 1024) - 1024));
		}
		break;
	case DH_OID_DATE:
		set(o, "datetime_precision", v_long(0));
		break;
	case DH_OID_TIME:
	case DH_OID_TIMETZ:
	case DH_OID_TIMESTAMP:
	case DH_OID_TIMESTAMPTZ:
	case DH_OID_INTERVAL:
		set(o, "datetime_precision",
		    v_long(typmod >= 0 && type != DH_OID_INTERVAL ? typmod : 6));
		break;
	default:
		break;
	}
	if (dh__pgcat_typcoll(type) && !(t && t->category == 'A')) {
		/* the default collation: PostgreSQL leaves these NULL too */
	}
	set(o, "udt_catalog", v_str(pc->db));
	set(o, "udt_schema", v_str(PGC));
	set(o, "udt_name", v_str(t ? t->typname : "???"));
	set(o, "dtd_identifier", v_str(dh_arena_printf(&pc->a, "%d", num)));
	set(o, "is_self_referencing", v_str("NO"));
	set(o, "is_identity", v_str(identity ? "YES" : "NO"));
	if (identity)
		set(o, "identity_generation",
		    v_str(identity == 'a' ? "ALWAYS" : "BY DEFAULT"));
	set(o, "identity_cycle", v_str("NO"));
	set(o, "is_generated", v_str("NEVER"));
	set(o, "is_updatable", v_str(r->kind == 'r' || view_updatable(r) ? "YES" : "NO"));
}

static int
r_is_columns(struct dh__pgcat *pc, struct pgc_out *o)
{
	int rc;
	struct dh__sqlshow sh = {&pc->a, dh__sql_env(pc->s), pc->sc};
	for (size_t i = 0; i < pc->nrels; i++) {
		struct pgc_rel *r = &pc->rels[i];
		if (r->sys)
			continue;
		if (r->kind == 'r') {
			for (int k = 0; k < r->t->ncols; k++) {
				const struct dh_sqlcol *c = &r->t->cols[k];
				const char *d = c->dflt && !c->identity ? dh__sqlshow_default(&sh, c)
									: NULL;
				is_col_row(pc, o, r, c->name, k + 1, c->type, c->typmod, c->notnull,
					   d, c->identity);
				if (c->identity) {
					for (size_t j = 0; j < pc->nrels; j++) {
						const struct pgc_rel *q = &pc->rels[j];
						if (q->kind != 'S' || q->eid != c->seq)
							continue;
						const struct dh_sqlseq *s = q->seq;
						set(o, "identity_start",
						    v_str(dh_arena_printf(&pc->a, "%lld",
									  (long long)s->start)));
						set(o, "identity_increment",
						    v_str(dh_arena_printf(&pc->a, "%lld",
									  (long long)s->inc)));
						set(o, "identity_maximum",
						    v_str(dh_arena_printf(&pc->a, "%lld",
									  (long long)s->max)));
						set(o, "identity_minimum",
						    v_str(dh_arena_printf(&pc->a, "%lld",
									  (long long)s->min)));
						set(o, "identity_cycle", v_str(s->cycle ? "YES" : "NO"));
					}
				}
			}
		} else if (r->kind == 'v') {
			if ((rc = dh__pgcat_view_types(pc, r, pc->err)))
				return rc;
			for (int k = 0; k < r->view->ncols; k++)
				is_col_row(pc, o, r, r->view->cols[k], k + 1,
					   r->vtypes[k] ? r->vtypes[k] : DH_OID_TEXT, r->vtypmods[k],
					   0, NULL, 0);
		}
	}
	return 0;
}

static const char *
contype_name(char k)
{
	switch (k) {
	case 'p':
		return "PRIMARY KEY";
	case 'u':
		return "UNIQUE";
	case 'f':
		return "FOREIGN KEY";
	default:
		return "CHECK";
	}
}

static int
r_is_table_constraints(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' || !r->t)
			continue;
		/* PostgreSQL lists NOT NULL columns as CHECK constraints named
		 * after their OIDs here: 0A000 would hide the rest, so they are
		 * left out (see lib/README) */
		for (int k = 0; k < r->t->ncons; k++) {
			const struct dh_sqlcon *c = &r->t->cons[k];
			new_row(o);
			set(o, "constraint_catalog", v_str(pc->db));
			set(o, "constraint_schema", v_str(nsp_name(r->nsp)));
			set(o, "constraint_name", v_str(c->name));
			set(o, "table_catalog", v_str(pc->db));
			set(o, "table_schema", v_str(nsp_name(r->nsp)));
			set(o, "table_name", v_str(r->name));
			set(o, "constraint_type", v_str(contype_name(c->kind)));
			set(o, "is_deferrable", v_str(c->deferrable ? "YES" : "NO"));
			set(o, "initially_deferred", v_str(c->deferrable == 'd' ? "YES" : "NO"));
			set(o, "enforced", v_str("YES"));
			if (c->kind == 'p' || c->kind == 'u')
				set(o, "nulls_distinct", v_str("YES"));
		}
	}
	return 0;
}

static int
r_is_key_column_usage(struct dh__pgcat *pc, struct pgc_out *o)
{
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' || !r->t)
			continue;
		for (int k = 0; k < r->t->ncons; k++) {
			const struct dh_sqlcon *c = &r->t->cons[k];
			if (c->kind == 'c')
				continue;
			const struct pgc_rel *ref =
			    c->kind == 'f' ? table_rel(pc, c->reftable, c->reftable_eid) : NULL;
			for (int q = 0; q < c->ncols; q++) {
				int an = attnum_of(r->t, c->attrs[q]);
				if (!an)
					continue;
				new_row(o);
				set(o, "constraint_catalog", v_str(pc->db));
				set(o, "constraint_schema", v_str(nsp_name(r->nsp)));
				set(o, "constraint_name", v_str(c->name));
				set(o, "table_catalog", v_str(pc->db));
				set(o, "table_schema", v_str(nsp_name(r->nsp)));
				set(o, "table_name", v_str(r->name));
				set(o, "column_name", v_str(r->t->cols[an - 1].name));
				set(o, "ordinal_position", v_long(q + 1));
				if (c->kind != 'f' || !ref || !c->refattrs)
					continue;
				/* the position in the referenced unique key */
				for (int m = 0; m < ref->t->ncons; m++) {
					const struct dh_sqlcon *u = &ref->t->cons[m];
					if (u->kind != 'p' && u->kind != 'u')
						continue;
					int pos = 0;
					for (int p2 = 0; p2 < u->ncols; p2++)
						if (u->attrs[p2] == c->refattrs[q])
							pos = p2 + 1;
					if (pos) {
						set(o, "position_in_unique_constraint", v_long(pos));
						break;
					}
				}
			}
		}
	}
	return 0;
}

static int
r_is_schemata(struct dh__pgcat *pc, struct pgc_out *o)
{
	static const char *const ns[] = {PGC, "public", ISC};
	for (size_t i = 0; i < DH_ARRAY_SIZE(ns); i++) {
		new_row(o);
		set(o, "catalog_name", v_str(pc->db));
		set(o, "schema_name", v_str(ns[i]));
		set(o, "schema_owner", v_str(i == 1 ? "pg_database_owner" : pc->user));
	}
	return 0;
}

/* --- the scan --- */

int
dh__sqlc_pgcat_rows(struct sqlc_sel *S, const struct dh__pgcat_rel *rel, struct dh_value **rows,
		    size_t *n)
{
	struct dh__pgcat *pc;
	int rc = dh__pgcat_get(S->r->s, &pc, S->r->err);
	if (rc)
		return rc;
	size_t ri = (size_t)(rel - rels);
	if (pc->done[ri]) {
		*rows = pc->rows[ri];
		*n = pc->nrows[ri];
		return 0;
	}
	struct pgc_out o = {.pc = pc, .rel = rel};
	pc->err = S->r->err;
	if (rel->rows && (rc = rel->rows(pc, &o)))
		return rc;
	pc->rows[ri] = o.rows;
	pc->nrows[ri] = o.n;
	pc->done[ri] = 1;
	*rows = o.rows;
	*n = o.n;
	return 0;
}
