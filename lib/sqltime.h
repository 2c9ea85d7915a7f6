/*
 * sqltime: PostgreSQL 15's date, time, timestamp, timestamptz and interval,
 * exactly: input (PostgreSQL's datetime parser), output, comparison,
 * hashing, operators, functions, casts, to_char/to_timestamp, and the
 * binary send/recv forms.  The SQL type catalog (sqltype) calls in here;
 * nothing here knows about OIDs or the catalog.
 *
 * Representation (lib/README, "SQL"):
 *   timestamptz  int64 microseconds since 1970-01-01 00:00:00 UTC
 *                (DH_T_INSTANT);
 *   timestamp    int64 microseconds of the wall clock counted as if it were
 *                UTC (DH_T_INSTANT);
 *   date         int64 days since 1970-01-01 (DH_T_LONG);
 *   time         int64 microseconds since midnight, 0 .. 86400000000
 *                (24:00:00 included) (DH_T_LONG);
 *   interval     struct dh_interval; as a value DH_T_BYTES of exactly 16
 *                bytes: int32 months, int32 days, int64 microseconds, each
 *                big-endian two's complement (dh_sqltime_interval_get/_put).
 * -infinity and infinity of date, timestamp and timestamptz are
 * DH_SQLTIME_NOBEGIN (INT64_MIN) and DH_SQLTIME_NOEND (INT64_MAX).
 * NULL is the caller's business (DH_T_NONE); functions that return SQL
 * NULL for some inputs say so (*isnull).
 *
 * Ranges are PostgreSQL's: dates 4714-11-24 BC .. 5874897-12-31, timestamps
 * 4714-11-24 00:00 BC .. 294276-12-31 23:59:59.999999.  One difference: the
 * 1970-based int64 cannot hold timestamps after 294247-01-10 04:00:54.775806
 * (PostgreSQL counts from 2000), so those are "timestamp out of range" here.
 *
 * Session settings come in a struct dh_sqltime_settings (no globals): the
 * TimeZone (a loaded struct dh_sqltime_tz), DateStyle, IntervalStyle and
 * the transaction start instant (now(), 'now', 'today', current_date ...).
 *
 *   struct dh_sqltime_settings set;
 *   dh_sqltime_settings_init(&set);             UTC, ISO, MDY, postgres
 *   dh_sqltime_tz_load("Europe/Oslo", &tz, &err); set.tz = tz;
 *   set.now = transaction start;
 *   dh_sqltime_timestamptz_in(s, n, &set, &ts, &err);
 *   dh_sqltime_timestamptz_out(&buf, ts, &set);
 *   ...
 *   dh_sqltime_tz_free(tz);
 *
 * Time zones: UTC is built in; other names are read from the system time
 * zone database (TZif files under /usr/share/zoneinfo, or $TZDIR), names
 * matched case-insensitively as PostgreSQL does, including the POSIX-rule
 * footer for times after the last listed transition; POSIX TZ strings
 * ("UTC+3", "EST5EDT", "<+02>-2", "+02:00") are parsed as such, with
 * POSIX's sign (west positive), exactly as PostgreSQL's TimeZone does.  A
 * loaded zone is immutable and may be shared between threads.  Zones named
 * inside expressions (AT TIME ZONE, date_trunc(..., zone), 'x Europe/Oslo'
 * input) are loaded through settings->zones, a per-session cache, or
 * loaded and freed per call when that is NULL.  The cache belongs to one
 * session: it is not locked, so threads must not share one.  Time zone abbreviations
 * (EST, CET, PST, ...) are a fixed table of PostgreSQL's "Default" set.
 *
 * Errors: every fallible function returns 0 or DH_ESQL, with err filled as
 * PostgreSQL fills its ErrorResponse (SQLSTATE in err->sqlstate, message,
 * and hint where PostgreSQL gives one), e.g.
 *   22007  invalid input syntax for type timestamp: "x"
 *   22008  date/time field value out of range: "2024-13-01"
 *   22008  timestamp out of range          22015  interval field value ...
 *   22008  interval out of range           22009  time zone displacement ...
 *   22023  invalid value for parameter, 0A000 / 22023 unit "x" not ...
 *
 * Memory: text results go to a caller's struct dh_buf (appended); values
 * that need memory (interval bytes, numeric text) come from the caller's
 * arena.  Nothing is kept between calls except in settings->zones.
 */
