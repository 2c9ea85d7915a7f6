/*
 * sqltime-func: the date/time functions of PostgreSQL 15: date_trunc,
 * extract / date_part, age, justify_*, make_*, AT TIME ZONE, date_bin,
 * to_timestamp(float8), now() and the current_* family, isfinite.  Each
 * follows the PostgreSQL function of the same name (and its messages).
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime-int.h"

int dh__st_ts_pl_interval(int64_t ts, const struct dh_interval *span,
			  const struct dh_sqltime_tz *tz, int64_t *out, struct dh_err *err);
int dh__st_validate_date(int fmask, int isjulian, int is2digits, int bc, struct st_tm *tm);
int dh__st_date2ts(int32_t d, int64_t *out, struct dh_err *err);

static const char *
type_name(enum dh_sqltime_type t)
{
	switch (t) {
	case DH_SQLTIME_DATE:
		return "date";
	case DH_SQLTIME_TIME:
		return "time without time zone";
	case DH_SQLTIME_TIMESTAMP:
		return "timestamp without time zone";
	case DH_SQLTIME_TIMESTAMPTZ:
		return "timestamp with time zone";
	default:
		return "interval";
	}
}

static int
err_not_recognized(struct dh_err *err, const char *unit, enum dh_sqltime_type t)
{
	return dh_err_sql(err, "22023", "unit \"%s\" not recognized for type %s", unit,
			  type_name(t));
}

static int
err_not_supported(struct dh_err *err, const char *unit, enum dh_sqltime_type t)
{
	return dh_err_sql(err, "0A000", "unit \"%s\" not supported for type %s", unit,
			  type_name(t));
}

/* --- zones named in expressions --- */

/* The zone of AT TIME ZONE, date_trunc(..., zone) and friends: a fixed
 * abbreviation (*fixed set, *gmtoff east) or a zone.  22023 if unknown. */
struct zone_ref {
	int fixed;
	long gmtoff;
	const struct dh_sqltime_tz *tz;
	struct dh_sqltime_tz *owned;
	const char *dynabbr; /* a dynamic abbreviation of zone tz */
};

static int
zone_resolve(const char *name, const struct dh_sqltime_settings *set, struct zone_ref *z,
	     struct dh_err *err)
{
	char low[256];
	int off, dst;
	const char *dynzone = NULL;
	memset(z, 0, sizeof *z);
	dh__st_lower(low, sizeof low, name);
	if (dh__st_tzabbrev_zone(low, &off, &dst, &dynzone)) {
		if (!dynzone) {
			z->fixed = 1;
			z->gmtoff = off;
			return 0;
		}
		z->tz = dh__st_zone_get(set, dynzone, &z->owned);
		if (!z->tz)
			return dh_err_sql(err, "22023", "time zone \"%s\" not recognized", name);
		z->dynabbr = name;
		return 0;
	}
	z->tz = dh__st_zone_get(set, name, &z->owned);
	if (!z->tz)
		return dh_err_sql(err, "22023", "time zone \"%s\" not recognized", name);
	return 0;
}

static void
zone_release(struct zone_ref *z)
{
	dh_sqltime_tz_free(z->owned);
	z->owned = NULL;
}

/* --- now and friends --- */

int64_t
dh_sqltime_now(const struct dh_sqltime_settings *set)
{
	return set->now;
}

int64_t
dh_sqltime_statement_timestamp(const struct dh_sqltime_settings *set)
{
	return set->statement_now;
}

int64_t
dh_sqltime_clock_timestamp(void)
{
	return dh_now_us();
}

int
dh_sqltime_current_date(const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	return dh_sqltime_timestamptz_to_date(set->now, set, out, err);
}

int
dh_sqltime_localtime(const struct dh_sqltime_settings *set, int p, int64_t *out)
{
	int isnull;
	struct dh_err e;
	if (dh_sqltime_timestamptz_to_time(set->now, set, out, &isnull, &e))
		return DH_ESQL;
	if (p >= 0)
		*out = dh_sqltime_time_round(*out, p);
	return 0;
}

int
dh_sqltime_localtimestamp(const struct dh_sqltime_settings *set, int p, int64_t *out,
			  struct dh_err *err)
{
	int rc = dh_sqltime_timestamptz_to_timestamp(set->now, set, out, err);
	if (rc == 0 && p >= 0)
		rc = dh_sqltime_timestamp_round(out, p, err);
	return rc;
}

int
dh_sqltime_current_timestamp(const struct dh_sqltime_settings *set, int p, int64_t *out,
			     struct dh_err *err)
{
	*out = set->now;
	if (p >= 0)
		return dh_sqltime_timestamp_round(out, p, err);
	return 0;
}

int
dh_sqltime_isfinite(int64_t v)
{
	return v != INT64_MIN && v != INT64_MAX;
}

int
dh_sqltime_series_check(const struct dh_interval *step, struct dh_err *err)
{
	struct dh_interval zero = {0, 0, 0};
	if (dh_sqltime_interval_cmp(step, &zero) == 0)
		return dh_err_sql(err, "22023", "step size cannot equal zero");
	return 0;
}

/* --- date_trunc --- */

/* truncate tm for unit val (a DTK_*); 0, or -1 not supported.  *redotz
 * set when the day or more changed */
