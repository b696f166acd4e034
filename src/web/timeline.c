#include "web/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/event.h"

#define WIDTH 960
#define LANE 28
#define LEFT 150 /* room for the lane labels */
#define RIGHT 20
#define TOP 10
#define AXIS 30

/* GOV.UK colour palette; shapes differ too. */
static const struct {
	const char *agency;
	const char *colour;
	const char *shape; /* circle, square, triangle, diamond, bar */
} lanes[] = {
	{"police", "#1d70b8", "square"},   {"health", "#00703c", "circle"},
	{"education", "#f47738", "triangle"}, {"social_care", "#d4351c", "diamond"},
	{"housing", "#4c2c92", "bar"},
};
#define NLANES (sizeof lanes / sizeof lanes[0])

static size_t lane_of(const char *agency)
{
	for (size_t i = 0; i < NLANES; i++)
		if (strcmp(lanes[i].agency, agency) == 0)
			return i;
	return NLANES; /* an agency added later: drawn in an extra lane */
}

/* Whole units and no printf: the drawing is 960 units wide, so a unit is finer than any screen shows, and
 * a record may hold 2,000 marks (formatting them was most of the page's cost). Each mark is assembled in one
 * buffer (struct line) and appended to the page once (issue 17: 25 appends a mark were a fifth of the record
 * page's CPU). Bounded: a mark that would not fit fails the page. */
#define MARK_TEXT_MAX 4096

struct line {
	char *b;
	size_t n, cap;
	bool over;
};

static void l_put(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - l->n) {
		l->over = true;
		return;
	}
	memcpy(l->b + l->n, s, n);
	l->n += n;
}

#define L_LIT(l, s) l_put((l), (s), sizeof(s) - 1)

static void l_str(struct line *l, const char *s)
{
	l_put(l, s, strlen(s));
}

static void l_int(struct line *l, long long v)
{
	if (v >= 100 && v <= 999 && l->cap - l->n >= 3) { /* a mark's x's (LEFT..WIDTH): ~1,500 numbers a page */
		char *o = l->b + l->n;
		o[0] = (char)('0' + v / 100);
		o[1] = (char)('0' + v / 10 % 10);
		o[2] = (char)('0' + v % 10);
		l->n += 3;
		return;
	}
	if (l->cap - l->n >= BUF_INT_MAX) { /* written in place: ~4,000 numbers a page (issue 17) */
		l->n += buf_int_text(l->b + l->n, v);
		return;
	}
	char d[BUF_INT_MAX];
	l_put(l, d, buf_int_text(d, v));
}

/* As buf_append_html escapes. */
static void l_html(struct line *l, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': L_LIT(l, "&amp;"); break;
		case '<': L_LIT(l, "&lt;"); break;
		case '>': L_LIT(l, "&gt;"); break;
		case '"': L_LIT(l, "&quot;"); break;
		case '\'': L_LIT(l, "&#39;"); break;
		default: l_put(l, s, 1);
		}
	}
}

/* A lane's shape after a mark's link, with its x left out: y is the lane's, so a mark writes only its x's
 * between the texts (issue 17: the shape, up to five string compares and ten numbers a mark, was a third
 * of the drawing). text[0] comes first, then for each i the number x + dx[i] and text[i + 1]; the last
 * text ends the link. */
#define SHAPE_XS 4
struct shape_text {
	int nx, dx[SHAPE_XS];
	char text[SHAPE_XS + 1][64];
	size_t len[SHAPE_XS + 1];
	bool over;
};

static void shape_part(struct shape_text *st, int i, const char *s, size_t n)
{
	struct line l = {.b = st->text[i], .n = st->len[i], .cap = sizeof st->text[i]};
	l_put(&l, s, n);
	st->len[i] = l.n;
	st->over = st->over || l.over;
}

static void shape_int(struct shape_text *st, int i, int v)
{
	char d[BUF_INT_MAX];
	shape_part(st, i, d, buf_int_text(d, v));
}

/* A lane's shape at its y in its colour, then tail ("\"/>" for the key, "\"/></a>" after a mark's link), its x's left
 * as marks (shape_line writes it at an x): the one place the five shapes' geometry is written. */
