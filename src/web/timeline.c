#include "web/timeline.h"

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
 * a record may hold 2,000 marks (formatting them was most of the page's cost). */
static void attr(struct buf *out, const char *name, int v)
{
	buf_puts(out, name);
	buf_put_int(out, v);
	buf_puts(out, "\"");
}

static void point(struct buf *out, int x, int y, const char *sep)
{
	buf_put_int(out, x);
	buf_puts(out, ",");
	buf_put_int(out, y);
	buf_puts(out, sep);
}

static void shape(struct buf *out, const char *kind, const char *colour, int x, int y)
{
	if (strcmp(kind, "square") == 0 || strcmp(kind, "bar") == 0) {
		bool bar = kind[0] == 'b';
		buf_puts(out, "<rect");
		attr(out, " x=\"", bar ? x - 2 : x - 6);
		attr(out, " y=\"", bar ? y - 8 : y - 6);
		buf_puts(out, bar ? " width=\"5\" height=\"16\"" : " width=\"12\" height=\"12\"");
	} else if (strcmp(kind, "triangle") == 0) {
		buf_puts(out, "<polygon points=\"");
		point(out, x, y - 7, " ");
		point(out, x + 7, y + 6, " ");
		point(out, x - 7, y + 6, "\"");
	} else if (strcmp(kind, "diamond") == 0) {
		buf_puts(out, "<polygon points=\"");
		point(out, x, y - 7, " ");
		point(out, x + 7, y, " ");
		point(out, x, y + 7, " ");
		point(out, x - 7, y, "\"");
	} else {
		buf_puts(out, "<circle");
		attr(out, " cx=\"", x);
		attr(out, " cy=\"", y);
		buf_puts(out, " r=\"6\"");
	}
	buf_puts(out, " fill=\"");
	buf_puts(out, colour);
	buf_puts(out, "\"/>");
}

/* "4 March 2025" for the instant in UK civil time. */
static void long_date(struct buf *out, int64_t at)
{
	static const char *const months[] = {" January ", " February ", " March ",     " April ",   " May ",      " June ",
					     " July ",    " August ",   " September ", " October ", " November ", " December "};
	struct date d = ts_utc_date(ts_uk_local(at));
	buf_put_int(out, d.d);
	buf_puts(out, months[(d.m - 1) % 12]);
	buf_put_int(out, d.y);
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
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || ev[i].at < lo)
			lo = ev[i].at;
		if (i == 0 || ev[i].at > hi)
			hi = ev[i].at;
		used[lane_of(ev[i].agency)] = true;
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
	for (size_t i = 0; i < n; i++) {
		size_t l = lane_of(ev[i].agency);
		int x = x_of(ev[i].at, lo, span);
		int y = TOP + row[l] * LANE + LANE / 2;
		buf_puts(out, "<a href=\"");
		if (!ev[i].on_page) {
			size_t bl = strlen(page_base);
			buf_append_html(out, page_base, bl);
			buf_puts(out, bl && page_base[bl - 1] != '?' ? "&amp;before=" : "before=");
			buf_puts(out, ev[i].at_text); /* digits, '-', ':', 'T', 'Z': nothing to escape */
			buf_puts(out, "_");
			buf_put_int(out, (long long)ev[i].id + 1); /* pages hold what is older than the cursor */
		}
		buf_puts(out, "#event-");
		buf_put_int(out, (long long)ev[i].id);
		buf_puts(out, "\"><title>");
		long_date(out, ev[i].at);
		buf_puts(out, ", ");
		buf_append_html(out, ev[i].agency_name, strlen(ev[i].agency_name));
		buf_puts(out, ": ");
		buf_append_html(out, ev[i].kind_label, strlen(ev[i].kind_label));
		buf_puts(out, "</title>");
		shape(out, l < NLANES ? lanes[l].shape : "circle", l < NLANES ? lanes[l].colour : "#505a5f", x, y);
		buf_puts(out, "</a>");
	}
	return buf_puts(out, "</svg>");
}