static int
trunc_tm(int val, struct st_tm *tm, int64_t *fsec, int *redotz)
{
	*redotz = 0;
	switch (val) {
	case DTK_WEEK: {
		int woy = dh__st_date2isoweek(tm->year, tm->mon, tm->mday);
		if (woy >= 52 && tm->mon == 1)
			--tm->year;
		if (woy <= 1 && tm->mon == MONTHS_PER_YEAR)
			++tm->year;
		dh__st_isoweek2date(woy, &tm->year, &tm->mon, &tm->mday);
		tm->hour = tm->min = tm->sec = 0;
		*fsec = 0;
		*redotz = 1;
		return 0;
	}
	case DTK_MILLENNIUM:
		if (tm->year > 0)
			tm->year = ((tm->year + 999) / 1000) * 1000 - 999;
		else
			tm->year = -((999 - (tm->year - 1)) / 1000) * 1000 + 1;
		/* fall through */
	case DTK_CENTURY:
		if (tm->year > 0)
			tm->year = ((tm->year + 99) / 100) * 100 - 99;
		else
			tm->year = -((99 - (tm->year - 1)) / 100) * 100 + 1;
		/* fall through */
	case DTK_DECADE:
		if (val != DTK_MILLENNIUM && val != DTK_CENTURY) {
			if (tm->year > 0)
				tm->year = (tm->year / 10) * 10;
			else
				tm->year = -((8 - (tm->year - 1)) / 10) * 10;
		}
		/* fall through */
	case DTK_YEAR:
		tm->mon = 1;
		/* fall through */
	case DTK_QUARTER:
		tm->mon = (3 * ((tm->mon - 1) / 3)) + 1;
		/* fall through */
	case DTK_MONTH:
		tm->mday = 1;
		/* fall through */
	case DTK_DAY:
		tm->hour = 0;
		*redotz = 1;
		/* fall through */
	case DTK_HOUR:
		tm->min = 0;
		/* fall through */
	case DTK_MINUTE:
		tm->sec = 0;
		/* fall through */
	case DTK_SECOND:
		*fsec = 0;
		return 0;
	case DTK_MILLISEC:
		*fsec = (*fsec / 1000) * 1000;
		return 0;
	case DTK_MICROSEC:
		return 0;
	default:
		return -1;
	}
}

int
dh_sqltime_date_trunc(const char *unit, enum dh_sqltime_type t, int64_t ts, const char *zone,
		      const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	char low[64];
	int type, val, tz = 0, redotz, rc = 0;
	struct st_tm tm;
	int64_t fsec, r, x = dh__st_ts2000(ts);
	struct zone_ref z = {0};
	const struct dh_sqltime_tz *zt = dh__st_session_tz(set);
	struct dh_sqltime_tz *fixed = NULL;

	if (TS_NOT_FINITE(x)) {
		*out = ts;
		return 0;
	}
	dh__st_lower(low, sizeof low, unit);
	type = dh__st_decode_units(low, &val);
	if (type != UNITS)
		return err_not_recognized(err, low, t);
	if (t == DH_SQLTIME_TIMESTAMPTZ && zone) {
		if ((rc = zone_resolve(zone, set, &z, err)))
			return rc;
		if (z.fixed)
			zt = fixed = dh__st_tz_fixed(z.gmtoff);
		else
			zt = z.tz;
	}
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(x, t == DH_SQLTIME_TIMESTAMPTZ ? &tz : NULL, &tm, &fsec, zt) != 0) {
		rc = dh__st_err_ts_range(err);
		goto out;
	}
	if (trunc_tm(val, &tm, &fsec, &redotz) != 0) {
		rc = err_not_supported(err, low, t);
		goto out;
	}
	if (t == DH_SQLTIME_TIMESTAMPTZ) {
		if (redotz)
			tz = dh__st_tz_offset(&tm, zt);
		if (dh__st_tm2ts(&tm, fsec, &tz, &r) != 0) {
			rc = dh__st_err_ts_range(err);
			goto out;
		}
	} else if (dh__st_tm2ts(&tm, fsec, NULL, &r) != 0) {
		rc = dh__st_err_ts_range(err);
		goto out;
	}
	rc = dh__st_ts1970(r, out, err);
out:
	dh_sqltime_tz_free(fixed);
	zone_release(&z);
	return rc;
}

int
dh_sqltime_date_trunc_interval(const char *unit, const struct dh_interval *iv,
			       struct dh_interval *out, struct dh_err *err)
{
	char low[64];
	int type, val;
	struct st_itm tm;
	dh__st_lower(low, sizeof low, unit);
	type = dh__st_decode_units(low, &val);
	if (type != UNITS)
		return err_not_recognized(err, low, DH_SQLTIME_INTERVAL);
	dh__st_interval2itm(iv, &tm);
	switch (val) {
	case DTK_MILLENNIUM:
		tm.year = (tm.year / 1000) * 1000;
		/* fall through */
	case DTK_CENTURY:
		tm.year = (tm.year / 100) * 100;
		/* fall through */
	case DTK_DECADE:
		tm.year = (tm.year / 10) * 10;
		/* fall through */
	case DTK_YEAR:
		tm.mon = 0;
		/* fall through */
	case DTK_QUARTER:
		tm.mon = 3 * (tm.mon / 3);
		/* fall through */
	case DTK_MONTH:
		tm.mday = 0;
		/* fall through */
	case DTK_DAY:
		tm.hour = 0;
		/* fall through */
	case DTK_HOUR:
		tm.min = 0;
		/* fall through */
	case DTK_MINUTE:
		tm.sec = 0;
		/* fall through */
	case DTK_SECOND:
		tm.usec = 0;
		break;
	case DTK_MILLISEC:
		tm.usec = (tm.usec / 1000) * 1000;
		break;
	case DTK_MICROSEC:
		break;
	default:
		err_not_supported(err, low, DH_SQLTIME_INTERVAL);
		if (val == DTK_WEEK)
			dh_err_detail(err, "Months usually have fractional weeks.");
		return DH_ESQL;
	}
	if (dh__st_itm2interval(&tm, out) != 0)
		return dh__st_err_iv_range(err);
	return 0;
}

/* --- extract / date_part --- */

/* numeric text of v / 10^scale, exactly scale fraction digits */
static void
put_scaled(struct dh_arena *a, struct dh_value *out, int64_t v, int scale)
{
	char buf[64];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t p = 1;
	for (int i = 0; i < scale; i++)
		p *= 10;
	if (scale > 0)
		snprintf(buf, sizeof buf, "%s%llu.%0*llu", v < 0 ? "-" : "",
			 (unsigned long long)(u / p), scale, (unsigned long long)(u % p));
	else
		snprintf(buf, sizeof buf, "%s%llu", v < 0 ? "-" : "", (unsigned long long)u);
	out->type = DH_T_BIGDEC;
	out->s.p = dh_arena_strdup(a, buf);
	out->s.n = strlen(buf);
}

