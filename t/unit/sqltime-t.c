/*
 * sqltime-t: unit tests of lib/sqltime.  They pin down what the
 * differential test against PostgreSQL (t/t4110-sqltime-pg.sh, which skips
 * without a server) cannot see: the representation (1970 epochs, sentinels,
 * the 16 interval bytes), the value and wire wrappers, settings parsing,
 * zones, the cache, hashing; plus a few answers PostgreSQL 15 gives, so
 * the module is checked on machines without one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime.h"
#include "tap.h"

static struct dh_sqltime_settings set;
static struct dh_err err;
static struct dh_buf buf;
static struct dh_arena arena;

static const char *
show_ts(int64_t v, int tz)
{
	dh_buf_reset(&buf);
	if (tz)
		dh_sqltime_timestamptz_out(&buf, v, &set);
	else
		dh_sqltime_timestamp_out(&buf, v, &set);
	return (const char *)buf.p;
}

static const char *
show_iv(const struct dh_interval *iv)
{
	dh_buf_reset(&buf);
	dh_sqltime_interval_out(&buf, iv, &set);
	return (const char *)buf.p;
}

static int64_t
ts(const char *s)
{
	int64_t v = 0;
	if (dh_sqltime_timestamp_in(s, strlen(s), -1, &set, &v, &err))
		printf("# ts '%s': %s\n", s, err.message);
	return v;
}

static int64_t
tstz(const char *s)
{
	int64_t v = 0;
	if (dh_sqltime_timestamptz_in(s, strlen(s), -1, &set, &v, &err))
		printf("# tstz '%s': %s\n", s, err.message);
	return v;
}

static struct dh_interval
iv(const char *s)
{
	struct dh_interval v = {0, 0, 0};
	if (dh_sqltime_interval_in(s, strlen(s), &set, &v, &err))
		printf("# interval '%s': %s\n", s, err.message);
	return v;
}

static void
test_representation(void)
{
	int64_t d, t;
	is_int(ts("1970-01-01 00:00:00"), 0, "timestamp 1970-01-01 is 0");
	is_int(ts("2000-01-01"), INT64_C(946684800000000), "timestamp counts us since 1970");
	is_int(tstz("1970-01-01 01:00:00+01"), 0, "timestamptz is UTC");
	is_int(ts("infinity"), INT64_MAX, "infinity is INT64_MAX");
	is_int(ts("-infinity"), INT64_MIN, "-infinity is INT64_MIN");
	ok(dh_sqltime_date_in("1970-01-02", 10, &set, &d, &err) == 0 && d == 1,
	   "date counts days since 1970");
	ok(dh_sqltime_date_in("1969-12-31", 10, &set, &d, &err) == 0 && d == -1, "date before 1970");
	ok(dh_sqltime_date_in("infinity", 8, &set, &d, &err) == 0 && d == DH_SQLTIME_NOEND,
	   "date infinity");
	ok(dh_sqltime_time_in("24:00", 5, -1, &set, &t, &err) == 0 && t == DH_SQLTIME_USECS_PER_DAY,
	   "time 24:00 is a whole day of us");
	ok(dh_sqltime_timestamp_in("294247-01-10 04:00:54.775806", 28, -1, &set, &t, &err) == 0 &&
		   t == INT64_MAX - 1,
	   "the last timestamp the 1970-based int64 holds");
	ok(dh_sqltime_timestamp_in("294247-01-10 04:00:54.775807", 28, -1, &set, &t, &err) ==
			   DH_ESQL &&
		   !strcmp(err.sqlstate, "22008"),
	   "one microsecond later is out of range");
}

static void
test_interval_bytes(void)
{
	struct dh_interval a = iv("1 year 2 mons 3 days 00:00:00.000001"), b;
	struct dh_value v;
	const unsigned char *p;
	dh_sqltime_interval_put(&a, &arena, &v);
	p = (const unsigned char *)v.s.p;
	ok(v.type == DH_T_BYTES && v.s.n == 16, "interval value is 16 bytes");
	ok(p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 14, "months first, big-endian");
	ok(p[7] == 3, "then days");
	ok(p[15] == 1 && p[8] == 0, "then microseconds");
	ok(dh_sqltime_interval_get(&v, &b) == 0 && b.month == 14 && b.day == 3 && b.time == 1,
	   "get inverts put");
	v.s.n = 15;
	ok(dh_sqltime_interval_get(&v, &b) == DH_EBADVALUE, "15 bytes are not an interval");
	a = iv("-1 day");
	dh_sqltime_interval_put(&a, &arena, &v);
	p = (const unsigned char *)v.s.p;
	ok(p[4] == 0xff && p[7] == 0xff, "negative days in two's complement");
}

static void
test_values_and_wire(void)
{
	struct dh_value v, back;
	struct dh_buf b;
	static const struct {
		enum dh_sqltime_type t;
		const char *in, *out;
	} cases[] = {
		{DH_SQLTIME_DATE, "2024-02-29", "2024-02-29"},
		{DH_SQLTIME_TIME, "04:05:06.5", "04:05:06.5"},
		{DH_SQLTIME_TIMESTAMP, "0044-03-15 12:00 BC", "0044-03-15 12:00:00 BC"},
		{DH_SQLTIME_TIMESTAMPTZ, "2024-01-02 03:04:05+02", "2024-01-02 01:04:05+00"},
		{DH_SQLTIME_INTERVAL, "-1 day +02:00", "-1 days +02:00:00"},
		{DH_SQLTIME_INTERVAL, "P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06"},
		{DH_SQLTIME_TIMESTAMP, "infinity", "infinity"},
		{DH_SQLTIME_DATE, "-infinity", "-infinity"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = dh_sqltime_in(cases[i].t, cases[i].in, strlen(cases[i].in), &set, &arena, &v,
				       &err);
		dh_buf_reset(&buf);
		if (rc == 0)
			dh_sqltime_out(&buf, cases[i].t, &v, &set);
		is_str(rc == 0 ? (const char *)buf.p : err.message, cases[i].out, "in/out '%s'",
		       cases[i].in);
		dh_buf_init(&b, 0);
		ok(dh_sqltime_send(&b, cases[i].t, &v) == 0 &&
			   dh_sqltime_recv(cases[i].t, b.p, b.len, &arena, &back, &err) == 0 &&
			   (cases[i].t == DH_SQLTIME_INTERVAL ? memcmp(back.s.p, v.s.p, 16) == 0
							      : back.i == v.i),
		   "send/recv '%s'", cases[i].in);
		dh_buf_release(&b);
	}
	/* wire epochs are 2000-based */
	dh_sqltime_in(DH_SQLTIME_TIMESTAMP, "2000-01-01", 10, &set, &arena, &v, &err);
	dh_buf_init(&b, 0);
	dh_sqltime_send(&b, DH_SQLTIME_TIMESTAMP, &v);
	ok(b.len == 8 && memcmp(b.p, "\0\0\0\0\0\0\0\0", 8) == 0, "timestamp 2000-01-01 sends 0");
	dh_buf_reset(&b);
	dh_sqltime_in(DH_SQLTIME_DATE, "1999-12-31", 10, &set, &arena, &v, &err);
	dh_sqltime_send(&b, DH_SQLTIME_DATE, &v);
	ok(b.len == 4 && b.p[0] == 0xff && b.p[3] == 0xff, "date 1999-12-31 sends -1");
	dh_buf_release(&b);
	ok(dh_sqltime_recv(DH_SQLTIME_DATE, (const unsigned char *)"\0\0\0", 3, &arena, &v, &err) ==
			   DH_ESQL &&
		   !strcmp(err.sqlstate, "22P03"),
	   "recv refuses a short date");
	ok(dh_sqltime_recv(DH_SQLTIME_TIME,
			   (const unsigned char *)"\x7f\xff\xff\xff\xff\xff\xff\xff", 8, &arena, &v,
			   &err) == DH_ESQL,
	   "recv refuses a time past 24:00");
}