static void shape_text_of(struct shape_text *st, const char *kind, const char *colour, int y, const char *tail)
{
	int i = 0;
	*st = (struct shape_text){.nx = 0};
#define T(s) shape_part(st, i, (s), sizeof(s) - 1)
#define X(d) (st->dx[st->nx++] = (d), i++)
	if (strcmp(kind, "square") == 0) {
		T("<rect x=\"");
		X(-6);
		T("\" y=\"");
		shape_int(st, i, y - 6);
		T("\" width=\"12\" height=\"12\"");
	} else if (strcmp(kind, "bar") == 0) {
		T("<rect x=\"");
		X(-2);
		T("\" y=\"");
		shape_int(st, i, y - 8);
		T("\" width=\"5\" height=\"16\"");
	} else if (strcmp(kind, "triangle") == 0) {
		T("<polygon points=\"");
		X(0);
		T(",");
		shape_int(st, i, y - 7);
		T(" ");
		X(7);
		T(",");
		shape_int(st, i, y + 6);
		T(" ");
		X(-7);
		T(",");
		shape_int(st, i, y + 6);
		T("\"");
	} else if (strcmp(kind, "diamond") == 0) {
		T("<polygon points=\"");
		X(0);
		T(",");
		shape_int(st, i, y - 7);
		T(" ");
		X(7);
		T(",");
		shape_int(st, i, y);
		T(" ");
		X(0);
		T(",");
		shape_int(st, i, y + 7);
		T(" ");
		X(-7);
		T(",");
		shape_int(st, i, y);
		T("\"");
	} else {
		T("<circle cx=\"");
		X(0);
		T("\" cy=\"");
		shape_int(st, i, y);
		T("\" r=\"6\"");
	}
	T(" fill=\"");
	shape_part(st, i, colour, strlen(colour));
	shape_part(st, i, tail, strlen(tail));
#undef T
#undef X
}

/* A shape made by shape_text_of, at x */
static void shape_line(struct line *l, const struct shape_text *st, int x)
{
	if (st->over)
		l->over = true;
	l_put(l, st->text[0], st->len[0]);
	for (int k = 0; k < st->nx; k++) {
		l_int(l, (long long)x + st->dx[k]);
		l_put(l, st->text[k + 1], st->len[k + 1]);
	}
}

static void shape(struct buf *out, const char *kind, const char *colour, int x, int y)
{
	char b[256];
	struct line l = {.b = b, .cap = sizeof b};
	struct shape_text st;
	shape_text_of(&st, kind, colour, y, "\"/>");
	shape_line(&l, &st, x);
	if (l.over)
		out->failed = true;
	else
		buf_append(out, l.b, l.n);
}

/* "4 March 2025" for the instant in UK civil time. The clocks change on a whole UTC hour (01:00), so the
 * offset is looked up once an hour of marks, and the text once a day (marks come newest first). */
struct day_cache {
	int64_t hour, off, day;
	bool have_hour, have_day;
	char text[DATE_LONG_MAX + 8];
	size_t len;
	/* the UTC year of the last hour looked up ([year_lo, year_hi)) and its BST (ts_uk_summer): an hour of
	 * that year is shifted without working out its date (a history's marks fall in few years) */
	bool have_year;
	int64_t year_lo, year_hi, bst_start, bst_end;
};