#ifndef DH_SQLTIME_H
#define DH_SQLTIME_H

#include <stdint.h>
#include <stddef.h>

#include "datom.h"
#include "util.h"

#define DH_SQLTIME_NOBEGIN INT64_MIN /* -infinity */
#define DH_SQLTIME_NOEND INT64_MAX   /* infinity */
#define DH_SQLTIME_USECS_PER_DAY INT64_C(86400000000)

struct dh_interval {
	int32_t month;
	int32_t day;
	int64_t time; /* microseconds */
};

enum dh_sqltime_type {
	DH_SQLTIME_DATE = 1,
	DH_SQLTIME_TIME,
	DH_SQLTIME_TIMESTAMP,
	DH_SQLTIME_TIMESTAMPTZ,
	DH_SQLTIME_INTERVAL,
};

enum dh_datestyle { DH_DATESTYLE_ISO, DH_DATESTYLE_SQL, DH_DATESTYLE_POSTGRES, DH_DATESTYLE_GERMAN };
enum dh_dateorder { DH_DATEORDER_MDY, DH_DATEORDER_DMY, DH_DATEORDER_YMD };
enum dh_intervalstyle {
	DH_INTSTYLE_POSTGRES,
	DH_INTSTYLE_POSTGRES_VERBOSE,
	DH_INTSTYLE_SQL_STANDARD,
	DH_INTSTYLE_ISO_8601,
};

struct dh_sqltime_tz;    /* a loaded time zone */
struct dh_sqltime_zones; /* a cache of zones named in expressions */

struct dh_sqltime_settings {
	const struct dh_sqltime_tz *tz; /* TimeZone; NULL means UTC */
	enum dh_datestyle datestyle;    /* output style */
	enum dh_dateorder dateorder;    /* input field order (and SQL style output) */
	enum dh_intervalstyle intervalstyle;
	int64_t now;                    /* transaction start, timestamptz */
	int64_t statement_now;          /* statement start (statement_timestamp) */
	struct dh_sqltime_zones *zones; /* may be NULL */
};

/* UTC, DateStyle 'ISO, MDY', IntervalStyle postgres, now = the wall clock. */
void dh_sqltime_settings_init(struct dh_sqltime_settings *s);

/* --- settings --------------------------------------------------------- */

/* Load a zone as SET TimeZone does: a number of hours ('2', '-3.5', SQL
 * sign: east positive), a zone name of the tz database (case-insensitive),
 * or a POSIX TZ string (POSIX sign: 'UTC+3' is three hours west).  *out is
 * heap memory, freed by dh_sqltime_tz_free.  22023 invalid value for
 * parameter "TimeZone": "x". */
int dh_sqltime_tz_load(const char *name, struct dh_sqltime_tz **out, struct dh_err *err);
void dh_sqltime_tz_free(struct dh_sqltime_tz *tz);
/* The name SHOW TimeZone prints. */
const char *dh_sqltime_tz_name(const struct dh_sqltime_tz *tz);
/* The cache behind settings->zones: _new, _free (frees its zones). */
struct dh_sqltime_zones *dh_sqltime_zones_new(void);
void dh_sqltime_zones_free(struct dh_sqltime_zones *z);

/* SET DateStyle: a comma list of ISO|SQL|Postgres|German and
 * MDY|DMY|YMD|US|NonEuropean|European (PostgreSQL's rules).  The canonical
 * value ("ISO, MDY") is appended to show if not NULL.  22023 on bad input. */
int dh_sqltime_set_datestyle(struct dh_sqltime_settings *s, const char *value, struct dh_buf *show,
			     struct dh_err *err);
/* SET IntervalStyle: postgres, postgres_verbose, sql_standard, iso_8601. */
int dh_sqltime_set_intervalstyle(struct dh_sqltime_settings *s, const char *value,
				 struct dh_err *err);

/* --- input and output ------------------------------------------------- */

/* Text s[0..n) to a value (PostgreSQL's typinput).  typmod: precision of
 * fractional seconds (0..6) or -1; for interval, -1 (full range).  Errors
 * 22007, 22008, 22009, 22015, 22023 (unknown zone), 0A000. */