static void
test_errors(void)
{
	int64_t v;
	struct dh_interval i;
	ok(dh_sqltime_timestamp_in("x", 1, -1, &set, &v, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "22007") &&
		   !strcmp(err.message, "invalid input syntax for type timestamp: \"x\""),
	   "22007 with PostgreSQL's message");
	ok(dh_sqltime_date_in("2024-13-01", 10, &set, &v, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "22008") &&
		   !strcmp(err.message, "date/time field value out of range: \"2024-13-01\"") &&
		   strstr(err.hint, "datestyle"),
	   "22008 with the DateStyle hint");
	ok(dh_sqltime_interval_in("2147483648 days", 15, &set, &i, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "22015"),
	   "22015 interval field value out of range");
	ok(dh_sqltime_timestamptz_in("2024-01-01 00:00+16", 19, -1, &set, &v, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "22009"),
	   "22009 time zone displacement out of range");
	ok(dh_sqltime_timestamptz_in("2024-01-01 Mars/Base", 20, -1, &set, &v, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "22023"),
	   "22023 time zone not recognized");
	i = iv("1 day");
	ok(dh_sqltime_interval_div(&i, 0, &i, &err) == DH_ESQL && !strcmp(err.sqlstate, "22012"),
	   "22012 division by zero");
}

