/*
 * libFuzzer target for io/chronology and rules/: any bytes as a replay chronology. Each line is parsed;
 * the events that parse are given, in date order, to the rules for one child.
 * Invariants: a line either parses (with a kind, a valid day and the strings it points to) or fails with a
 * column inside the line and a printable message; the rules never fail on sorted valid input (except by
 * refusing more than their waiting room), and every alert is raised on or before the last day asked for,
 * with evidence from the array it was given.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/chronology.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EVENTS_MAX 256

struct seen {
	const struct rules_event *ev;
	size_t n;
	struct date until;
};

static int check_alert(const struct rules_alert *a, void *ctx)
{
	const struct seen *s = ctx;
	assert(date_valid(a->raised_on) && date_cmp(a->raised_on, s->until) <= 0);
	assert((unsigned)a->code < RULES_CODE_COUNT && rules_code_name(a->code)[0]);
	assert(a->nevidence >= 1 && a->nevidence <= RULES_EVIDENCE_MAX);
	for (size_t i = 0; i < a->nevidence; i++)
		assert(a->evidence[i] >= s->ev && a->evidence[i] < s->ev + s->n);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chron_line lines[EVENTS_MAX];
	static struct rules_event ev[EVENTS_MAX];
	struct rules_child child = {{2015, 6, 1}, RULES_UNKNOWN};
	size_t n = 0, nlines = 0;
	const char *p = (const char *)data, *end = p + size;

	while (p < end && nlines < EVENTS_MAX) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct chron_error err;
		struct chron_line *l = &lines[nlines];
		if (chron_parse_line(p, len, l, &err) == 0) {
			nlines++;
			if (l->type == CHRON_EVENT) {
				assert(date_valid(l->event.ev.day) && l->event.ev.id && l->event.ev.agency);
				assert(l->event.child || l->event.household);
				ev[n++] = l->event.ev;
			} else {
				assert(l->person.id && l->person.id[0]);
				child = l->person.child;
			}
		} else {
			assert(err.column >= 1 && err.message[0]);
			for (const char *c = err.message; *c; c++)
				assert(*c >= 0x20 && *c < 0x7f);
		}
		p += len + (nl != NULL);
	}

	/* Insertion sort into the rules' order (day; day-only first; instant; input order). */
	for (size_t i = 1; i < n; i++) {
		struct rules_event x = ev[i];
		size_t j = i;
		while (j > 0) {
			const struct rules_event *a = &ev[j - 1];
			int c = date_cmp(a->day, x.day);
			bool after = c > 0 || (c == 0 && a->has_instant &&
					       (!x.has_instant || a->instant > x.instant));
			if (!after)
				break;
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = x;
	}
	struct rules_settings s;
	rules_settings_default(&s);
	struct seen seen = {ev, n, {2030, 12, 31}};
	if (n)
		seen.until = clock_add_days(ev[n - 1].day, 400);
	int rc = rules_evaluate(&s, &child, ev, n, seen.until, check_alert, &seen);
	assert(rc == RULES_OK || rc == RULES_ECAPACITY);

	for (size_t i = 0; i < nlines; i++)
		chron_line_release(&lines[i]);
	return 0;
}