int dh_sqltime_date_in(const char *s, size_t n, const struct dh_sqltime_settings *set,
		       int64_t *out, struct dh_err *err);
int dh_sqltime_time_in(const char *s, size_t n, int typmod, const struct dh_sqltime_settings *set,
		       int64_t *out, struct dh_err *err);
int dh_sqltime_timestamp_in(const char *s, size_t n, int typmod,
			    const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err);
int dh_sqltime_timestamptz_in(const char *s, size_t n, int typmod,
			      const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err);
int dh_sqltime_interval_in(const char *s, size_t n, const struct dh_sqltime_settings *set,
			   struct dh_interval *out, struct dh_err *err);
/* interval input under a typmod's range (INTERVAL HOUR, ...), which says
 * what unlabeled fields are: '1' is an hour, '1:30' under MINUTE TO SECOND
 * minutes and seconds.  The typmod's rounding and truncation are not
 * applied (PostgreSQL's AdjustIntervalForTypmod; the caller's).  typmod -1
 * is dh_sqltime_interval_in. */
int dh_sqltime_interval_in_typmod(const char *s, size_t n, int32_t typmod,
				  const struct dh_sqltime_settings *set, struct dh_interval *out,
				  struct dh_err *err);

/* Value to text as PostgreSQL prints it in the session's DateStyle /
 * IntervalStyle / TimeZone, appended to b.  0 or DH_ETOOLONG (b's cap). */
int dh_sqltime_date_out(struct dh_buf *b, int64_t d, const struct dh_sqltime_settings *set);
int dh_sqltime_time_out(struct dh_buf *b, int64_t t);
int dh_sqltime_timestamp_out(struct dh_buf *b, int64_t ts, const struct dh_sqltime_settings *set);
int dh_sqltime_timestamptz_out(struct dh_buf *b, int64_t ts, const struct dh_sqltime_settings *set);
int dh_sqltime_interval_out(struct dh_buf *b, const struct dh_interval *iv,
			    const struct dh_sqltime_settings *set);

/* time with time zone: the time of day (us) and the zone (seconds west
 * of UTC, PostgreSQL's sign); input without a zone takes the session
 * zone's offset today.  _to_timetz: timestamptz's local time and offset
 * in the session zone (*isnull for infinities).  _zone_now: the session
 * zone's offset (seconds west) today at time t (time_timetz). */
int dh_sqltime_timetz_in(const char *s, size_t n, int typmod, const struct dh_sqltime_settings *set,
			 int64_t *out, int *zone, struct dh_err *err);
int dh_sqltime_timetz_out(struct dh_buf *b, int64_t t, int zone);
int dh_sqltime_timestamptz_to_timetz(int64_t ts, const struct dh_sqltime_settings *set,
				     int64_t *out, int *zone, int *isnull, struct dh_err *err);
int dh_sqltime_time_zone_now(int64_t t, const struct dh_sqltime_settings *set);

/* Typmod rounding (timestamp(p), time(p), interval(p)): p 0..6. */
int dh_sqltime_timestamp_round(int64_t *ts, int p, struct dh_err *err);
int64_t dh_sqltime_time_round(int64_t t, int p);
void dh_sqltime_interval_round(struct dh_interval *iv, int p);

/* The same over struct dh_value: date/time LONG, timestamps INSTANT,
 * interval BYTES (16, in arena a). */
int dh_sqltime_in(enum dh_sqltime_type t, const char *s, size_t n,
		  const struct dh_sqltime_settings *set, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err);
int dh_sqltime_out(struct dh_buf *b, enum dh_sqltime_type t, const struct dh_value *v,
		   const struct dh_sqltime_settings *set);
/* Interval <-> its 16-byte value.  _get: DH_EBADVALUE unless BYTES of 16. */
int dh_sqltime_interval_get(const struct dh_value *v, struct dh_interval *out);
void dh_sqltime_interval_put(const struct dh_interval *iv, struct dh_arena *a,
			     struct dh_value *out);

/* Binary wire forms (PostgreSQL's send/recv): timestamp[tz] int64 us since
 * 2000-01-01, date int32 days since 2000-01-01, time int64 us, interval
 * int64 us + int32 days + int32 months; all big-endian.  _send appends;
 * _recv takes exactly the bytes of one value, 22P03 invalid binary data
 * (wrong length), 22008 out of range. */
