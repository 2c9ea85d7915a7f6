/*
 * sqltime: the calendar, conversions between instants and broken-down
 * times in a zone, output in every DateStyle and IntervalStyle, comparison
 * and hashing, the operators, casts and the binary wire forms.  The
 * functions (date_trunc, extract, age, ...) are in sqltime-func.c, input in
 * sqltime-parse.c.  Algorithms follow PostgreSQL 15's so that rounding,
 * clamping and range checks agree to the microsecond.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime-int.h"

const int dh__st_day_tab[2][13] = {
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0},
};
const char *const dh__st_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
				     "Aug", "Sep", "Oct", "Nov", "Dec", NULL};
const char *const dh__st_days[] = {"Sunday",   "Monday", "Tuesday",  "Wednesday",
				   "Thursday", "Friday", "Saturday", NULL};

void
dh_sqltime_settings_init(struct dh_sqltime_settings *s)
{
	memset(s, 0, sizeof *s);
	s->tz = NULL;
	s->datestyle = DH_DATESTYLE_ISO;
	s->dateorder = DH_DATEORDER_MDY;
	s->intervalstyle = DH_INTSTYLE_POSTGRES;
	s->now = dh_now_us();
	s->statement_now = s->now;
}

const struct dh_sqltime_tz *
dh__st_session_tz(const struct dh_sqltime_settings *set)
{
	return set && set->tz ? set->tz : &dh__st_utc;
}

int
dh__st_err_ts_range(struct dh_err *err)
{
	return dh_err_sql(err, "22008", "timestamp out of range");
}

int
dh__st_err_iv_range(struct dh_err *err)
{
	return dh_err_sql(err, "22008", "interval out of range");
}

/* --- API <-> internal --- */

int64_t
dh__st_ts2000(int64_t ts)
{
	if (TS_NOT_FINITE(ts))
		return ts;
	if (ts < INT64_MIN + EPOCH_DIFF_USECS)
		return MIN_TIMESTAMP - 1;
	return ts - EPOCH_DIFF_USECS;
}

int
dh__st_ts1970(int64_t ts, int64_t *out, struct dh_err *err)
{
	if (TS_NOT_FINITE(ts)) {
		*out = ts;
		return 0;
	}
	if (!IS_VALID_TIMESTAMP(ts) || ts > INT64_MAX - 1 - EPOCH_DIFF_USECS)
		return dh__st_err_ts_range(err);
	*out = ts + EPOCH_DIFF_USECS;
	return 0;
}

int32_t
dh__st_date2000(int64_t d)
{
	if (d == DH_SQLTIME_NOBEGIN)
		return DATE_NOBEGIN_32;
	if (d == DH_SQLTIME_NOEND)
		return DATE_NOEND_32;
	d -= EPOCH_DIFF_DAYS;
	if (d <= INT32_MIN)
		return INT32_MIN + 1;
	if (d >= INT32_MAX)
		return INT32_MAX - 1;
	return (int32_t)d;
}

int64_t
dh__st_date1970(int32_t d)
{
	if (d == DATE_NOBEGIN_32)
		return DH_SQLTIME_NOBEGIN;
	if (d == DATE_NOEND_32)
		return DH_SQLTIME_NOEND;
	return (int64_t)d + EPOCH_DIFF_DAYS;
}

#define DATE_NOT_FINITE(d) ((d) == DATE_NOBEGIN_32 || (d) == DATE_NOEND_32)

/* --- calendar --- */

int
dh__st_date2j(int y, int m, int d)
{
	int julian, century;
	if (m > 2) {
		m += 1;
		y += 4800;
	} else {
		m += 13;
		y += 4799;
	}
	century = y / 100;
	julian = y * 365 - 32167;
	julian += y / 4 - century + century / 4;
	julian += 7834 * m / 256 + d;
	return julian;
}

void
dh__st_j2date(int jd, int *year, int *month, int *day)
{
	unsigned int julian, quad, extra;
	int y;
	julian = (unsigned int)jd;
	julian += 32044;
	quad = julian / 146097;
	extra = (julian - quad * 146097) * 4 + 3;
	julian += 60 + quad * 3 + extra / 146097;
	quad = julian / 1461;
	julian -= quad * 1461;
	y = (int)(julian * 4 / 1461);
	julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
	y += (int)quad * 4;
	*year = y - 4800;
	quad = julian * 2141 / 65536;
	*day = (int)(julian - 7834 * quad / 256);
	*month = (int)((quad + 10) % MONTHS_PER_YEAR + 1);
}

int
dh__st_j2day(int date)
{
	date += 1;
	date %= 7;
	if (date < 0)
		date += 7;
	return date;
}

int
dh__st_isoweek2j(int year, int week)
{
	int day0, day4;
	day4 = dh__st_date2j(year, 1, 4);
	day0 = dh__st_j2day(day4 - 1);
	return ((week - 1) * 7) + (day4 - day0);
}

void
dh__st_isoweek2date(int woy, int *year, int *mon, int *mday)
{
	dh__st_j2date(dh__st_isoweek2j(*year, woy), year, mon, mday);
}

void
dh__st_isoweekdate2date(int isoweek, int wday, int *year, int *mon, int *mday)
{
	int jday = dh__st_isoweek2j(*year, isoweek);
	if (wday > 1)
		jday += wday - 2;
	else
		jday += 6;
	dh__st_j2date(jday, year, mon, mday);
}

int
dh__st_date2isoweek(int year, int mon, int mday)
{
	double result;
	int day0, day4, dayn;
	dayn = dh__st_date2j(year, mon, mday);
	day4 = dh__st_date2j(year, 1, 4);
	day0 = dh__st_j2day(day4 - 1);
	if (dayn < day4 - day0) {
		day4 = dh__st_date2j(year - 1, 1, 4);
		day0 = dh__st_j2day(day4 - 1);
	}
	result = (dayn - (day4 - day0)) / 7 + 1;
	if (result >= 52) {
		day4 = dh__st_date2j(year + 1, 1, 4);
		day0 = dh__st_j2day(day4 - 1);
		if (dayn >= day4 - day0)
			result = (dayn - (day4 - day0)) / 7 + 1;
	}
	return (int)result;
}

int
dh__st_date2isoyear(int year, int mon, int mday)
{
	double result;
	int day0, day4, dayn;
	dayn = dh__st_date2j(year, mon, mday);
	day4 = dh__st_date2j(year, 1, 4);
	day0 = dh__st_j2day(day4 - 1);
	if (dayn < day4 - day0) {
		day4 = dh__st_date2j(year - 1, 1, 4);
		day0 = dh__st_j2day(day4 - 1);
		year--;
	}
	result = (dayn - (day4 - day0)) / 7 + 1;
	if (result >= 52) {
		day4 = dh__st_date2j(year + 1, 1, 4);
		day0 = dh__st_j2day(day4 - 1);
		if (dayn >= day4 - day0)
			year++;
	}
	return year;
}

int
dh__st_date2isoyearday(int year, int mon, int mday)
{
	return dh__st_date2j(year, mon, mday) -
	       dh__st_isoweek2j(dh__st_date2isoyear(year, mon, mday), 1) + 1;
}

void
dh__st_dt2time(int64_t jd, int *hour, int *min, int *sec, int64_t *fsec)
{
	int64_t time = jd;
	*hour = (int)(time / USECS_PER_HOUR);
	time -= (*hour) * USECS_PER_HOUR;
	*min = (int)(time / USECS_PER_MINUTE);
	time -= (*min) * USECS_PER_MINUTE;
	*sec = (int)(time / USECS_PER_SEC);
	*fsec = time - (*sec * USECS_PER_SEC);
}