/* PostgreSQL's numeric division scale for a / b (both > 0 or a == 0) */
static int
div_scale(uint64_t a, uint64_t b)
{
	int w1 = 0, w2 = 0;
	uint64_t f1 = 0, f2 = b;
	if (a) {
		f1 = a;
		while (f1 >= 10000) {
			f1 /= 10000;
			w1++;
		}
	}
	while (f2 >= 10000) {
		f2 /= 10000;
		w2++;
	}
	int qweight = w1 - w2;
	if (f1 <= f2)
		qweight--;
	int rscale = 16 - qweight * 4;
	if (rscale < 0)
		rscale = 0;
	if (rscale > 1000)
		rscale = 1000;
	return rscale;
}

/* whole + num/den (num >= 0, den > 0) as numeric text with PostgreSQL's
 * division scale (julian) */
static void
put_julian(struct dh_arena *a, struct dh_value *out, int64_t whole, uint64_t num, uint64_t den)
{
	int rscale = div_scale(num, den);
	char *buf = dh_arena_alloc(a, (size_t)rscale + 48);
	char *digits = dh_arena_alloc(a, (size_t)rscale + 2);
	uint64_t q = num / den, r = num % den;
	for (int i = 0; i <= rscale; i++) {
		r *= 10;
		digits[i] = (char)('0' + r / den);
		r %= den;
	}
	/* round half up on digit rscale */
	int carry = digits[rscale] >= '5';
	for (int i = rscale - 1; i >= 0 && carry; i--) {
		if (digits[i] == '9')
			digits[i] = '0';
		else {
			digits[i]++;
			carry = 0;
		}
	}
	if (carry)
		q++;
	digits[rscale] = '\0';
	int n = snprintf(buf, 48, "%lld", (long long)(whole + (int64_t)q));
	if (rscale > 0) {
		buf[n++] = '.';
		memcpy(buf + n, digits, (size_t)rscale);
		n += rscale;
	}
	buf[n] = '\0';
	out->type = DH_T_BIGDEC;
	out->s.p = buf;
	out->s.n = (size_t)n;
}

static void
put_double(struct dh_value *out, double d)
{
	out->type = DH_T_DOUBLE;
	out->d = d;
}

static void
put_int(struct dh_arena *a, struct dh_value *out, int64_t v, int numeric)
{
	if (numeric)
		put_scaled(a, out, v, 0);
	else
		put_double(out, (double)v);
}

/* units whose value grows with time: +-infinity for infinite inputs */
static int
monotonic_unit(int val)
{
	switch (val) {
	case DTK_YEAR:
	case DTK_DECADE:
	case DTK_CENTURY:
	case DTK_MILLENNIUM:
	case DTK_JULIAN:
	case DTK_ISOYEAR:
	case DTK_EPOCH:
		return 1;
	}
	return 0;
}

static int
year_part(int val, int year, int64_t *r)
{
	switch (val) {
	case DTK_YEAR:
		*r = year > 0 ? year : year - 1;
		return 1;
	case DTK_DECADE:
		*r = year >= 0 ? year / 10 : -((8 - (year - 1)) / 10);
		return 1;
	case DTK_CENTURY:
		*r = year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100);
		return 1;
	case DTK_MILLENNIUM:
		*r = year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000);
		return 1;
	}
	return 0;
}

static int
extract_common(const char *field, enum dh_sqltime_type t, int64_t v, const struct dh_interval *iv,
	       const struct dh_sqltime_settings *set, int numeric, struct dh_arena *a,
	       struct dh_value *out, struct dh_err *err)
{
	char low[64];
	int type, val;
	int64_t r = 0;
	struct st_tm tm;
	int64_t fsec;
	dh__st_lower(low, sizeof low, field);
	type = dh__st_decode_units(low, &val);
	if (type == UNKNOWN_FIELD)
		type = dh__st_decode_special(low, &val);
	out->type = DH_T_NONE;

	if (t == DH_SQLTIME_INTERVAL) {
		struct st_itm itm;
		if (type == UNITS) {
			dh__st_interval2itm(iv, &itm);
			switch (val) {
			case DTK_MICROSEC:
				r = itm.sec * INT64_C(1000000) + itm.usec;
				break;
			case DTK_MILLISEC:
				if (numeric)
					put_scaled(a, out, itm.sec * INT64_C(1000000) + itm.usec, 3);
				else
					put_double(out, itm.sec * 1000.0 + itm.usec / 1000.0);
				return 0;
			case DTK_SECOND:
				if (numeric)
					put_scaled(a, out, itm.sec * INT64_C(1000000) + itm.usec, 6);
				else
					put_double(out, itm.sec + itm.usec / 1000000.0);
				return 0;
			case DTK_MINUTE:
				r = itm.min;
				break;
			case DTK_HOUR:
				r = itm.hour;
				break;
			case DTK_DAY:
				r = itm.mday;
				break;
			case DTK_MONTH:
				r = itm.mon;
				break;
			case DTK_QUARTER:
				r = itm.mon / 3 + 1;
				break;
			case DTK_YEAR:
				r = itm.year;
				break;
			case DTK_DECADE:
				r = itm.year / 10;
				break;
			case DTK_CENTURY:
				r = itm.year / 100;
				break;
			case DTK_MILLENNIUM:
				r = itm.year / 1000;
				break;
			default:
				return err_not_supported(err, low, t);
			}
			put_int(a, out, r, numeric);
			return 0;
		}
		if (type == RESERV && val == DTK_EPOCH) {
			if (numeric) {
				int64_t secs = ((int64_t)(4 * DAYS_PER_YEAR) * (iv->month / MONTHS_PER_YEAR) +
						(int64_t)(4 * DAYS_PER_MONTH) * (iv->month % MONTHS_PER_YEAR) +
						(int64_t)4 * iv->day) *
					       (SECS_PER_DAY / 4);
				int64_t us;
				if (!__builtin_mul_overflow(secs, 1000000, &us) &&
				    !__builtin_add_overflow(us, iv->time, &us))
					put_scaled(a, out, us, 6);
				else {
					/* beyond int64: whole seconds + fraction */
					__int128 tot = (__int128)secs * 1000000 + iv->time;
					int neg = tot < 0;
					unsigned __int128 u = neg ? -(unsigned __int128)tot
								  : (unsigned __int128)tot;
					char buf[64];
					char ip[48];
					int k = 0;
					unsigned __int128 w = u / 1000000;
					if (!w)
						ip[k++] = '0';
					while (w) {
						ip[k++] = (char)('0' + (int)(w % 10));
						w /= 10;
					}
					int n = 0;
					if (neg)
						buf[n++] = '-';
					while (k)
						buf[n++] = ip[--k];
					n += snprintf(buf + n, sizeof buf - (size_t)n, ".%06d",
						      (int)(u % 1000000));
					out->type = DH_T_BIGDEC;
					out->s.p = dh_arena_strdup(a, buf);
					out->s.n = (size_t)n;
				}
			} else {
				double d = iv->time / 1000000.0;
				d += ((double)DAYS_PER_YEAR * SECS_PER_DAY) * (iv->month / MONTHS_PER_YEAR);
				d += ((double)DAYS_PER_MONTH * SECS_PER_DAY) * (iv->month % MONTHS_PER_YEAR);
				d += ((double)SECS_PER_DAY) * iv->day;
				put_double(out, d);
			}
			return 0;
		}
		return err_not_recognized(err, low, t);
	}

