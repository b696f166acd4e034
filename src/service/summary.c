#include "service/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "service/alerts.h"
#include "service/audit.h"
#include "service/children.h"
#include "service/service_int.h"

/* The kinds the status reads: only the latest of each matters (the derivation's result depends on the order
 * of each pair's latest start and end alone), so the walk keeps one slot a kind, bounded whatever the record
 * holds. */
#define STATUS_KIND_(k) #k
#define STATUS_KIND_COMMA_ ,
static const char *const status_kinds[] = {STORE_STATUS_KINDS(STATUS_KIND_, STATUS_KIND_COMMA_)}; /* the store's list */
#define NKINDS (sizeof status_kinds / sizeof status_kinds[0])

struct latest_kind {
	bool seen;
	struct date day;
	char at[STORE_TS_LEN + 1];
	char category[64];
	bool unborn;
	int64_t id;
};

struct status_walk {
	struct latest_kind slots[NKINDS];
	const struct store_view *view; /* only the events it shows (NULL: every agency's) */
	struct latest_kind every[NKINDS]; /* with view: every event's too, to tell whether a hidden one would */
	bool hid;                         /* change what the card says; whether the view hid any */
};

static void take(struct latest_kind *slots, const struct store_event *e)
{
	int64_t at;
	for (size_t k = 0; k < NKINDS; k++) {
		if (strcmp(e->kind, status_kinds[k]) != 0)
			continue;
		if (ts_parse_rfc3339(e->occurred_at, &at) != DATE_OK)
			return;
		struct latest_kind *s = &slots[k];
		s->seen = true;
		s->day = ts_utc_date(ts_uk_local(at));
		s->id = e->id;
		snprintf(s->at, sizeof s->at, "%s", e->occurred_at);
		s->category[0] = '\0';
		s->unborn = false;
		if (k == 0 && e->details && strcmp(e->details, "{}") != 0) {
			json_t *d = json_loads(e->details, 0, NULL);
			json_t *cat = json_object_get(d, "category");
			if (json_is_string(cat))
				snprintf(s->category, sizeof s->category, "%s", json_string_value(cat));
			s->unborn = json_is_true(json_object_get(d, "unborn"));
			json_decref(d);
		}
		return;
	}
}

static int status_row(const struct store_event *e, bool shown, void *ctx)
{
	struct status_walk *w = ctx;
	if (!w->view) {
		take(w->slots, e);
		return 0;
	}
	/* Only what the reader may see of each event, as the store's rule for every list decides it (shown: an
	 * agency's own reader its agency's events, anyone outside health no health-only one), so that the card says
	 * nothing the chronology hides. */
	take(w->every, e);
	if (shown)
		take(w->slots, e);
	else
		w->hid = true;
	return 0;
}

/* The status the latest of each kind give (slots), oldest first as they were recorded. */
static int status_of(const struct latest_kind *slots, const char *home_since, struct date today,
		     struct child_status *out)
{
	struct status_event ev[NKINDS];
	size_t n = 0;
	/* Oldest first, as the events were recorded (day, then instant, then id): an insertion sort of 8. */
	size_t order[NKINDS];
	for (size_t k = 0; k < NKINDS; k++) {
		if (!slots[k].seen)
			continue;
		size_t i = n++;
		for (; i > 0; i--) {
			const struct latest_kind *prev = &slots[order[i - 1]], *cur = &slots[k];
			int cmp = date_cmp(prev->day, cur->day);
			if (cmp == 0)
				cmp = strcmp(prev->at, cur->at);
			if (cmp < 0 || (cmp == 0 && prev->id < cur->id))
				break;
			order[i] = order[i - 1];
		}
		order[i] = k;
	}
	for (size_t i = 0; i < n; i++) {
		const struct latest_kind *sl = &slots[order[i]];
		ev[i] = (struct status_event){.kind = status_kinds[order[i]], .day = sl->day, .at = sl->at,
					      .category = sl->category, .unborn = sl->unborn};
	}
	struct rules_settings rs;
	rules_settings_default(&rs);
	if (rules_child_status(ev, n, home_since, today, rs.unscheduled_care_lookback_months, out) != 0)
		return STORE_EIO;
	return STORE_OK;
}

static bool same_legal_status(const struct child_status *a, const struct child_status *b)
{
	return a->cp_plan == b->cp_plan && a->unborn_cp_plan == b->unborn_cp_plan && !strcmp(a->cp_start, b->cp_start) &&
	       !strcmp(a->cp_end, b->cp_end) && !strcmp(a->cp_category, b->cp_category) &&
	       a->looked_after == b->looked_after && a->lac_by_placement == b->lac_by_placement &&
	       !strcmp(a->lac_start, b->lac_start) && !strcmp(a->lac_end, b->lac_end) && a->cin_plan == b->cin_plan &&
	       !strcmp(a->cin_since, b->cin_since) && a->flagged == b->flagged;
}