int
dh__st_time_overflows(int hour, int min, int sec, int64_t fsec)
{
	if (hour < 0 || hour > HOURS_PER_DAY || min < 0 || min >= MINS_PER_HOUR || sec < 0 ||
	    sec > SECS_PER_MINUTE || fsec < 0 || fsec > USECS_PER_SEC)
		return 1;
	if ((((((int64_t)hour * MINS_PER_HOUR + min) * SECS_PER_MINUTE) + sec) * USECS_PER_SEC) +
		    fsec >
	    USECS_PER_DAY)
		return 1;
	return 0;
}

/* days since 1970 -> y/m/d for any int64 day (local times may leave the
 * Julian range that j2date handles) */
static void
days2ymd(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
dh__st_ts2tm(int64_t dt, int *tzp, struct st_tm *tm, int64_t *fsec,
	     const struct dh_sqltime_tz *tz)
{
	int64_t date, time = dt;
	date = time / USECS_PER_DAY;
	if (date != 0)
		time -= date * USECS_PER_DAY;
	if (time < 0) {
		time += USECS_PER_DAY;
		date -= 1;
	}
	date += POSTGRES_EPOCH_JDATE;
	if (date < 0 || date > (int64_t)INT_MAX)
		return -1;
	dh__st_j2date((int)date, &tm->year, &tm->mon, &tm->mday);
	dh__st_dt2time(time, &tm->hour, &tm->min, &tm->sec, fsec);
	if (!tzp) {
		tm->isdst = -1;
		tm->gmtoff = 0;
		tm->zone = NULL;
		return 0;
	}
	int64_t utime = (dt - *fsec) / USECS_PER_SEC + (int64_t)EPOCH_DIFF_DAYS * SECS_PER_DAY;
	long gmtoff;
	int isdst;
	const char *abbr;
	dh__st_tz_local(tz, utime, &gmtoff, &isdst, &abbr);
	int64_t local = utime + gmtoff;
	int64_t days = local / SECS_PER_DAY, secs;
	if (local % SECS_PER_DAY < 0)
		days--;
	secs = local - days * SECS_PER_DAY;
	days2ymd(days, &tm->year, &tm->mon, &tm->mday);
	tm->hour = (int)(secs / 3600);
	tm->min = (int)(secs / 60 % 60);
	tm->sec = (int)(secs % 60);
	tm->isdst = isdst;
	tm->gmtoff = gmtoff;
	tm->zone = abbr;
	*tzp = (int)-gmtoff;
	return 0;
}

int
dh__st_tm2ts(const struct st_tm *tm, int64_t fsec, const int *tzp, int64_t *result)
{
	int64_t date, time;
	if (!IS_VALID_JULIAN(tm->year, tm->mon, tm->mday)) {
		*result = 0;
		return -1;
	}
	date = dh__st_date2j(tm->year, tm->mon, tm->mday) - POSTGRES_EPOCH_JDATE;
	time = (((int64_t)tm->hour * MINS_PER_HOUR + tm->min) * SECS_PER_MINUTE + tm->sec) *
		       USECS_PER_SEC +
	       fsec;
	if (__builtin_mul_overflow(date, USECS_PER_DAY, result) ||
	    __builtin_add_overflow(*result, time, result)) {
		*result = 0;
		return -1;
	}
	if ((*result < 0 && date > 0) || (*result > 0 && date < -1)) {
		*result = 0;
		return -1;
	}
	if (tzp) {
		if (__builtin_add_overflow(*result, (int64_t)*tzp * USECS_PER_SEC, result)) {
			*result = 0;
			return -1;
		}
	}
	if (!IS_VALID_TIMESTAMP(*result)) {
		*result = 0;
		return -1;
	}
	return 0;
}

int
dh__st_tz_offset(struct st_tm *tm, const struct dh_sqltime_tz *tz)
{
	int64_t date, t, boundary, beforetime, aftertime;
	long before_off, after_off;
	int before_isdst, after_isdst, res;
	if (!IS_VALID_JULIAN(tm->year, tm->mon, tm->mday))
		goto overflow;
	date = dh__st_date2j(tm->year, tm->mon, tm->mday) - UNIX_EPOCH_JDATE;
	t = date * SECS_PER_DAY + tm->sec + (tm->min + tm->hour * MINS_PER_HOUR) * SECS_PER_MINUTE;
	res = dh__st_tz_next_boundary(tz, t - SECS_PER_DAY, &before_off, &before_isdst, &boundary,
				      &after_off, &after_isdst);
	if (res < 0)
		goto overflow;
	if (res == 0) {
		tm->isdst = before_isdst;
		return (int)-before_off;
	}
	beforetime = t - before_off;
	aftertime = t - after_off;
	if (beforetime < boundary && aftertime < boundary) {
		tm->isdst = before_isdst;
		return (int)-before_off;
	}
	if (beforetime > boundary && aftertime >= boundary) {
		tm->isdst = after_isdst;
		return (int)-after_off;
	}
	if (beforetime > aftertime) {
		tm->isdst = before_isdst;
		return (int)-before_off;
	}
	tm->isdst = after_isdst;
	return (int)-after_off;
overflow:
	tm->isdst = 0;
	return 0;
}

int
dh__st_tz_abbrev_offset(struct st_tm *tm, const char *abbr, const struct dh_sqltime_tz *tz)
{
	int zone_offset = dh__st_tz_offset(tm, tz);
	int64_t t = 0;
	long off;
	int isdst;
	if (IS_VALID_JULIAN(tm->year, tm->mon, tm->mday))
		t = ((int64_t)dh__st_date2j(tm->year, tm->mon, tm->mday) - UNIX_EPOCH_JDATE) *
			    SECS_PER_DAY +
		    tm->hour * 3600 + tm->min * 60 + tm->sec + zone_offset;
	if (dh__st_tz_abbrev_at(tz, t, abbr, &off, &isdst)) {
		tm->isdst = isdst;
		return (int)-off;
	}
	return zone_offset;
}

void
dh__st_interval2itm(const struct dh_interval *span, struct st_itm *itm)
{
	int64_t time, tfrac;
	itm->year = span->month / MONTHS_PER_YEAR;
	itm->mon = span->month % MONTHS_PER_YEAR;
	itm->mday = span->day;
	time = span->time;
	tfrac = time / USECS_PER_HOUR;
	time -= tfrac * USECS_PER_HOUR;
	itm->hour = tfrac;
	tfrac = time / USECS_PER_MINUTE;
	time -= tfrac * USECS_PER_MINUTE;
	itm->min = (int)tfrac;
	tfrac = time / USECS_PER_SEC;
	time -= tfrac * USECS_PER_SEC;
	itm->sec = (int)tfrac;
	itm->usec = time;
}

int
dh__st_itm2interval(const struct st_itm *itm, struct dh_interval *span)
{
	int64_t total_months = (int64_t)itm->year * MONTHS_PER_YEAR + itm->mon;
	if (total_months > INT_MAX || total_months < INT_MIN)
		return -1;
	span->month = (int32_t)total_months;
	span->day = itm->mday;
	if (__builtin_mul_overflow(itm->hour, USECS_PER_HOUR, &span->time))
		return -1;
	if (__builtin_add_overflow(span->time, (int64_t)itm->min * USECS_PER_MINUTE, &span->time))
		return -1;
	if (__builtin_add_overflow(span->time, (int64_t)itm->sec * USECS_PER_SEC, &span->time))
		return -1;
	if (__builtin_add_overflow(span->time, itm->usec, &span->time))
		return -1;
	return 0;
}

/* --- output --- */

static void
zeropad(struct dh_buf *b, long long v, int width)
{
	dh_buf_printf(b, "%0*lld", width, v);
}

void
dh__st_append_seconds(struct dh_buf *b, int sec, int64_t fsec, int precision, int fillzeros)
{
	if (fillzeros)
		zeropad(b, abs(sec), 2);
	else
		dh_buf_printf(b, "%d", abs(sec));
	if (fsec != 0) {
		char frac[16];
		int64_t v = fsec < 0 ? -fsec : fsec;
		int k;
		dh_buf_printf(b, ".");
		snprintf(frac, sizeof frac, "%0*lld", precision, (long long)v);
		k = (int)strlen(frac);
		if (k > precision) {
			dh_buf_adds(b, frac);
			return;
		}
		while (k > 1 && frac[k - 1] == '0')
			k--;
		dh_buf_add(b, frac, (size_t)k);
	}
}

static void
encode_timezone(struct dh_buf *b, int tz, int style)
{
	int hour, min, sec;
	sec = abs(tz);
	min = sec / SECS_PER_MINUTE;
	sec -= min * SECS_PER_MINUTE;
	hour = min / MINS_PER_HOUR;
	min -= hour * MINS_PER_HOUR;
	dh_buf_addc(b, tz <= 0 ? '+' : '-');
	if (sec != 0)
		dh_buf_printf(b, "%02d:%02d:%02d", hour, min, sec);
	else if (min != 0 || style < 0)
		dh_buf_printf(b, "%02d:%02d", hour, min);
	else
		dh_buf_printf(b, "%02d", hour);
}

static int
out_year(int y)
{
	return y > 0 ? y : -(y - 1);
}

static void
encode_date_only(struct dh_buf *b, const struct st_tm *tm, int style, int dateorder)
{
	switch (style) {
	case DH_DATESTYLE_ISO:
		zeropad(b, out_year(tm->year), 4);
		dh_buf_printf(b, "-%02d-%02d", tm->mon, tm->mday);
		break;
	case DH_DATESTYLE_SQL:
		if (dateorder == DH_DATEORDER_DMY)
			dh_buf_printf(b, "%02d/%02d", tm->mday, tm->mon);
		else
			dh_buf_printf(b, "%02d/%02d", tm->mon, tm->mday);
		dh_buf_addc(b, '/');
		zeropad(b, out_year(tm->year), 4);
		break;
	case DH_DATESTYLE_GERMAN:
		dh_buf_printf(b, "%02d.%02d.", tm->mday, tm->mon);
		zeropad(b, out_year(tm->year), 4);
		break;
	default:
		if (dateorder == DH_DATEORDER_DMY)
			dh_buf_printf(b, "%02d-%02d", tm->mday, tm->mon);
		else
			dh_buf_printf(b, "%02d-%02d", tm->mon, tm->mday);
		dh_buf_addc(b, '-');
		zeropad(b, out_year(tm->year), 4);
		break;
	}
	if (tm->year <= 0)
		dh_buf_adds(b, " BC");
}

void
dh__st_encode_datetime(struct dh_buf *b, const struct st_tm *tm, int64_t fsec, int print_tz,
		       int tz, const char *tzn, int style, int dateorder)
{
	switch (style) {
	case DH_DATESTYLE_ISO:
		zeropad(b, out_year(tm->year), 4);
		dh_buf_printf(b, "-%02d-%02d %02d:%02d:", tm->mon, tm->mday, tm->hour, tm->min);
		dh__st_append_seconds(b, tm->sec, fsec, 6, 1);
		if (print_tz)
			encode_timezone(b, tz, style);
		break;
	case DH_DATESTYLE_SQL:
	case DH_DATESTYLE_GERMAN:
		if (style == DH_DATESTYLE_GERMAN)
			dh_buf_printf(b, "%02d.%02d.", tm->mday, tm->mon);
		else if (dateorder == DH_DATEORDER_DMY)
			dh_buf_printf(b, "%02d/%02d/", tm->mday, tm->mon);
		else
			dh_buf_printf(b, "%02d/%02d/", tm->mon, tm->mday);
		zeropad(b, out_year(tm->year), 4);
		dh_buf_printf(b, " %02d:%02d:", tm->hour, tm->min);
		dh__st_append_seconds(b, tm->sec, fsec, 6, 1);
		if (print_tz) {
			if (tzn)
				dh_buf_printf(b, " %.10s", tzn);
			else
				encode_timezone(b, tz, style);
		}
		break;
	default: {
		int wday = dh__st_j2day(dh__st_date2j(tm->year, tm->mon, tm->mday));
		dh_buf_printf(b, "%.3s ", dh__st_days[wday]);
		if (dateorder == DH_DATEORDER_DMY)
			dh_buf_printf(b, "%02d %s", tm->mday, dh__st_months[tm->mon - 1]);
		else
			dh_buf_printf(b, "%s %02d", dh__st_months[tm->mon - 1], tm->mday);
		dh_buf_printf(b, " %02d:%02d:", tm->hour, tm->min);
		dh__st_append_seconds(b, tm->sec, fsec, 6, 1);
		dh_buf_addc(b, ' ');
		zeropad(b, out_year(tm->year), 4);
		if (print_tz) {
			if (tzn)
				dh_buf_printf(b, " %.10s", tzn);
			else {
				dh_buf_addc(b, ' ');
				encode_timezone(b, tz, style);
			}
		}
		break;
	}
	}
	if (tm->year <= 0)
		dh_buf_adds(b, " BC");
}

static int
buf_rc(const struct dh_buf *b)
{
	return b->overflow ? DH_ETOOLONG : 0;
}

int
dh_sqltime_date_out(struct dh_buf *b, int64_t d, const struct dh_sqltime_settings *set)
{
	struct st_tm tm;
	int32_t d2 = dh__st_date2000(d);
	if (d2 == DATE_NOBEGIN_32)
		dh_buf_adds(b, "-infinity");
	else if (d2 == DATE_NOEND_32)
		dh_buf_adds(b, "infinity");
	else {
		memset(&tm, 0, sizeof tm);
		dh__st_j2date(d2 + POSTGRES_EPOCH_JDATE, &tm.year, &tm.mon, &tm.mday);
		encode_date_only(b, &tm, set ? (int)set->datestyle : 0, set ? (int)set->dateorder : 0);
	}
	return buf_rc(b);
}

int
dh_sqltime_time_out(struct dh_buf *b, int64_t t)
{
	int h, m, s;
	int64_t fsec;
	dh__st_dt2time(t, &h, &m, &s, &fsec);
	dh_buf_printf(b, "%02d:%02d:", h, m);
	dh__st_append_seconds(b, s, fsec, 6, 1);
	return buf_rc(b);
}

int
dh_sqltime_timetz_out(struct dh_buf *b, int64_t t, int zone)
{
	dh_sqltime_time_out(b, t);
	encode_timezone(b, zone, 0);
	return buf_rc(b);
}

int
dh_sqltime_timestamptz_to_timetz(int64_t ts, const struct dh_sqltime_settings *set, int64_t *out,
				 int *zone, int *isnull, struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec, x = dh__st_ts2000(ts);
	*isnull = 0;
	if (TS_NOT_FINITE(x)) {
		*isnull = 1;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(x, zone, &tm, &fsec, dh__st_session_tz(set)) != 0)
		return dh__st_err_ts_range(err);
	*out = (((int64_t)tm.hour * MINS_PER_HOUR + tm.min) * SECS_PER_MINUTE + tm.sec) *
		       USECS_PER_SEC +
	       fsec;
	return 0;
}

int
dh_sqltime_time_zone_now(int64_t t, const struct dh_sqltime_settings *set)
{
	/* time_timetz: the session zone's offset today (the transaction's
	 * date there) at time t */
	struct st_tm tm;
	int64_t fsec;
	int tz;
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(dh__st_ts2000(set->now), &tz, &tm, &fsec, dh__st_session_tz(set)) != 0)
		return 0;
	tm.hour = (int)(t / USECS_PER_HOUR);
	tm.min = (int)(t / USECS_PER_MINUTE % MINS_PER_HOUR);
	tm.sec = (int)(t / USECS_PER_SEC % SECS_PER_MINUTE);
	return dh__st_tz_offset(&tm, dh__st_session_tz(set));
}