	if (t == DH_SQLTIME_TIME) {
		if (type == UNITS) {
			int h, m, s;
			dh__st_dt2time(v, &h, &m, &s, &fsec);
			switch (val) {
			case DTK_MICROSEC:
				r = s * INT64_C(1000000) + fsec;
				break;
			case DTK_MILLISEC:
				if (numeric)
					put_scaled(a, out, s * INT64_C(1000000) + fsec, 3);
				else
					put_double(out, s * 1000.0 + fsec / 1000.0);
				return 0;
			case DTK_SECOND:
				if (numeric)
					put_scaled(a, out, s * INT64_C(1000000) + fsec, 6);
				else
					put_double(out, s + fsec / 1000000.0);
				return 0;
			case DTK_MINUTE:
				r = m;
				break;
			case DTK_HOUR:
				r = h;
				break;
			default:
				return err_not_supported(err, low, t);
			}
			put_int(a, out, r, numeric);
			return 0;
		}
		if (type == RESERV && val == DTK_EPOCH) {
			if (numeric)
				put_scaled(a, out, v, 6);
			else
				put_double(out, v / 1000000.0);
			return 0;
		}
		return err_not_recognized(err, low, t);
	}

	if (t == DH_SQLTIME_DATE) {
		int32_t d = dh__st_date2000(v);
		int year, mon, mday;
		if ((d == DATE_NOBEGIN_32 || d == DATE_NOEND_32) && (type == UNITS || type == RESERV)) {
			switch (val) {
			case DTK_DAY:
			case DTK_MONTH:
			case DTK_QUARTER:
			case DTK_WEEK:
			case DTK_DOW:
			case DTK_ISODOW:
			case DTK_DOY:
				return 0;
			default:
				if (monotonic_unit(val)) {
					put_double(out, d == DATE_NOBEGIN_32 ? -INFINITY : INFINITY);
					return 0;
				}
				return err_not_supported(err, low, t);
			}
		}
		if (type == UNITS) {
			dh__st_j2date(d + POSTGRES_EPOCH_JDATE, &year, &mon, &mday);
			if (year_part(val, year, &r))
				;
			else
				switch (val) {
				case DTK_DAY:
					r = mday;
					break;
				case DTK_MONTH:
					r = mon;
					break;
				case DTK_QUARTER:
					r = (mon - 1) / 3 + 1;
					break;
				case DTK_WEEK:
					r = dh__st_date2isoweek(year, mon, mday);
					break;
				case DTK_JULIAN:
					r = d + POSTGRES_EPOCH_JDATE;
					break;
				case DTK_ISOYEAR:
					r = dh__st_date2isoyear(year, mon, mday);
					if (r <= 0)
						r -= 1;
					break;
				case DTK_DOW:
				case DTK_ISODOW:
					r = dh__st_j2day(d + POSTGRES_EPOCH_JDATE);
					if (val == DTK_ISODOW && r == 0)
						r = 7;
					break;
				case DTK_DOY:
					r = dh__st_date2j(year, mon, mday) - dh__st_date2j(year, 1, 1) + 1;
					break;
				default:
					return err_not_supported(err, low, t);
				}
			put_scaled(a, out, r, 0);
			return 0;
		}
		if (type == RESERV) {
			if (val == DTK_EPOCH) {
				put_scaled(a, out,
					   ((int64_t)d + POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) *
						   SECS_PER_DAY,
					   0);
				return 0;
			}
			return err_not_supported(err, low, t);
		}
		return err_not_recognized(err, low, t);
	}

