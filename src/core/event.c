#include "core/event.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"

/* Kept in alphabetical order of code for readers; lookups are linear (a few dozen rows, cold path). */
static const struct event_kind kinds[] = {
	{"arrest", "Arrest"},
	{"assessment_end", "Assessment completed"},
	{"assessment_start", "Assessment started"},
	{"cin_plan_end", "Child in need plan ended"},
	{"cin_plan_start", "Child in need plan started"},
	{"concern", "Concern"},
	{"contact", "Contact"},
	{"core_group", "Core group meeting"},
	{"cp_plan_end", "Child protection plan ended"},
	{"cp_plan_start", "Child protection plan started"},
	{"cp_review", "Child protection review conference"},
	{"dash_assessment", "DASH risk assessment"},
	{"domestic_abuse_incident", "Domestic abuse incident"},
	{"gp_appointment", "GP appointment"},
	{"health_assessment", "Health assessment"},
	{"home_education_start", "Home education started"},
	{"housing_notice", "Housing notice or eviction"},
	{"icpc", "Initial child protection conference"},
	{"injury", "Injury"},
	{"lac_end", "Ceased to be looked after"},
	{"lac_review", "Looked-after review"},
	{"lac_start", "Became looked after"},
	{"missing_end", "Returned from missing"},
	{"missing_start", "Missing episode"},
	{"panel_notified", "Serious incident notified to the national Panel"},
	{"placement_end", "Placement ended"},
	{"placement_start", "Placement started"},
	{"police_callout", "Police call-out"},
	{"rapid_review", "Rapid review"},
	{"referral", "Referral"},
	{"referral_decision", "Referral decision"},
	{"restraint", "Restraint"},
	{"return_interview", "Return home interview"},
	{"s47_end", "Section 47 enquiry ended"},
	{"s47_start", "Section 47 enquiry started"},
	{"school_absence", "School absence"},
	{"school_exclusion", "School exclusion"},
	{"serious_incident", "Serious incident"},
	{"speak_up", "Speak-up report"},
	{"strategy_discussion", "Strategy discussion"},
	{"unscheduled_care", "A&E or unscheduled care attendance"},
	{"visit", "Visit to the child"},
};

static const struct agency_kind agencies[] = {
	{"police", "Police"},
	{"health", "Health"},
	{"education", "Education"},
	{"social_care", "Children's social care"},
	{"housing", "Housing"},
};

static const struct episode_kind episodes[] = {
	{"cp_plan", "Child protection plan", "cp_plan_start", "cp_plan_end", 1},
	{"looked_after", "Looked after", "lac_start", "lac_end", 1},
	{"missing", "Missing from home or care", "missing_start", "missing_end", 1},
	{"cin_plan", "Child in need plan", "cin_plan_start", "cin_plan_end", 0},
	{"s47", "Section 47 enquiry", "s47_start", "s47_end", 0},
	{"assessment", "Assessment", "assessment_start", "assessment_end", 0},
	{"placement", "Placement", "placement_start", "placement_end", 0},
};

const struct episode_kind *episode_kind_at(size_t i)
{
	return i < sizeof episodes / sizeof episodes[0] ? &episodes[i] : NULL;
}

const struct event_kind *event_kind_find(const char *code)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].code, code) == 0)
			return &kinds[i];
	return NULL;
}

const struct event_kind *event_kind_at(size_t i)
{
	return i < sizeof kinds / sizeof kinds[0] ? &kinds[i] : NULL;
}

const struct agency_kind *agency_builtin_at(size_t i)
{
	return i < sizeof agencies / sizeof agencies[0] ? &agencies[i] : NULL;
}

bool event_parse_id(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool event_cursor_parse(const char *s, char at[21], int64_t *id)
{
	int64_t t;
	size_t len = strlen(s);
	if (len <= TS_UTC_LEN + 1 || s[TS_UTC_LEN] != '_' || !event_parse_id(s + TS_UTC_LEN + 1, len - TS_UTC_LEN - 1, id))
		return false;
	memcpy(at, s, TS_UTC_LEN);
	at[TS_UTC_LEN] = '\0';
	/* Only the form this server writes: a real instant, in UTC, to the second. */
	return ts_parse_rfc3339(at, &t) == DATE_OK && at[TS_UTC_LEN - 1] == 'Z';
}

void event_cursor_format(const char *at, int64_t id, char out[EVENT_CURSOR_MAX])
{
	snprintf(out, EVENT_CURSOR_MAX, "%.20s_%lld", at, (long long)id);
}