int dh_sqltime_send(struct dh_buf *b, enum dh_sqltime_type t, const struct dh_value *v);
int dh_sqltime_recv(enum dh_sqltime_type t, const unsigned char *p, size_t n, struct dh_arena *a,
		    struct dh_value *out, struct dh_err *err);

/* --- comparison and hashing ------------------------------------------- */

/* Intervals compare by months*30 days + days*24 h + time (PostgreSQL's
 * interval_cmp), so '1 mon' = '30 days' = '720:00:00'; the hash agrees. */
int dh_sqltime_interval_cmp(const struct dh_interval *a, const struct dh_interval *b);
uint64_t dh_sqltime_interval_hash(const struct dh_interval *iv);
/* Cross-type comparison of date / timestamp / timestamptz values as
 * PostgreSQL does it (date -> timestamp, timestamp -> timestamptz in the
 * session zone; out-of-range dates compare as beyond every timestamp).
 * Same types compare as integers.  Returns <0, 0, >0. */
int dh_sqltime_cmp(enum dh_sqltime_type ta, int64_t a, enum dh_sqltime_type tb, int64_t b,
		   const struct dh_sqltime_settings *set);

/* --- operators (22008 "... out of range", 22015/22008 interval) ------- */

int dh_sqltime_date_pl_days(int64_t d, int64_t days, int64_t *out, struct dh_err *err);
int dh_sqltime_date_mi_days(int64_t d, int64_t days, int64_t *out, struct dh_err *err);
/* date - date: int4 days. 22008 cannot subtract infinite dates. */
int dh_sqltime_date_mi_date(int64_t a, int64_t b, int64_t *out, struct dh_err *err);
/* date + interval, date - interval -> timestamp; date + time -> timestamp */
int dh_sqltime_date_pl_interval(int64_t d, const struct dh_interval *iv, int64_t *out,
				struct dh_err *err);
int dh_sqltime_date_mi_interval(int64_t d, const struct dh_interval *iv, int64_t *out,
				struct dh_err *err);
int dh_sqltime_date_pl_time(int64_t d, int64_t t, int64_t *out, struct dh_err *err);
/* timestamp +/- interval (months clamp the day of month) */
int dh_sqltime_timestamp_pl_interval(int64_t ts, const struct dh_interval *iv, int64_t *out,
				     struct dh_err *err);
int dh_sqltime_timestamp_mi_interval(int64_t ts, const struct dh_interval *iv, int64_t *out,
				     struct dh_err *err);
/* timestamptz +/- interval: months and days in the session zone (DST) */
int dh_sqltime_timestamptz_pl_interval(int64_t ts, const struct dh_interval *iv,
				       const struct dh_sqltime_settings *set, int64_t *out,
				       struct dh_err *err);
int dh_sqltime_timestamptz_mi_interval(int64_t ts, const struct dh_interval *iv,
				       const struct dh_sqltime_settings *set, int64_t *out,
				       struct dh_err *err);
/* timestamp - timestamp, timestamptz - timestamptz: days + time (justify_hours) */
int dh_sqltime_timestamp_mi(int64_t a, int64_t b, struct dh_interval *out, struct dh_err *err);
/* time +/- interval (wraps around midnight), time - time */
int64_t dh_sqltime_time_pl_interval(int64_t t, const struct dh_interval *iv);
int64_t dh_sqltime_time_mi_interval(int64_t t, const struct dh_interval *iv);
void dh_sqltime_time_mi_time(int64_t a, int64_t b, struct dh_interval *out);
int dh_sqltime_interval_pl(const struct dh_interval *a, const struct dh_interval *b,
			   struct dh_interval *out, struct dh_err *err);
int dh_sqltime_interval_mi(const struct dh_interval *a, const struct dh_interval *b,
			   struct dh_interval *out, struct dh_err *err);
int dh_sqltime_interval_um(const struct dh_interval *a, struct dh_interval *out,
			   struct dh_err *err);
int dh_sqltime_interval_mul(const struct dh_interval *a, double f, struct dh_interval *out,
			    struct dh_err *err);
/* 22012 division by zero */
int dh_sqltime_interval_div(const struct dh_interval *a, double f, struct dh_interval *out,
			    struct dh_err *err);