	/* timestamp, timestamptz */
	int64_t x = dh__st_ts2000(v);
	int withtz = t == DH_SQLTIME_TIMESTAMPTZ, tz = 0;
	if (TS_NOT_FINITE(x)) {
		if (type != UNITS && type != RESERV)
			return err_not_recognized(err, low, t);
		switch (val) {
		case DTK_MICROSEC:
		case DTK_MILLISEC:
		case DTK_SECOND:
		case DTK_MINUTE:
		case DTK_HOUR:
		case DTK_DAY:
		case DTK_MONTH:
		case DTK_QUARTER:
		case DTK_WEEK:
		case DTK_DOW:
		case DTK_ISODOW:
		case DTK_DOY:
		case DTK_TZ:
		case DTK_TZ_MINUTE:
		case DTK_TZ_HOUR:
			return 0;
		default:
			if (monotonic_unit(val)) {
				put_double(out, x == INT64_MIN ? -INFINITY : INFINITY);
				return 0;
			}
		}
		return err_not_supported(err, low, t);
	}
	if (type == UNITS) {
		memset(&tm, 0, sizeof tm);
		if (dh__st_ts2tm(x, withtz ? &tz : NULL, &tm, &fsec, dh__st_session_tz(set)) != 0)
			return dh__st_err_ts_range(err);
		if (year_part(val, tm.year, &r))
			;
		else
			switch (val) {
			case DTK_TZ:
				if (!withtz)
					return err_not_supported(err, low, t);
				r = -tz;
				break;
			case DTK_TZ_MINUTE:
				if (!withtz)
					return err_not_supported(err, low, t);
				r = (-tz / SECS_PER_MINUTE) % MINS_PER_HOUR;
				break;
			case DTK_TZ_HOUR:
				if (!withtz)
					return err_not_supported(err, low, t);
				r = -tz / SECS_PER_HOUR;
				break;
			case DTK_MICROSEC:
				r = tm.sec * INT64_C(1000000) + fsec;
				break;
			case DTK_MILLISEC:
				if (numeric)
					put_scaled(a, out, tm.sec * INT64_C(1000000) + fsec, 3);
				else
					put_double(out, tm.sec * 1000.0 + fsec / 1000.0);
				return 0;
			case DTK_SECOND:
				if (numeric)
					put_scaled(a, out, tm.sec * INT64_C(1000000) + fsec, 6);
				else
					put_double(out, tm.sec + fsec / 1000000.0);
				return 0;
			case DTK_MINUTE:
				r = tm.min;
				break;
			case DTK_HOUR:
				r = tm.hour;
				break;
			case DTK_DAY:
				r = tm.mday;
				break;
			case DTK_MONTH:
				r = tm.mon;
				break;
			case DTK_QUARTER:
				r = (tm.mon - 1) / 3 + 1;
				break;
			case DTK_WEEK:
				r = dh__st_date2isoweek(tm.year, tm.mon, tm.mday);
				break;
			case DTK_JULIAN: {
				int64_t us = (((int64_t)tm.hour * MINS_PER_HOUR + tm.min) * SECS_PER_MINUTE +
					      tm.sec) *
						     INT64_C(1000000) +
					     fsec;
				int64_t j = dh__st_date2j(tm.year, tm.mon, tm.mday);
				if (numeric)
					put_julian(a, out, j, (uint64_t)us,
						   (uint64_t)SECS_PER_DAY * 1000000);
				else
					put_double(out, j + ((((tm.hour * MINS_PER_HOUR) + tm.min) *
								      SECS_PER_MINUTE) +
								     tm.sec + (fsec / 1000000.0)) /
								    (double)SECS_PER_DAY);
				return 0;
			}
			case DTK_ISOYEAR:
				r = dh__st_date2isoyear(tm.year, tm.mon, tm.mday);
				if (r <= 0)
					r -= 1;
				break;
			case DTK_DOW:
			case DTK_ISODOW:
				r = dh__st_j2day(dh__st_date2j(tm.year, tm.mon, tm.mday));
				if (val == DTK_ISODOW && r == 0)
					r = 7;
				break;
			case DTK_DOY:
				r = dh__st_date2j(tm.year, tm.mon, tm.mday) -
				    dh__st_date2j(tm.year, 1, 1) + 1;
				break;
			default:
				return err_not_supported(err, low, t);
			}
		put_int(a, out, r, numeric);
		return 0;
	}
	if (type == RESERV) {
		if (val == DTK_EPOCH) {
			int64_t epoch = -EPOCH_DIFF_USECS;
			if (numeric)
				put_scaled(a, out, x - epoch, 6);
			else
				put_double(out, (double)(x - epoch) / 1000000.0);
			return 0;
		}
		return err_not_supported(err, low, t);
	}
	return err_not_recognized(err, low, t);
}

int
dh_sqltime_extract(const char *field, enum dh_sqltime_type t, int64_t v,
		   const struct dh_interval *iv, const struct dh_sqltime_settings *set,
		   struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	return extract_common(field, t, v, iv, set, 1, a, out, err);
}

int
dh_sqltime_date_part(const char *field, enum dh_sqltime_type t, int64_t v,
		     const struct dh_interval *iv, const struct dh_sqltime_settings *set,
		     struct dh_value *out, struct dh_err *err)
{
	/* date_part(text, date) is date_part(text, date::timestamp) */
	if (t == DH_SQLTIME_DATE) {
		int64_t ts;
		int rc = dh_sqltime_date_to_timestamp(v, &ts, err);
		if (rc)
			return rc;
		t = DH_SQLTIME_TIMESTAMP;
		v = ts;
	}
	return extract_common(field, t, v, iv, set, 0, NULL, out, err);
}

/* --- age --- */

int
dh_sqltime_age(enum dh_sqltime_type t, int64_t a, int64_t b,
	       const struct dh_sqltime_settings *set, struct dh_interval *out, struct dh_err *err)
{
	struct st_tm tm1, tm2;
	struct st_itm tm;
	int64_t fsec1, fsec2;
	int tz1, tz2, withtz = t == DH_SQLTIME_TIMESTAMPTZ;
	int64_t dt1 = dh__st_ts2000(a), dt2 = dh__st_ts2000(b);
	const struct dh_sqltime_tz *zt = dh__st_session_tz(set);
	memset(&tm1, 0, sizeof tm1);
	memset(&tm2, 0, sizeof tm2);
	if (dh__st_ts2tm(dt1, withtz ? &tz1 : NULL, &tm1, &fsec1, zt) != 0 ||
	    dh__st_ts2tm(dt2, withtz ? &tz2 : NULL, &tm2, &fsec2, zt) != 0)
		return dh__st_err_ts_range(err);
	memset(&tm, 0, sizeof tm);
	tm.usec = fsec1 - fsec2;
	tm.sec = tm1.sec - tm2.sec;
	tm.min = tm1.min - tm2.min;
	tm.hour = tm1.hour - tm2.hour;
	tm.mday = tm1.mday - tm2.mday;
	tm.mon = tm1.mon - tm2.mon;
	tm.year = tm1.year - tm2.year;
	if (dt1 < dt2) {
		tm.usec = -tm.usec;
		tm.sec = -tm.sec;
		tm.min = -tm.min;
		tm.hour = -tm.hour;
		tm.mday = -tm.mday;
		tm.mon = -tm.mon;
		tm.year = -tm.year;
	}
	while (tm.usec < 0) {
		tm.usec += USECS_PER_SEC;
		tm.sec--;
	}
	while (tm.sec < 0) {
		tm.sec += SECS_PER_MINUTE;
		tm.min--;
	}
	while (tm.min < 0) {
		tm.min += MINS_PER_HOUR;
		tm.hour--;
	}
	while (tm.hour < 0) {
		tm.hour += HOURS_PER_DAY;
		tm.mday--;
	}
	while (tm.mday < 0) {
		if (dt1 < dt2)
			tm.mday += dh__st_day_tab[ISLEAP(tm1.year)][tm1.mon - 1];
		else
			tm.mday += dh__st_day_tab[ISLEAP(tm2.year)][tm2.mon - 1];
		tm.mon--;
	}
	while (tm.mon < 0) {
		tm.mon += MONTHS_PER_YEAR;
		tm.year--;
	}
	if (dt1 < dt2) {
		tm.usec = -tm.usec;
		tm.sec = -tm.sec;
		tm.min = -tm.min;
		tm.hour = -tm.hour;
		tm.mday = -tm.mday;
		tm.mon = -tm.mon;
		tm.year = -tm.year;
	}
	if (dh__st_itm2interval(&tm, out) != 0)
		return dh__st_err_iv_range(err);
	return 0;
}