/* ts_uk_local(t) - t, from the cached year where t is in it. */
static int64_t uk_offset(struct day_cache *c, int64_t t)
{
	if (!c->have_year || t < c->year_lo || t >= c->year_hi) {
		int y = ts_utc_date(t).y;
		c->year_lo = date_to_days((struct date){y, 1, 1}) * 86400;
		c->year_hi = date_to_days((struct date){y + 1, 1, 1}) * 86400;
		ts_uk_summer(y, &c->bst_start, &c->bst_end);
		c->have_year = t >= c->year_lo && t < c->year_hi; /* not so past the years ts_utc_date clamps to */
		if (!c->have_year)
			return ts_uk_local(t) - t;
	}
	return t >= c->bst_start && t < c->bst_end ? 3600 : 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void long_date(struct line *l, struct day_cache *c, int64_t at)
{
	static const char *const months[] = {" January ", " February ", " March ",     " April ",   " May ",      " June ",
					     " July ",    " August ",   " September ", " October ", " November ", " December "};
	int64_t hour = floor_div(at, 3600);
	if (!c->have_hour || hour != c->hour) {
		c->hour = hour;
		c->off = uk_offset(c, hour * 3600);
		c->have_hour = true;
	}
	int64_t day = floor_div(at + c->off, 86400);
	if (!c->have_day || day != c->day) {
		struct line t = {.b = c->text, .cap = sizeof c->text};
		struct date d = ts_utc_date(at + c->off);
		l_int(&t, d.d);
		l_str(&t, months[(d.m - 1) % 12]);
		l_int(&t, d.y);
		c->len = t.over ? 0 : t.n;
		c->day = day;
		c->have_day = true;
	}
	l_put(l, c->text, c->len);
}

/* The x of an instant: integer arithmetic (span is at most a few centuries of seconds: no overflow). */
static int x_of(int64_t t, int64_t lo, int64_t span)
{
	return LEFT + (int)((int64_t)(WIDTH - LEFT - RIGHT) * (t - lo) / span);
}

int timeline_svg(const struct timeline_event *ev, size_t n, const char *child_name, const char *page_base,
		 struct buf *out)
{
	int64_t lo = 0, hi = 0;
	/* A row only for an agency with events in the drawing (issue 15: a row for every agency, each with its
	 * key mark, read as police and education records a child did not have). row[l] is lane l's row. */
	bool used[NLANES + 1] = {false};
	int row[NLANES + 1];
	/* Each mark's lane, found again only when its agency (a static string, timeline.h) is not the last one's:
	 * a history runs in few agencies (issue 17: six strcmp a mark). */
	const char *lane_agency = NULL;
	size_t lane = NLANES;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || ev[i].at < lo)
			lo = ev[i].at;
		if (i == 0 || ev[i].at > hi)
			hi = ev[i].at;
		if (ev[i].agency != lane_agency)
			lane = lane_of(lane_agency = ev[i].agency);
		used[lane] = true;
	}
	size_t nl = 0;
	for (size_t l = 0; l <= NLANES; l++)
		row[l] = used[l] ? (int)nl++ : -1;
	if (nl == 0)
		nl = 1;
	/* At least a month across, so one event sits in the middle, not on an edge. */
	if (hi - lo < 31 * 86400) {
		int64_t mid = lo / 2 + hi / 2;
		lo = mid - 16 * 86400;
		hi = mid + 16 * 86400;
	}
	int height = TOP + (int)nl * LANE + AXIS;
	int64_t span = hi - lo;
	struct date first = ts_utc_date(ts_uk_local(lo)), last = ts_utc_date(ts_uk_local(hi));
	char from[DATE_LONG_MAX + 1], to[DATE_LONG_MAX + 1];
	date_format_long(first, from);
	date_format_long(last, to);

	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sg-timeline\" viewBox=\"0 0 %d %d\" "
			"aria-labelledby=\"timeline-title timeline-desc\">", WIDTH, height);
	buf_puts(out, "<title id=\"timeline-title\">Timeline of events for ");
	buf_append_html(out, child_name, strlen(child_name));
	buf_puts(out, "</title>");
	buf_printf(out, "<desc id=\"timeline-desc\">%zu event%s from %s to %s, one row per agency that recorded them. Each mark is a link "
			"to the event in the table of events.</desc>", n, n == 1 ? "" : "s", from, to);

	/* Rows and their labels: the key mark sits before the agency's name, in the label column, apart from the
	 * events (a vertical rule at LEFT starts the drawing). */
	for (size_t l = 0; l <= NLANES; l++) {
		if (row[l] < 0)
			continue;
		int y = TOP + row[l] * LANE + LANE / 2;
		const struct agency_kind *a = NULL;
		for (size_t k = 0; (a = agency_builtin_at(k)) != NULL; k++)
			if (l < NLANES && strcmp(a->code, lanes[l].agency) == 0)
				break;
		buf_printf(out, "<line class=\"sg-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke-dasharray=\"2 4\"/>",
			   LEFT, y, WIDTH - RIGHT, y);
		buf_printf(out, "<g class=\"sg-key\" aria-hidden=\"true\">");
		shape(out, l < NLANES ? lanes[l].shape : "circle", l < NLANES ? lanes[l].colour : "#505a5f", 10, y);
		buf_printf(out, "<text x=\"%d\" y=\"%d\">%s</text></g>", 22, y + 4, a ? a->name : "Other agencies");
	}
	buf_printf(out, "<line class=\"sg-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, TOP, LEFT,
		   TOP + (int)nl * LANE);

	/* Year ticks along the bottom. */
	int axis_y = TOP + (int)nl * LANE + 4;
	buf_printf(out, "<line class=\"sg-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, axis_y, WIDTH - RIGHT,
		   axis_y);
	for (int y = first.y; y <= last.y + 1; y++) {
		int64_t t = date_to_days((struct date){y, 1, 1}) * 86400;
		if (t < lo || t > hi)
			continue;
		int x = x_of(t, lo, span);
		buf_printf(out, "<line class=\"sg-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
				"<text x=\"%d\" y=\"%d\" aria-hidden=\"true\">%d</text>",
			   x, axis_y, x, axis_y + 6, x - 14, axis_y + 20, y);
	}

	/* The events: each a link to its row. */
	struct buf base;
	buf_init(&base, 8 * 1024);
	buf_append_html(&base, page_base, strlen(page_base));
	size_t bl = strlen(page_base);
	buf_puts(&base, bl && page_base[bl - 1] != '?' ? "&amp;before=" : "before=");
	if (base.failed) {
		buf_free(&base);
		out->failed = true;
		return -1;
	}
	struct day_cache days = {.have_hour = false};
	char named_text[1024];
	struct line named = {.b = NULL, .cap = sizeof named_text};
	const char *last_agency = NULL, *last_kind = NULL;
	struct shape_text shapes[NLANES + 1];
	for (size_t ln = 0; ln <= NLANES; ln++)
		if (row[ln] >= 0)
			shape_text_of(&shapes[ln], ln < NLANES ? lanes[ln].shape : "circle",
				      ln < NLANES ? lanes[ln].colour : "#505a5f", TOP + row[ln] * LANE + LANE / 2,
				      "\"/></a>");
	lane_agency = NULL;
	lane = NLANES;
	/* the page grows once for the marks (~200 bytes each), not by doubling and copying */
	if (n <= (out->max - out->len) / 256)
		buf_reserve(out, n * 256);
	for (size_t i = 0; i < n && !out->failed; i++) {
		if (ev[i].agency != lane_agency)
			lane = lane_of(lane_agency = ev[i].agency);
		const struct shape_text *st = &shapes[lane];
		int x = x_of(ev[i].at, lo, span);
		/* written in place in the page (no copy a mark), in the room the ceiling leaves up to a mark's most */
		size_t room = out->max - out->len < MARK_TEXT_MAX ? out->max - out->len : MARK_TEXT_MAX;
		struct line mark = {.b = buf_room(out, room), .cap = room}, *l = &mark;
		if (!mark.b)
			break;
		L_LIT(l, "<a href=\"");
		if (!ev[i].on_page) {
			l_put(l, base.data, base.len);
			l_str(l, ev[i].at_text); /* digits, '-', ':', 'T', 'Z': nothing to escape */
			L_LIT(l, "_");
			l_int(l, (long long)ev[i].id + 1); /* pages hold what is older than the cursor */
		}
		L_LIT(l, "#event-");
		l_int(l, (long long)ev[i].id);
		L_LIT(l, "\"><title>");
		long_date(l, &days, ev[i].at);
		/* The names are static (timeline.h): escaped again only when they change from the mark before. */
		if (!named.b || ev[i].agency_name != last_agency || ev[i].kind_label != last_kind) {
			named.b = named_text;
			named.n = 0;
			named.over = false;
			L_LIT(&named, ", ");
			l_html(&named, ev[i].agency_name);
			L_LIT(&named, ": ");
			l_html(&named, ev[i].kind_label);
			L_LIT(&named, "</title>");
			last_agency = ev[i].agency_name;
			last_kind = ev[i].kind_label;
		}
		if (named.over)
			l->over = true;
		l_put(l, named.b, named.n);
		shape_line(l, st, x);
		if (l->over)
			out->failed = true;
		else
			buf_wrote(out, l->n);
	}
	buf_free(&base);
	return buf_puts(out, "</svg>");
}
