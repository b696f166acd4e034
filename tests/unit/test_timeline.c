/* Unit tests for web/timeline: the SVG's names, links and escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "web/timeline.h"

static int64_t at(const char *ts)
{
	int64_t t = 0;
	assert_int_equal(ts_parse_rfc3339(ts, &t), 0);
	return t;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void links_names_and_escaping(void **state)
{
	struct timeline_event ev[3] = {
		{.id = 30, .at = at("2025-07-01T09:00:00Z"), .agency = "police", .agency_name = "Police",
		 .kind_label = "Concern", .on_page = true},
		{.id = 20, .at = at("2025-03-04T10:15:00Z"), .agency = "health", .agency_name = "Health",
		 .kind_label = "A&E or unscheduled care attendance", .on_page = false},
		{.id = 10, .at = at("2024-01-02T12:00:00Z"), .agency = "other", .agency_name = "Another agency",
		 .kind_label = "Event", .on_page = false},
	};
	memcpy(ev[1].at_text, "2025-03-04T10:15:00Z", 21);
	memcpy(ev[2].at_text, "2024-01-02T12:00:00Z", 21);
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(timeline_svg(ev, 3, "<script>x</script> O'Neil", "/children/7?agency=police", &out), 0);
	const char *svg = out.data;
	assert_non_null(svg);
	/* Named and described; the child's name is text, never markup. */
	assert_non_null(strstr(svg, "aria-labelledby=\"timeline-title timeline-desc\""));
	assert_non_null(strstr(svg, "Timeline of events for &lt;script&gt;x&lt;/script&gt; O&#39;Neil</title>"));
	assert_null(strstr(svg, "<script>"));
	assert_non_null(strstr(svg, ">3 events from 2 January 2024 to 1 July 2025,"));
	/* One link per event: on this page to the row, else to the page that starts with it. */
	assert_int_equal(count(svg, "<a href="), 3);
	assert_non_null(strstr(svg, "<a href=\"#event-30\"><title>1 July 2025, Police: Concern</title>"));
	assert_non_null(strstr(svg, "<a href=\"/children/7?agency=police&amp;before=2025-03-04T10:15:00Z_21#event-20\">"
				    "<title>4 March 2025, Health: A&amp;E or unscheduled care attendance</title>"));
	/* An agency outside the five gets a lane of its own. */
	assert_non_null(strstr(svg, ">Other agencies</text>"));
	assert_non_null(strstr(svg, "<a href=\"/children/7?agency=police&amp;before=2024-01-02T12:00:00Z_11#event-10\">"));
	buf_free(&out);
}

static void one_event_and_no_filter(void **state)
{
	struct timeline_event ev = {.id = 5, .at = at("2025-03-30T00:30:00Z"), .agency = "education",
				    .agency_name = "Education", .kind_label = "Concern", .on_page = false};
	memcpy(ev.at_text, "2025-03-30T00:30:00Z", 21);
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(timeline_svg(&ev, 1, "Amira Khan", "/children/7?", &out), 0);
	assert_non_null(strstr(out.data, ">1 event from "));
	/* No filter: the base ends in '?', so no stray '&'. */
	assert_non_null(strstr(out.data, "<a href=\"/children/7?before=2025-03-30T00:30:00Z_6#event-5\">"));
	/* 00:30 UTC on the day BST starts is still 30 March in England. */
	assert_non_null(strstr(out.data, "<title>30 March 2025, Education: Concern</title>"));
	buf_free(&out);
}

/* Issue 15: the legend drew a row and a key mark for every agency, which read as police and education records
 * a child did not have. Only the agencies with events get a row; the key mark sits in the label column. */
static void legend_only_for_agencies_with_events(void **state)
{
	struct timeline_event ev[2] = {
		{.id = 2, .at = at("2025-07-01T09:00:00Z"), .agency = "social_care", .agency_name = "Children's social care",
		 .kind_label = "Visit", .on_page = true},
		{.id = 1, .at = at("2025-03-04T10:15:00Z"), .agency = "health", .agency_name = "Health",
		 .kind_label = "A&E or unscheduled care attendance", .on_page = true},
	};
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(timeline_svg(ev, 2, "A", "/children/1?", &out), 0);
	const char *svg = out.data;
	assert_null(strstr(svg, ">Police</text>"));
	assert_null(strstr(svg, ">Education</text>"));
	assert_null(strstr(svg, ">Housing</text>"));
	assert_non_null(strstr(svg, ">Health</text>"));
	/* Two rows and two key marks, each inside an aria-hidden key group, apart from the two event links. */
	assert_int_equal(count(svg, "<g class=\"sg-key\" aria-hidden=\"true\">"), 2);
	assert_int_equal(count(svg, "<a href="), 2);
	buf_free(&out);
}