static void
test_settings(void)
{
	struct dh_sqltime_tz *tz;
	struct dh_buf show;
	int64_t v;
	dh_buf_init(&show, 0);
	ok(dh_sqltime_set_datestyle(&set, "sql, dmy", &show, &err) == 0 &&
		   set.datestyle == DH_DATESTYLE_SQL && set.dateorder == DH_DATEORDER_DMY,
	   "DateStyle 'sql, dmy'");
	is_str((const char *)show.p, "SQL, DMY", "canonical DateStyle");
	ok(dh_sqltime_date_in("01/02/2024", 10, &set, &v, &err) == 0, "DMY input");
	dh_buf_reset(&buf);
	dh_sqltime_date_out(&buf, v, &set);
	is_str((const char *)buf.p, "01/02/2024", "SQL DMY output of 1 February");
	ok(dh_sqltime_set_datestyle(&set, "iso, mdy", NULL, &err) == 0, "back to ISO, MDY");
	ok(dh_sqltime_set_datestyle(&set, "iso, sql", NULL, &err) == DH_ESQL,
	   "conflicting DateStyle refused");
	ok(dh_sqltime_set_intervalstyle(&set, "iso_8601", &err) == 0, "IntervalStyle iso_8601");
	struct dh_interval i = iv("1 day 2 hours");
	is_str(show_iv(&i), "P1DT2H", "iso_8601 output");
	dh_sqltime_set_intervalstyle(&set, "postgres", &err);
	ok(dh_sqltime_set_intervalstyle(&set, "nope", &err) == DH_ESQL && err.hint[0],
	   "bad IntervalStyle with a hint");

	ok(dh_sqltime_tz_load("Europe/Oslo", &tz, &err) == 0, "load Europe/Oslo");
	is_str(dh_sqltime_tz_name(tz), "Europe/Oslo", "its name");
	set.tz = tz;
	is_str(show_ts(tstz("2024-07-01 12:00+00"), 1), "2024-07-01 14:00:00+02", "CEST in summer");
	is_str(show_ts(tstz("2024-03-31 02:30"), 1), "2024-03-31 03:30:00+02",
	       "a time in the spring gap moves forward");
	is_str(show_ts(tstz("2200-07-01 12:00+00"), 1), "2200-07-01 14:00:00+02",
	       "the POSIX footer rules after the last transition");
	set.tz = NULL;
	dh_sqltime_tz_free(tz);
	ok(dh_sqltime_tz_load("europe/OSLO", &tz, &err) == 0 &&
		   !strcmp(dh_sqltime_tz_name(tz), "Europe/Oslo"),
	   "zone names match case-insensitively");
	dh_sqltime_tz_free(tz);
	ok(dh_sqltime_tz_load("UTC+3", &tz, &err) == 0, "POSIX zone UTC+3");
	set.tz = tz;
	is_str(show_ts(tstz("2024-01-01 12:00+00"), 1), "2024-01-01 09:00:00-03",
	       "POSIX sign: UTC+3 is west");
	set.tz = NULL;
	dh_sqltime_tz_free(tz);
	ok(dh_sqltime_tz_load("2", &tz, &err) == 0, "numeric TimeZone 2");
	set.tz = tz;
	is_str(show_ts(tstz("2024-01-01 12:00+00"), 1), "2024-01-01 14:00:00+02",
	       "SQL sign: 2 is east");
	set.tz = NULL;
	dh_sqltime_tz_free(tz);
	ok(dh_sqltime_tz_load("No/Such_Zone", &tz, &err) == DH_ESQL && !strcmp(err.sqlstate, "22023"),
	   "unknown zone refused");
	ok(dh_sqltime_tz_load("../../etc/passwd", &tz, &err) == DH_ESQL,
	   "no paths outside the zone directory");
	dh_buf_release(&show);
}

