#include "rules/status.h"

#include <stdio.h>
#include <string.h>

#include "clock/clock.h"

int rules_child_status(const struct status_event *ev, size_t n, const char *home_since, struct date today,
		       int lookback_months, struct child_status *out)
{
	if (!out || (n && !ev))
		return -1;
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		const struct status_event *e = &ev[i];
		if (!e->kind || (i > 0 && date_cmp(e->day, ev[i - 1].day) < 0))
			return -1;
		/* The latest start or end wins: a start after an end opens the episode again. */
		if (strcmp(e->kind, "cp_plan_start") == 0) {
			out->cp_plan = true;
			out->unborn_cp_plan = e->unborn;
			date_format_iso(e->day, out->cp_start);
			out->cp_end[0] = '\0';
			snprintf(out->cp_category, sizeof out->cp_category, "%s", e->category ? e->category : "");
		} else if (strcmp(e->kind, "cp_plan_end") == 0 && out->cp_plan) {
			out->cp_plan = out->unborn_cp_plan = false;
			date_format_iso(e->day, out->cp_end);
		} else if (strcmp(e->kind, "lac_start") == 0) {
			out->looked_after = true;
			date_format_iso(e->day, out->lac_start);
			out->lac_end[0] = '\0';
		} else if (strcmp(e->kind, "lac_end") == 0 && out->looked_after) {
			out->looked_after = false;
			date_format_iso(e->day, out->lac_end);
		} else if (strcmp(e->kind, "cin_plan_start") == 0) {
			out->cin_plan = true;
			date_format_iso(e->day, out->cin_since);
		} else if (strcmp(e->kind, "cin_plan_end") == 0) {
			out->cin_plan = false;
			out->cin_since[0] = '\0';
		} else if (strcmp(e->kind, "missing_start") == 0) {
			out->missing = true;
			snprintf(out->missing_since, sizeof out->missing_since, "%s", e->at ? e->at : "");
		} else if (strcmp(e->kind, "missing_end") == 0) {
			out->missing = false;
			out->missing_since[0] = '\0';
		}
	}
	/* A child living in a children's home is looked after, whether or not the care episode was recorded. */
	if (home_since && home_since[0] && !out->looked_after) {
		out->looked_after = out->lac_by_placement = true;
		snprintf(out->lac_start, sizeof out->lac_start, "%.10s", home_since);
		out->lac_end[0] = '\0';
	}
	/* NHS CP-IS: an ended plan or care episode still flags for lookback_months after its end. */
	char since[DATE_ISO_LEN + 1];
	date_format_iso(clock_add_months(today, -lookback_months), since);
	if (!out->cp_plan && out->cp_end[0] && strcmp(out->cp_end, since) < 0)
		out->cp_start[0] = out->cp_end[0] = out->cp_category[0] = '\0';
	if (!out->looked_after && out->lac_end[0] && strcmp(out->lac_end, since) < 0)
		out->lac_start[0] = out->lac_end[0] = '\0';
	out->flagged = out->cp_plan || out->looked_after || out->cp_start[0] || out->lac_start[0];
	return 0;
}