static int
ts_out(struct dh_buf *b, int64_t ts, int withtz, const struct dh_sqltime_settings *set)
{
	struct st_tm tm;
	int64_t fsec;
	int tz = 0;
	int style = set ? (int)set->datestyle : 0, order = set ? (int)set->dateorder : 0;
	if (ts == INT64_MIN) {
		dh_buf_adds(b, "-infinity");
		return buf_rc(b);
	}
	if (ts == INT64_MAX) {
		dh_buf_adds(b, "infinity");
		return buf_rc(b);
	}
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(dh__st_ts2000(ts), withtz ? &tz : NULL, &tm, &fsec,
			 dh__st_session_tz(set)) != 0) {
		dh_buf_adds(b, "(timestamp out of range)");
		return buf_rc(b);
	}
	dh__st_encode_datetime(b, &tm, fsec, withtz, tz, withtz ? tm.zone : NULL, style, order);
	return buf_rc(b);
}

int
dh_sqltime_timestamp_out(struct dh_buf *b, int64_t ts, const struct dh_sqltime_settings *set)
{
	return ts_out(b, ts, 0, set);
}

int
dh_sqltime_timestamptz_out(struct dh_buf *b, int64_t ts, const struct dh_sqltime_settings *set)
{
	return ts_out(b, ts, 1, set);
}

