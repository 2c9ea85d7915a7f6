/*
 * sqlnum-fmt: to_char(numeric | integer, format) and to_number(text,
 * format), PostgreSQL 15's number formatting (formatting.c: NUMDesc,
 * NUM_processor), in the C locale's conventions its test clusters use
 * (C.UTF-8): decimal point ".", group separator ",", currency symbol " ",
 * signs "-" and "+".  The format patterns: 9 0 . , D G S MI PL SG PR L V
 * B FM TH th RN rn EEEE, double-quoted literals and backslash escapes.
 * float4 and float8 take their digits from printf as PostgreSQL does
 * (at most FLT_DIG / DBL_DIG significant ones).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sqltype-int.h"

typedef const struct dh_value *argv_t;

enum numkey {
	K_COMMA = 1,
	K_DEC,
	K_0,
	K_9,
	K_B,
	K_C,
	K_D,
	K_E,
	K_FM,
	K_G,
	K_L,
	K_MI,
	K_PL,
	K_PR,
	K_RN,
	K_rn,
	K_SG,
	K_SP,
	K_S,
	K_TH,
	K_th,
	K_V,
};

/* NUM_keywords, in its order: the first whose name starts the rest wins */
static const struct {
	const char *name;
	enum numkey id;
} keywords[] = {
    {",", K_COMMA}, {".", K_DEC}, {"0", K_0},	 {"9", K_9},	 {"B", K_B},	{"C", K_C},
    {"D", K_D},	    {"EEEE", K_E}, {"FM", K_FM}, {"G", K_G},	 {"L", K_L},	{"MI", K_MI},
    {"PL", K_PL},   {"PR", K_PR},  {"RN", K_RN}, {"SG", K_SG}, {"SP", K_SP}, {"S", K_S},
    {"TH", K_TH},   {"V", K_V},	   {"b", K_B},	 {"c", K_C},	 {"d", K_D},	{"eeee", K_E},
    {"fm", K_FM},   {"g", K_G},	   {"l", K_L},	 {"mi", K_MI}, {"pl", K_PL}, {"pr", K_PR},
    {"rn", K_rn},   {"sg", K_SG},  {"sp", K_SP}, {"s", K_S},	 {"th", K_th}, {"v", K_V},
};

/* a format node: a pattern (key) or one literal character (ch, its bytes) */
struct node {
	enum numkey key; /* 0: a character */
	const char *ch;
	size_t chlen;
};

#define F_DECIMAL (1 << 1)
#define F_LDECIMAL (1 << 2)
#define F_ZERO (1 << 3)
#define F_BLANK (1 << 4)
#define F_FILLMODE (1 << 5)
#define F_LSIGN (1 << 6)
#define F_BRACKET (1 << 7)
#define F_MINUS (1 << 8)
#define F_PLUS (1 << 9)
#define F_ROMAN (1 << 10)
#define F_MULTI (1 << 11)
#define F_PLUS_POST (1 << 12)
#define F_MINUS_POST (1 << 13)
#define F_EEEE (1 << 14)

#define LSIGN_PRE (-1)
#define LSIGN_POST 1
#define LSIGN_NONE 0

struct numdesc {
	int pre, post, lsign, flag, pre_lsign_num, multi, zero_start, zero_end;
};

static int
syntax(struct dh_err *err, const char *msg)
{
	return dh_err_sql(err, "42601", "%s", msg);
}

static size_t
u8len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
}

