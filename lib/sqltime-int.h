/*
 * sqltime-int: what the files of the sqltime module share.
 *
 *   sqltime-tz.c     zones: TZif files, POSIX rules, abbreviations
 *   sqltime-parse.c  PostgreSQL's datetime parser (ParseDateTime and the
 *                    Decode* family), the input functions, DateStyle
 *   sqltime-interval.c  interval input (DecodeInterval, ISO 8601)
 *   sqltime.c        calendar, output, arithmetic, functions, casts
 *   sqltime-fmt.c    to_char, to_timestamp, to_date
 *
 * Inside the module timestamps are PostgreSQL's: int64 microseconds since
 * 2000-01-01 (dh__st_ts2000 / dh__st_ts1970 convert at the API), dates
 * int32-range days since 2000-01-01, so the algorithms (and their rounding
 * and range checks) are PostgreSQL's own.  Broken-down times use
 * PostgreSQL's convention: year 0 is 1 BC, months 1..12.
 */
#ifndef DH_SQLTIME_INT_H
#define DH_SQLTIME_INT_H

#include <stdint.h>

#include "sqltime.h"

#define USECS_PER_DAY INT64_C(86400000000)
#define USECS_PER_HOUR INT64_C(3600000000)
#define USECS_PER_MINUTE INT64_C(60000000)
#define USECS_PER_SEC INT64_C(1000000)
#define SECS_PER_DAY 86400
#define SECS_PER_HOUR 3600
#define SECS_PER_MINUTE 60
#define MINS_PER_HOUR 60
#define HOURS_PER_DAY 24
#define DAYS_PER_MONTH 30
#define MONTHS_PER_YEAR 12
#define DAYS_PER_YEAR 365.25

#define POSTGRES_EPOCH_JDATE 2451545
#define UNIX_EPOCH_JDATE 2440588
#define EPOCH_DIFF_DAYS (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) /* 10957 */
#define EPOCH_DIFF_USECS (INT64_C(10957) * USECS_PER_DAY)

#define JULIAN_MINYEAR (-4713)
#define JULIAN_MINMONTH 11
#define JULIAN_MAXYEAR 5874898
#define JULIAN_MAXMONTH 6
#define DATETIME_MIN_JULIAN 0
#define DATE_END_JULIAN 2147483494
#define TIMESTAMP_END_JULIAN 109203528
#define MIN_TIMESTAMP INT64_C(-211813488000000000)
#define END_TIMESTAMP INT64_C(9223371331200000000)
#define MAX_TZDISP_HOUR 15
#define IS_VALID_JULIAN(y, m, d)                                                                  \
	(((y) > JULIAN_MINYEAR || ((y) == JULIAN_MINYEAR && ((m) >= JULIAN_MINMONTH))) &&         \
	 ((y) < JULIAN_MAXYEAR || ((y) == JULIAN_MAXYEAR && ((m) < JULIAN_MAXMONTH))))
#define IS_VALID_DATE(d)                                                                          \
	((DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE) <= (d) &&                                   \
	 (d) < (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE))
#define IS_VALID_TIMESTAMP(t) (MIN_TIMESTAMP <= (t) && (t) < END_TIMESTAMP)
#define TS_NOT_FINITE(t) ((t) == INT64_MIN || (t) == INT64_MAX)
#define DATE_NOBEGIN_32 INT32_MIN
#define DATE_NOEND_32 INT32_MAX

/* Broken-down time. */
struct st_tm {
	int year, mon, mday, hour, min, sec;
	int wday, yday, isdst;
	long gmtoff;      /* seconds east of UTC */
	const char *zone; /* abbreviation, or NULL */
};
/* Broken-down interval (PostgreSQL's pg_itm / pg_itm_in). */
struct st_itm {
	int64_t usec; /* output: < 1 s; input: all the time part */
	int sec, min;
	int64_t hour;
	int mday, mon, year;
};

/* --- calendar (sqltime.c) --- */
extern const int dh__st_day_tab[2][13];
#define ISLEAP(y) (((y) % 4) == 0 && (((y) % 100) != 0 || ((y) % 400) == 0))
int dh__st_date2j(int y, int m, int d);
void dh__st_j2date(int jd, int *y, int *m, int *d);
int dh__st_j2day(int jd);
int dh__st_date2isoweek(int y, int m, int d);
int dh__st_date2isoyear(int y, int m, int d);
int dh__st_date2isoyearday(int y, int m, int d);
int dh__st_isoweek2j(int year, int week);
void dh__st_isoweek2date(int woy, int *year, int *mon, int *mday);
void dh__st_isoweekdate2date(int isoweek, int wday, int *year, int *mon, int *mday);
void dh__st_dt2time(int64_t jd, int *hour, int *min, int *sec, int64_t *fsec);
int dh__st_time_overflows(int hour, int min, int sec, int64_t fsec);