static void
add_postgres_part(struct dh_buf *b, int64_t value, const char *units, int *is_zero, int *is_before)
{
	if (value == 0)
		return;
	dh_buf_printf(b, "%s%s%lld %s%s", !*is_zero ? " " : "", (*is_before && value > 0) ? "+" : "",
		      (long long)value, units, value != 1 ? "s" : "");
	*is_before = value < 0;
	*is_zero = 0;
}

static void
add_verbose_part(struct dh_buf *b, int64_t value, const char *units, int *is_zero, int *is_before)
{
	if (value == 0)
		return;
	if (*is_zero) {
		*is_before = value < 0;
		value = value < 0 ? -value : value;
	} else if (*is_before)
		value = -value;
	dh_buf_printf(b, " %lld %s%s", (long long)value, units, value == 1 ? "" : "s");
	*is_zero = 0;
}

static void
add_iso_part(struct dh_buf *b, int64_t value, char units)
{
	if (value == 0)
		return;
	dh_buf_printf(b, "%lld%c", (long long)value, units);
}

static void
encode_interval(struct dh_buf *b, const struct st_itm *itm, int style)
{
	int year = itm->year, mon = itm->mon;
	int64_t mday = itm->mday, hour = itm->hour;
	int min = itm->min, sec = itm->sec;
	int64_t fsec = itm->usec;
	int is_before = 0, is_zero = 1;

	switch (style) {
	case DH_INTSTYLE_SQL_STANDARD: {
		int has_negative = year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 ||
				   sec < 0 || fsec < 0;
		int has_positive = year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 ||
				   sec > 0 || fsec > 0;
		int has_year_month = year != 0 || mon != 0;
		int has_day_time = mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0;
		int has_day = mday != 0;
		int sql_standard_value = !(has_negative && has_positive) &&
					 !(has_year_month && has_day_time);
		if (has_negative && sql_standard_value) {
			dh_buf_addc(b, '-');
			year = -year;
			mon = -mon;
			mday = -mday;
			hour = -hour;
			min = -min;
			sec = -sec;
			fsec = -fsec;
		}
		if (!has_negative && !has_positive)
			dh_buf_adds(b, "0");
		else if (!sql_standard_value) {
			char year_sign = (year < 0 || mon < 0) ? '-' : '+';
			char day_sign = (mday < 0) ? '-' : '+';
			char sec_sign = (hour < 0 || min < 0 || sec < 0 || fsec < 0) ? '-' : '+';
			dh_buf_printf(b, "%c%d-%d %c%lld %c%lld:%02d:", year_sign, abs(year), abs(mon),
				      day_sign, (long long)llabs(mday), sec_sign,
				      (long long)llabs(hour), abs(min));
			dh__st_append_seconds(b, sec, fsec, 6, 1);
		} else if (has_year_month)
			dh_buf_printf(b, "%d-%d", year, mon);
		else if (has_day) {
			dh_buf_printf(b, "%lld %lld:%02d:", (long long)mday, (long long)hour, min);
			dh__st_append_seconds(b, sec, fsec, 6, 1);
		} else {
			dh_buf_printf(b, "%lld:%02d:", (long long)hour, min);
			dh__st_append_seconds(b, sec, fsec, 6, 1);
		}
		break;
	}
	case DH_INTSTYLE_ISO_8601:
		if (year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 &&
		    fsec == 0) {
			dh_buf_adds(b, "PT0S");
			break;
		}
		dh_buf_addc(b, 'P');
		add_iso_part(b, year, 'Y');
		add_iso_part(b, mon, 'M');
		add_iso_part(b, mday, 'D');
		if (hour != 0 || min != 0 || sec != 0 || fsec != 0)
			dh_buf_addc(b, 'T');
		add_iso_part(b, hour, 'H');
		add_iso_part(b, min, 'M');
		if (sec != 0 || fsec != 0) {
			if (sec < 0 || fsec < 0)
				dh_buf_addc(b, '-');
			dh__st_append_seconds(b, sec, fsec, 6, 0);
			dh_buf_addc(b, 'S');
		}
		break;
	case DH_INTSTYLE_POSTGRES:
		add_postgres_part(b, year, "year", &is_zero, &is_before);
		add_postgres_part(b, mon, "mon", &is_zero, &is_before);
		add_postgres_part(b, mday, "day", &is_zero, &is_before);
		if (is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
			int minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
			dh_buf_printf(b, "%s%s%02lld:%02d:", is_zero ? "" : " ",
				      minus ? "-" : (is_before ? "+" : ""), (long long)llabs(hour),
				      abs(min));
			dh__st_append_seconds(b, sec, fsec, 6, 1);
		}
		break;
	default:
		dh_buf_addc(b, '@');
		add_verbose_part(b, year, "year", &is_zero, &is_before);
		add_verbose_part(b, mon, "mon", &is_zero, &is_before);
		add_verbose_part(b, mday, "day", &is_zero, &is_before);
		add_verbose_part(b, hour, "hour", &is_zero, &is_before);
		add_verbose_part(b, min, "min", &is_zero, &is_before);
		if (sec != 0 || fsec != 0) {
			dh_buf_addc(b, ' ');
			if (sec < 0 || (sec == 0 && fsec < 0)) {
				if (is_zero)
					is_before = 1;
				else if (!is_before)
					dh_buf_addc(b, '-');
			} else if (is_before)
				dh_buf_addc(b, '-');
			dh__st_append_seconds(b, sec, fsec, 6, 0);
			dh_buf_printf(b, " sec%s", (abs(sec) != 1 || fsec != 0) ? "s" : "");
			is_zero = 0;
		}
		if (is_zero)
			dh_buf_adds(b, " 0");
		if (is_before)
			dh_buf_adds(b, " ago");
		break;
	}
}

int
dh_sqltime_interval_out(struct dh_buf *b, const struct dh_interval *iv,
			const struct dh_sqltime_settings *set)
{
	struct st_itm itm;
	dh__st_interval2itm(iv, &itm);
	encode_interval(b, &itm, set ? (int)set->intervalstyle : 0);
	return buf_rc(b);
}

/* --- typmod rounding --- */

static const int64_t scales[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};
static const int64_t offsets[7] = {500000, 50000, 5000, 500, 50, 5, 0};

static int64_t
round_us(int64_t t, int p)
{
	if (p < 0 || p >= 6)
		return t;
	if (t >= 0)
		return ((t + offsets[p]) / scales[p]) * scales[p];
	return -((((-t) + offsets[p]) / scales[p]) * scales[p]);
}

int
dh_sqltime_timestamp_round(int64_t *ts, int p, struct dh_err *err)
{
	if (TS_NOT_FINITE(*ts) || p < 0 || p >= 6)
		return 0;
	int64_t t = round_us(dh__st_ts2000(*ts), p);
	if (!IS_VALID_TIMESTAMP(t))
		return dh__st_err_ts_range(err);
	return dh__st_ts1970(t, ts, err);
}