int
dh_sqltime_age1(enum dh_sqltime_type t, int64_t x, const struct dh_sqltime_settings *set,
		struct dh_interval *out, struct dh_err *err)
{
	int64_t d, start;
	int rc = dh_sqltime_current_date(set, &d, err);
	if (rc)
		return rc;
	if (t == DH_SQLTIME_TIMESTAMPTZ)
		rc = dh_sqltime_date_to_timestamptz(d, set, &start, err);
	else
		rc = dh_sqltime_date_to_timestamp(d, &start, err);
	if (rc)
		return rc;
	return dh_sqltime_age(t, start, x, set, out, err);
}

/* --- justify --- */

int
dh_sqltime_justify_days(const struct dh_interval *span, struct dh_interval *r,
			struct dh_err *err)
{
	int32_t wholemonth;
	*r = *span;
	wholemonth = r->day / DAYS_PER_MONTH;
	r->day -= wholemonth * DAYS_PER_MONTH;
	if (__builtin_add_overflow(r->month, wholemonth, &r->month))
		return dh__st_err_iv_range(err);
	if (r->month > 0 && r->day < 0) {
		r->day += DAYS_PER_MONTH;
		r->month--;
	} else if (r->month < 0 && r->day > 0) {
		r->day -= DAYS_PER_MONTH;
		r->month++;
	}
	return 0;
}

int
dh_sqltime_justify_interval(const struct dh_interval *span, struct dh_interval *r,
			    struct dh_err *err)
{
	int64_t wholeday;
	int32_t wholemonth;
	*r = *span;
	if ((r->day > 0 && r->time > 0) || (r->day < 0 && r->time < 0)) {
		wholemonth = r->day / DAYS_PER_MONTH;
		r->day -= wholemonth * DAYS_PER_MONTH;
		if (__builtin_add_overflow(r->month, wholemonth, &r->month))
			return dh__st_err_iv_range(err);
	}
	wholeday = r->time / USECS_PER_DAY;
	if (wholeday != 0)
		r->time -= wholeday * USECS_PER_DAY;
	r->day += (int32_t)wholeday;
	wholemonth = r->day / DAYS_PER_MONTH;
	r->day -= wholemonth * DAYS_PER_MONTH;
	if (__builtin_add_overflow(r->month, wholemonth, &r->month))
		return dh__st_err_iv_range(err);
	if (r->month > 0 && (r->day < 0 || (r->day == 0 && r->time < 0))) {
		r->day += DAYS_PER_MONTH;
		r->month--;
	} else if (r->month < 0 && (r->day > 0 || (r->day == 0 && r->time > 0))) {
		r->day -= DAYS_PER_MONTH;
		r->month++;
	}
	if (r->day > 0 && r->time < 0) {
		r->time += USECS_PER_DAY;
		r->day--;
	} else if (r->day < 0 && r->time > 0) {
		r->time -= USECS_PER_DAY;
		r->day++;
	}
	return 0;
}

/* --- make_* --- */

int
dh_sqltime_make_date(int64_t y, int64_t m, int64_t d, int64_t *out, struct dh_err *err)
{
	struct st_tm tm;
	int bc = 0;
	memset(&tm, 0, sizeof tm);
	tm.year = (int)y;
	tm.mon = (int)m;
	tm.mday = (int)d;
	if (tm.year < 0) {
		bc = 1;
		tm.year = -tm.year;
	}
	if (dh__st_validate_date(DTK_DATE_M, 0, 0, bc, &tm) != 0)
		return dh_err_sql(err, "22008", "date field value out of range: %d-%02d-%02d",
				  tm.year, tm.mon, tm.mday);
	if (!IS_VALID_JULIAN(tm.year, tm.mon, tm.mday))
		return dh_err_sql(err, "22008", "date out of range: %d-%02d-%02d", tm.year, tm.mon,
				  tm.mday);
	int64_t date = dh__st_date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
	if (!IS_VALID_DATE(date))
		return dh_err_sql(err, "22008", "date out of range: %d-%02d-%02d", tm.year, tm.mon,
				  tm.mday);
	*out = dh__st_date1970((int32_t)date);
	return 0;
}

/* PostgreSQL's snprintf prints NaN and infinities so */
static const char *
gfmt(char *buf, size_t n, double d)
{
	if (isnan(d))
		snprintf(buf, n, "NaN");
	else if (isinf(d))
		snprintf(buf, n, d < 0 ? "-Infinity" : "Infinity");
	else
		snprintf(buf, n, "%02g", d);
	return buf;
}

static int
float_time_overflows(int hour, int min, double sec)
{
	if (hour < 0 || hour > HOURS_PER_DAY || min < 0 || min >= MINS_PER_HOUR)
		return 1;
	if (isnan(sec))
		return 1;
	sec = rint(sec * USECS_PER_SEC);
	if (sec < 0 || sec > SECS_PER_MINUTE * USECS_PER_SEC)
		return 1;
	if (((((int64_t)hour * MINS_PER_HOUR + min) * SECS_PER_MINUTE) * USECS_PER_SEC) +
		    (int64_t)sec >
	    USECS_PER_DAY)
		return 1;
	return 0;
}

