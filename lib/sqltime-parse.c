/*
 * sqltime-parse: PostgreSQL's date/time input.  The text is split into
 * fields (ParseDateTime), then the fields are decoded in PostgreSQL's order
 * with its masks and heuristics (DecodeDateTime, DecodeTimeOnly,
 * DecodeInterval, DecodeISO8601Interval), so that what PostgreSQL accepts,
 * refuses, and how it reads ambiguous input (DateStyle field order, two
 * digit years, run-together digits) are the same here.  Errors carry
 * PostgreSQL's SQLSTATEs and messages.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqltime-int.h"

struct tok {
	const char *text;
	int type, value;
};

/* datetktbl, sorted */
static const struct tok date_tokens[] = {
	{"-infinity", RESERV, DTK_EARLY},
	{"ad", ADBC, AD},
	{"allballs", RESERV, DTK_ZULU},
	{"am", AMPM, AM},
	{"apr", MONTH, 4},
	{"april", MONTH, 4},
	{"at", IGNORE_DTF, 0},
	{"aug", MONTH, 8},
	{"august", MONTH, 8},
	{"bc", ADBC, BC},
	{"d", UNITS, DTK_DAY},
	{"dec", MONTH, 12},
	{"december", MONTH, 12},
	{"dow", UNITS, DTK_DOW},
	{"doy", UNITS, DTK_DOY},
	{"dst", DTZMOD, SECS_PER_HOUR},
	{"epoch", RESERV, DTK_EPOCH},
	{"feb", MONTH, 2},
	{"february", MONTH, 2},
	{"fri", DOW, 5},
	{"friday", DOW, 5},
	{"h", UNITS, DTK_HOUR},
	{"infinity", RESERV, DTK_LATE},
	{"isodow", UNITS, DTK_ISODOW},
	{"isoyear", UNITS, DTK_ISOYEAR},
	{"j", UNITS, DTK_JULIAN},
	{"jan", MONTH, 1},
	{"january", MONTH, 1},
	{"jd", UNITS, DTK_JULIAN},
	{"jul", MONTH, 7},
	{"julian", UNITS, DTK_JULIAN},
	{"july", MONTH, 7},
	{"jun", MONTH, 6},
	{"june", MONTH, 6},
	{"m", UNITS, DTK_MONTH},
	{"mar", MONTH, 3},
	{"march", MONTH, 3},
	{"may", MONTH, 5},
	{"mm", UNITS, DTK_MINUTE},
	{"mon", DOW, 1},
	{"monday", DOW, 1},
	{"nov", MONTH, 11},
	{"november", MONTH, 11},
	{"now", RESERV, DTK_NOW},
	{"oct", MONTH, 10},
	{"october", MONTH, 10},
	{"on", IGNORE_DTF, 0},
	{"pm", AMPM, PM},
	{"s", UNITS, DTK_SECOND},
	{"sat", DOW, 6},
	{"saturday", DOW, 6},
	{"sep", MONTH, 9},
	{"sept", MONTH, 9},
	{"september", MONTH, 9},
	{"sun", DOW, 0},
	{"sunday", DOW, 0},
	{"t", ISOTIME, DTK_TIME},
	{"thu", DOW, 4},
	{"thur", DOW, 4},
	{"thurs", DOW, 4},
	{"thursday", DOW, 4},
	{"today", RESERV, DTK_TODAY},
	{"tomorrow", RESERV, DTK_TOMORROW},
	{"tue", DOW, 2},
	{"tues", DOW, 2},
	{"tuesday", DOW, 2},
	{"wed", DOW, 3},
	{"wednesday", DOW, 3},
	{"weds", DOW, 3},
	{"y", UNITS, DTK_YEAR},
	{"yesterday", RESERV, DTK_YESTERDAY},
};

/* deltatktbl, sorted */
static const struct tok delta_tokens[] = {
	{"@", IGNORE_DTF, 0},
	{"ago", AGO, 0},
	{"c", UNITS, DTK_CENTURY},
	{"cent", UNITS, DTK_CENTURY},
	{"centuries", UNITS, DTK_CENTURY},
	{"century", UNITS, DTK_CENTURY},
	{"d", UNITS, DTK_DAY},
	{"day", UNITS, DTK_DAY},
	{"days", UNITS, DTK_DAY},
	{"dec", UNITS, DTK_DECADE},
	{"decade", UNITS, DTK_DECADE},
	{"decades", UNITS, DTK_DECADE},
	{"decs", UNITS, DTK_DECADE},
	{"h", UNITS, DTK_HOUR},
	{"hour", UNITS, DTK_HOUR},
	{"hours", UNITS, DTK_HOUR},
	{"hr", UNITS, DTK_HOUR},
	{"hrs", UNITS, DTK_HOUR},
	{"m", UNITS, DTK_MINUTE},
	{"microsecon", UNITS, DTK_MICROSEC},
	{"mil", UNITS, DTK_MILLENNIUM},
	{"millennia", UNITS, DTK_MILLENNIUM},
	{"millennium", UNITS, DTK_MILLENNIUM},
	{"millisecon", UNITS, DTK_MILLISEC},
	{"mils", UNITS, DTK_MILLENNIUM},
	{"min", UNITS, DTK_MINUTE},
	{"mins", UNITS, DTK_MINUTE},
	{"minute", UNITS, DTK_MINUTE},
	{"minutes", UNITS, DTK_MINUTE},
	{"mon", UNITS, DTK_MONTH},
	{"mons", UNITS, DTK_MONTH},
	{"month", UNITS, DTK_MONTH},
	{"months", UNITS, DTK_MONTH},
	{"ms", UNITS, DTK_MILLISEC},
	{"msec", UNITS, DTK_MILLISEC},
	{"msecond", UNITS, DTK_MILLISEC},
	{"mseconds", UNITS, DTK_MILLISEC},
	{"msecs", UNITS, DTK_MILLISEC},
	{"qtr", UNITS, DTK_QUARTER},
	{"quarter", UNITS, DTK_QUARTER},
	{"s", UNITS, DTK_SECOND},
	{"sec", UNITS, DTK_SECOND},
	{"second", UNITS, DTK_SECOND},
	{"seconds", UNITS, DTK_SECOND},
	{"secs", UNITS, DTK_SECOND},
	{"timezone", UNITS, DTK_TZ},
	{"timezone_h", UNITS, DTK_TZ_HOUR},
	{"timezone_m", UNITS, DTK_TZ_MINUTE},
	{"us", UNITS, DTK_MICROSEC},
	{"usec", UNITS, DTK_MICROSEC},
	{"usecond", UNITS, DTK_MICROSEC},
	{"useconds", UNITS, DTK_MICROSEC},
	{"usecs", UNITS, DTK_MICROSEC},
	{"w", UNITS, DTK_WEEK},
	{"week", UNITS, DTK_WEEK},
	{"weeks", UNITS, DTK_WEEK},
	{"y", UNITS, DTK_YEAR},
	{"year", UNITS, DTK_YEAR},
	{"years", UNITS, DTK_YEAR},
	{"yr", UNITS, DTK_YEAR},
	{"yrs", UNITS, DTK_YEAR},
};

/* the tables keep at most TOKMAXLEN characters of a word, so
 * "microseconds" finds "microsecon" */