int64_t
dh_sqltime_time_round(int64_t t, int p)
{
	return round_us(t, p);
}

void
dh_sqltime_interval_round(struct dh_interval *iv, int p)
{
	iv->time = round_us(iv->time, p);
}

/* --- values --- */

int
dh_sqltime_interval_get(const struct dh_value *v, struct dh_interval *out)
{
	const unsigned char *p;
	if (v->type != DH_T_BYTES || v->s.n != 16)
		return DH_EBADVALUE;
	p = (const unsigned char *)v->s.p;
	out->month = (int32_t)dh_get_u32be(p);
	out->day = (int32_t)dh_get_u32be(p + 4);
	out->time = (int64_t)dh_get_u64be(p + 8);
	return 0;
}

void
dh_sqltime_interval_put(const struct dh_interval *iv, struct dh_arena *a, struct dh_value *out)
{
	unsigned char *p = dh_arena_alloc(a, 16);
	dh_put_u32be(p, (uint32_t)iv->month);
	dh_put_u32be(p + 4, (uint32_t)iv->day);
	dh_put_u64be(p + 8, (uint64_t)iv->time);
	out->type = DH_T_BYTES;
	out->s.p = (const char *)p;
	out->s.n = 16;
}

int
dh_sqltime_in(enum dh_sqltime_type t, const char *s, size_t n,
	      const struct dh_sqltime_settings *set, struct dh_arena *a, struct dh_value *out,
	      struct dh_err *err)
{
	int rc;
	struct dh_interval iv;
	switch (t) {
	case DH_SQLTIME_DATE:
		out->type = DH_T_LONG;
		return dh_sqltime_date_in(s, n, set, &out->i, err);
	case DH_SQLTIME_TIME:
		out->type = DH_T_LONG;
		return dh_sqltime_time_in(s, n, -1, set, &out->i, err);
	case DH_SQLTIME_TIMESTAMP:
		out->type = DH_T_INSTANT;
		return dh_sqltime_timestamp_in(s, n, -1, set, &out->i, err);
	case DH_SQLTIME_TIMESTAMPTZ:
		out->type = DH_T_INSTANT;
		return dh_sqltime_timestamptz_in(s, n, -1, set, &out->i, err);
	case DH_SQLTIME_INTERVAL:
		rc = dh_sqltime_interval_in(s, n, set, &iv, err);
		if (rc == 0)
			dh_sqltime_interval_put(&iv, a, out);
		return rc;
	}
	return dh_err_set(err, DH_EBADVALUE, "unknown date/time type");
}

int
dh_sqltime_out(struct dh_buf *b, enum dh_sqltime_type t, const struct dh_value *v,
	       const struct dh_sqltime_settings *set)
{
	struct dh_interval iv;
	switch (t) {
	case DH_SQLTIME_DATE:
		return dh_sqltime_date_out(b, v->i, set);
	case DH_SQLTIME_TIME:
		return dh_sqltime_time_out(b, v->i);
	case DH_SQLTIME_TIMESTAMP:
		return dh_sqltime_timestamp_out(b, v->i, set);
	case DH_SQLTIME_TIMESTAMPTZ:
		return dh_sqltime_timestamptz_out(b, v->i, set);
	case DH_SQLTIME_INTERVAL:
		if (dh_sqltime_interval_get(v, &iv))
			return DH_EBADVALUE;
		return dh_sqltime_interval_out(b, &iv, set);
	}
	return DH_EBADVALUE;
}

/* --- binary wire forms --- */

int
dh_sqltime_send(struct dh_buf *b, enum dh_sqltime_type t, const struct dh_value *v)
{
	struct dh_interval iv;
	switch (t) {
	case DH_SQLTIME_DATE:
		return dh_buf_add_u32be(b, (uint32_t)dh__st_date2000(v->i));
	case DH_SQLTIME_TIME:
		return dh_buf_add_u64be(b, (uint64_t)v->i);
	case DH_SQLTIME_TIMESTAMP:
	case DH_SQLTIME_TIMESTAMPTZ:
		return dh_buf_add_u64be(b, (uint64_t)dh__st_ts2000(v->i));
	case DH_SQLTIME_INTERVAL:
		if (dh_sqltime_interval_get(v, &iv))
			return DH_EBADVALUE;
		dh_buf_add_u64be(b, (uint64_t)iv.time);
		dh_buf_add_u32be(b, (uint32_t)iv.day);
		return dh_buf_add_u32be(b, (uint32_t)iv.month);
	}
	return DH_EBADVALUE;
}

int
dh_sqltime_recv(enum dh_sqltime_type t, const unsigned char *p, size_t n, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	size_t want = t == DH_SQLTIME_DATE ? 4 : t == DH_SQLTIME_INTERVAL ? 16 : 8;
	if (n != want)
		return dh_err_sql(err, "22P03", "incorrect binary data format");
	switch (t) {
	case DH_SQLTIME_DATE: {
		int32_t d = (int32_t)dh_get_u32be(p);
		if (!DATE_NOT_FINITE(d) && !IS_VALID_DATE(d))
			return dh_err_sql(err, "22008", "date out of range");
		out->type = DH_T_LONG;
		out->i = dh__st_date1970(d);
		return 0;
	}
	case DH_SQLTIME_TIME: {
		int64_t x = (int64_t)dh_get_u64be(p);
		if (x < 0 || x > USECS_PER_DAY)
			return dh_err_sql(err, "22008", "time out of range");
		out->type = DH_T_LONG;
		out->i = x;
		return 0;
	}
	case DH_SQLTIME_TIMESTAMP:
	case DH_SQLTIME_TIMESTAMPTZ: {
		int64_t x = (int64_t)dh_get_u64be(p);
		out->type = DH_T_INSTANT;
		if (!TS_NOT_FINITE(x) && !IS_VALID_TIMESTAMP(x))
			return dh__st_err_ts_range(err);
		return dh__st_ts1970(x, &out->i, err);
	}
	case DH_SQLTIME_INTERVAL: {
		struct dh_interval iv;
		iv.time = (int64_t)dh_get_u64be(p);
		iv.day = (int32_t)dh_get_u32be(p + 8);
		iv.month = (int32_t)dh_get_u32be(p + 12);
		dh_sqltime_interval_put(&iv, a, out);
		return 0;
	}
	}
	return dh_err_sql(err, "22P03", "incorrect binary data format");
}

/* --- comparison and hashing --- */

static __int128
interval_span(const struct dh_interval *iv)
{
	__int128 days = (__int128)iv->month * DAYS_PER_MONTH + iv->day;
	return days * USECS_PER_DAY + iv->time;
}