/* withheld (NULL with no view): whether the events the view hides would change the legal status ([0]) or
 * "missing now" ([1]) the card shows. */
static int status_seen(store_conn *c, int64_t child_id, const struct store_view *view, struct date today,
		       struct child_status *out, struct store_home_placement *placement, bool *placed, bool withheld[2])
{
	struct status_walk *w = calloc(1, sizeof *w);
	bool found = false;
	char day[DATE_ISO_LEN + 1];
	if (!w)
		return STORE_EIO;
	w->view = view;
	int rc = store_status_events(c, view, child_id, status_row, w);
	struct store_home_placement *p = rc != STORE_OK ? NULL : placement ? placement : malloc(sizeof *p);
	if (rc == STORE_OK && !p)
		rc = STORE_EIO;
	if (rc != STORE_OK)
		goto out;
	date_format_iso(today, day);
	/* A placement is social care's record (as homes_child_placement): read only when the view shows it. */
	if (!view || access_view_shows(view, ACCESS_PLACEMENT_AGENCY))
		rc = store_person_placement(c, child_id, day, p, &found);
	if (placed)
		*placed = rc == STORE_OK && found;
	char home_since[DATE_ISO_LEN + 1] = "";
	if (rc == STORE_OK && found)
		snprintf(home_since, sizeof home_since, "%.10s", p->start);
	if (p != placement)
		free(p);
	if (rc != STORE_OK)
		goto out;
	if ((rc = status_of(w->slots, home_since[0] ? home_since : NULL, today, out)) != STORE_OK)
		goto out;
	/* What the card says from the events the reader may see must not mislead: where an event they may not see
	 * would change it ("Missing now: No" while health has the child missing from a ward), the card says that a
	 * record they may not see bears on it, and nothing of what it says (access.h: that there is a B is shown
	 * where hiding it would mislead, as the MASH's rows do). */
	if (withheld && w->hid) {
		struct child_status every;
		if ((rc = status_of(w->every, home_since[0] ? home_since : NULL, today, &every)) != STORE_OK)
			goto out;
		withheld[1] = every.missing != out->missing || strcmp(every.missing_since, out->missing_since) != 0;
		withheld[0] = !same_legal_status(&every, out);
	}
out:
	free(w);
	return rc;
}

/* With no view: every event counts, whatever its agency or category (the store says each shown). A deliberate
 * exception to need-to-know: the CP-IS flag (alerts_flag_of) must tell A&E that a child is on a plan or looked
 * after, whoever recorded the start, and answers only health's readers, who see health's categories anyway. */
int summary_status_of(store_conn *c, int64_t child_id, struct date today, struct child_status *out,
		      struct store_home_placement *placement, bool *placed)
{
	return status_seen(c, child_id, NULL, today, out, placement, placed, NULL);
}

/* The allocation and its team's contact, or the front door's, in one read (issue 17: two or three). */
static int contacts_of(store_conn *c, int64_t child_id, struct summary_contacts *out)
{
	struct store_child_contacts *k = malloc(sizeof *k);
	memset(out, 0, sizeof *out);
	if (!k)
		return STORE_EIO;
	int rc = store_child_contacts(c, child_id, SUMMARY_FRONT_DOOR_TEAM, k);
	if (rc == STORE_OK) {
		out->allocated = k->allocated;
		memcpy(out->worker, k->worker, sizeof out->worker);
		memcpy(out->since, k->since, sizeof out->since);
		out->has_team = k->has_team;
		out->team = k->team;
	}
	free(k);
	return rc;
}

struct summary_args {
	int64_t child_id;
	struct date today;
	struct children_summary *out;
	const struct store_view *view;
};

static int summary_run(store_conn *c, void *arg)
{
	struct summary_args *s = arg;
	bool withheld[2] = {false, false};
	int rc = status_seen(c, s->child_id, s->view, s->today, &s->out->status, &s->out->placement, &s->out->placed,
			     withheld);
	s->out->status_withheld = withheld[0];
	s->out->missing_withheld = withheld[1];
	if (rc == STORE_OK)
		rc = contacts_of(c, s->child_id, &s->out->contacts);
	return rc;
}