static const struct tok *
tok_search(const char *key, const struct tok *base, size_t nel)
{
	size_t lo = 0, hi = nel;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(key, base[mid].text, TOKMAXLEN);
		if (c == 0)
			return &base[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
dh__st_decode_special(const char *lowtoken, int *val)
{
	const struct tok *t = tok_search(lowtoken, date_tokens, DH_ARRAY_SIZE(date_tokens));
	if (!t) {
		*val = 0;
		return UNKNOWN_FIELD;
	}
	*val = t->value;
	return t->type;
}

int
dh__st_decode_units(const char *lowtoken, int *val)
{
	const struct tok *t = tok_search(lowtoken, delta_tokens, DH_ARRAY_SIZE(delta_tokens));
	if (!t) {
		*val = 0;
		return UNKNOWN_FIELD;
	}
	*val = t->value;
	return t->type;
}

void
dh__st_lower(char *buf, size_t n, const char *s)
{
	size_t k = 0;
	for (; s[k] && k + 1 < n; k++)
		buf[k] = (char)tolower((unsigned char)s[k]);
	buf[k] = '\0';
}

/* strtol limited to int: sets errno ERANGE beyond */
int
dh__st_strtoint(const char *s, char **end, int base)
{
	long v;
	errno = 0;
	v = strtol(s, end, base);
	if (v > INT_MAX || v < INT_MIN)
		errno = ERANGE;
	return (int)v;
}

int
dh__st_parse_error(int dterr, const char *str, const char *type, struct dh_err *err)
{
	switch (dterr) {
	case DTERR_REPORTED:
		return DH_ESQL;
	case DTERR_FIELD_OVERFLOW:
		return dh_err_sql(err, "22008", "date/time field value out of range: \"%s\"", str);
	case DTERR_MD_FIELD_OVERFLOW:
		dh_err_sql(err, "22008", "date/time field value out of range: \"%s\"", str);
		dh_err_hint(err, "Perhaps you need a different \"datestyle\" setting.");
		return DH_ESQL;
	case DTERR_INTERVAL_OVERFLOW:
		return dh_err_sql(err, "22015", "interval field value out of range: \"%s\"", str);
	case DTERR_TZDISP_OVERFLOW:
		return dh_err_sql(err, "22009", "time zone displacement out of range: \"%s\"", str);
	default:
		return dh_err_sql(err, "22007", "invalid input syntax for type %s: \"%s\"", type,
				  str);
	}
}

/* --- ParseDateTime --- */

#define APPEND(c)                                                                                 \
	do {                                                                                      \
		if (bufp >= bufend)                                                               \
			return DTERR_BAD_FORMAT;                                                  \
		*bufp++ = (c);                                                                    \
	} while (0)

int
dh__st_parse_datetime(const char *timestr, char *workbuf, size_t buflen, char **field, int *ftype,
	       int maxfields, int *numfields)
{
	int nf = 0;
	const char *cp = timestr;
	char *bufp = workbuf;
	const char *bufend = workbuf + buflen;

	while (*cp != '\0') {
		if (isspace((unsigned char)*cp)) {
			cp++;
			continue;
		}
		if (nf >= maxfields)
			return DTERR_BAD_FORMAT;
		field[nf] = bufp;
		if (isdigit((unsigned char)*cp)) {
			APPEND(*cp++);
			while (isdigit((unsigned char)*cp))
				APPEND(*cp++);
			if (*cp == ':') {
				ftype[nf] = DTK_TIME;
				APPEND(*cp++);
				while (isdigit((unsigned char)*cp) || *cp == ':' || *cp == '.')
					APPEND(*cp++);
			} else if (*cp == '-' || *cp == '/' || *cp == '.') {
				char delim = *cp;
				APPEND(*cp++);
				if (isdigit((unsigned char)*cp)) {
					ftype[nf] = delim == '.' ? DTK_NUMBER : DTK_DATE;
					while (isdigit((unsigned char)*cp))
						APPEND(*cp++);
					if (*cp == delim) {
						ftype[nf] = DTK_DATE;
						APPEND(*cp++);
						while (isdigit((unsigned char)*cp) || *cp == delim)
							APPEND(*cp++);
					}
				} else {
					ftype[nf] = DTK_DATE;
					while (isalnum((unsigned char)*cp) || *cp == delim)
						APPEND((char)tolower((unsigned char)*cp++));
				}
			} else
				ftype[nf] = DTK_NUMBER;
		} else if (*cp == '.') {
			APPEND(*cp++);
			while (isdigit((unsigned char)*cp))
				APPEND(*cp++);
			ftype[nf] = DTK_NUMBER;
		} else if (isalpha((unsigned char)*cp)) {
			int is_date = 0;
			ftype[nf] = DTK_STRING;
			APPEND((char)tolower((unsigned char)*cp++));
			while (isalpha((unsigned char)*cp))
				APPEND((char)tolower((unsigned char)*cp++));
			/* a zone name can have '/', '+', '-', '_', ':' and digits
			 * unless what we have is a keyword */
			if (*cp == '-' || *cp == '/' || *cp == '.')
				is_date = 1;
			else if (*cp == '+' || isdigit((unsigned char)*cp)) {
				if (bufp >= bufend)
					return DTERR_BAD_FORMAT;
				*bufp = '\0';
				if (!tok_search(field[nf], date_tokens, DH_ARRAY_SIZE(date_tokens)))
					is_date = 1;
			}
			if (is_date) {
				ftype[nf] = DTK_DATE;
				do {
					APPEND((char)tolower((unsigned char)*cp++));
				} while (*cp == '+' || *cp == '-' || *cp == '/' || *cp == '_' ||
					 *cp == '.' || *cp == ':' || isalnum((unsigned char)*cp));
			}
		} else if (*cp == '+' || *cp == '-') {
			APPEND(*cp++);
			while (isspace((unsigned char)*cp))
				cp++;
			if (isdigit((unsigned char)*cp)) {
				ftype[nf] = DTK_TZ;
				APPEND(*cp++);
				while (isdigit((unsigned char)*cp) || *cp == ':' || *cp == '.' ||
				       *cp == '-')
					APPEND(*cp++);
			} else if (isalpha((unsigned char)*cp)) {
				ftype[nf] = DTK_SPECIAL;
				APPEND((char)tolower((unsigned char)*cp++));
				while (isalpha((unsigned char)*cp))
					APPEND((char)tolower((unsigned char)*cp++));
			} else
				return DTERR_BAD_FORMAT;
		} else if (ispunct((unsigned char)*cp)) {
			cp++;
			continue;
		} else
			return DTERR_BAD_FORMAT;
		APPEND('\0');
		nf++;
	}
	*numfields = nf;
	return 0;
}

/* --- pieces --- */

int
dh__st_parse_fraction(const char *cp, double *frac)
{
	char *end;
	if (cp[1] == '\0') {
		*frac = 0;
		return 0;
	}
	errno = 0;
	*frac = strtod(cp, &end);
	if (*end != '\0' || errno != 0)
		return DTERR_BAD_FORMAT;
	return 0;
}

int
dh__st_parse_fractional_second(const char *cp, int64_t *fsec)
{
	double frac;
	int dterr = dh__st_parse_fraction(cp, &frac);
	if (dterr)
		return dterr;
	*fsec = (int64_t)rint(frac * 1000000);
	return 0;
}

int
dh__st_decode_timezone(const char *str, int *tzp)
{
	int tz, hr, min, sec = 0;
	char *cp;
	if (*str != '+' && *str != '-')
		return DTERR_BAD_FORMAT;
	hr = dh__st_strtoint(str + 1, &cp, 10);
	if (errno == ERANGE)
		return DTERR_TZDISP_OVERFLOW;
	if (*cp == ':') {
		min = dh__st_strtoint(cp + 1, &cp, 10);
		if (errno == ERANGE)
			return DTERR_TZDISP_OVERFLOW;
		if (*cp == ':') {
			sec = dh__st_strtoint(cp + 1, &cp, 10);
			if (errno == ERANGE)
				return DTERR_TZDISP_OVERFLOW;
		}
	} else if (*cp == '\0' && strlen(str) > 3) {
		min = hr % 100;
		hr = hr / 100;
	} else
		min = 0;
	if (hr < 0 || hr > MAX_TZDISP_HOUR)
		return DTERR_TZDISP_OVERFLOW;
	if (min < 0 || min >= MINS_PER_HOUR)
		return DTERR_TZDISP_OVERFLOW;
	if (sec < 0 || sec >= SECS_PER_MINUTE)
		return DTERR_TZDISP_OVERFLOW;
	tz = (hr * MINS_PER_HOUR + min) * SECS_PER_MINUTE + sec;
	if (*str == '-')
		tz = -tz;
	*tzp = -tz;
	if (*cp != '\0')
		return DTERR_BAD_FORMAT;
	return 0;
}

/* DecodeTimezoneAbbrev: TZ / DTZ with *val seconds east, or UNKNOWN_FIELD */
static int
decode_tzabbrev(const char *lowtoken, int *val, const char **zone)
{
	int off, dst;
	*zone = NULL;
	if (!dh__st_tzabbrev_zone(lowtoken, &off, &dst, zone))
		return UNKNOWN_FIELD;
	*val = off;
	if (*zone)
		return DYNTZ;
	return dst ? DTZ : TZ;
}

static int
decode_number_field(int len, char *str, int fmask, int *tmask, struct st_tm *tm, int64_t *fsec,
		    int *is2digits)
{
	char *cp;
	if ((cp = strchr(str, '.')) != NULL) {
		if (cp[1] == '\0')
			*fsec = 0;
		else {
			double frac;
			errno = 0;
			frac = strtod(cp, NULL);
			if (errno != 0)
				return DTERR_BAD_FORMAT;
			*fsec = (int64_t)rint(frac * 1000000);
		}
		*cp = '\0';
		len = (int)strlen(str);
	} else if ((fmask & DTK_DATE_M) != DTK_DATE_M) {
		if (len >= 6) {
			*tmask = DTK_DATE_M;
			tm->mday = atoi(str + (len - 2));
			str[len - 2] = '\0';
			tm->mon = atoi(str + (len - 4));
			str[len - 4] = '\0';
			tm->year = atoi(str);
			if ((len - 4) == 2)
				*is2digits = 1;
			return DTK_DATE;
		}
	}
	if ((fmask & DTK_TIME_M) != DTK_TIME_M) {
		if (len == 6) {
			*tmask = DTK_TIME_M;
			tm->sec = atoi(str + 4);
			str[4] = '\0';
			tm->min = atoi(str + 2);
			str[2] = '\0';
			tm->hour = atoi(str);
			return DTK_TIME;
		} else if (len == 4) {
			*tmask = DTK_TIME_M;
			tm->sec = 0;
			tm->min = atoi(str + 2);
			str[2] = '\0';
			tm->hour = atoi(str);
			return DTK_TIME;
		}
	}
	return DTERR_BAD_FORMAT;
}

static int
decode_number(int flen, char *str, int have_text_month, int fmask, int *tmask, struct st_tm *tm,
	      int64_t *fsec, int *is2digits, int dateorder)
{
	int val, dterr;
	char *cp;
	*tmask = 0;
	val = dh__st_strtoint(str, &cp, 10);
	if (errno == ERANGE)
		return DTERR_FIELD_OVERFLOW;
	if (cp == str)
		return DTERR_BAD_FORMAT;
	if (*cp == '.') {
		if (cp - str > 2) {
			dterr = decode_number_field(flen, str, fmask | DTK_DATE_M, tmask, tm, fsec,
						    is2digits);
			if (dterr < 0)
				return dterr;
			return 0;
		}
		dterr = dh__st_parse_fractional_second(cp, fsec);
		if (dterr)
			return dterr;
	} else if (*cp != '\0')
		return DTERR_BAD_FORMAT;

	if (flen == 3 && (fmask & DTK_DATE_M) == DTK_M(YEAR) && val >= 1 && val <= 366) {
		*tmask = DTK_M(DOY) | DTK_M(MONTH) | DTK_M(DAY);
		tm->yday = val;
		return 0;
	}
	switch (fmask & DTK_DATE_M) {
	case 0:
		if (flen >= 3 || dateorder == DH_DATEORDER_YMD) {
			*tmask = DTK_M(YEAR);
			tm->year = val;
		} else if (dateorder == DH_DATEORDER_DMY) {
			*tmask = DTK_M(DAY);
			tm->mday = val;
		} else {
			*tmask = DTK_M(MONTH);
			tm->mon = val;
		}
		break;
	case DTK_M(YEAR):
		*tmask = DTK_M(MONTH);
		tm->mon = val;
		break;
	case DTK_M(MONTH):
		if (have_text_month) {
			if (flen >= 3 || dateorder == DH_DATEORDER_YMD) {
				*tmask = DTK_M(YEAR);
				tm->year = val;
			} else {
				*tmask = DTK_M(DAY);
				tm->mday = val;
			}
		} else {
			*tmask = DTK_M(DAY);
			tm->mday = val;
		}
		break;
	case DTK_M(YEAR) | DTK_M(MONTH):
		if (have_text_month) {
			if (flen >= 3 && *is2digits) {
				*tmask = DTK_M(DAY);
				tm->mday = tm->year;
				tm->year = val;
				*is2digits = 0;
			} else {
				*tmask = DTK_M(DAY);
				tm->mday = val;
			}
		} else {
			*tmask = DTK_M(DAY);
			tm->mday = val;
		}
		break;
	case DTK_M(DAY):
		*tmask = DTK_M(MONTH);
		tm->mon = val;
		break;
	case DTK_M(MONTH) | DTK_M(DAY):
		*tmask = DTK_M(YEAR);
		tm->year = val;
		break;
	case DTK_M(YEAR) | DTK_M(MONTH) | DTK_M(DAY):
		dterr = decode_number_field(flen, str, fmask, tmask, tm, fsec, is2digits);
		if (dterr < 0)
			return dterr;
		return 0;
	default:
		return DTERR_BAD_FORMAT;
	}
	if (*tmask == DTK_M(YEAR))
		*is2digits = (flen <= 2);
	return 0;
}

static int
decode_date(char *str, int fmask, int *tmask, int *is2digits, struct st_tm *tm, int dateorder)
{
	int64_t fsec;
	int nf = 0, i, len, dterr, have_text_month = 0, type, val, dmask = 0;
	char *field[MAXDATEFIELDS];
	*tmask = 0;
	while (*str != '\0' && nf < MAXDATEFIELDS) {
		while (*str != '\0' && !isalnum((unsigned char)*str))
			str++;
		if (*str == '\0')
			return DTERR_BAD_FORMAT;
		field[nf] = str;
		if (isdigit((unsigned char)*str)) {
			while (isdigit((unsigned char)*str))
				str++;
		} else if (isalpha((unsigned char)*str)) {
			while (isalpha((unsigned char)*str))
				str++;
		}
		if (*str != '\0')
			*str++ = '\0';
		nf++;
	}
	for (i = 0; i < nf; i++) {
		if (isalpha((unsigned char)*field[i])) {
			type = dh__st_decode_special(field[i], &val);
			if (type == IGNORE_DTF)
				continue;
			dmask = DTK_M(type);
			switch (type) {
			case MONTH:
				tm->mon = val;
				have_text_month = 1;
				break;
			default:
				return DTERR_BAD_FORMAT;
			}
			if (fmask & dmask)
				return DTERR_BAD_FORMAT;
			fmask |= dmask;
			*tmask |= dmask;
			field[i] = NULL;
		}
	}
	for (i = 0; i < nf; i++) {
		if (field[i] == NULL)
			continue;
		if ((len = (int)strlen(field[i])) <= 0)
			return DTERR_BAD_FORMAT;
		dterr = decode_number(len, field[i], have_text_month, fmask, &dmask, tm, &fsec,
				      is2digits, dateorder);
		if (dterr)
			return dterr;
		if (fmask & dmask)
			return DTERR_BAD_FORMAT;
		fmask |= dmask;
		*tmask |= dmask;
	}
	if ((fmask & ~(DTK_M(DOY) | DTK_M(TZ))) != DTK_DATE_M)
		return DTERR_BAD_FORMAT;
	return 0;
}

static int
validate_date(int fmask, int isjulian, int is2digits, int bc, struct st_tm *tm)
{
	if (fmask & DTK_M(YEAR)) {
		if (isjulian) {
			/* tm->year is right */
		} else if (bc) {
			if (tm->year <= 0)
				return DTERR_FIELD_OVERFLOW;
			tm->year = -(tm->year - 1);
		} else if (is2digits) {
			if (tm->year < 0)
				return DTERR_FIELD_OVERFLOW;
			if (tm->year < 70)
				tm->year += 2000;
			else if (tm->year < 100)
				tm->year += 1900;
		} else {
			if (tm->year <= 0)
				return DTERR_FIELD_OVERFLOW;
		}
	}
	if (fmask & DTK_M(DOY))
		dh__st_j2date(dh__st_date2j(tm->year, 1, 1) + tm->yday - 1, &tm->year, &tm->mon,
			      &tm->mday);
	if (fmask & DTK_M(MONTH)) {
		if (tm->mon < 1 || tm->mon > MONTHS_PER_YEAR)
			return DTERR_MD_FIELD_OVERFLOW;
	}
	if (fmask & DTK_M(DAY)) {
		if (tm->mday < 1 || tm->mday > 31)
			return DTERR_MD_FIELD_OVERFLOW;
	}
	if ((fmask & DTK_DATE_M) == DTK_DATE_M) {
		if (tm->mday > dh__st_day_tab[ISLEAP(tm->year)][tm->mon - 1])
			return DTERR_FIELD_OVERFLOW;
	}
	return 0;
}

int dh__st_validate_date(int fmask, int isjulian, int is2digits, int bc, struct st_tm *tm);
int
dh__st_validate_date(int fmask, int isjulian, int is2digits, int bc, struct st_tm *tm)
{
	return validate_date(fmask, isjulian, is2digits, bc, tm);
}

/* DecodeTime for date/time input (hours within int) */
static int
decode_time(char *str, int range_minsec, int *tmask, struct st_tm *tm, int64_t *fsec)
{
	char *cp;
	int dterr;
	*tmask = DTK_TIME_M;
	tm->hour = dh__st_strtoint(str, &cp, 10);
	if (errno == ERANGE)
		return DTERR_FIELD_OVERFLOW;
	if (*cp != ':')
		return DTERR_BAD_FORMAT;
	tm->min = dh__st_strtoint(cp + 1, &cp, 10);
	if (errno == ERANGE)
		return DTERR_FIELD_OVERFLOW;
	if (*cp == '\0') {
		tm->sec = 0;
		*fsec = 0;
		if (range_minsec) {
			tm->sec = tm->min;
			tm->min = tm->hour;
			tm->hour = 0;
		}
	} else if (*cp == '.') {
		dterr = dh__st_parse_fractional_second(cp, fsec);
		if (dterr)
			return dterr;
		tm->sec = tm->min;
		tm->min = tm->hour;
		tm->hour = 0;
	} else if (*cp == ':') {
		tm->sec = dh__st_strtoint(cp + 1, &cp, 10);
		if (errno == ERANGE)
			return DTERR_FIELD_OVERFLOW;
		if (*cp == '\0')
			*fsec = 0;
		else if (*cp == '.') {
			dterr = dh__st_parse_fractional_second(cp, fsec);
			if (dterr)
				return dterr;
		} else
			return DTERR_BAD_FORMAT;
	} else
		return DTERR_BAD_FORMAT;
	if (tm->hour < 0 || tm->min < 0 || tm->min > MINS_PER_HOUR - 1 || tm->sec < 0 ||
	    tm->sec > SECS_PER_MINUTE || *fsec < 0 || *fsec > USECS_PER_SEC)
		return DTERR_FIELD_OVERFLOW;
	return 0;
}

/* the state shared by the decoders of one input */
struct dctx {
	const struct dh_sqltime_settings *set;
	struct dh_err *err;
	struct dh_sqltime_tz *owned; /* a zone loaded for this input */
	struct dh_sqltime_tz *owned2;
	const char *input;
};

static const struct dh_sqltime_tz *
named_zone(struct dctx *c, const char *name)
{
	struct dh_sqltime_tz *owned = NULL;
	const struct dh_sqltime_tz *tz = dh__st_zone_get(c->set, name, &owned);
	if (owned) {
		dh_sqltime_tz_free(c->owned);
		c->owned = owned;
	}
	return tz;
}

static const struct dh_sqltime_tz *
named_zone2(struct dctx *c, const char *name)
{
	struct dh_sqltime_tz *owned = NULL;
	const struct dh_sqltime_tz *tz = dh__st_zone_get(c->set, name, &owned);
	if (owned) {
		dh_sqltime_tz_free(c->owned2);
		c->owned2 = owned;
	}
	return tz;
}

static void
current_tm(struct dctx *c, struct st_tm *tm, int64_t *fsec, int *tzp)
{
	int tz;
	int64_t f;
	dh__st_ts2tm(dh__st_ts2000(c->set->now), &tz, tm, &f, dh__st_session_tz(c->set));
	if (fsec)
		*fsec = f;
	if (tzp)
		*tzp = tz;
}

static int
zone_not_recognized(struct dctx *c, const char *name)
{
	dh_err_sql(c->err, "22023", "time zone \"%s\" not recognized", name);
	return DTERR_REPORTED;
}

static int
decode_datetime(struct dctx *c, char **field, int *ftype, int nf, int *dtype, struct st_tm *tm,
		int64_t *fsec, int *tzp)
{
	int fmask = 0, tmask, type, ptype = 0, i, val, dterr, mer = HR24;
	int have_text_month = 0, isjulian = 0, is2digits = 0, bc = 0;
	const struct dh_sqltime_tz *named = NULL, *abbrev_tz = NULL;
	const char *abbrev = NULL, *dynzone = NULL;
	int dateorder = c->set->dateorder;
	struct st_tm cur;

	*dtype = DTK_DATE;
	tm->hour = tm->min = tm->sec = 0;
	*fsec = 0;
	tm->isdst = -1;
	if (tzp)
		*tzp = 0;

	for (i = 0; i < nf; i++) {
		switch (ftype[i]) {
		case DTK_DATE:
			if (ptype == DTK_JULIAN) {
				char *cp;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				val = dh__st_strtoint(field[i], &cp, 10);
				if (errno == ERANGE || val < 0)
					return DTERR_FIELD_OVERFLOW;
				dh__st_j2date(val, &tm->year, &tm->mon, &tm->mday);
				isjulian = 1;
				dterr = dh__st_decode_timezone(cp, tzp);
				if (dterr)
					return dterr;
				tmask = DTK_DATE_M | DTK_TIME_M | DTK_M(TZ);
				ptype = 0;
				break;
			} else if (ptype != 0 || ((fmask & (DTK_M(MONTH) | DTK_M(DAY))) ==
						  (DTK_M(MONTH) | DTK_M(DAY)))) {
				if (!tzp)
					return DTERR_BAD_FORMAT;
				if (isdigit((unsigned char)*field[i]) || ptype != 0) {
					char *cp;
					if (ptype != 0) {
						if (ptype != DTK_TIME)
							return DTERR_BAD_FORMAT;
						ptype = 0;
					}
					if ((fmask & DTK_TIME_M) == DTK_TIME_M)
						return DTERR_BAD_FORMAT;
					if ((cp = strchr(field[i], '-')) == NULL)
						return DTERR_BAD_FORMAT;
					dterr = dh__st_decode_timezone(cp, tzp);
					if (dterr)
						return dterr;
					*cp = '\0';
					dterr = decode_number_field((int)strlen(field[i]), field[i], fmask,
								    &tmask, tm, fsec, &is2digits);
					if (dterr < 0)
						return dterr;
					tmask |= DTK_M(TZ);
				} else {
					named = named_zone(c, field[i]);
					if (!named)
						return zone_not_recognized(c, field[i]);
					tmask = DTK_M(TZ);
				}
			} else {
				dterr = decode_date(field[i], fmask, &tmask, &is2digits, tm,
						    dateorder);
				if (dterr)
					return dterr;
			}
			break;

		case DTK_TIME:
			if (ptype != 0) {
				if (ptype != DTK_TIME)
					return DTERR_BAD_FORMAT;
				ptype = 0;
			}
			dterr = decode_time(field[i], 0, &tmask, tm, fsec);
			if (dterr)
				return dterr;
			if (dh__st_time_overflows(tm->hour, tm->min, tm->sec, *fsec))
				return DTERR_FIELD_OVERFLOW;
			break;

		case DTK_TZ: {
			int tz;
			if (!tzp)
				return DTERR_BAD_FORMAT;
			dterr = dh__st_decode_timezone(field[i], &tz);
			if (dterr)
				return dterr;
			*tzp = tz;
			tmask = DTK_M(TZ);
			break;
		}

		case DTK_NUMBER:
			if (ptype != 0) {
				char *cp;
				val = dh__st_strtoint(field[i], &cp, 10);
				if (errno == ERANGE)
					return DTERR_FIELD_OVERFLOW;
				if (*cp == '.') {
					switch (ptype) {
					case DTK_JULIAN:
					case DTK_TIME:
					case DTK_SECOND:
						break;
					default:
						return DTERR_BAD_FORMAT;
					}
				} else if (*cp != '\0')
					return DTERR_BAD_FORMAT;
				switch (ptype) {
				case DTK_YEAR:
					tm->year = val;
					tmask = DTK_M(YEAR);
					break;
				case DTK_MONTH:
					if ((fmask & DTK_M(MONTH)) != 0 && (fmask & DTK_M(HOUR)) != 0) {
						tm->min = val;
						tmask = DTK_M(MINUTE);
					} else {
						tm->mon = val;
						tmask = DTK_M(MONTH);
					}
					break;
				case DTK_DAY:
					tm->mday = val;
					tmask = DTK_M(DAY);
					break;
				case DTK_HOUR:
					tm->hour = val;
					tmask = DTK_M(HOUR);
					break;
				case DTK_MINUTE:
					tm->min = val;
					tmask = DTK_M(MINUTE);
					break;
				case DTK_SECOND:
					tm->sec = val;
					tmask = DTK_M(SECOND);
					if (*cp == '.') {
						dterr = dh__st_parse_fractional_second(cp, fsec);
						if (dterr)
							return dterr;
						tmask = DTK_ALL_SECS_M;
					}
					break;
				case DTK_TZ:
					tmask = DTK_M(TZ);
					dterr = dh__st_decode_timezone(field[i], tzp);
					if (dterr)
						return dterr;
					break;
				case DTK_JULIAN:
					if (val < 0)
						return DTERR_FIELD_OVERFLOW;
					tmask = DTK_DATE_M;
					dh__st_j2date(val, &tm->year, &tm->mon, &tm->mday);
					isjulian = 1;
					if (*cp == '.') {
						double time;
						dterr = dh__st_parse_fraction(cp, &time);
						if (dterr)
							return dterr;
						time *= (double)USECS_PER_DAY;
						dh__st_dt2time((int64_t)time, &tm->hour, &tm->min,
							       &tm->sec, fsec);
						tmask |= DTK_TIME_M;
					}
					break;
				case DTK_TIME:
					dterr = decode_number_field((int)strlen(field[i]), field[i],
								    fmask | DTK_DATE_M, &tmask, tm,
								    fsec, &is2digits);
					if (dterr < 0)
						return dterr;
					if (tmask != DTK_TIME_M)
						return DTERR_BAD_FORMAT;
					break;
				default:
					return DTERR_BAD_FORMAT;
				}
				ptype = 0;
				*dtype = DTK_DATE;
			} else {
				int flen = (int)strlen(field[i]);
				char *cp = strchr(field[i], '.');
				if (cp != NULL && !(fmask & DTK_DATE_M)) {
					dterr = decode_date(field[i], fmask, &tmask, &is2digits, tm,
							    dateorder);
					if (dterr)
						return dterr;
				} else if (cp != NULL && flen - (int)strlen(cp) > 2) {
					dterr = decode_number_field(flen, field[i], fmask, &tmask, tm,
								    fsec, &is2digits);
					if (dterr < 0)
						return dterr;
				} else if (flen >= 6 &&
					   (!(fmask & DTK_DATE_M) || !(fmask & DTK_TIME_M))) {
					dterr = decode_number_field(flen, field[i], fmask, &tmask, tm,
								    fsec, &is2digits);
					if (dterr < 0)
						return dterr;
				} else {
					dterr = decode_number(flen, field[i], have_text_month, fmask,
							      &tmask, tm, fsec, &is2digits,
							      dateorder);
					if (dterr)
						return dterr;
				}
			}
			break;

		case DTK_STRING:
		case DTK_SPECIAL:
			type = decode_tzabbrev(field[i], &val, &dynzone);
			if (type == UNKNOWN_FIELD)
				type = dh__st_decode_special(field[i], &val);
			if (type == IGNORE_DTF)
				continue;
			tmask = DTK_M(type);
			switch (type) {
			case RESERV:
				switch (val) {
				case DTK_NOW:
					tmask = DTK_DATE_M | DTK_TIME_M | DTK_M(TZ);
					*dtype = DTK_DATE;
					current_tm(c, tm, fsec, tzp);
					break;
				case DTK_YESTERDAY:
					tmask = DTK_DATE_M;
					*dtype = DTK_DATE;
					current_tm(c, &cur, NULL, NULL);
					dh__st_j2date(dh__st_date2j(cur.year, cur.mon, cur.mday) - 1,
						      &tm->year, &tm->mon, &tm->mday);
					break;
				case DTK_TODAY:
					tmask = DTK_DATE_M;
					*dtype = DTK_DATE;
					current_tm(c, &cur, NULL, NULL);
					tm->year = cur.year;
					tm->mon = cur.mon;
					tm->mday = cur.mday;
					break;
				case DTK_TOMORROW:
					tmask = DTK_DATE_M;
					*dtype = DTK_DATE;
					current_tm(c, &cur, NULL, NULL);
					dh__st_j2date(dh__st_date2j(cur.year, cur.mon, cur.mday) + 1,
						      &tm->year, &tm->mon, &tm->mday);
					break;
				case DTK_ZULU:
					tmask = DTK_TIME_M | DTK_M(TZ);
					*dtype = DTK_DATE;
					tm->hour = tm->min = tm->sec = 0;
					if (tzp)
						*tzp = 0;
					break;
				default:
					*dtype = val;
				}
				break;
			case MONTH:
				if ((fmask & DTK_M(MONTH)) && !have_text_month && !(fmask & DTK_M(DAY)) &&
				    tm->mon >= 1 && tm->mon <= 31) {
					tm->mday = tm->mon;
					tmask = DTK_M(DAY);
				}
				have_text_month = 1;
				tm->mon = val;
				break;
			case DTZMOD:
				tmask |= DTK_M(DTZ);
				tm->isdst = 1;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				*tzp -= val;
				break;
			case DTZ:
				tmask |= DTK_M(TZ);
				tm->isdst = 1;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				*tzp = -val;
				break;
			case TZ:
				tm->isdst = 0;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				*tzp = -val;
				break;
			case DYNTZ:
				tmask |= DTK_M(TZ);
				if (!tzp)
					return DTERR_BAD_FORMAT;
				abbrev_tz = named_zone2(c, dynzone);
				if (!abbrev_tz)
					return DTERR_BAD_FORMAT;
				abbrev = field[i];
				break;
			case AMPM:
				mer = val;
				break;
			case ADBC:
				bc = (val == BC);
				break;
			case DOW:
				tm->wday = val;
				break;
			case UNITS:
				tmask = 0;
				ptype = val;
				break;
			case ISOTIME:
				tmask = 0;
				if ((fmask & DTK_DATE_M) != DTK_DATE_M)
					return DTERR_BAD_FORMAT;
				if (i >= nf - 1 || (ftype[i + 1] != DTK_NUMBER &&
						    ftype[i + 1] != DTK_TIME && ftype[i + 1] != DTK_DATE))
					return DTERR_BAD_FORMAT;
				ptype = val;
				break;
			case UNKNOWN_FIELD:
				named = named_zone(c, field[i]);
				if (!named)
					return DTERR_BAD_FORMAT;
				tmask = DTK_M(TZ);
				break;
			default:
				return DTERR_BAD_FORMAT;
			}
			break;

		default:
			return DTERR_BAD_FORMAT;
		}
		if (tmask & fmask)
			return DTERR_BAD_FORMAT;
		fmask |= tmask;
	}

	dterr = validate_date(fmask, isjulian, is2digits, bc, tm);
	if (dterr)
		return dterr;
	if (mer != HR24 && tm->hour > HOURS_PER_DAY / 2)
		return DTERR_FIELD_OVERFLOW;
	if (mer == AM && tm->hour == HOURS_PER_DAY / 2)
		tm->hour = 0;
	else if (mer == PM && tm->hour != HOURS_PER_DAY / 2)
		tm->hour += HOURS_PER_DAY / 2;

	if (*dtype == DTK_DATE) {
		if ((fmask & DTK_DATE_M) != DTK_DATE_M) {
			if ((fmask & DTK_TIME_M) == DTK_TIME_M)
				return 1;
			return DTERR_BAD_FORMAT;
		}
		if (named) {
			if (fmask & DTK_M(DTZMOD))
				return DTERR_BAD_FORMAT;
			*tzp = dh__st_tz_offset(tm, named);
		}
		if (abbrev_tz) {
			if (fmask & DTK_M(DTZMOD))
				return DTERR_BAD_FORMAT;
			*tzp = dh__st_tz_abbrev_offset(tm, abbrev, abbrev_tz);
		}
		if (tzp && !(fmask & DTK_M(TZ))) {
			if (fmask & DTK_M(DTZMOD))
				return DTERR_BAD_FORMAT;
			*tzp = dh__st_tz_offset(tm, dh__st_session_tz(c->set));
		}
	}
	return 0;
}

static int
decode_timeonly(struct dctx *c, char **field, int *ftype, int nf, int *dtype, struct st_tm *tm,
		int64_t *fsec, int *tzp)
{
	int fmask = 0, tmask, type, ptype = 0, i, val, dterr, mer = HR24;
	int isjulian = 0, is2digits = 0, bc = 0;
	const struct dh_sqltime_tz *named = NULL, *abbrev_tz = NULL;
	const char *dynzone = NULL, *abbrev = NULL;
	int dateorder = c->set->dateorder;

	*dtype = DTK_TIME;
	tm->hour = tm->min = tm->sec = 0;
	*fsec = 0;
	tm->isdst = -1;
	if (tzp)
		*tzp = 0;

	for (i = 0; i < nf; i++) {
		switch (ftype[i]) {
		case DTK_DATE:
			if (!tzp)
				return DTERR_BAD_FORMAT;
			if (i == 0 && nf >= 2 && (ftype[nf - 1] == DTK_DATE || ftype[1] == DTK_TIME)) {
				dterr = decode_date(field[i], fmask, &tmask, &is2digits, tm,
						    dateorder);
				if (dterr)
					return dterr;
			} else {
				if (isdigit((unsigned char)*field[i])) {
					char *cp;
					if ((fmask & DTK_TIME_M) == DTK_TIME_M)
						return DTERR_BAD_FORMAT;
					if ((cp = strchr(field[i], '-')) == NULL)
						return DTERR_BAD_FORMAT;
					dterr = dh__st_decode_timezone(cp, tzp);
					if (dterr)
						return dterr;
					*cp = '\0';
					dterr = decode_number_field((int)strlen(field[i]), field[i],
								    fmask | DTK_DATE_M, &tmask, tm,
								    fsec, &is2digits);
					if (dterr < 0)
						return dterr;
					ftype[i] = dterr;
					tmask |= DTK_M(TZ);
				} else {
					named = named_zone(c, field[i]);
					if (!named)
						return zone_not_recognized(c, field[i]);
					ftype[i] = DTK_TZ;
					tmask = DTK_M(TZ);
				}
			}
			break;

		case DTK_TIME:
			if (ptype != 0) {
				if (ptype != DTK_TIME)
					return DTERR_BAD_FORMAT;
				ptype = 0;
			}
			dterr = decode_time(field[i], 0, &tmask, tm, fsec);
			if (dterr)
				return dterr;
			break;

		case DTK_TZ: {
			int tz;
			if (!tzp)
				return DTERR_BAD_FORMAT;
			dterr = dh__st_decode_timezone(field[i], &tz);
			if (dterr)
				return dterr;
			*tzp = tz;
			tmask = DTK_M(TZ);
			break;
		}

		case DTK_NUMBER:
			if (ptype != 0) {
				char *cp;
				val = dh__st_strtoint(field[i], &cp, 10);
				if (errno == ERANGE)
					return DTERR_FIELD_OVERFLOW;
				if (*cp == '.') {
					switch (ptype) {
					case DTK_JULIAN:
					case DTK_TIME:
					case DTK_SECOND:
						break;
					default:
						return DTERR_BAD_FORMAT;
					}
				} else if (*cp != '\0')
					return DTERR_BAD_FORMAT;
				switch (ptype) {
				case DTK_YEAR:
					tm->year = val;
					tmask = DTK_M(YEAR);
					break;
				case DTK_MONTH:
					if ((fmask & DTK_M(MONTH)) != 0 && (fmask & DTK_M(HOUR)) != 0) {
						tm->min = val;
						tmask = DTK_M(MINUTE);
					} else {
						tm->mon = val;
						tmask = DTK_M(MONTH);
					}
					break;
				case DTK_DAY:
					tm->mday = val;
					tmask = DTK_M(DAY);
					break;
				case DTK_HOUR:
					tm->hour = val;
					tmask = DTK_M(HOUR);
					break;
				case DTK_MINUTE:
					tm->min = val;
					tmask = DTK_M(MINUTE);
					break;
				case DTK_SECOND:
					tm->sec = val;
					tmask = DTK_M(SECOND);
					if (*cp == '.') {
						dterr = dh__st_parse_fractional_second(cp, fsec);
						if (dterr)
							return dterr;
						tmask = DTK_ALL_SECS_M;
					}
					break;
				case DTK_TZ:
					tmask = DTK_M(TZ);
					dterr = dh__st_decode_timezone(field[i], tzp);
					if (dterr)
						return dterr;
					break;
				case DTK_JULIAN:
					if (val < 0)
						return DTERR_FIELD_OVERFLOW;
					tmask = DTK_DATE_M;
					dh__st_j2date(val, &tm->year, &tm->mon, &tm->mday);
					isjulian = 1;
					if (*cp == '.') {
						double time;
						dterr = dh__st_parse_fraction(cp, &time);
						if (dterr)
							return dterr;
						time *= (double)USECS_PER_DAY;
						dh__st_dt2time((int64_t)time, &tm->hour, &tm->min,
							       &tm->sec, fsec);
						tmask |= DTK_TIME_M;
					}
					break;
				case DTK_TIME:
					dterr = decode_number_field((int)strlen(field[i]), field[i],
								    fmask | DTK_DATE_M, &tmask, tm,
								    fsec, &is2digits);
					if (dterr < 0)
						return dterr;
					ftype[i] = dterr;
					if (tmask != DTK_TIME_M)
						return DTERR_BAD_FORMAT;
					break;
				default:
					return DTERR_BAD_FORMAT;
				}
				ptype = 0;
				*dtype = DTK_DATE;
			} else {
				int flen = (int)strlen(field[i]);
				char *cp = strchr(field[i], '.');
				if (cp != NULL) {
					if (i == 0 && nf >= 2 && ftype[nf - 1] == DTK_DATE) {
						dterr = decode_date(field[i], fmask, &tmask, &is2digits,
								    tm, dateorder);
						if (dterr)
							return dterr;
					} else if (flen - (int)strlen(cp) > 2) {
						dterr = decode_number_field(flen, field[i],
									    fmask | DTK_DATE_M, &tmask,
									    tm, fsec, &is2digits);
						if (dterr < 0)
							return dterr;
						ftype[i] = dterr;
					} else
						return DTERR_BAD_FORMAT;
				} else if (flen > 4) {
					dterr = decode_number_field(flen, field[i], fmask | DTK_DATE_M,
								    &tmask, tm, fsec, &is2digits);
					if (dterr < 0)
						return dterr;
					ftype[i] = dterr;
				} else {
					dterr = decode_number(flen, field[i], 0, fmask | DTK_DATE_M,
							      &tmask, tm, fsec, &is2digits,
							      dateorder);
					if (dterr)
						return dterr;
				}
			}
			break;

		case DTK_STRING:
		case DTK_SPECIAL:
			type = decode_tzabbrev(field[i], &val, &dynzone);
			if (type == UNKNOWN_FIELD)
				type = dh__st_decode_special(field[i], &val);
			if (type == IGNORE_DTF)
				continue;
			tmask = DTK_M(type);
			switch (type) {
			case RESERV:
				switch (val) {
				case DTK_NOW:
					tmask = DTK_TIME_M;
					*dtype = DTK_TIME;
					current_tm(c, tm, fsec, NULL);
					break;
				case DTK_ZULU:
					tmask = DTK_TIME_M | DTK_M(TZ);
					*dtype = DTK_TIME;
					tm->hour = tm->min = tm->sec = 0;
					tm->isdst = 0;
					break;
				default:
					return DTERR_BAD_FORMAT;
				}
				break;
			case DTZMOD:
				tmask |= DTK_M(DTZ);
				tm->isdst = 1;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				*tzp -= val;
				break;
			case DTZ:
				tmask |= DTK_M(TZ);
				tm->isdst = 1;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				*tzp = -val;
				ftype[i] = DTK_TZ;
				break;
			case TZ:
				tm->isdst = 0;
				if (!tzp)
					return DTERR_BAD_FORMAT;
				*tzp = -val;
				ftype[i] = DTK_TZ;
				break;
			case IGNORE_DTF:
				break;
			case DYNTZ:
				tmask |= DTK_M(TZ);
				if (!tzp)
					return DTERR_BAD_FORMAT;
				abbrev_tz = named_zone2(c, dynzone);
				if (!abbrev_tz)
					return DTERR_BAD_FORMAT;
				abbrev = field[i];
				break;
			case AMPM:
				mer = val;
				break;
			case ADBC:
				bc = (val == BC);
				break;
			case UNITS:
				tmask = 0;
				ptype = val;
				break;
			case ISOTIME:
				tmask = 0;
				if (i >= nf - 1 || (ftype[i + 1] != DTK_NUMBER &&
						    ftype[i + 1] != DTK_TIME && ftype[i + 1] != DTK_DATE))
					return DTERR_BAD_FORMAT;
				ptype = val;
				break;
			case UNKNOWN_FIELD:
				named = named_zone(c, field[i]);
				if (!named)
					return DTERR_BAD_FORMAT;
				tmask = DTK_M(TZ);
				break;
			default:
				return DTERR_BAD_FORMAT;
			}
			break;

		default:
			return DTERR_BAD_FORMAT;
		}
		if (tmask & fmask)
			return DTERR_BAD_FORMAT;
		fmask |= tmask;
	}

	dterr = validate_date(fmask, isjulian, is2digits, bc, tm);
	if (dterr)
		return dterr;
	if (mer != HR24 && tm->hour > HOURS_PER_DAY / 2)
		return DTERR_FIELD_OVERFLOW;
	if (mer == AM && tm->hour == HOURS_PER_DAY / 2)
		tm->hour = 0;
	else if (mer == PM && tm->hour != HOURS_PER_DAY / 2)
		tm->hour += HOURS_PER_DAY / 2;
	if (dh__st_time_overflows(tm->hour, tm->min, tm->sec, *fsec))
		return DTERR_FIELD_OVERFLOW;
	if ((fmask & DTK_TIME_M) != DTK_TIME_M)
		return DTERR_BAD_FORMAT;
	if (named) {
		long gmtoff;
		if (fmask & DTK_M(DTZMOD))
			return DTERR_BAD_FORMAT;
		if (dh__st_tz_fixed_offset(named, &gmtoff))
			*tzp = (int)-gmtoff;
		else {
			if ((fmask & DTK_DATE_M) != DTK_DATE_M)
				return DTERR_BAD_FORMAT;
			*tzp = dh__st_tz_offset(tm, named);
		}
	}
	if (abbrev_tz) {
		struct st_tm tt = *tm;
		if (fmask & DTK_M(DTZMOD))
			return DTERR_BAD_FORMAT;
		if ((fmask & DTK_DATE_M) == 0)
			current_tm(c, &tt, NULL, NULL);
		else if ((fmask & DTK_DATE_M) != DTK_DATE_M)
			return DTERR_BAD_FORMAT;
		else {
			tt.year = tm->year;
			tt.mon = tm->mon;
			tt.mday = tm->mday;
		}
		tt.hour = tm->hour;
		tt.min = tm->min;
		tt.sec = tm->sec;
		*tzp = dh__st_tz_abbrev_offset(&tt, abbrev, abbrev_tz);
		tm->isdst = tt.isdst;
	}
	if (tzp && !(fmask & DTK_M(TZ))) {
		struct st_tm tt;
		if (fmask & DTK_M(DTZMOD))
			return DTERR_BAD_FORMAT;
		if ((fmask & DTK_DATE_M) == 0)
			current_tm(c, &tt, NULL, NULL);
		else {
			if ((fmask & DTK_DATE_M) != DTK_DATE_M)
				return DTERR_BAD_FORMAT;
			tt.year = tm->year;
			tt.mon = tm->mon;
			tt.mday = tm->mday;
		}
		tt.hour = tm->hour;
		tt.min = tm->min;
		tt.sec = tm->sec;
		*tzp = dh__st_tz_offset(&tt, dh__st_session_tz(c->set));
		tm->isdst = tt.isdst;
	}
	return 0;
}

/* --- the input functions --- */

/* NUL-terminated copy of the input for messages and the parser */
char *
dh__st_input_copy(const char *s, size_t n, char *small, size_t smallsz)
{
	char *p = n < smallsz ? small : xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

struct parsed {
	int dtype, tz;
	int64_t fsec;
	struct st_tm tm;
};

enum { P_DATETIME, P_TIMEONLY };

static int
parse_input(const char *str, int kind, const struct dh_sqltime_settings *set, const char *tname,
	    struct parsed *out, struct dh_err *err)
{
	char workbuf[MAXDATELEN + MAXDATEFIELDS];
	char *field[MAXDATEFIELDS];
	int ftype[MAXDATEFIELDS], nf, dterr;
	struct dctx c = {set, err, NULL, NULL, str};
	memset(out, 0, sizeof *out);
	dterr = dh__st_parse_datetime(str, workbuf, sizeof workbuf, field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0) {
		if (kind == P_DATETIME)
			dterr = decode_datetime(&c, field, ftype, nf, &out->dtype, &out->tm,
						&out->fsec, &out->tz);
		else
			dterr = decode_timeonly(&c, field, ftype, nf, &out->dtype, &out->tm,
						&out->fsec, &out->tz);
	}
	dh_sqltime_tz_free(c.owned);
	dh_sqltime_tz_free(c.owned2);
	if (dterr != 0)
		return dh__st_parse_error(dterr, str, tname, err);
	return 0;
}

int
dh_sqltime_date_in(const char *s, size_t n, const struct dh_sqltime_settings *set, int64_t *out,
		   struct dh_err *err)
{
	char small[256];
	char *str = dh__st_input_copy(s, n, small, sizeof small);
	struct parsed p;
	int rc = parse_input(str, P_DATETIME, set, "date", &p, err);
	if (rc)
		goto out;
	switch (p.dtype) {
	case DTK_DATE:
		break;
	case DTK_EPOCH:
		p.tm.year = 1970;
		p.tm.mon = 1;
		p.tm.mday = 1;
		break;
	case DTK_LATE:
		*out = DH_SQLTIME_NOEND;
		goto out;
	case DTK_EARLY:
		*out = DH_SQLTIME_NOBEGIN;
		goto out;
	default:
		rc = dh__st_parse_error(DTERR_BAD_FORMAT, str, "date", err);
		goto out;
	}
	if (!IS_VALID_JULIAN(p.tm.year, p.tm.mon, p.tm.mday)) {
		rc = dh_err_sql(err, "22008", "date out of range: \"%s\"", str);
		goto out;
	}
	int64_t d = dh__st_date2j(p.tm.year, p.tm.mon, p.tm.mday) - POSTGRES_EPOCH_JDATE;
	if (!IS_VALID_DATE(d)) {
		rc = dh_err_sql(err, "22008", "date out of range: \"%s\"", str);
		goto out;
	}
	*out = dh__st_date1970((int32_t)d);
out:
	if (str != small)
		free(str);
	return rc;
}

int
dh_sqltime_time_in(const char *s, size_t n, int typmod, const struct dh_sqltime_settings *set,
		   int64_t *out, struct dh_err *err)
{
	char small[256];
	char *str = dh__st_input_copy(s, n, small, sizeof small);
	struct parsed p;
	int rc = parse_input(str, P_TIMEONLY, set, "time", &p, err);
	if (rc == 0) {
		int64_t t = (((int64_t)p.tm.hour * MINS_PER_HOUR + p.tm.min) * SECS_PER_MINUTE +
			     p.tm.sec) * USECS_PER_SEC + p.fsec;
		if (typmod >= 0)
			t = dh_sqltime_time_round(t, typmod);
		*out = t;
	}
	if (str != small)
		free(str);
	return rc;
}

int
dh_sqltime_timetz_in(const char *s, size_t n, int typmod, const struct dh_sqltime_settings *set,
		     int64_t *out, int *zone, struct dh_err *err)
{
	char small[256];
	char *str = dh__st_input_copy(s, n, small, sizeof small);
	struct parsed p;
	int rc = parse_input(str, P_TIMEONLY, set, "time with time zone", &p, err);
	if (rc == 0) {
		int64_t t = (((int64_t)p.tm.hour * MINS_PER_HOUR + p.tm.min) * SECS_PER_MINUTE +
			     p.tm.sec) * USECS_PER_SEC + p.fsec;
		if (typmod >= 0)
			t = dh_sqltime_time_round(t, typmod);
		*out = t;
		*zone = p.tz;
	}
	if (str != small)
		free(str);
	return rc;
}

static int
ts_in(const char *s, size_t n, int typmod, int withtz, const struct dh_sqltime_settings *set,
      int64_t *out, struct dh_err *err)
{
	char small[256];
	char *str = dh__st_input_copy(s, n, small, sizeof small);
	struct parsed p;
	int64_t r;
	const char *tname = withtz ? "timestamp with time zone" : "timestamp";
	int rc = parse_input(str, P_DATETIME, set, tname, &p, err);
	if (rc)
		goto out;
	switch (p.dtype) {
	case DTK_DATE:
		if (dh__st_tm2ts(&p.tm, p.fsec, withtz ? &p.tz : NULL, &r) != 0) {
			rc = dh_err_sql(err, "22008", "timestamp out of range: \"%s\"", str);
			goto out;
		}
		break;
	case DTK_EPOCH:
		r = -EPOCH_DIFF_USECS;
		break;
	case DTK_LATE:
		r = INT64_MAX;
		break;
	case DTK_EARLY:
		r = INT64_MIN;
		break;
	default:
		rc = dh__st_parse_error(DTERR_BAD_FORMAT, str, tname, err);
		goto out;
	}
	if (typmod >= 0 && !TS_NOT_FINITE(r)) {
		int64_t x = 0;
		rc = dh__st_ts1970(r, &x, err);
		if (rc == 0)
			rc = dh_sqltime_timestamp_round(&x, typmod, err);
		if (rc == 0)
			*out = x;
		goto out;
	}
	rc = dh__st_ts1970(r, out, err);
out:
	if (str != small)
		free(str);
	return rc;
}

int
dh_sqltime_timestamp_in(const char *s, size_t n, int typmod, const struct dh_sqltime_settings *set,
			int64_t *out, struct dh_err *err)
{
	return ts_in(s, n, typmod, 0, set, out, err);
}

int
dh_sqltime_timestamptz_in(const char *s, size_t n, int typmod,
			  const struct dh_sqltime_settings *set, int64_t *out, struct dh_err *err)
{
	return ts_in(s, n, typmod, 1, set, out, err);
}

/* --- DateStyle and IntervalStyle --- */

int
dh_sqltime_set_datestyle(struct dh_sqltime_settings *s, const char *value, struct dh_buf *show,
			 struct dh_err *err)
{
	int newstyle = s->datestyle, neworder = s->dateorder;
	int have_style = 0, have_order = 0, ok = 1;
	char buf[256];
	const char *p = value;
	while (*p && ok) {
		size_t k = 0;
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (*p && *p != ',' && *p != ' ' && *p != '\t' && k + 1 < sizeof buf)
			buf[k++] = (char)tolower((unsigned char)*p++);
		buf[k] = '\0';
		if (!strcmp(buf, "iso")) {
			if (have_style && newstyle != DH_DATESTYLE_ISO)
				ok = 0;
			newstyle = DH_DATESTYLE_ISO;
			have_style = 1;
		} else if (!strcmp(buf, "sql")) {
			if (have_style && newstyle != DH_DATESTYLE_SQL)
				ok = 0;
			newstyle = DH_DATESTYLE_SQL;
			have_style = 1;
		} else if (!strncmp(buf, "postgres", 8)) {
			if (have_style && newstyle != DH_DATESTYLE_POSTGRES)
				ok = 0;
			newstyle = DH_DATESTYLE_POSTGRES;
			have_style = 1;
		} else if (!strcmp(buf, "german")) {
			if (have_style && newstyle != DH_DATESTYLE_GERMAN)
				ok = 0;
			newstyle = DH_DATESTYLE_GERMAN;
			have_style = 1;
			if (!have_order)
				neworder = DH_DATEORDER_DMY;
		} else if (!strcmp(buf, "ymd")) {
			if (have_order && neworder != DH_DATEORDER_YMD)
				ok = 0;
			neworder = DH_DATEORDER_YMD;
			have_order = 1;
		} else if (!strcmp(buf, "dmy") || !strncmp(buf, "euro", 4)) {
			if (have_order && neworder != DH_DATEORDER_DMY)
				ok = 0;
			neworder = DH_DATEORDER_DMY;
			have_order = 1;
		} else if (!strcmp(buf, "mdy") || !strcmp(buf, "us") ||
			   !strncmp(buf, "noneuro", 7)) {
			if (have_order && neworder != DH_DATEORDER_MDY)
				ok = 0;
			neworder = DH_DATEORDER_MDY;
			have_order = 1;
		} else if (!strcmp(buf, "default")) {
			newstyle = DH_DATESTYLE_ISO;
			neworder = DH_DATEORDER_MDY;
			have_style = have_order = 1;
		} else
			ok = 0;
	}
	if (!ok) {
		dh_err_sql(err, "22023", "invalid value for parameter \"DateStyle\": \"%s\"", value);
		return DH_ESQL;
	}
	s->datestyle = newstyle;
	s->dateorder = neworder;
	if (show) {
		static const char *const st[] = {"ISO", "SQL", "Postgres", "German"};
		static const char *const od[] = {"MDY", "DMY", "YMD"};
		dh_buf_printf(show, "%s, %s", st[newstyle], od[neworder]);
	}
	return 0;
}

int
dh_sqltime_set_intervalstyle(struct dh_sqltime_settings *s, const char *value, struct dh_err *err)
{
	char buf[64];
	dh__st_lower(buf, sizeof buf, value);
	if (!strcmp(buf, "postgres"))
		s->intervalstyle = DH_INTSTYLE_POSTGRES;
	else if (!strcmp(buf, "postgres_verbose"))
		s->intervalstyle = DH_INTSTYLE_POSTGRES_VERBOSE;
	else if (!strcmp(buf, "sql_standard"))
		s->intervalstyle = DH_INTSTYLE_SQL_STANDARD;
	else if (!strcmp(buf, "iso_8601"))
		s->intervalstyle = DH_INTSTYLE_ISO_8601;
	else {
		dh_err_sql(err, "22023", "invalid value for parameter \"IntervalStyle\": \"%s\"",
			   value);
		dh_err_hint(err, "Available values: postgres, postgres_verbose, sql_standard, "
				 "iso_8601.");
		return DH_ESQL;
	}
	return 0;
}