int
dh_sqltime_interval_cmp(const struct dh_interval *a, const struct dh_interval *b)
{
	__int128 x = interval_span(a), y = interval_span(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

uint64_t
dh_sqltime_interval_hash(const struct dh_interval *iv)
{
	unsigned __int128 s = (unsigned __int128)interval_span(iv);
	uint64_t lo = (uint64_t)s, hi = (uint64_t)(s >> 64);
	uint64_t h = lo ^ (hi * 0x9e3779b97f4a7c15ULL);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static int
cmp64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/* date -> timestamp (2000-based) with overflow: +1 beyond every finite */
static int64_t
date2ts_ovf(int32_t d, int *overflow)
{
	*overflow = 0;
	if (d == DATE_NOBEGIN_32)
		return INT64_MIN;
	if (d == DATE_NOEND_32)
		return INT64_MAX;
	if (d >= (TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE)) {
		*overflow = 1;
		return INT64_MAX;
	}
	return (int64_t)d * USECS_PER_DAY;
}

static int64_t
date2tstz_ovf(int32_t d, const struct dh_sqltime_tz *tz, int *overflow)
{
	struct st_tm tm;
	int64_t r;
	int tzo;
	*overflow = 0;
	if (d == DATE_NOBEGIN_32)
		return INT64_MIN;
	if (d == DATE_NOEND_32)
		return INT64_MAX;
	if (d >= (TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE)) {
		*overflow = 1;
		return INT64_MAX;
	}
	memset(&tm, 0, sizeof tm);
	dh__st_j2date(d + POSTGRES_EPOCH_JDATE, &tm.year, &tm.mon, &tm.mday);
	tzo = dh__st_tz_offset(&tm, tz);
	r = (int64_t)d * USECS_PER_DAY + (int64_t)tzo * USECS_PER_SEC;
	if (!IS_VALID_TIMESTAMP(r)) {
		*overflow = r < MIN_TIMESTAMP ? -1 : 1;
		return r < MIN_TIMESTAMP ? INT64_MIN : INT64_MAX;
	}
	return r;
}

static int64_t
ts2tstz_ovf(int64_t ts, const struct dh_sqltime_tz *tz, int *overflow)
{
	struct st_tm tm;
	int64_t fsec, r;
	int tzo;
	*overflow = 0;
	if (TS_NOT_FINITE(ts))
		return ts;
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(ts, NULL, &tm, &fsec, NULL) == 0) {
		tzo = dh__st_tz_offset(&tm, tz);
		if (dh__st_tm2ts(&tm, fsec, &tzo, &r) == 0)
			return r;
	}
	*overflow = ts < 0 ? -1 : 1;
	return ts < 0 ? INT64_MIN : INT64_MAX;
}

static int
cmp_ovf(int64_t a, int ova, int64_t b, int ovb)
{
	/* an overflowed value lies beyond every finite one but short of the
	 * infinities */
	if (ova || ovb) {
		int64_t ka = ova ? (ova > 0 ? INT64_MAX - 1 : INT64_MIN + 1) : a;
		int64_t kb = ovb ? (ovb > 0 ? INT64_MAX - 1 : INT64_MIN + 1) : b;
		if (ova && ovb && ova == ovb)
			return 0;
		if (ova && !ovb && !TS_NOT_FINITE(b))
			return ova;
		if (ovb && !ova && !TS_NOT_FINITE(a))
			return -ovb;
		return cmp64(ka, kb);
	}
	return cmp64(a, b);
}

int
dh_sqltime_cmp(enum dh_sqltime_type ta, int64_t a, enum dh_sqltime_type tb, int64_t b,
	       const struct dh_sqltime_settings *set)
{
	const struct dh_sqltime_tz *tz = dh__st_session_tz(set);
	int64_t x, y;
	int ox = 0, oy = 0;
	if (ta == tb)
		return cmp64(a, b);
	if (ta == DH_SQLTIME_TIMESTAMPTZ || tb == DH_SQLTIME_TIMESTAMPTZ) {
		if (ta == DH_SQLTIME_TIMESTAMPTZ) {
			x = dh__st_ts2000(a);
			y = tb == DH_SQLTIME_DATE ? date2tstz_ovf(dh__st_date2000(b), tz, &oy)
						  : ts2tstz_ovf(dh__st_ts2000(b), tz, &oy);
		} else {
			y = dh__st_ts2000(b);
			x = ta == DH_SQLTIME_DATE ? date2tstz_ovf(dh__st_date2000(a), tz, &ox)
						  : ts2tstz_ovf(dh__st_ts2000(a), tz, &ox);
		}
		return cmp_ovf(x, ox, y, oy);
	}
	/* date vs timestamp */
	if (ta == DH_SQLTIME_DATE) {
		x = date2ts_ovf(dh__st_date2000(a), &ox);
		y = dh__st_ts2000(b);
	} else {
		x = dh__st_ts2000(a);
		y = date2ts_ovf(dh__st_date2000(b), &oy);
	}
	return cmp_ovf(x, ox, y, oy);
}

/* --- date operators --- */

static int
err_date_range(struct dh_err *err)
{
	return dh_err_sql(err, "22008", "date out of range");
}

int
dh_sqltime_date_pl_days(int64_t d, int64_t days, int64_t *out, struct dh_err *err)
{
	int32_t d2 = dh__st_date2000(d);
	int64_t r;
	if (DATE_NOT_FINITE(d2)) {
		*out = d;
		return 0;
	}
	if (days > INT32_MAX || days < INT32_MIN)
		return err_date_range(err);
	r = (int64_t)d2 + days;
	if (r > INT32_MAX || r < INT32_MIN || !IS_VALID_DATE(r))
		return err_date_range(err);
	*out = dh__st_date1970((int32_t)r);
	return 0;
}

int
dh_sqltime_date_mi_days(int64_t d, int64_t days, int64_t *out, struct dh_err *err)
{
	int32_t d2 = dh__st_date2000(d);
	int64_t r;
	if (DATE_NOT_FINITE(d2)) {
		*out = d;
		return 0;
	}
	if (days > INT32_MAX || days < INT32_MIN)
		return err_date_range(err);
	r = (int64_t)d2 - days;
	if (r > INT32_MAX || r < INT32_MIN || !IS_VALID_DATE(r))
		return err_date_range(err);
	*out = dh__st_date1970((int32_t)r);
	return 0;
}

int
dh_sqltime_date_mi_date(int64_t a, int64_t b, int64_t *out, struct dh_err *err)
{
	int32_t x = dh__st_date2000(a), y = dh__st_date2000(b);
	if (DATE_NOT_FINITE(x) || DATE_NOT_FINITE(y))
		return dh_err_sql(err, "22008", "cannot subtract infinite dates");
	*out = (int64_t)(int32_t)((int64_t)x - y);
	return 0;
}

/* date2timestamp: 2000-based, 22008 date out of range for timestamp */
static int
date2ts(int32_t d, int64_t *out, struct dh_err *err)
{
	if (d == DATE_NOBEGIN_32)
		*out = INT64_MIN;
	else if (d == DATE_NOEND_32)
		*out = INT64_MAX;
	else {
		if (d >= (TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE))
			return dh_err_sql(err, "22008", "date out of range for timestamp");
		*out = (int64_t)d * USECS_PER_DAY;
	}
	return 0;
}

int dh__st_date2ts(int32_t d, int64_t *out, struct dh_err *err);
int
dh__st_date2ts(int32_t d, int64_t *out, struct dh_err *err)
{
	return date2ts(d, out, err);
}

/* timestamp[tz] + interval on 2000-based values; tz NULL for timestamp */
static int
ts_pl_interval(int64_t ts, const struct dh_interval *span, const struct dh_sqltime_tz *tz,
	       int64_t *out, struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec;
	int tzo;
	if (TS_NOT_FINITE(ts)) {
		*out = ts;
		return 0;
	}
	if (span->month != 0) {
		memset(&tm, 0, sizeof tm);
		if (dh__st_ts2tm(ts, tz ? &tzo : NULL, &tm, &fsec, tz) != 0)
			return dh__st_err_ts_range(err);
		int64_t mon = (int64_t)tm.mon + span->month;
		int64_t year = tm.year;
		if (mon > MONTHS_PER_YEAR) {
			year += (mon - 1) / MONTHS_PER_YEAR;
			mon = ((mon - 1) % MONTHS_PER_YEAR) + 1;
		} else if (mon < 1) {
			year += mon / MONTHS_PER_YEAR - 1;
			mon = mon % MONTHS_PER_YEAR + MONTHS_PER_YEAR;
		}
		if (year > INT_MAX / 2 || year < INT_MIN / 2)
			return dh__st_err_ts_range(err);
		tm.year = (int)year;
		tm.mon = (int)mon;
		if (tm.mday > dh__st_day_tab[ISLEAP(tm.year)][tm.mon - 1])
			tm.mday = dh__st_day_tab[ISLEAP(tm.year)][tm.mon - 1];
		if (tz)
			tzo = dh__st_tz_offset(&tm, tz);
		if (dh__st_tm2ts(&tm, fsec, tz ? &tzo : NULL, &ts) != 0)
			return dh__st_err_ts_range(err);
	}
	if (span->day != 0) {
		memset(&tm, 0, sizeof tm);
		if (dh__st_ts2tm(ts, tz ? &tzo : NULL, &tm, &fsec, tz) != 0)
			return dh__st_err_ts_range(err);
		int64_t julian = (int64_t)dh__st_date2j(tm.year, tm.mon, tm.mday) + span->day;
		if (julian < 0 || julian > INT_MAX)
			return dh__st_err_ts_range(err);
		dh__st_j2date((int)julian, &tm.year, &tm.mon, &tm.mday);
		if (tz)
			tzo = dh__st_tz_offset(&tm, tz);
		if (dh__st_tm2ts(&tm, fsec, tz ? &tzo : NULL, &ts) != 0)
			return dh__st_err_ts_range(err);
	}
	if (__builtin_add_overflow(ts, span->time, &ts) || !IS_VALID_TIMESTAMP(ts))
		return dh__st_err_ts_range(err);
	*out = ts;
	return 0;
}

int dh__st_ts_pl_interval(int64_t ts, const struct dh_interval *span,
			  const struct dh_sqltime_tz *tz, int64_t *out, struct dh_err *err);
int
dh__st_ts_pl_interval(int64_t ts, const struct dh_interval *span, const struct dh_sqltime_tz *tz,
		      int64_t *out, struct dh_err *err)
{
	return ts_pl_interval(ts, span, tz, out, err);
}

static void
negate(const struct dh_interval *a, struct dh_interval *r)
{
	r->month = (int32_t)(0 - (uint32_t)a->month);
	r->day = (int32_t)(0 - (uint32_t)a->day);
	r->time = (int64_t)(0 - (uint64_t)a->time);
}

int
dh_sqltime_date_pl_interval(int64_t d, const struct dh_interval *iv, int64_t *out,
			    struct dh_err *err)
{
	int64_t ts, r;
	int rc = date2ts(dh__st_date2000(d), &ts, err);
	if (rc == 0)
		rc = ts_pl_interval(ts, iv, NULL, &r, err);
	if (rc == 0)
		rc = dh__st_ts1970(r, out, err);
	return rc;
}

int
dh_sqltime_date_mi_interval(int64_t d, const struct dh_interval *iv, int64_t *out,
			    struct dh_err *err)
{
	struct dh_interval n;
	negate(iv, &n);
	return dh_sqltime_date_pl_interval(d, &n, out, err);
}

int
dh_sqltime_date_pl_time(int64_t d, int64_t t, int64_t *out, struct dh_err *err)
{
	int64_t ts;
	int rc = date2ts(dh__st_date2000(d), &ts, err);
	if (rc)
		return rc;
	if (!TS_NOT_FINITE(ts)) {
		ts += t;
		if (!IS_VALID_TIMESTAMP(ts))
			return dh__st_err_ts_range(err);
	}
	return dh__st_ts1970(ts, out, err);
}

int
dh_sqltime_timestamp_pl_interval(int64_t ts, const struct dh_interval *iv, int64_t *out,
				 struct dh_err *err)
{
	int64_t r;
	int rc = ts_pl_interval(dh__st_ts2000(ts), iv, NULL, &r, err);
	if (rc == 0)
		rc = dh__st_ts1970(r, out, err);
	return rc;
}

int
dh_sqltime_timestamp_mi_interval(int64_t ts, const struct dh_interval *iv, int64_t *out,
				 struct dh_err *err)
{
	struct dh_interval n;
	negate(iv, &n);
	return dh_sqltime_timestamp_pl_interval(ts, &n, out, err);
}

int
dh_sqltime_timestamptz_pl_interval(int64_t ts, const struct dh_interval *iv,
				   const struct dh_sqltime_settings *set, int64_t *out,
				   struct dh_err *err)
{
	int64_t r;
	int rc = ts_pl_interval(dh__st_ts2000(ts), iv, dh__st_session_tz(set), &r, err);
	if (rc == 0)
		rc = dh__st_ts1970(r, out, err);
	return rc;
}

int
dh_sqltime_timestamptz_mi_interval(int64_t ts, const struct dh_interval *iv,
				   const struct dh_sqltime_settings *set, int64_t *out,
				   struct dh_err *err)
{
	struct dh_interval n;
	negate(iv, &n);
	return dh_sqltime_timestamptz_pl_interval(ts, &n, set, out, err);
}

int
dh_sqltime_justify_hours(const struct dh_interval *span, struct dh_interval *r,
			 struct dh_err *err)
{
	int64_t wholeday;
	*r = *span;
	wholeday = r->time / USECS_PER_DAY;
	if (wholeday != 0)
		r->time -= wholeday * USECS_PER_DAY;
	if (__builtin_add_overflow(r->day, (int32_t)wholeday, &r->day) || wholeday > INT32_MAX ||
	    wholeday < INT32_MIN)
		return dh__st_err_iv_range(err);
	if (r->day > 0 && r->time < 0) {
		r->time += USECS_PER_DAY;
		r->day--;
	} else if (r->day < 0 && r->time > 0) {
		r->time -= USECS_PER_DAY;
		r->day++;
	}
	return 0;
}

int
dh_sqltime_timestamp_mi(int64_t a, int64_t b, struct dh_interval *out, struct dh_err *err)
{
	struct dh_interval r = {0, 0, 0};
	int64_t x = dh__st_ts2000(a), y = dh__st_ts2000(b);
	if (TS_NOT_FINITE(x) || TS_NOT_FINITE(y))
		return dh_err_sql(err, "22008", "cannot subtract infinite timestamps");
	/* PostgreSQL 15 does not check this subtraction: it wraps */
	r.time = (int64_t)((uint64_t)x - (uint64_t)y);
	return dh_sqltime_justify_hours(&r, out, err);
}

int64_t
dh_sqltime_time_pl_interval(int64_t t, const struct dh_interval *iv)
{
	int64_t r = t + iv->time % USECS_PER_DAY;
	r -= r / USECS_PER_DAY * USECS_PER_DAY;
	if (r < 0)
		r += USECS_PER_DAY;
	return r;
}

int64_t
dh_sqltime_time_mi_interval(int64_t t, const struct dh_interval *iv)
{
	int64_t r = t - iv->time % USECS_PER_DAY;
	r -= r / USECS_PER_DAY * USECS_PER_DAY;
	if (r < 0)
		r += USECS_PER_DAY;
	return r;
}

void
dh_sqltime_time_mi_time(int64_t a, int64_t b, struct dh_interval *out)
{
	out->month = 0;
	out->day = 0;
	out->time = a - b;
}

int
dh_sqltime_interval_pl(const struct dh_interval *a, const struct dh_interval *b,
		       struct dh_interval *r, struct dh_err *err)
{
	if (__builtin_add_overflow(a->month, b->month, &r->month) ||
	    __builtin_add_overflow(a->day, b->day, &r->day) ||
	    __builtin_add_overflow(a->time, b->time, &r->time))
		return dh__st_err_iv_range(err);
	return 0;
}

int
dh_sqltime_interval_mi(const struct dh_interval *a, const struct dh_interval *b,
		       struct dh_interval *r, struct dh_err *err)
{
	if (__builtin_sub_overflow(a->month, b->month, &r->month) ||
	    __builtin_sub_overflow(a->day, b->day, &r->day) ||
	    __builtin_sub_overflow(a->time, b->time, &r->time))
		return dh__st_err_iv_range(err);
	return 0;
}

int
dh_sqltime_interval_um(const struct dh_interval *a, struct dh_interval *r, struct dh_err *err)
{
	if (a->month == INT32_MIN || a->day == INT32_MIN || a->time == INT64_MIN)
		return dh__st_err_iv_range(err);
	r->month = -a->month;
	r->day = -a->day;
	r->time = -a->time;
	return 0;
}

#define FITS_INT32(x) ((x) >= (double)INT32_MIN && (x) < -((double)INT32_MIN))
#define FITS_INT64(x) ((x) >= (double)INT64_MIN && (x) < -((double)INT64_MIN))
#define TSROUND(j) (rint((j) * 1000000.0) / 1000000.0)

int
dh_sqltime_interval_mul(const struct dh_interval *span, double factor, struct dh_interval *r,
			struct dh_err *err)
{
	double month_remainder_days, sec_remainder, d;
	int32_t orig_month = span->month, orig_day = span->day;
	d = span->month * factor;
	if (isnan(d) || !FITS_INT32(d))
		return dh__st_err_iv_range(err);
	r->month = (int32_t)d;
	d = span->day * factor;
	if (isnan(d) || !FITS_INT32(d))
		return dh__st_err_iv_range(err);
	r->day = (int32_t)d;
	month_remainder_days = (orig_month * factor - r->month) * DAYS_PER_MONTH;
	month_remainder_days = TSROUND(month_remainder_days);
	sec_remainder = (orig_day * factor - r->day + month_remainder_days -
			 (int)month_remainder_days) *
			SECS_PER_DAY;
	sec_remainder = TSROUND(sec_remainder);
	if (fabs(sec_remainder) >= SECS_PER_DAY) {
		if (__builtin_add_overflow(r->day, (int)(sec_remainder / SECS_PER_DAY), &r->day))
			return dh__st_err_iv_range(err);
		sec_remainder -= (int)(sec_remainder / SECS_PER_DAY) * SECS_PER_DAY;
	}
	if (__builtin_add_overflow(r->day, (int32_t)month_remainder_days, &r->day))
		return dh__st_err_iv_range(err);
	d = rint(span->time * factor + sec_remainder * USECS_PER_SEC);
	if (isnan(d) || !FITS_INT64(d))
		return dh__st_err_iv_range(err);
	r->time = (int64_t)d;
	return 0;
}

int
dh_sqltime_interval_div(const struct dh_interval *span, double factor, struct dh_interval *r,
			struct dh_err *err)
{
	double month_remainder_days, sec_remainder, d;
	int32_t orig_month = span->month, orig_day = span->day;
	if (factor == 0.0)
		return dh_err_sql(err, "22012", "division by zero");
	d = span->month / factor;
	if (isnan(d) || !FITS_INT32(d))
		return dh__st_err_iv_range(err);
	r->month = (int32_t)d;
	d = span->day / factor;
	if (isnan(d) || !FITS_INT32(d))
		return dh__st_err_iv_range(err);
	r->day = (int32_t)d;
	month_remainder_days = (orig_month / factor - r->month) * DAYS_PER_MONTH;
	month_remainder_days = TSROUND(month_remainder_days);
	sec_remainder = (orig_day / factor - r->day + month_remainder_days -
			 (int)month_remainder_days) *
			SECS_PER_DAY;
	sec_remainder = TSROUND(sec_remainder);
	if (fabs(sec_remainder) >= SECS_PER_DAY) {
		if (__builtin_add_overflow(r->day, (int)(sec_remainder / SECS_PER_DAY), &r->day))
			return dh__st_err_iv_range(err);
		sec_remainder -= (int)(sec_remainder / SECS_PER_DAY) * SECS_PER_DAY;
	}
	if (__builtin_add_overflow(r->day, (int32_t)month_remainder_days, &r->day))
		return dh__st_err_iv_range(err);
	d = rint(span->time / factor + sec_remainder * USECS_PER_SEC);
	if (isnan(d) || !FITS_INT64(d))
		return dh__st_err_iv_range(err);
	r->time = (int64_t)d;
	return 0;
}

/* --- casts --- */

int
dh_sqltime_date_to_timestamp(int64_t d, int64_t *out, struct dh_err *err)
{
	int64_t ts;
	int rc = date2ts(dh__st_date2000(d), &ts, err);
	if (rc == 0)
		rc = dh__st_ts1970(ts, out, err);
	return rc;
}

int
dh_sqltime_date_to_timestamptz(int64_t d, const struct dh_sqltime_settings *set, int64_t *out,
			       struct dh_err *err)
{
	int ovf;
	int64_t r = date2tstz_ovf(dh__st_date2000(d), dh__st_session_tz(set), &ovf);
	if (ovf)
		return dh_err_sql(err, "22008", "date out of range for timestamp");
	return dh__st_ts1970(r, out, err);
}

static int
ts2date(int64_t ts, int withtz, const struct dh_sqltime_settings *set, int64_t *out,
	struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec;
	int tz;
	int64_t x = dh__st_ts2000(ts);
	if (x == INT64_MIN) {
		*out = DH_SQLTIME_NOBEGIN;
		return 0;
	}
	if (x == INT64_MAX) {
		*out = DH_SQLTIME_NOEND;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(x, withtz ? &tz : NULL, &tm, &fsec, dh__st_session_tz(set)) != 0)
		return dh__st_err_ts_range(err);
	*out = dh__st_date1970(dh__st_date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE);
	return 0;
}

int
dh_sqltime_timestamp_to_date(int64_t ts, int64_t *out, struct dh_err *err)
{
	return ts2date(ts, 0, NULL, out, err);
}

int
dh_sqltime_timestamptz_to_date(int64_t ts, const struct dh_sqltime_settings *set, int64_t *out,
			       struct dh_err *err)
{
	return ts2date(ts, 1, set, out, err);
}

int
dh_sqltime_timestamp_to_timestamptz(int64_t ts, const struct dh_sqltime_settings *set,
				    int64_t *out, struct dh_err *err)
{
	int ovf;
	int64_t r = ts2tstz_ovf(dh__st_ts2000(ts), dh__st_session_tz(set), &ovf);
	if (ovf)
		return dh__st_err_ts_range(err);
	return dh__st_ts1970(r, out, err);
}

int
dh_sqltime_timestamptz_to_timestamp(int64_t ts, const struct dh_sqltime_settings *set,
				    int64_t *out, struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec, r, x = dh__st_ts2000(ts);
	int tz;
	if (TS_NOT_FINITE(x)) {
		*out = ts;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(x, &tz, &tm, &fsec, dh__st_session_tz(set)) != 0)
		return dh__st_err_ts_range(err);
	if (dh__st_tm2ts(&tm, fsec, NULL, &r) != 0)
		return dh__st_err_ts_range(err);
	return dh__st_ts1970(r, out, err);
}

int
dh_sqltime_timestamp_to_time(int64_t ts, int64_t *out, int *isnull)
{
	int64_t x = dh__st_ts2000(ts);
	*isnull = 0;
	if (TS_NOT_FINITE(x)) {
		*isnull = 1;
		return 0;
	}
	x %= USECS_PER_DAY;
	if (x < 0)
		x += USECS_PER_DAY;
	*out = x;
	return 0;
}

int
dh_sqltime_timestamptz_to_time(int64_t ts, const struct dh_sqltime_settings *set, int64_t *out,
			       int *isnull, struct dh_err *err)
{
	struct st_tm tm;
	int64_t fsec, x = dh__st_ts2000(ts);
	int tz;
	*isnull = 0;
	if (TS_NOT_FINITE(x)) {
		*isnull = 1;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(x, &tz, &tm, &fsec, dh__st_session_tz(set)) != 0)
		return dh__st_err_ts_range(err);
	*out = (((int64_t)tm.hour * MINS_PER_HOUR + tm.min) * SECS_PER_MINUTE + tm.sec) *
		       USECS_PER_SEC +
	       fsec;
	return 0;
}

void
dh_sqltime_time_to_interval(int64_t t, struct dh_interval *out)
{
	out->month = 0;
	out->day = 0;
	out->time = t;
}

int64_t
dh_sqltime_interval_to_time(const struct dh_interval *iv)
{
	int64_t r = iv->time % USECS_PER_DAY;
	if (r < 0)
		r += USECS_PER_DAY;
	return r;
}