static void
test_zone_cache(void)
{
	int64_t a, b, out1, out2;
	set.zones = dh_sqltime_zones_new();
	a = ts("2024-07-01 12:00");
	ok(dh_sqltime_at_zone("America/New_York", DH_SQLTIME_TIMESTAMP, a, &set, &out1, &err) == 0,
	   "AT TIME ZONE through the cache");
	ok(dh_sqltime_at_zone("America/New_York", DH_SQLTIME_TIMESTAMP, a, &set, &out2, &err) == 0 &&
		   out1 == out2,
	   "the cached zone answers the same");
	is_str(show_ts(out1, 1), "2024-07-01 16:00:00+00", "EDT is UTC-4");
	dh_sqltime_zones_free(set.zones);
	set.zones = NULL;
	ok(dh_sqltime_at_zone("America/New_York", DH_SQLTIME_TIMESTAMP, a, &set, &b, &err) == 0 &&
		   b == out1,
	   "and without a cache");
}

static void
test_compare_hash(void)
{
	struct dh_interval m = iv("1 mon"), d = iv("30 days"), h = iv("720 hours"), x = iv("31 days");
	ok(dh_sqltime_interval_cmp(&m, &d) == 0, "'1 mon' = '30 days'");
	ok(dh_sqltime_interval_cmp(&d, &h) == 0, "'30 days' = '720 hours'");
	ok(dh_sqltime_interval_hash(&m) == dh_sqltime_interval_hash(&h), "and they hash alike");
	ok(dh_sqltime_interval_cmp(&m, &x) < 0, "'1 mon' < '31 days'");
	ok(dh_sqltime_interval_hash(&m) != dh_sqltime_interval_hash(&x), "different spans differ");
	int64_t dt, t1;
	dh_sqltime_date_in("2024-01-02", 10, &set, &dt, &err);
	t1 = ts("2024-01-02 00:00:00.000001");
	ok(dh_sqltime_cmp(DH_SQLTIME_DATE, dt, DH_SQLTIME_TIMESTAMP, t1, &set) < 0,
	   "date < a later timestamp");
	ok(dh_sqltime_cmp(DH_SQLTIME_TIMESTAMP, t1, DH_SQLTIME_DATE, dt, &set) > 0,
	   "and the other way round");
	ok(dh_sqltime_cmp(DH_SQLTIME_DATE, DH_SQLTIME_NOEND, DH_SQLTIME_TIMESTAMP, DH_SQLTIME_NOEND,
			  &set) == 0,
	   "infinities are equal across types");
}