void summary_read_ahead(const struct children_access *a, struct date today, struct store_ahead *ah,
			char day[DATE_ISO_LEN + 1])
{
	/* summary_read's conditions, and status_seen's and contacts_of's reads */
	if (!a->audited || a->refused || a->reader.level < ACCESS_AGENCY || a->child_id <= 0 || a->child_id != ah->child_id)
		return;
	struct store_view view;
	access_view(&a->reader, &view);
	bool full = a->reader.level == ACCESS_FULL;
	if (!full && !access_view_shows(&view, ACCESS_PLACEMENT_AGENCY))
		return;
	ah->status_events = true;
	date_format_iso(today, day);
	ah->placement_day = day; /* status_seen reads it when the view shows it: here, always */
	ah->contacts_team = SUMMARY_FRONT_DOOR_TEAM;
}

int summary_read(store *st, const struct children_access *a, struct date today, struct children_summary *out,
		 bool *shown)
{
	*shown = false;
	memset(out, 0, sizeof *out);
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	if (a->refused || a->reader.level < ACCESS_AGENCY || a->child_id <= 0)
		return STORE_OK;
	/* The whole record's reader sees everything; social care's own reader (a conference chair, say) sees the
	 * status social care's own records give, its placement and allocation (social care's records too). Any
	 * other agency's reader has no card: their agency's records say nothing of these. */
	struct store_view view;
	access_view(&a->reader, &view);
	if (a->reader.level < ACCESS_FULL && !access_view_shows(&view, ACCESS_PLACEMENT_AGENCY))
		return STORE_OK;
	struct summary_args s = {a->child_id, today, out, &view};
	int rc = service_in_read(st, a, summary_run, &s);
	*shown = rc == STORE_OK;
	return rc;
}

static int no_access_rows(const struct store_flag_access *f, void *ctx)
{
	(void)f;
	(void)ctx;
	return 0;
}

int summary_flag_answer(store_conn *c, const char *nhs, const struct store_flag_access *who, struct date today,
			struct summary_flag_answer *out)
{
	struct alerts_flag flag;
	int64_t child_id = 0;
	memset(out, 0, sizeof *out);
	int rc = alerts_flag_lookup(c, nhs, who, NULL, today, 0, no_access_rows, NULL, &child_id, &flag);
	if (rc != STORE_OK || child_id <= 0 || !flag.flagged)
		return rc;
	struct store_person *p = malloc(sizeof *p);
	bool found = false;
	if (!p)
		return STORE_EIO;
	if ((rc = store_person_get(c, child_id, p, &found)) == STORE_OK && found) {
		snprintf(out->given_name, sizeof out->given_name, "%s", p->given_name);
		snprintf(out->family_name, sizeof out->family_name, "%s", p->family_name);
		snprintf(out->dob, sizeof out->dob, "%s", p->dob);
	}
	free(p);
	if (rc == STORE_OK && found && (rc = summary_status_of(c, child_id, today, &out->status, NULL, NULL)) == STORE_OK)
		rc = contacts_of(c, child_id, &out->contacts);
	out->flagged = rc == STORE_OK && found;
	return rc;
}

static int contact_set(store_conn *c, const char *actor, const struct store_team_contact *t, const char *detail,
		       bool *found)
{
	int rc = store_team_contact_set(c, t, found);
	if (rc != STORE_OK || !*found)
		return rc;
	char object[STORE_CODE_MAX + 8];
	snprintf(object, sizeof object, "team:%s", t->team.code);
	struct store_audit e = {.actor = actor, .action = "team.contact", .object = object, .detail = detail};
	return audit_append(c, &e);
}

int summary_team_contact_set(store_conn *c, const char *actor, const struct store_team_contact *t, bool *found)
{
	return contact_set(c, actor, t, "contact details set", found);
}

int summary_team_contact_update(store_conn *c, const char *actor, const char *code, const char *phone,
				const char *out_of_hours_phone, const char *email, bool *found)
{
	struct store_team_contact t;
	memset(&t, 0, sizeof t);
	int rc = store_team_contact_get(c, code, &t, found);
	if (rc != STORE_OK || !*found)
		return rc;
	/* The detail names the fields changed (not their values); nothing changed, nothing written or audited. */
	char detail[64] = "changed:";
	struct {
		const char *given, *name;
		char *field;
		size_t size;
	} f[] = {{phone, "phone", t.phone, sizeof t.phone},
		 {out_of_hours_phone, "out_of_hours_phone", t.out_of_hours_phone, sizeof t.out_of_hours_phone},
		 {email, "email", t.email, sizeof t.email}};
	bool changed = false;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!f[i].given || strcmp(f[i].given, f[i].field) == 0)
			continue;
		snprintf(f[i].field, f[i].size, "%s", f[i].given);
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "%s%s", changed ? ", " : " ", f[i].name);
		changed = true;
	}
	return changed ? contact_set(c, actor, &t, detail, found) : STORE_OK;
}