/* --- casts ------------------------------------------------------------ */

/* Each cast is named from_to; the _tz ones use the session zone. */
int dh_sqltime_date_to_timestamp(int64_t d, int64_t *out, struct dh_err *err);
int dh_sqltime_date_to_timestamptz(int64_t d, const struct dh_sqltime_settings *set, int64_t *out,
				   struct dh_err *err);
int dh_sqltime_timestamp_to_date(int64_t ts, int64_t *out, struct dh_err *err);
int dh_sqltime_timestamptz_to_date(int64_t ts, const struct dh_sqltime_settings *set, int64_t *out,
				   struct dh_err *err);
int dh_sqltime_timestamp_to_timestamptz(int64_t ts, const struct dh_sqltime_settings *set,
					int64_t *out, struct dh_err *err);
int dh_sqltime_timestamptz_to_timestamp(int64_t ts, const struct dh_sqltime_settings *set,
					int64_t *out, struct dh_err *err);
/* timestamp::time, timestamptz::time; infinite -> *isnull (PostgreSQL
 * returns NULL) */
int dh_sqltime_timestamp_to_time(int64_t ts, int64_t *out, int *isnull);
int dh_sqltime_timestamptz_to_time(int64_t ts, const struct dh_sqltime_settings *set,
				   int64_t *out, int *isnull, struct dh_err *err);
void dh_sqltime_time_to_interval(int64_t t, struct dh_interval *out);
int64_t dh_sqltime_interval_to_time(const struct dh_interval *iv);

/* --- functions -------------------------------------------------------- */

/* now(), current_timestamp, transaction_timestamp(): set->now (the caller
 * supplies the transaction start); statement_timestamp(): set->statement_now;
 * clock_timestamp(): the wall clock.  current_date: set->now's date in the
 * session zone; localtime(p) (time), localtimestamp(p), current_timestamp(p)
 * rounded to p digits, p = -1 for none.  current_time (timetz) is
 * dh_sqltime_timestamptz_to_timetz of set->now, its time rounded. */
int64_t dh_sqltime_now(const struct dh_sqltime_settings *set);
int dh_sqltime_current_date(const struct dh_sqltime_settings *set, int64_t *out,
			    struct dh_err *err);
int dh_sqltime_localtime(const struct dh_sqltime_settings *set, int p, int64_t *out);
int dh_sqltime_localtimestamp(const struct dh_sqltime_settings *set, int p, int64_t *out,
			      struct dh_err *err);
int dh_sqltime_current_timestamp(const struct dh_sqltime_settings *set, int p, int64_t *out,
				 struct dh_err *err);
int64_t dh_sqltime_clock_timestamp(void);
int64_t dh_sqltime_statement_timestamp(const struct dh_sqltime_settings *set);

/* isfinite(date|timestamp|timestamptz) */
int dh_sqltime_isfinite(int64_t v);

/* date_trunc(unit, x[, zone]).  type is TIMESTAMP, TIMESTAMPTZ (zone NULL:
 * the session's) or INTERVAL (iv).  22023 unit "x" not recognized for type
 * ..., 0A000 unit "x" not supported for type ... */
int dh_sqltime_date_trunc(const char *unit, enum dh_sqltime_type t, int64_t ts, const char *zone,
			  const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err);
int dh_sqltime_date_trunc_interval(const char *unit, const struct dh_interval *iv,
				   struct dh_interval *out, struct dh_err *err);

/* extract(field from x) (numeric: a BIGDEC value in arena a, or a DOUBLE
 * +-Infinity where PostgreSQL returns numeric +-Infinity, or DH_T_NONE for
 * NULL) and date_part(field, x) (float8: DOUBLE or DH_T_NONE).  t: DATE,
 * TIME, TIMESTAMP, TIMESTAMPTZ; v the value; for INTERVAL pass iv. */
int dh_sqltime_extract(const char *field, enum dh_sqltime_type t, int64_t v,
		       const struct dh_interval *iv, const struct dh_sqltime_settings *set,
		       struct dh_arena *a, struct dh_value *out, struct dh_err *err);
int dh_sqltime_date_part(const char *field, enum dh_sqltime_type t, int64_t v,
			 const struct dh_interval *iv, const struct dh_sqltime_settings *set,
			 struct dh_value *out, struct dh_err *err);

