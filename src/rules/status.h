/*
 * rules/status.h — a child's legal status and state now, derived from the episodes' start and end events
 * (issue 15): on a child protection plan, looked after, on a child in need plan, missing now. One
 * derivation for every reader of it: the child's page, the unscheduled-care flag (page and API).
 *
 * Looked after comes from the care episode (lac_start / lac_end) or, where no care episode was recorded,
 * from a current placement in a children's home: a child who lives in a children's home is looked after
 * (Children Act 1989 s22; a home placement is made by the authority), whatever the events say.
 *
 * The flag (as NHS CP-IS, DOMAIN.md): on a plan or looked after now, or either ended within the last
 * lookback months (12). A child in need plan is shown on the page but is not a CP-IS flag.
 *
 * Pure: plain values in, plain values out.
 */
#ifndef SAFEGUARD_RULES_STATUS_H
#define SAFEGUARD_RULES_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

#define STATUS_DAY_LEN 10 /* "YYYY-MM-DD" */
#define STATUS_TS_LEN 20  /* "YYYY-MM-DDTHH:MM:SSZ" */

/* One start or end event, oldest first (by day, then as the caller's order). */
struct status_event {
	const char *kind;     /* cp_plan_start, cp_plan_end, lac_start, lac_end, cin_plan_start, cin_plan_end,
			       * missing_start, missing_end; any other kind is ignored */
	struct date day;      /* England's local date */
	const char *at;       /* the instant as stored ("YYYY-MM-DDTHH:MM:SSZ"), for missing since */
	const char *category; /* cp_plan_start: the category of abuse, or NULL */
	bool unborn;          /* cp_plan_start: a plan for an unborn child */
};

struct child_status {
	bool cp_plan, unborn_cp_plan;
	/* The start of the current or latest plan and, when it has ended, its end; both "" when there is none,
	 * or it ended more than the look-back ago. The same for the care episode. */
	char cp_start[STATUS_DAY_LEN + 1], cp_end[STATUS_DAY_LEN + 1];
	char cp_category[64];
	bool looked_after;
	bool lac_by_placement; /* looked after because placed in a children's home, no care episode recorded */
	char lac_start[STATUS_DAY_LEN + 1], lac_end[STATUS_DAY_LEN + 1];
	bool cin_plan;
	char cin_since[STATUS_DAY_LEN + 1];
	bool missing;
	char missing_since[STATUS_TS_LEN + 1];
	bool flagged; /* CP-IS: cp_plan or looked_after, or either ended within the look-back */
};

/* home_since: the start ("YYYY-MM-DD") of the child's current placement in a children's home, or NULL when
 * the child is not placed in one today. lookback_months: how long an ended plan or care episode still flags
 * (12). Returns 0, or -1 when an argument is NULL or the events are not oldest first. */
int rules_child_status(const struct status_event *ev, size_t n, const char *home_since, struct date today,
		       int lookback_months, struct child_status *out);

#endif