/* The marks' dates are UK days: the clocks change at 01:00 UTC, and a summer evening after 23:00 UTC is the
 * next day here (the drawing looks the offset up once an hour of marks and the text once a day). */
static void uk_days_across_the_clock_change(void **state)
{
	(void)state;
	static const struct {
		const char *ts, *day;
	} cases[] = {
		{"2024-10-27T00:59:59Z", "27 October 2024"}, /* 01:59:59 BST */
		{"2024-10-26T23:30:00Z", "27 October 2024"}, /* 00:30 BST */
		{"2024-03-31T00:59:59Z", "31 March 2024"},   /* 00:59:59 GMT */
		{"2024-03-30T23:59:59Z", "30 March 2024"},   /* GMT: still the 30th */
		{"2024-07-01T23:00:00Z", "2 July 2024"},     /* midnight BST */
		{"2024-07-01T22:59:59Z", "1 July 2024"},
		{"2024-07-01T09:00:00Z", "1 July 2024"},
	};
	struct timeline_event ev[sizeof cases / sizeof cases[0]];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ev[i] = (struct timeline_event){.id = (int64_t)i + 1, .at = at(cases[i].ts), .agency = "police",
						.agency_name = "Police", .kind_label = "Concern", .on_page = true};
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(timeline_svg(ev, sizeof cases / sizeof cases[0], "A", "/children/7?", &out), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[128];
		snprintf(want, sizeof want, "<a href=\"#event-%zu\"><title>%s, Police: Concern</title>", i + 1, cases[i].day);
		assert_non_null(strstr(out.data, want));
	}
	buf_free(&out);
}

static void ceiling_fails_cleanly(void **state)
{
	struct timeline_event ev = {.id = 1, .at = at("2025-01-01T00:00:00Z"), .agency = "police",
				    .agency_name = "Police", .kind_label = "Concern", .on_page = true};
	struct buf out;
	buf_init(&out, 64);
	assert_int_equal(timeline_svg(&ev, 1, "A", "/children/1?", &out), -1);
	assert_true(out.failed);
	buf_free(&out);
}

/* Each lane's shape, written from its text with the mark's x's put in (issue 17): as the drawing wrote it
 * before, mark by mark (the x's of the first and last at the drawing's edges, 144 and 940). */
static void each_lanes_mark(void **state)
{
	static const char *const agencies[] = {"police", "health", "education", "social_care", "housing", "probation"};
	struct timeline_event ev[6];
	for (int i = 0; i < 6; i++)
		ev[i] = (struct timeline_event){.id = 100 + i, .at = at("2025-01-01T12:00:00Z") + (int64_t)i * 30 * 86400,
						.agency = agencies[i], .agency_name = agencies[i], .kind_label = "Concern",
						.on_page = true};
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(timeline_svg(ev, 6, "A", "/children/7?", &out), 0);
	static const char *const want[] = {
		"<a href=\"#event-100\"><title>1 January 2025, police: Concern</title><rect x=\"144\" y=\"18\" width=\"12\" "
		"height=\"12\" fill=\"#1d70b8\"/></a>",
		"<a href=\"#event-101\"><title>31 January 2025, health: Concern</title><circle cx=\"308\" cy=\"52\" r=\"6\" "
		"fill=\"#00703c\"/></a>",
		"<a href=\"#event-102\"><title>2 March 2025, education: Concern</title><polygon points=\"466,73 473,86 459,86\" "
		"fill=\"#f47738\"/></a>",
		"<a href=\"#event-103\"><title>1 April 2025, social_care: Concern</title><polygon points=\"624,101 631,108 "
		"624,115 617,108\" fill=\"#d4351c\"/></a>",
		"<a href=\"#event-104\"><title>1 May 2025, housing: Concern</title><rect x=\"780\" y=\"128\" width=\"5\" "
		"height=\"16\" fill=\"#4c2c92\"/></a>",
		"<a href=\"#event-105\"><title>31 May 2025, probation: Concern</title><circle cx=\"940\" cy=\"164\" r=\"6\" "
		"fill=\"#505a5f\"/></a>",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(out.data, want[i]))
			fail_msg("not drawn: %s", want[i]);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(links_names_and_escaping),
		cmocka_unit_test(one_event_and_no_filter),
		cmocka_unit_test(legend_only_for_agencies_with_events),
		cmocka_unit_test(ceiling_fails_cleanly),
		cmocka_unit_test(each_lanes_mark),
		cmocka_unit_test(uk_days_across_the_clock_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