static void
test_operators_functions(void)
{
	struct dh_interval i = iv("1 month"), r;
	int64_t v, out;
	ok(dh_sqltime_timestamp_pl_interval(ts("2024-01-31 12:00"), &i, &out, &err) == 0,
	   "timestamp + interval");
	is_str(show_ts(out, 0), "2024-02-29 12:00:00", "month arithmetic clamps the day");
	ok(dh_sqltime_timestamp_mi(ts("2024-03-01 12:00"), ts("2024-02-01"), &r, &err) == 0,
	   "timestamp - timestamp");
	is_str(show_iv(&r), "29 days 12:00:00", "days and time, no months");
	i = iv("1 mon");
	ok(dh_sqltime_interval_mul(&i, 1.5, &r, &err) == 0, "interval * 1.5");
	is_str(show_iv(&r), "1 mon 15 days", "fraction of a month spills into days");
	i = iv("1 day");
	dh_sqltime_interval_div(&i, 3, &r, &err);
	is_str(show_iv(&r), "08:00:00", "fraction of a day spills into time");
	ok(dh_sqltime_timestamp_pl_interval(ts("294247-01-01"), &(struct dh_interval){0, 10, 0}, &v,
					    &err) == DH_ESQL &&
		   !strcmp(err.message, "timestamp out of range"),
	   "timestamp out of range");
	struct dh_value e;
	ok(dh_sqltime_extract("second", DH_SQLTIME_TIMESTAMP, ts("2024-01-01 00:00:05.5"), NULL, &set,
			      &arena, &e, &err) == 0 &&
		   e.type == DH_T_BIGDEC && e.s.n == 8 && !memcmp(e.s.p, "5.500000", 8),
	   "extract returns numeric with PostgreSQL's scale");
	ok(dh_sqltime_date_part("second", DH_SQLTIME_TIMESTAMP, ts("2024-01-01 00:00:05.5"), NULL,
				&set, &e, &err) == 0 &&
		   e.type == DH_T_DOUBLE && e.d == 5.5,
	   "date_part returns float8");
	ok(dh_sqltime_extract("year", DH_SQLTIME_TIMESTAMP, DH_SQLTIME_NOEND, NULL, &set, &arena, &e,
			      &err) == 0 &&
		   e.type == DH_T_DOUBLE && isinf(e.d) && e.d > 0,
	   "numeric Infinity comes back as a double");
	ok(dh_sqltime_extract("hour", DH_SQLTIME_TIMESTAMP, DH_SQLTIME_NOEND, NULL, &set, &arena, &e,
			      &err) == 0 &&
		   e.type == DH_T_NONE,
	   "and NULL as DH_T_NONE");
	ok(dh_sqltime_date_trunc("fortnight", DH_SQLTIME_TIMESTAMP, 0, NULL, &set, &v, &err) ==
			   DH_ESQL &&
		   !strcmp(err.sqlstate, "22023"),
	   "date_trunc unit not recognized");
	int isnull;
	dh_buf_reset(&buf);
	ok(dh_sqltime_to_char(&buf, DH_SQLTIME_TIMESTAMP, ts("2024-05-07 13:04:05"), NULL,
			      "FMDay, DDth Month YYYY HH12:MI AM", 33, &set, &isnull, &err) == 0,
	   "to_char");
	is_str((const char *)buf.p, "Tuesday, 07th May       2024 01:04 PM", "to_char text");
	ok(dh_sqltime_to_timestamp("07 May 2024 13:04", 17, "DD Mon YYYY HH24:MI", 19, &set, &v,
				   &err) == 0,
	   "to_timestamp");
	is_str(show_ts(v, 1), "2024-05-07 13:04:00+00", "to_timestamp result");
	ok(dh_sqltime_series_check(&(struct dh_interval){0, 0, 0}, &err) == DH_ESQL,
	   "a zero step is refused");
	set.now = ts("2024-05-07 13:04:05");
	ok(dh_sqltime_current_date(&set, &v, &err) == 0, "current_date");
	dh_buf_reset(&buf);
	dh_sqltime_date_out(&buf, v, &set);
	is_str((const char *)buf.p, "2024-05-07", "current_date from the transaction start");
	ok(dh_sqltime_date_in("tomorrow", 8, &set, &v, &err) == 0, "'tomorrow'");
	dh_buf_reset(&buf);
	dh_sqltime_date_out(&buf, v, &set);
	is_str((const char *)buf.p, "2024-05-08", "'tomorrow' is relative to set->now");
}

int
main(void)
{
	dh_sqltime_settings_init(&set);
	dh_buf_init(&buf, 0);
	dh_arena_init(&arena);
	test_representation();
	test_interval_bytes();
	test_values_and_wire();
	test_errors();
	test_settings();
	test_zone_cache();
	test_compare_hash();
	test_operators_functions();
	dh_arena_release(&arena);
	dh_buf_release(&buf);
	return tap_done();
}