/* NUMDesc_prepare */
static int
prepare(struct numdesc *num, enum numkey key, struct dh_err *err)
{
	int f = num->flag;
	if ((f & F_EEEE) && key != K_E)
		return syntax(err, "\"EEEE\" must be the last pattern used");
	switch (key) {
	case K_9:
		if (f & F_BRACKET)
			return syntax(err, "\"9\" must be ahead of \"PR\"");
		if (f & F_MULTI)
			++num->multi;
		else if (f & F_DECIMAL)
			++num->post;
		else
			++num->pre;
		break;
	case K_0:
		if (f & F_BRACKET)
			return syntax(err, "\"0\" must be ahead of \"PR\"");
		if (!(f & F_ZERO) && !(f & F_DECIMAL)) {
			num->flag |= F_ZERO;
			num->zero_start = num->pre + 1;
		}
		if (!(f & F_DECIMAL))
			++num->pre;
		else
			++num->post;
		num->zero_end = num->pre + num->post;
		break;
	case K_B:
		if (num->pre == 0 && num->post == 0 && !(f & F_ZERO))
			num->flag |= F_BLANK;
		break;
	case K_D:
		num->flag |= F_LDECIMAL;
		/* fall through */
	case K_DEC:
		if (f & F_DECIMAL)
			return syntax(err, "multiple decimal points");
		if (f & F_MULTI)
			return syntax(err, "cannot use \"V\" and decimal point together");
		num->flag |= F_DECIMAL;
		break;
	case K_FM:
		num->flag |= F_FILLMODE;
		break;
	case K_S:
		if (f & F_LSIGN)
			return syntax(err, "cannot use \"S\" twice");
		if (f & (F_PLUS | F_MINUS | F_BRACKET))
			return syntax(err, "cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
		if (!(f & F_DECIMAL)) {
			num->lsign = LSIGN_PRE;
			num->pre_lsign_num = num->pre;
			num->flag |= F_LSIGN;
		} else if (num->lsign == LSIGN_NONE) {
			num->lsign = LSIGN_POST;
			num->flag |= F_LSIGN;
		}
		break;
	case K_MI:
		if (f & F_LSIGN)
			return syntax(err, "cannot use \"S\" and \"MI\" together");
		num->flag |= F_MINUS;
		if (f & F_DECIMAL)
			num->flag |= F_MINUS_POST;
		break;
	case K_PL:
		if (f & F_LSIGN)
			return syntax(err, "cannot use \"S\" and \"PL\" together");
		num->flag |= F_PLUS;
		if (f & F_DECIMAL)
			num->flag |= F_PLUS_POST;
		break;
	case K_SG:
		if (f & F_LSIGN)
			return syntax(err, "cannot use \"S\" and \"SG\" together");
		num->flag |= F_MINUS | F_PLUS;
		break;
	case K_PR:
		if (f & (F_LSIGN | F_PLUS | F_MINUS))
			return syntax(err, "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
		num->flag |= F_BRACKET;
		break;
	case K_RN:
	case K_rn:
		num->flag |= F_ROMAN;
		break;
	case K_V:
		if (f & F_DECIMAL)
			return syntax(err, "cannot use \"V\" and decimal point together");
		num->flag |= F_MULTI;
		break;
	case K_E:
		if (f & F_EEEE)
			return syntax(err, "cannot use \"EEEE\" twice");
		if (f & (F_BLANK | F_FILLMODE | F_LSIGN | F_BRACKET | F_MINUS | F_PLUS | F_ROMAN |
			 F_MULTI)) {
			syntax(err, "\"EEEE\" is incompatible with other formats");
			dh_err_detail(err, "\"EEEE\" may only be used together with digit and "
					   "decimal point patterns.");
			return DH_ESQL;
		}
		num->flag |= F_EEEE;
		break;
	default:
		break;
	}
	return 0;
}

/* parse_format for NUM_FLAG: nodes (ended by key -1) in a */
static int
parse(const char *s, size_t n, struct dh_arena *a, struct node **out, struct numdesc *num,
      struct dh_err *err)
{
	struct node *nodes = dh_arena_alloc(a, (n + 1) * sizeof(*nodes));
	size_t k = 0, i = 0;
	int rc;
	memset(num, 0, sizeof(*num));
	while (i < n) {
		size_t best = 0;
		enum numkey key = 0;
		for (size_t j = 0; j < DH_ARRAY_SIZE(keywords); j++) {
			size_t l = strlen(keywords[j].name);
			if (l <= n - i && memcmp(s + i, keywords[j].name, l) == 0) {
				key = keywords[j].id;
				best = l;
				break;
			}
		}
		if (key) {
			nodes[k++] = (struct node){key, NULL, 0};
			i += best;
			if ((rc = prepare(num, key, err)))
				return rc;
			continue;
		}
		if (s[i] == '"') {
			i++;
			while (i < n) {
				size_t l;
				if (s[i] == '"') {
					i++;
					break;
				}
				if (s[i] == '\\' && i + 1 < n)
					i++;
				l = u8len((unsigned char)s[i]);
				if (l > n - i)
					l = n - i;
				nodes[k++] = (struct node){0, s + i, l};
				i += l;
			}
			continue;
		}
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '"')
			i++;
		{
			size_t l = u8len((unsigned char)s[i]);
			if (l > n - i)
				l = n - i;
			nodes[k++] = (struct node){0, s + i, l};
			i += l;
		}
	}
	nodes[k] = (struct node){(enum numkey)-1, NULL, 0};
	*out = nodes;
	return 0;
}

/* --- to_char --- */

struct proc {
	struct numdesc *num;
	int sign, sign_wrote, num_count, num_in, num_curr, out_pre_spaces;
	const char *number, *number_p, *last_relevant;
	struct dh_buf *b;
};

#define IS_PREDEC_SPACE(np)                                                                        \
	(!((np)->num->flag & F_ZERO) && (np)->number == (np)->number_p &&                          \
	 *(np)->number == '0' && (np)->num->post != 0)

static const char *
last_relevant_decnum(const char *num)
{
	const char *p = strchr(num, '.'), *r;
	if (!p)
		return NULL;
	r = p;
	while (*(++p))
		if (*p != '0')
			r = p;
	return r;
}

/* NUM_numpart_to_char */
static void
numpart_to_char(struct proc *np, enum numkey id)
{
	struct numdesc *num = np->num;
	int end;
	if (num->flag & F_ROMAN)
		return;
	np->num_in = 0;
	if (!np->sign_wrote &&
	    (np->num_curr >= np->out_pre_spaces ||
	     ((num->flag & F_ZERO) && num->zero_start == np->num_curr)) &&
	    (!IS_PREDEC_SPACE(np) || (np->last_relevant && *np->last_relevant == '.'))) {
		if (num->flag & F_LSIGN) {
			if (num->lsign == LSIGN_PRE) {
				dh_buf_addc(np->b, np->sign == '-' ? '-' : '+');
				np->sign_wrote = 1;
			}
		} else if (num->flag & F_BRACKET) {
			dh_buf_addc(np->b, np->sign == '+' ? ' ' : '<');
			np->sign_wrote = 1;
		} else if (np->sign == '+') {
			if (!(num->flag & F_FILLMODE))
				dh_buf_addc(np->b, ' ');
			np->sign_wrote = 1;
		} else if (np->sign == '-') {
			dh_buf_addc(np->b, '-');
			np->sign_wrote = 1;
		}
	}
	if (id != K_9 && id != K_0 && id != K_D && id != K_DEC) {
		++np->num_curr;
		return;
	}
	if (np->num_curr < np->out_pre_spaces &&
	    (num->zero_start > np->num_curr || !(num->flag & F_ZERO))) {
		if (!(num->flag & F_FILLMODE))
			dh_buf_addc(np->b, ' ');
	} else if ((num->flag & F_ZERO) && np->num_curr < np->out_pre_spaces &&
		   num->zero_start <= np->num_curr) {
		dh_buf_addc(np->b, '0');
		np->num_in = 1;
	} else {
		if (*np->number_p == '.') {
			if (!np->last_relevant || *np->last_relevant != '.')
				dh_buf_addc(np->b, '.');
			else if ((num->flag & F_FILLMODE) && np->last_relevant &&
				 *np->last_relevant == '.')
				dh_buf_addc(np->b, '.');
		} else {
			if (np->last_relevant && np->number_p > np->last_relevant && id != K_0)
				;
			else if (IS_PREDEC_SPACE(np)) {
				if (!(num->flag & F_FILLMODE))
					dh_buf_addc(np->b, ' ');
				else if (np->last_relevant && *np->last_relevant == '.')
					dh_buf_addc(np->b, '0');
			} else {
				dh_buf_addc(np->b, *np->number_p);
				np->num_in = 1;
			}
		}
		if (*np->number_p)
			++np->number_p;
	}
	end = np->num_count + (np->out_pre_spaces ? 1 : 0) + ((num->flag & F_DECIMAL) ? 1 : 0);
	if (np->last_relevant && np->last_relevant == np->number_p)
		end = np->num_curr;
	if (np->num_curr + 1 == end) {
		if (np->sign_wrote && (num->flag & F_BRACKET))
			dh_buf_addc(np->b, np->sign == '+' ? ' ' : '>');
		else if ((num->flag & F_LSIGN) && num->lsign == LSIGN_POST)
			dh_buf_addc(np->b, np->sign == '-' ? '-' : '+');
	}
	++np->num_curr;
}

static const char *
get_th(const char *num, int upper, struct dh_err *err)
{
	size_t len = strlen(num);
	int last = len ? num[len - 1] : 0;
	if (last < '0' || last > '9') {
		dh_err_sql(err, "22P02", "\"%s\" is not a number", num);
		return NULL;
	}
	if (len > 1 && num[len - 2] == '1')
		last = 0;
	switch (last) {
	case '1':
		return upper ? "ST" : "st";
	case '2':
		return upper ? "ND" : "nd";
	case '3':
		return upper ? "RD" : "rd";
	default:
		return upper ? "TH" : "th";
	}
}

/* NUM_processor, the to_char half */
static int
to_char_nodes(const struct node *nodes, struct numdesc *num, const char *number,
	      int out_pre_spaces, int sign, struct dh_buf *b, struct dh_err *err)
{
	struct proc P = {0}, *np = &P;
	np->num = num;
	np->number = number;
	np->b = b;
	if (num->zero_start)
		--num->zero_start;
	if (num->flag & F_EEEE) {
		dh_buf_adds(b, number);
		return 0;
	}
	if (num->flag & F_ROMAN) {
		num->lsign = num->pre_lsign_num = num->post = num->pre = 0;
		out_pre_spaces = sign = 0;
		num->flag = (num->flag & F_FILLMODE) | F_ROMAN;
	}
	np->sign = sign;
	if (num->flag & (F_PLUS | F_MINUS)) {
		np->sign_wrote = !((num->flag & F_PLUS) && !(num->flag & F_MINUS)) ? 1 : 0;
	} else {
		if (np->sign != '-' && (num->flag & F_FILLMODE))
			num->flag &= ~F_BRACKET;
		np->sign_wrote = np->sign == '+' && (num->flag & F_FILLMODE) && !(num->flag & F_LSIGN);
		if (num->lsign == LSIGN_PRE && num->pre == num->pre_lsign_num)
			num->lsign = LSIGN_POST;
	}
	np->num_count = num->post + num->pre - 1;
	np->out_pre_spaces = out_pre_spaces;
	if ((num->flag & F_FILLMODE) && (num->flag & F_DECIMAL)) {
		np->last_relevant = last_relevant_decnum(number);
		if (np->last_relevant && num->zero_end > np->out_pre_spaces) {
			int last_zero_pos = (int)strlen(number) - 1;
			if (num->zero_end - np->out_pre_spaces < last_zero_pos)
				last_zero_pos = num->zero_end - np->out_pre_spaces;
			if (np->last_relevant < number + last_zero_pos)
				np->last_relevant = number + last_zero_pos;
		}
	}
	if (!np->sign_wrote && np->out_pre_spaces == 0)
		++np->num_count;
	np->number_p = number;
	for (const struct node *n = nodes; n->key != (enum numkey)-1; n++) {
		const char *th;
		if (!n->key) {
			dh_buf_add(b, n->ch, n->chlen);
			continue;
		}
		switch (n->key) {
		case K_9:
		case K_0:
		case K_DEC:
		case K_D:
			numpart_to_char(np, n->key);
			break;
		case K_COMMA:
		case K_G:
			if (!np->num_in) {
				if (!(num->flag & F_FILLMODE))
					dh_buf_addc(b, ' ');
			} else {
				dh_buf_addc(b, ',');
			}
			break;
		case K_L:
			dh_buf_addc(b, ' ');
			break;
		case K_RN:
		case K_rn: {
			char tmp[32];
			if (num->flag & F_FILLMODE)
				snprintf(tmp, sizeof tmp, "%s", np->number_p);
			else
				snprintf(tmp, sizeof tmp, "%15s", np->number_p);
			if (n->key == K_rn)
				for (char *p = tmp; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p + 32);
			dh_buf_adds(b, tmp);
			break;
		}
		case K_TH:
		case K_th:
			if ((num->flag & F_ROMAN) || *np->number == '#' || np->sign == '-' ||
			    (num->flag & F_DECIMAL))
				break;
			if (!(th = get_th(np->number, n->key == K_TH, err)))
				return DH_ESQL;
			dh_buf_adds(b, th);
			break;
		case K_MI:
			if (np->sign == '-')
				dh_buf_addc(b, '-');
			else if (!(num->flag & F_FILLMODE))
				dh_buf_addc(b, ' ');
			break;
		case K_PL:
			if (np->sign == '+')
				dh_buf_addc(b, '+');
			else if (!(num->flag & F_FILLMODE))
				dh_buf_addc(b, ' ');
			break;
		case K_SG:
			if (np->sign)
				dh_buf_addc(b, (char)np->sign);
			break;
		default:
			break;
		}
	}
	return 0;
}

static void
fill(char *p, int ch, int n)
{
	memset(p, ch, (size_t)n);
	p[n] = '\0';
}

/* int_to_roman: 15 '#' outside 1..3999 */
static char *
int_to_roman(struct dh_arena *a, int64_t number)
{
	static const char *const rm1[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
	static const char *const rm10[] = {"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
	static const char *const rm100[] = {"C",  "CC",	 "CCC",	 "CD", "D",
					    "DC", "DCC", "DCCC", "CM"};
	char numstr[24], *out;
	struct dh_buf b;
	int len;
	if (number > 3999 || number < 1) {
		out = dh_arena_alloc(a, 16);
		fill(out, '#', 15);
		return out;
	}
	dh_buf_init(&b, 0);
	len = snprintf(numstr, sizeof numstr, "%d", (int)number);
	for (const char *p = numstr; *p; p++, --len) {
		int num = *p - ('0' + 1);
		if (num < 0)
			continue;
		if (len > 3) {
			while (num-- != -1)
				dh_buf_addc(&b, 'M');
		} else {
			dh_buf_adds(&b, len == 3 ? rm100[num] : len == 2 ? rm10[num] : rm1[num]);
		}
	}
	out = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return out;
}

static int
num_text(struct dh_sqlcall *c, const char *s, struct dh_value *out)
{
	return dh__num_in(s, strlen(s), -1, c->arena, out, c->err);
}

static char *
num_str(struct dh_sqlcall *c, const struct dh_value *v)
{
	return dh_arena_strndup(c->arena, v->s.p, v->s.n);
}

/* numeric_out_sci: the value as d.ddd (rscale digits) e+XX */
static int
numeric_sci(struct dh_sqlcall *c, const struct dh_value *v, int rscale, char **out)
{
	const char *s = num_str(c, v), *p;
	struct dh_buf b;
	struct dh_value sig, args[2];
	int exponent = 0, neg = *s == '-', seen = 0, pointpos = -1, first = -1, nd = 0, rc;
	struct dh_sqlcall c2 = *c;
	if (!strcmp(s, "NaN") || !strcmp(s, "Infinity") || !strcmp(s, "-Infinity")) {
		*out = (char *)s;
		return 0;
	}
	/* the digits, where the point was, where the first non-zero one is */
	dh_buf_init(&b, 0);
	for (p = s + neg; *p; p++) {
		if (*p == '.') {
			pointpos = nd;
			continue;
		}
		if (*p != '0' && first < 0)
			first = nd;
		dh_buf_addc(&b, *p);
		nd++;
	}
	if (pointpos < 0)
		pointpos = nd;
	if (first >= 0)
		exponent = pointpos - first - 1;
	{
		/* the significand: the digits with the point after the first
		 * significant one (or a zero) */
		struct dh_buf t;
		dh_buf_init(&t, 0);
		if (neg)
			dh_buf_addc(&t, '-');
		if (first < 0) {
			dh_buf_adds(&t, "0");
		} else {
			dh_buf_addc(&t, ((const char *)b.p)[first]);
			dh_buf_addc(&t, '.');
			dh_buf_add(&t, (const char *)b.p + first + 1, (size_t)(nd - first - 1));
			dh_buf_addc(&t, '0');
		}
		dh_buf_addc(&t, '\0');
		rc = num_text(c, (const char *)t.p, &sig);
		dh_buf_release(&t);
		(void)seen;
	}
	dh_buf_release(&b);
	if (rc)
		return rc;
	args[0] = sig;
	args[1] = (struct dh_value){.type = DH_T_LONG, .i = rscale};
	c2.nargs = 2;
	if ((rc = dh__num_round(&c2, args, &sig)))
		return rc;
	{
		size_t len = sig.s.n + 16;
		char *r = dh_arena_alloc(c->arena, len);
		snprintf(r, len, "%.*se%+03d", (int)sig.s.n, sig.s.p, exponent);
		*out = r;
	}
	return 0;
}

/* numeric_to_char */
static int
numeric_to_char(struct dh_sqlcall *c, const struct dh_value *value, const struct dh_value *fmt,
		struct dh_value *o)
{
	struct numdesc num;
	struct node *nodes;
	struct dh_buf b;
	char *numstr, *orgnum;
	int out_pre_spaces = 0, sign = 0, rc;
	struct dh_sqlcall c2 = *c;
	if (fmt->s.n == 0) {
		o->type = DH_T_STRING;
		o->s.p = "";
		o->s.n = 0;
		return 0;
	}
	if ((rc = parse(fmt->s.p, fmt->s.n, c->arena, &nodes, &num, c->err)))
		return rc;
	if (num.flag & F_ROMAN) {
		struct dh_value x, args[2] = {*value, {.type = DH_T_LONG, .i = 0}};
		int64_t iv;
		c2.nargs = 2;
		if ((rc = dh__num_round(&c2, args, &x)) || (rc = dh__num_to_int(&x, 4, &iv, c->err)))
			return rc;
		numstr = int_to_roman(c->arena, iv);
	} else if (num.flag & F_EEEE) {
		if ((rc = numeric_sci(c, value, num.post, &orgnum)))
			return rc;
		if (!strcmp(orgnum, "NaN") || !strcmp(orgnum, "Infinity") ||
		    !strcmp(orgnum, "-Infinity")) {
			numstr = dh_arena_alloc(c->arena, (size_t)(num.pre + num.post + 7));
			fill(numstr, '#', num.pre + num.post + 6);
			*numstr = ' ';
			numstr[num.pre + 1] = '.';
		} else if (*orgnum != '-') {
			size_t l = strlen(orgnum);
			numstr = dh_arena_alloc(c->arena, l + 2);
			*numstr = ' ';
			memcpy(numstr + 1, orgnum, l + 1);
		} else {
			numstr = orgnum;
		}
	} else {
		struct dh_value val = *value, x, args[2];
		char *p;
		int pre_len;
		if (num.flag & F_MULTI) {
			struct dh_value ten, m, pw;
			char mtxt[16];
			snprintf(mtxt, sizeof mtxt, "%d", num.multi);
			if ((rc = num_text(c, "10", &ten)) || (rc = num_text(c, mtxt, &m)))
				return rc;
			args[0] = ten;
			args[1] = m;
			c2.nargs = 2;
			if ((rc = dh__num_pow(&c2, args, &pw)))
				return rc;
			args[0] = *value;
			args[1] = pw;
			if ((rc = dh__num_mul(&c2, args, &val)))
				return rc;
			num.pre += num.multi;
		}
		args[0] = val;
		args[1] = (struct dh_value){.type = DH_T_LONG, .i = num.post};
		c2.nargs = 2;
		if ((rc = dh__num_round(&c2, args, &x)))
			return rc;
		orgnum = num_str(c, &x);
		if (*orgnum == '-') {
			sign = '-';
			numstr = orgnum + 1;
		} else {
			sign = '+';
			numstr = orgnum;
		}
		p = strchr(numstr, '.');
		pre_len = p ? (int)(p - numstr) : (int)strlen(numstr);
		if (pre_len < num.pre) {
			out_pre_spaces = num.pre - pre_len;
		} else if (pre_len > num.pre) {
			numstr = dh_arena_alloc(c->arena, (size_t)(num.pre + num.post + 2));
			fill(numstr, '#', num.pre + num.post + 1);
			numstr[num.pre] = '.';
		}
	}
	dh_buf_init(&b, 0);
	if ((rc = to_char_nodes(nodes, &num, numstr, out_pre_spaces, sign, &b, c->err))) {
		dh_buf_release(&b);
		return rc;
	}
	o->type = DH_T_STRING;
	o->s.n = b.len;
	o->s.p = dh_arena_strndup(c->arena, b.len ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	return 0;
}

/* "%.*f" as PostgreSQL's snprintf prints it: NaN, Infinity, -Infinity */
static char *
fixed(struct dh_arena *a, double v, int prec)
{
	int len;
	char *r;
	if (isnan(v))
		return dh_arena_strdup(a, "NaN");
	if (isinf(v))
		return dh_arena_strdup(a, v < 0 ? "-Infinity" : "Infinity");
	len = snprintf(NULL, 0, "%.*f", prec, v);
	r = dh_arena_alloc(a, (size_t)len + 1);
	snprintf(r, (size_t)len + 1, "%.*f", prec, v);
	return r;
}

/* float8_to_char, float4_to_char: digits from printf, limited to DBL_DIG
 * (FLT_DIG) significant ones */
static int
float_to_char(struct dh_sqlcall *c, double value, int dig, const struct dh_value *fmt,
	      struct dh_value *o)
{
	struct numdesc num;
	struct node *nodes;
	struct dh_buf b;
	char *numstr, *p, tmp[512];
	int out_pre_spaces = 0, sign = 0, rc;
	if (fmt->s.n == 0) {
		o->type = DH_T_STRING;
		o->s.p = "";
		o->s.n = 0;
		return 0;
	}
	if ((rc = parse(fmt->s.p, fmt->s.n, c->arena, &nodes, &num, c->err)))
		return rc;
	if (num.flag & F_ROMAN) {
		numstr = int_to_roman(c->arena, (int64_t)rint(value));
	} else if (num.flag & F_EEEE) {
		if (isnan(value) || isinf(value)) {
			numstr = dh_arena_alloc(c->arena, (size_t)(num.pre + num.post + 7));
			fill(numstr, '#', num.pre + num.post + 6);
			*numstr = ' ';
			numstr[num.pre + 1] = '.';
		} else {
			snprintf(tmp, sizeof tmp, "%+.*e", num.post, value);
			if (*tmp == '+')
				*tmp = ' ';
			numstr = dh_arena_strdup(c->arena, tmp);
		}
	} else {
		double val = value;
		int pre_len;
		if (num.flag & F_MULTI) {
			val = value * pow(10.0, (double)num.multi);
			num.pre += num.multi;
		}
		pre_len = (int)strlen(fixed(c->arena, fabs(val), 0));
		if (pre_len >= dig)
			num.post = 0;
		else if (pre_len + num.post > dig)
			num.post = dig - pre_len;
		{
			char *orgnum = fixed(c->arena, val, num.post);
			if (*orgnum == '-') {
				sign = '-';
				numstr = orgnum + 1;
			} else {
				sign = '+';
				numstr = orgnum;
			}
		}
		p = strchr(numstr, '.');
		pre_len = p ? (int)(p - numstr) : (int)strlen(numstr);
		if (pre_len < num.pre) {
			out_pre_spaces = num.pre - pre_len;
		} else if (pre_len > num.pre) {
			numstr = dh_arena_alloc(c->arena, (size_t)(num.pre + num.post + 2));
			fill(numstr, '#', num.pre + num.post + 1);
			numstr[num.pre] = '.';
		}
	}
	dh_buf_init(&b, 0);
	if ((rc = to_char_nodes(nodes, &num, numstr, out_pre_spaces, sign, &b, c->err))) {
		dh_buf_release(&b);
		return rc;
	}
	o->type = DH_T_STRING;
	o->s.n = b.len;
	o->s.p = dh_arena_strndup(c->arena, b.len ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	return 0;
}

int
dh__num_float8_to_char(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return float_to_char(c, a[0].d, DBL_DIG, &a[1], o);
}

int
dh__num_float4_to_char(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return float_to_char(c, a[0].d, FLT_DIG, &a[1], o);
}

int
dh__num_to_char(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return numeric_to_char(c, &a[0], &a[1], o);
}

int
dh__num_int_to_char(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	char txt[32];
	struct dh_value v;
	int rc;
	snprintf(txt, sizeof txt, "%lld", (long long)a[0].i);
	if ((rc = num_text(c, txt, &v)))
		return rc;
	return numeric_to_char(c, &v, &a[1], o);
}

/* --- to_number --- */

struct rproc {
	struct numdesc *num;
	const char *in; /* the input */
	size_t len, ip;
	char *number; /* number[0] the sign (' ', '-', '+') */
	size_t np;    /* where the next digit goes in number */
	int read_dec, read_pre, read_post;
};

#define OVERLOAD(r) ((r)->ip >= (r)->len)
#define AMOUNT(r, s) ((r)->ip + (s) <= (r)->len)

static int
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static char
at(const struct rproc *r, size_t i)
{
	return i < r->len ? r->in[i] : '\0';
}

/* NUM_numpart_from_char */
static void
numpart_from_char(struct rproc *r, enum numkey id)
{
	struct numdesc *num = r->num;
	int isread = 0;
	if (OVERLOAD(r))
		return;
	if (at(r, r->ip) == ' ')
		r->ip++;
	if (OVERLOAD(r))
		return;
	if (r->number[0] == ' ' && (id == K_0 || id == K_9) && r->read_pre + r->read_post == 0) {
		if ((num->flag & F_LSIGN) && num->lsign == LSIGN_PRE) {
			if (at(r, r->ip) == '-') {
				r->ip++;
				r->number[0] = '-';
			} else if (at(r, r->ip) == '+') {
				r->ip++;
				r->number[0] = '+';
			}
		} else if (at(r, r->ip) == '-' || ((num->flag & F_BRACKET) && at(r, r->ip) == '<')) {
			r->number[0] = '-';
			r->ip++;
		} else if (at(r, r->ip) == '+') {
			r->number[0] = '+';
			r->ip++;
		}
	}
	if (OVERLOAD(r))
		return;
	if (is_digit(at(r, r->ip))) {
		if (r->read_dec && r->read_post == num->post)
			return;
		r->number[r->np++] = at(r, r->ip);
		if (r->read_dec)
			r->read_post++;
		else
			r->read_pre++;
		isread = 1;
	} else if ((num->flag & F_DECIMAL) && !r->read_dec) {
		if (AMOUNT(r, 1) && at(r, r->ip) == '.') {
			r->number[r->np++] = '.';
			r->read_dec = 1;
			isread = 1;
		}
	}
	if (OVERLOAD(r))
		return;
	if (r->number[0] == ' ' && r->read_pre + r->read_post > 0) {
		if ((num->flag & F_LSIGN) && isread && r->ip + 1 < r->len &&
		    !is_digit(at(r, r->ip + 1))) {
			size_t tmp = r->ip++;
			if (AMOUNT(r, 1) && at(r, r->ip) == '-')
				r->number[0] = '-';
			else if (AMOUNT(r, 1) && at(r, r->ip) == '+')
				r->number[0] = '+';
			if (r->number[0] == ' ')
				r->ip = tmp;
		} else if (!isread && !(num->flag & F_LSIGN) && (num->flag & (F_PLUS | F_MINUS))) {
			if (at(r, r->ip) == '-' || at(r, r->ip) == '+')
				r->number[0] = at(r, r->ip);
		}
	}
}

/* NUM_eat_non_data_chars */
static void
eat_non_data(struct rproc *r, int n)
{
	while (n-- > 0) {
		if (OVERLOAD(r))
			break;
		if (strchr("0123456789.,+-", at(r, r->ip)) && at(r, r->ip))
			break;
		r->ip += u8len((unsigned char)at(r, r->ip));
	}
}

int
dh__num_to_number(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct numdesc num;
	struct node *nodes;
	struct rproc R = {0}, *r = &R;
	int rc, precision, scale;
	int32_t typmod;
	if (a[1].s.n == 0) {
		o->type = DH_T_NONE;
		return 0;
	}
	if ((rc = parse(a[1].s.p, a[1].s.n, c->arena, &nodes, &num, c->err)))
		return rc;
	if (num.zero_start)
		--num.zero_start;
	if (num.flag & F_EEEE)
		return dh_err_sql(c->err, "0A000", "\"EEEE\" not supported for input");
	if (num.flag & F_ROMAN)
		return dh_err_sql(c->err, "0A000", "\"RN\" not supported for input");
	r->num = &num;
	r->in = a[0].s.p;
	r->len = a[0].s.n;
	r->number = dh_arena_alloc(c->arena, a[0].s.n + 3);
	r->number[0] = ' ';
	r->np = 1;
	for (const struct node *n = nodes; n->key != (enum numkey)-1; n++) {
		if (OVERLOAD(r))
			break;
		if (!n->key) {
			r->ip += u8len((unsigned char)at(r, r->ip));
			continue;
		}
		switch (n->key) {
		case K_9:
		case K_0:
		case K_DEC:
		case K_D:
			numpart_from_char(r, n->key);
			break;
		case K_COMMA:
		case K_G:
			/* no digit has been "in" yet on input: FM skips the pattern */
			if ((num.flag & F_FILLMODE) || at(r, r->ip) != ',')
				continue;
			break;
		case K_L:
			eat_non_data(r, 1);
			continue;
		case K_TH:
		case K_th:
			if ((num.flag & F_ROMAN) || (num.flag & F_DECIMAL))
				continue;
			eat_non_data(r, 2);
			continue;
		case K_MI:
			if (at(r, r->ip) == '-') {
				r->number[0] = '-';
			} else {
				eat_non_data(r, 1);
				continue;
			}
			break;
		case K_PL:
			if (at(r, r->ip) == '+') {
				r->number[0] = '+';
			} else {
				eat_non_data(r, 1);
				continue;
			}
			break;
		case K_SG:
			if (at(r, r->ip) == '-' || at(r, r->ip) == '+') {
				r->number[0] = at(r, r->ip);
			} else {
				eat_non_data(r, 1);
				continue;
			}
			break;
		default:
			continue;
		}
		r->ip++;
	}
	if (r->np > 1 && r->number[r->np - 1] == '.')
		r->number[--r->np] = '\0';
	else
		r->number[r->np] = '\0';
	num.post = r->read_post;
	scale = num.post;
	precision = num.pre + num.multi + scale;
	typmod = (int32_t)(((precision << 16) | scale) + 4);
	if ((rc = dh__num_in(r->number, strlen(r->number), typmod, c->arena, o, c->err)))
		return rc;
	if (num.flag & F_MULTI) {
		struct dh_value ten, m, pw, args[2];
		struct dh_sqlcall c2 = *c;
		char mtxt[16];
		snprintf(mtxt, sizeof mtxt, "%d", -num.multi);
		if ((rc = num_text(c, "10", &ten)) || (rc = num_text(c, mtxt, &m)))
			return rc;
		c2.nargs = 2;
		args[0] = ten;
		args[1] = m;
		if ((rc = dh__num_pow(&c2, args, &pw)))
			return rc;
		args[0] = *o;
		args[1] = pw;
		return dh__num_mul(&c2, args, o);
	}
	return 0;
}