int
dh_sqltime_make_time(int64_t h, int64_t m, double s, int64_t *out, struct dh_err *err)
{
	char g[64];
	if (float_time_overflows((int)h, (int)m, s))
		return dh_err_sql(err, "22008", "time field value out of range: %d:%02d:%s",
				  (int)h, (int)m, gfmt(g, sizeof g, s));
	*out = ((((int64_t)h * MINS_PER_HOUR + m) * SECS_PER_MINUTE) * USECS_PER_SEC) +
	       (int64_t)rint(s * USECS_PER_SEC);
	return 0;
}

/* 2000-based */
static int
make_ts_internal(int year, int month, int day, int hour, int min, double sec, int64_t *out,
		 struct dh_err *err)
{
	struct st_tm tm;
	int bc = 0;
	int64_t date, time, result;
	char g[64];
	memset(&tm, 0, sizeof tm);
	tm.year = year;
	tm.mon = month;
	tm.mday = day;
	if (tm.year < 0) {
		bc = 1;
		tm.year = -tm.year;
	}
	if (dh__st_validate_date(DTK_DATE_M, 0, 0, bc, &tm) != 0)
		return dh_err_sql(err, "22008", "date field value out of range: %d-%02d-%02d", year,
				  month, day);
	if (!IS_VALID_JULIAN(tm.year, tm.mon, tm.mday))
		return dh_err_sql(err, "22008", "date out of range: %d-%02d-%02d", year, month,
				  day);
	date = dh__st_date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
	if (float_time_overflows(hour, min, sec))
		return dh_err_sql(err, "22008", "time field value out of range: %d:%02d:%s", hour,
				  min, gfmt(g, sizeof g, sec));
	time = ((((int64_t)hour * MINS_PER_HOUR + min) * SECS_PER_MINUTE) * USECS_PER_SEC) +
	       (int64_t)rint(sec * USECS_PER_SEC);
	/* PostgreSQL's checks expect a wrapped product */
	result = (int64_t)((uint64_t)date * (uint64_t)USECS_PER_DAY + (uint64_t)time);
	if ((result - time) / USECS_PER_DAY != date || (result < 0 && date > 0) ||
	    (result > 0 && date < -1) || !IS_VALID_TIMESTAMP(result))
		return dh_err_sql(err, "22008", "timestamp out of range: %d-%02d-%02d %d:%02d:%s",
				  year, month, day, hour, min, gfmt(g, sizeof g, sec));
	*out = result;
	return 0;
}

int
dh_sqltime_make_timestamp(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, double s,
			  int64_t *out, struct dh_err *err)
{
	int64_t r;
	int rc = make_ts_internal((int)y, (int)mo, (int)d, (int)h, (int)mi, s, &r, err);
	if (rc == 0)
		rc = dh__st_ts1970(r, out, err);
	return rc;
}

int
dh_sqltime_make_timestamptz(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, double s,
			    const char *zone, const struct dh_sqltime_settings *set, int64_t *out,
			    struct dh_err *err)
{
	int64_t ts, r, fsec;
	int rc = make_ts_internal((int)y, (int)mo, (int)d, (int)h, (int)mi, s, &ts, err);
	struct st_tm tm;
	int tz;
	if (rc)
		return rc;
	memset(&tm, 0, sizeof tm);
	if (dh__st_ts2tm(ts, NULL, &tm, &fsec, NULL) != 0)
		return dh__st_err_ts_range(err);
	if (!zone) {
		tz = dh__st_tz_offset(&tm, dh__st_session_tz(set));
	} else {
		/* parse_sane_timezone */
		if (isdigit((unsigned char)*zone)) {
			dh_err_sql(err, "22023", "invalid input syntax for type %s: \"%s\"",
				   "numeric time zone", zone);
			dh_err_hint(err, "Numeric time zones must have \"-\" or \"+\" as first "
					 "character.");
			return DH_ESQL;
		}
		int rt = dh__st_decode_timezone(zone, &tz);
		if (rt != 0) {
			struct zone_ref z;
			if (rt == DTERR_TZDISP_OVERFLOW)
				return dh_err_sql(err, "22023", "numeric time zone \"%s\" out of range",
						  zone);
			else if (rt != DTERR_BAD_FORMAT)
				return dh_err_sql(err, "22023", "time zone \"%s\" not recognized",
						  zone);
			if ((rc = zone_resolve(zone, set, &z, err)))
				return rc;
			if (z.fixed)
				tz = (int)-z.gmtoff;
			else if (z.dynabbr)
				tz = dh__st_tz_abbrev_offset(&tm, z.dynabbr, z.tz);
			else
				tz = dh__st_tz_offset(&tm, z.tz);
			zone_release(&z);
		}
	}
	r = ts + (int64_t)tz * USECS_PER_SEC;
	if (!IS_VALID_TIMESTAMP(r))
		return dh__st_err_ts_range(err);
	return dh__st_ts1970(r, out, err);
}

int
dh_sqltime_make_interval(int64_t years, int64_t months, int64_t weeks, int64_t days,
			 int64_t hours, int64_t mins, double secs, struct dh_interval *out,
			 struct dh_err *err)
{
	/* PostgreSQL 15 computes this in wrapping int32/int64 arithmetic
	 * (the overflow checks came later); we wrap the same way */
	uint32_t m, d;
	uint64_t t;
	if (isinf(secs) || isnan(secs))
		return dh__st_err_iv_range(err);
	m = (uint32_t)(int32_t)years * MONTHS_PER_YEAR + (uint32_t)(int32_t)months;
	d = (uint32_t)(int32_t)weeks * 7 + (uint32_t)(int32_t)days;
	secs = rint(secs * USECS_PER_SEC);
	/* an out-of-range double -> int64 conversion yields INT64_MIN on the
	 * machines PostgreSQL runs on */
	t = (secs >= (double)INT64_MIN && secs < -(double)INT64_MIN) ? (uint64_t)(int64_t)secs
								      : (uint64_t)INT64_MIN;
	t += (uint64_t)(int64_t)(int32_t)hours * (uint64_t)USECS_PER_HOUR +
	     (uint64_t)(int64_t)(int32_t)mins * (uint64_t)USECS_PER_MINUTE;
	out->month = (int32_t)m;
	out->day = (int32_t)d;
	out->time = (int64_t)t;
	return 0;
}