/* timestamp2tm: tz NULL for no conversion (tzp untouched), else the
 * broken-down time in zone tz, *tzp its offset (seconds west).  -1 out of
 * range. */
int dh__st_ts2tm(int64_t dt, int *tzp, struct st_tm *tm, int64_t *fsec,
		 const struct dh_sqltime_tz *tz);
/* tm2timestamp: tzp NULL for none; -1 out of range */
int dh__st_tm2ts(const struct st_tm *tm, int64_t fsec, const int *tzp, int64_t *out);
/* DetermineTimeZoneOffset: seconds west for local time tm in tz; sets
 * tm->isdst */
int dh__st_tz_offset(struct st_tm *tm, const struct dh_sqltime_tz *tz);
void dh__st_interval2itm(const struct dh_interval *iv, struct st_itm *itm);
int dh__st_itm2interval(const struct st_itm *itm, struct dh_interval *iv);
const struct dh_sqltime_tz *dh__st_session_tz(const struct dh_sqltime_settings *set);

/* API <-> internal timestamps and dates */
int64_t dh__st_ts2000(int64_t ts1970);
int dh__st_ts1970(int64_t ts2000, int64_t *out, struct dh_err *err);
int32_t dh__st_date2000(int64_t d1970);
int64_t dh__st_date1970(int32_t d2000);

int dh__st_err_ts_range(struct dh_err *err);
int dh__st_err_iv_range(struct dh_err *err);

/* output pieces (sqltime.c) */
void dh__st_encode_datetime(struct dh_buf *b, const struct st_tm *tm, int64_t fsec, int print_tz,
			    int tz, const char *tzn, int style, int dateorder);
void dh__st_append_seconds(struct dh_buf *b, int sec, int64_t fsec, int precision,
			   int fillzeros);

/* --- zones (sqltime-tz.c) --- */
extern const struct dh_sqltime_tz dh__st_utc;
/* pg_localtime: UTC seconds t -> offset (east), isdst, abbreviation */
void dh__st_tz_local(const struct dh_sqltime_tz *tz, int64_t t, long *gmtoff, int *isdst,
		     const char **abbr);
/* pg_next_dst_boundary: 1 found (boundary and after_*), 0 none, -1 error */
int dh__st_tz_next_boundary(const struct dh_sqltime_tz *tz, int64_t t, long *before_gmtoff,
			    int *before_isdst, int64_t *boundary, long *after_gmtoff,
			    int *after_isdst);
/* pg_tzset: a zone by name (tz database, case-insensitive, or POSIX
 * string); NULL if unknown.  Heap; dh_sqltime_tz_free. */
struct dh_sqltime_tz *dh__st_tz_open(const char *name);
/* a fixed zone, gmtoff seconds east (pg_tzset_offset takes west) */
struct dh_sqltime_tz *dh__st_tz_fixed(long gmtoff);
/* A zone named in an expression, through set->zones; *owned is set when
 * the caller must free it (no cache). */
const struct dh_sqltime_tz *dh__st_zone_get(const struct dh_sqltime_settings *set,
					    const char *name, struct dh_sqltime_tz **owned);
/* Time zone abbreviation table (lower-case key).  Returns 1 and the
 * offset (seconds east) and isdst if known. */
int dh__st_tzabbrev(const char *lower, int *gmtoff, int *isdst);
/* the same, *zone the defining zone of a dynamic abbreviation (or NULL) */
int dh__st_tzabbrev_zone(const char *lower, int *gmtoff, int *isdst, const char **zone);
/* pg_get_timezone_offset: 1 if every offset of tz is the same */
int dh__st_tz_fixed_offset(const struct dh_sqltime_tz *tz, long *gmtoff);
/* the offset abbreviation abbr has in tz around UTC time t; 1 found */
int dh__st_tz_abbrev_at(const struct dh_sqltime_tz *tz, int64_t t, const char *abbr,
			long *gmtoff, int *isdst);
/* DetermineTimeZoneAbbrevOffset: seconds west */
int dh__st_tz_abbrev_offset(struct st_tm *tm, const char *abbr, const struct dh_sqltime_tz *tz);

/* --- parser (sqltime-parse.c) --- */
#define MAXDATELEN 128
#define MAXDATEFIELDS 25
#define TOKMAXLEN 10