/* age(a, b) for TIMESTAMP or TIMESTAMPTZ; age(x) is age(current_date, x),
 * see dh_sqltime_age1. */
int dh_sqltime_age(enum dh_sqltime_type t, int64_t a, int64_t b,
		   const struct dh_sqltime_settings *set, struct dh_interval *out,
		   struct dh_err *err);
int dh_sqltime_age1(enum dh_sqltime_type t, int64_t x, const struct dh_sqltime_settings *set,
		    struct dh_interval *out, struct dh_err *err);

int dh_sqltime_justify_days(const struct dh_interval *a, struct dh_interval *out,
			    struct dh_err *err);
int dh_sqltime_justify_hours(const struct dh_interval *a, struct dh_interval *out,
			     struct dh_err *err);
int dh_sqltime_justify_interval(const struct dh_interval *a, struct dh_interval *out,
				struct dh_err *err);

int dh_sqltime_make_date(int64_t y, int64_t m, int64_t d, int64_t *out, struct dh_err *err);
int dh_sqltime_make_time(int64_t h, int64_t m, double s, int64_t *out, struct dh_err *err);
int dh_sqltime_make_timestamp(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, double s,
			      int64_t *out, struct dh_err *err);
/* zone NULL: the session zone */
int dh_sqltime_make_timestamptz(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, double s,
				const char *zone, const struct dh_sqltime_settings *set,
				int64_t *out, struct dh_err *err);
int dh_sqltime_make_interval(int64_t years, int64_t months, int64_t weeks, int64_t days,
			     int64_t hours, int64_t mins, double secs, struct dh_interval *out,
			     struct dh_err *err);

/* x AT TIME ZONE zone, timezone(zone, x): TIMESTAMP -> timestamptz,
 * TIMESTAMPTZ -> timestamp.  Zone: an abbreviation, a zone name or a POSIX
 * string; 22023 time zone "x" not recognized.  _izone: zone an interval
 * (22023 interval time zone "x" must not include months or days). */
int dh_sqltime_at_zone(const char *zone, enum dh_sqltime_type t, int64_t ts,
		       const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err);
int dh_sqltime_at_izone(const struct dh_interval *zone, enum dh_sqltime_type t, int64_t ts,
			const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err);

/* date_bin(stride, x, origin) for TIMESTAMP and TIMESTAMPTZ */
int dh_sqltime_date_bin(const struct dh_interval *stride, int64_t ts, int64_t origin,
			int64_t *out, struct dh_err *err);

/* to_timestamp(float8): 22008 timestamp cannot be NaN / out of range */
int dh_sqltime_to_timestamp_float(double secs, int64_t *out, struct dh_err *err);

/* to_char(x, fmt) for TIMESTAMP, TIMESTAMPTZ (session zone) and INTERVAL
 * (iv); appends the text to b, or sets *isnull (infinite x, empty fmt).
 * 22007 invalid format specification for an interval value. */
int dh_sqltime_to_char(struct dh_buf *b, enum dh_sqltime_type t, int64_t ts,
		       const struct dh_interval *iv, const char *fmt, size_t fmtlen,
		       const struct dh_sqltime_settings *set, int *isnull, struct dh_err *err);
/* to_timestamp(text, fmt) -> timestamptz, to_date(text, fmt) -> date, with
 * formatting.c's rules (FM, FX, TH, separators, 2-digit years near 2020,
 * ISO weeks); 22007 for a template the text does not match, 22008 out of
 * range, 0A000 for TZ/OF (to_char only). */
int dh_sqltime_to_timestamp(const char *s, size_t n, const char *fmt, size_t fmtlen,
			    const struct dh_sqltime_settings *set, int64_t *out,
			    struct dh_err *err);
int dh_sqltime_to_date(const char *s, size_t n, const char *fmt, size_t fmtlen,
		       const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err);

/* generate_series(start, stop, step) over timestamps: the step function is
 * dh_sqltime_timestamp[tz]_pl_interval; _series_check refuses a zero step
 * as PostgreSQL does (22023 step size cannot equal zero). */
int dh_sqltime_series_check(const struct dh_interval *step, struct dh_err *err);

#endif