/* --- AT TIME ZONE --- */

int
dh_sqltime_at_zone(const char *zone, enum dh_sqltime_type t, int64_t ts,
		   const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	struct zone_ref z;
	int64_t x = dh__st_ts2000(ts), r = 0, fsec;
	struct st_tm tm;
	int tz, rc;
	if (TS_NOT_FINITE(x)) {
		*out = ts;
		return 0;
	}
	if ((rc = zone_resolve(zone, set, &z, err)))
		return rc;
	memset(&tm, 0, sizeof tm);
	if (t == DH_SQLTIME_TIMESTAMP) {
		/* wall clock in zone -> instant */
		if (z.fixed)
			r = x - z.gmtoff * USECS_PER_SEC;
		else {
			if (dh__st_ts2tm(x, NULL, &tm, &fsec, NULL) != 0) {
				rc = dh__st_err_ts_range(err);
				goto out;
			}
			tz = z.dynabbr ? dh__st_tz_abbrev_offset(&tm, z.dynabbr, z.tz)
				       : dh__st_tz_offset(&tm, z.tz);
			r = x + (int64_t)tz * USECS_PER_SEC;
		}
	} else if (z.dynabbr) {
		long off;
		int isdst;
		int64_t ut = (x - (x % USECS_PER_SEC + USECS_PER_SEC) % USECS_PER_SEC) / USECS_PER_SEC +
			    (int64_t)EPOCH_DIFF_DAYS * SECS_PER_DAY;
		if (dh__st_tz_abbrev_at(z.tz, ut, z.dynabbr, &off, &isdst))
			tz = (int)-off;
		else {
			if (dh__st_ts2tm(x, &tz, &tm, &fsec, z.tz) != 0) {
				rc = dh__st_err_ts_range(err);
				goto out;
			}
			tz = dh__st_tz_offset(&tm, z.tz);
		}
		r = x - (int64_t)tz * USECS_PER_SEC;
	} else {
		if (z.fixed)
			r = x + z.gmtoff * USECS_PER_SEC;
		else {
			if (dh__st_ts2tm(x, &tz, &tm, &fsec, z.tz) != 0) {
				rc = dh__st_err_ts_range(err);
				goto out;
			}
			r = x - (int64_t)tz * USECS_PER_SEC;
		}
	}
	if (!IS_VALID_TIMESTAMP(r)) {
		rc = dh__st_err_ts_range(err);
		goto out;
	}
	rc = dh__st_ts1970(r, out, err);
out:
	zone_release(&z);
	return rc;
}

int
dh_sqltime_at_izone(const struct dh_interval *zone, enum dh_sqltime_type t, int64_t ts,
		    const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	int64_t x = dh__st_ts2000(ts), r, tz;
	if (TS_NOT_FINITE(x)) {
		*out = ts;
		return 0;
	}
	if (zone->month != 0 || zone->day != 0) {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_sqltime_interval_out(&b, zone, set);
		dh_err_sql(err, "22023", "interval time zone \"%s\" must not include months or days",
			   (char *)b.p);
		dh_buf_release(&b);
		return DH_ESQL;
	}
	tz = zone->time / USECS_PER_SEC;
	if (t == DH_SQLTIME_TIMESTAMP)
		r = x - tz * USECS_PER_SEC;
	else
		r = x + tz * USECS_PER_SEC;
	if (!IS_VALID_TIMESTAMP(r))
		return dh__st_err_ts_range(err);
	return dh__st_ts1970(r, out, err);
}

/* --- date_bin, to_timestamp(float8) --- */

int
dh_sqltime_date_bin(const struct dh_interval *stride, int64_t ts, int64_t origin, int64_t *out,
		    struct dh_err *err)
{
	int64_t x = dh__st_ts2000(ts), o = dh__st_ts2000(origin);
	int64_t stride_usecs, diff, mod, delta, r;
	if (TS_NOT_FINITE(x)) {
		*out = ts;
		return 0;
	}
	if (TS_NOT_FINITE(o))
		return dh_err_sql(err, "22008", "origin out of range");
	if (stride->month != 0)
		return dh_err_sql(err, "0A000", "timestamps cannot be binned into intervals "
						"containing months or years");
	if (__builtin_mul_overflow((int64_t)stride->day, USECS_PER_DAY, &stride_usecs) ||
	    __builtin_add_overflow(stride_usecs, stride->time, &stride_usecs))
		return dh__st_err_iv_range(err);
	if (stride_usecs <= 0)
		return dh_err_sql(err, "22008", "stride must be greater than zero");
	if (__builtin_sub_overflow(x, o, &diff))
		return dh__st_err_iv_range(err);
	mod = diff % stride_usecs;
	delta = diff - mod;
	r = o + delta;
	if (mod < 0) {
		if (__builtin_sub_overflow(r, stride_usecs, &r) || !IS_VALID_TIMESTAMP(r))
			return dh__st_err_ts_range(err);
	}
	return dh__st_ts1970(r, out, err);
}

int
dh_sqltime_to_timestamp_float(double seconds, int64_t *out, struct dh_err *err)
{
	int64_t r;
	if (isnan(seconds))
		return dh_err_sql(err, "22008", "timestamp cannot be NaN");
	if (isinf(seconds)) {
		*out = seconds < 0 ? DH_SQLTIME_NOBEGIN : DH_SQLTIME_NOEND;
		return 0;
	}
	if (seconds < (double)SECS_PER_DAY * (DATETIME_MIN_JULIAN - UNIX_EPOCH_JDATE) ||
	    seconds >= (double)SECS_PER_DAY * (TIMESTAMP_END_JULIAN - UNIX_EPOCH_JDATE))
		return dh_err_sql(err, "22008", "timestamp out of range: \"%g\"", seconds);
	double s = seconds - (double)EPOCH_DIFF_DAYS * SECS_PER_DAY;
	s = rint(s * USECS_PER_SEC);
	r = (int64_t)s;
	if (!IS_VALID_TIMESTAMP(r))
		return dh_err_sql(err, "22008", "timestamp out of range: \"%g\"", seconds);
	return dh__st_ts1970(r, out, err);
}