/* field types (ParseDateTime) and date/time tokens */
enum {
	DTK_NUMBER = 0,
	DTK_STRING = 1,
	DTK_DATE = 2,
	DTK_TIME = 3,
	DTK_TZ = 4,
	DTK_AGO = 5,
	DTK_SPECIAL = 6,
	DTK_EARLY = 9,
	DTK_LATE = 10,
	DTK_EPOCH = 11,
	DTK_NOW = 12,
	DTK_YESTERDAY = 13,
	DTK_TODAY = 14,
	DTK_TOMORROW = 15,
	DTK_ZULU = 16,
	DTK_DELTA = 17,
	DTK_SECOND = 18,
	DTK_MINUTE = 19,
	DTK_HOUR = 20,
	DTK_DAY = 21,
	DTK_WEEK = 22,
	DTK_MONTH = 23,
	DTK_QUARTER = 24,
	DTK_YEAR = 25,
	DTK_DECADE = 26,
	DTK_CENTURY = 27,
	DTK_MILLENNIUM = 28,
	DTK_MILLISEC = 29,
	DTK_MICROSEC = 30,
	DTK_JULIAN = 31,
	DTK_DOW = 32,
	DTK_DOY = 33,
	DTK_TZ_HOUR = 34,
	DTK_TZ_MINUTE = 35,
	DTK_ISOYEAR = 36,
	DTK_ISODOW = 37,
};
/* token classes */
enum {
	RESERV = 0,
	MONTH = 1,
	YEAR = 2,
	DAY = 3,
	JULIAN = 4,
	TZ = 5,
	DTZ = 6,
	DYNTZ = 7,
	IGNORE_DTF = 8,
	AMPM = 9,
	HOUR = 10,
	MINUTE = 11,
	SECOND = 12,
	MILLISECOND = 13,
	MICROSECOND = 14,
	DOY = 15,
	DOW = 16,
	UNITS = 17,
	ADBC = 18,
	AGO = 19,
	ABS_BEFORE = 20,
	ABS_AFTER = 21,
	ISODATE = 22,
	ISOTIME = 23,
	WEEK = 24,
	DECADE = 25,
	CENTURY = 26,
	MILLENNIUM = 27,
	DTZMOD = 28,
	UNKNOWN_FIELD = 31,
};
#define DTK_M(t) ((int)(0x01u << (t))) /* bit 31 (UNKNOWN_FIELD) is INT_MIN */
#define DTK_ALL_SECS_M (DTK_M(SECOND) | DTK_M(MILLISECOND) | DTK_M(MICROSECOND))
#define DTK_DATE_M (DTK_M(YEAR) | DTK_M(MONTH) | DTK_M(DAY))
#define DTK_TIME_M (DTK_M(HOUR) | DTK_M(MINUTE) | DTK_ALL_SECS_M)
#define AM 0
#define PM 1
#define HR24 2
#define AD 0
#define BC 1

#define DTERR_BAD_FORMAT (-1)
#define DTERR_FIELD_OVERFLOW (-2)
#define DTERR_MD_FIELD_OVERFLOW (-3)
#define DTERR_INTERVAL_OVERFLOW (-4)
#define DTERR_TZDISP_OVERFLOW (-5)
/* the parser already filled err (unknown time zone name) */
#define DTERR_REPORTED (-100)

/* DecodeUnits / DecodeSpecial: token class, *val the token */
int dh__st_decode_units(const char *lowtoken, int *val);
int dh__st_decode_special(const char *lowtoken, int *val);
/* DecodeTimezone: "+hh[:mm[:ss]]" -> seconds west */
int dh__st_decode_timezone(const char *str, int *tzp);
int dh__st_parse_error(int dterr, const char *str, const char *type, struct dh_err *err);
/* ParseDateTime: split timestr into fields (workbuf holds them) */
int dh__st_parse_datetime(const char *timestr, char *workbuf, size_t buflen, char **field,
			  int *ftype, int maxfields, int *numfields);
int dh__st_parse_fraction(const char *cp, double *frac);
int dh__st_parse_fractional_second(const char *cp, int64_t *fsec);
/* strtol limited to int (errno ERANGE beyond) */
int dh__st_strtoint(const char *s, char **end, int base);
/* NUL-terminated copy of s[0..n): small if it fits, else heap */
char *dh__st_input_copy(const char *s, size_t n, char *small, size_t smallsz);
/* lower-case copy into buf (at most n-1 bytes, like
 * downcase_truncate_identifier without truncation at 63) */
void dh__st_lower(char *buf, size_t n, const char *s);

/* --- formatting (sqltime-fmt.c) --- */
extern const char *const dh__st_months[];
extern const char *const dh__st_days[];

#endif
