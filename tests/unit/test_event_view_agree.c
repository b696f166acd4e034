/* The contract of the one decider of whether a reader's view shows an event (r-ntk22): the store's VIEW_EVENT
 * (src/store/ops.c), which every list and the chronology filter by, and which the statements that name an
 * event they do not list return as a column (the MASH decision on a contact's row, the summary card's status
 * events). Nothing in C decides it again. The policy is written below as a truth table, by hand, from
 * docs/SECURITY.md "What each role can see" and service/access.h (health-only categories; the reader's
 * relationship), and every place the store answers it is asked about every combination, on a real database of
 * either engine (fixture.h: SQLite, or SAFEGUARD_TEST_DB's PostgreSQL):
 *
 *   views   (each reader agency and none, at each level, their list views, the operator's): which agencies'
 *           events the view shows, and whether it shows health's events under a health-only category;
 *   details (as stored: the store takes the text as given): whether health's event with these details is
 *           health-only. The category is read the same way by both engines or the event is not shown outside
 *           health: a key twice (SQLite's json_extract reads the first, PostgreSQL's jsonb the last) or a key
 *           with an escaped letter (PostgreSQL reads "\u0063ategory" as "category", SQLite 3.40's path does not),
 *           found in the text, so a value or a nested key "category" beside the category hides the event too.
 *
 * An event is shown exactly when the view shows its agency and, for health's event, the details are not
 * health-only or the view shows health-only ones. Asked through: the chronology (VIEW_EVENT), the index-only
 * marks and kinds (VIEW_EVENT_BY_ID), the status events' shown column (VIEW_SHOWN, the card's read), the MASH
 * item's and the decided list's decision_shown (VIEW_EVENT on the decision; only social care's decision
 * answers a contact, core/event.h), with views the policy makes and with views made by hand where the policy
 * has none that exercises a part of the rule (a private agency other than health, for the MASH's category). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "service/access.h"
#include "service/children.h"
#include "service/mash.h"
#include "store/store.h"
#include "fixture.h"
#include "seed.h"

static const char *const agencies[] = {"health", "police", "social_care", "education"};
#define NAGENCIES (sizeof agencies / sizeof agencies[0])

/* The details, and whether health's event with them is health-only (1: seen by health's readers only). The
 * API, the forms and the CLI write jansson's compact dump of an object (unique keys, no escaped letters), so
 * the rows after "as written" are text only a direct write could store. */
static const struct {
	const char *text;
	bool health_only;
} details[] = {
	/* as written */
	{"{}", 0},
	{"{\"category\":\"\"}", 0},
	{"{\"category\":null}", 0},
	{"{\"category\":\"sexual_health\"}", 1},
	{"{\"category\":\"mental_health\"}", 1},
	{"{\"category\":\"mental_health\",\"decided_by\":\"a.b\",\"outcome\":\"nfa\",\"reason\":\"r\"}", 1},
	{"{\"category\":\"dental\"}", 0},
	{"{\"category\":\"dental\",\"x\":\"\\u00e9\\u0001\"}", 0}, /* escapes jansson writes: not letters */
	/* near misses: a category is one of the list, whole, as written there */
	{"{\"category\":\"sexual\"}", 0},
	{"{\"category\":\"health\"}", 0},
	{"{\"category\":\"Sexual_Health\"}", 0},
	{"{\"category\":\"MENTAL_HEALTH\"}", 0},
	{"{\"category\":\" sexual_health\"}", 0},
	{"{\"category\":\"sexual_health \"}", 0},
	{"{\"category\":\"\\\"sexual_health\\\"\"}", 0},
	{"{\"category\":\"sexual_health\\\\\"}", 0},
	{"{\"category\":\"[\\\"sexual_health\\\"]\"}", 0},
	{"{\"category\":\"sexual_health,mental_health\"}", 0},
	{"{\"category\":\"s\\u00e9xual_health\"}", 0},
	{"{\"category\":7}", 0},
	{"{\"category\":true}", 0},
	{"{\"category\":[\"sexual_health\"]}", 0},
	{"{\"Category\":\"sexual_health\"}", 0},
	{"{\"x\":{\"category\":\"sexual_health\"}}", 0},
	{"{\"categories\":[\"mental_health\"]}", 0},
	/* the same category, spelt otherwise: both engines decode a value's escapes and skip white space */
	{"{\"category\":\"sexual\\u005fhealth\"}", 1},
	{"{ \"category\" : \"mental_health\" }", 1},
	/* read differently by the engines, so not shown outside health, whatever the value */
	{"{\"category\":\"sexual_health\",\"category\":\"dental\"}", 1},
	{"{\"category\":\"dental\",\"category\":\"sexual_health\"}", 1},
	{"{\"category\":\"dental\",\"category\":\"dental\"}", 1},
	{"{\"\\u0063ategory\":\"sexual_health\"}", 1},
	{"{\"categ\\u006Fry\":\"dental\"}", 1},
	/* what the text check hides beside them (no writer stores it; the safe way to be wrong) */
	{"{\"category\":{\"category\":\"sexual_health\"}}", 1},
	{"{\"category\":\"dental\",\"note\":\"category\"}", 1},
	{"{\"category\":\"dental\",\"note\":\"\\u0074ypo\"}", 1},
};
#define NDETAILS (sizeof details / sizeof details[0])
#define NCHILDREN (NAGENCIES * NDETAILS)

/* The views, by hand: for each reader's agency (and none) at each relationship (service/access.h: ACCESS_FULL
 * the whole record, ACCESS_AGENCY their own agency's records, ACCESS_NONE and ACCESS_HIDDEN nothing), their
 * list view (a list naming many children: the whole record's events, SECURITY.md) and the operator's.
 * agencies: "*" every agency's events, "" none, else that agency's only. health_only: whether the view shows
 * health's health-only events (health's readers only; the operator, who owns the database). */
enum mode { M_HIDDEN, M_NONE, M_AGENCY, M_FULL, M_LIST, M_OPERATOR };
static const struct view_row {
	const char *reader;
	enum mode mode;
	const char *agencies;
	bool health_only;
} views[] = {
	{"health", M_HIDDEN, "", 0},
	{"health", M_NONE, "", 0},
	{"health", M_AGENCY, "health", 1},
	{"health", M_FULL, "*", 1},
	{"health", M_LIST, "*", 1},
	{"police", M_HIDDEN, "", 0},
	{"police", M_NONE, "", 0},
	{"police", M_AGENCY, "police", 0},
	{"police", M_FULL, "*", 0},
	{"police", M_LIST, "*", 0},
	{"social_care", M_HIDDEN, "", 0},
	{"social_care", M_NONE, "", 0},
	{"social_care", M_AGENCY, "social_care", 0},
	{"social_care", M_FULL, "*", 0},
	{"social_care", M_LIST, "*", 0},
	{"education", M_HIDDEN, "", 0},
	{"education", M_NONE, "", 0},
	{"education", M_AGENCY, "education", 0},
	{"education", M_FULL, "*", 0},
	{"education", M_LIST, "*", 0},
	/* a reader who names no agency sees no event, whatever the relationship */
	{"", M_HIDDEN, "", 0},
	{"", M_NONE, "", 0},
	{"", M_AGENCY, "", 0},
	{"", M_FULL, "", 0},
	{"", M_LIST, "", 0},
	{NULL, M_OPERATOR, "*", 1},
};
#define NVIEWS (sizeof views / sizeof views[0])

/* The truth table's answer: the view shows the agency, and health's health-only event only to whom it may. */
static bool expected(const struct view_row *w, const char *agency, size_t d)
{
	bool agency_ok = strcmp(w->agencies, "*") == 0 || (w->agencies[0] && strcmp(w->agencies, agency) == 0);
	if (!agency_ok)
		return false;
	return strcmp(agency, ACCESS_HEALTH_AGENCY) != 0 || !details[d].health_only || w->health_only;
}

struct area {
	int64_t child[NCHILDREN], contact[NCHILDREN], decision[NCHILDREN], status[NCHILDREN];
};

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	struct fx *f = *state;
	if (!(f->c = store_conn_get(f->st)) || store_begin(f->c) != STORE_OK)
		return -1;
	for (size_t i = 0; i < NAGENCIES; i++)
		if (store_agency_upsert(f->c, agencies[i], agencies[i]) != STORE_OK)
			return -1;
	return store_commit(f->c) == STORE_OK ? 0 : -1;
}

/* One child for each (agency, details): a police contact, then the agency's referral decision with those
 * details (which answers the contact when it is social care's) and the agency's missing_start with them (a
 * status event, which the summary card reads). Family names Agree000x, Agree001x, ...: one a name filter finds. */
static void make_area(struct fx *f, struct area *a)
{
	assert_int_equal(store_begin(f->c), STORE_OK);
	for (size_t g = 0; g < NAGENCIES; g++)
		for (size_t d = 0; d < NDETAILS; d++) {
			size_t i = g * NDETAILS + d;
			char family[24];
			snprintf(family, sizeof family, "Agree%03zux", i);
			a->child[i] = seed_child(f->c, "Kid", family);
			a->contact[i] = seed_event(f->c, a->child[i], "police", "contact", "2026-06-01T10:00:00Z", "{}");
			a->decision[i] = seed_event(f->c, a->child[i], agencies[g], "referral_decision",
						   "2026-06-02T10:00:00Z", details[d].text);
			a->status[i] = seed_event(f->c, a->child[i], agencies[g], "missing_start", "2026-06-03T10:00:00Z",
						 details[d].text);
		}
	assert_int_equal(store_commit(f->c), STORE_OK);
}

/* What each read says of the decision and status events of one child. */
struct seen {
	int64_t decision, status;
	bool decision_listed, status_listed; /* found among the rows */
	bool decision_kind, status_kind, contact_kind;
	int status_rows;
	bool status_shown;
};

static int chrono_row(const struct store_event *e, void *ctx)
{
	struct seen *s = ctx;
	s->decision_listed |= e->id == s->decision;
	s->status_listed |= e->id == s->status;
	return 0;
}

static int kind_row(const char *kind, const char *latest_at, void *ctx)
{
	struct seen *s = ctx;
	(void)latest_at;
	s->decision_kind |= strcmp(kind, "referral_decision") == 0;
	s->status_kind |= strcmp(kind, "missing_start") == 0;
	s->contact_kind |= strcmp(kind, "contact") == 0;
	return 0;
}

static int status_row(const struct store_event *e, bool shown, void *ctx)
{
	struct seen *s = ctx;
	if (e->id == s->status) {
		s->status_rows++;
		s->status_shown = shown;
	}
	return 0;
}

struct mash_seen {
	int n, hidden; /* rows, and rows whose decision_shown is false */
	bool withheld, shown;
	int64_t decision_id;
	char outcome[32];
};

static int mash_row(const struct store_mash_item *m, void *ctx)
{
	struct mash_seen *s = ctx;
	s->n++;
	s->withheld = m->decision_withheld;
	s->shown = m->decision_shown;
	s->hidden += !m->decision_shown;
	s->decision_id = m->decision_id;
	snprintf(s->outcome, sizeof s->outcome, "%s", m->outcome);
	return 0;
}

static void view_of(const struct view_row *w, struct children_access *acc, struct store_view *v, char *name,
		    size_t namesz)
{
	static const enum access_level levels[] = {ACCESS_HIDDEN, ACCESS_NONE, ACCESS_AGENCY, ACCESS_FULL};
	static const char *const modes[] = {"hidden", "none", "agency", "full", "list", "operator"};
	memset(acc, 0, sizeof *acc);
	snprintf(acc->actor, sizeof acc->actor, "user:1:re.ader");
	acc->action = "mash.read";
	acc->audited = true;
	snprintf(name, namesz, "view of '%s' (%s)", w->reader ? w->reader : "operator", modes[w->mode]);
	if (w->mode == M_OPERATOR) {
		access_operator_view(v);
		return;
	}
	/* The role matters to sealed persons only (none here); break-glass, the allocated worker and the MASH's
	 * triage are ACCESS_FULL's view, an agency's own reader ACCESS_AGENCY's. */
	access_reader_person(&acc->reader, 1, "re.ader", w->reader, "social_worker");
	if (w->mode == M_LIST) {
		access_list_view(&acc->reader, v);
	} else {
		acc->reader.level = levels[w->mode];
		access_view(&acc->reader, v);
	}
}

static void check_view(struct fx *f, const struct area *a, const struct view_row *w, int *asked, int *mashed)
{
	struct children_access acc;
	struct store_view v;
	char name[64];
	view_of(w, &acc, &v, name, sizeof name);
	for (size_t i = 0; i < NCHILDREN; i++) {
		const char *agency = agencies[i / NDETAILS];
		size_t d = i % NDETAILS;
		const char *det = details[d].text;
		bool want = expected(w, agency, d), contact = expected(w, "police", 0);
		struct store_page page = {.limit = 50};
		struct seen chrono = {.decision = a->decision[i], .status = a->status[i]}, marks = chrono, kinds = chrono,
			    card = chrono;

		assert_int_equal(store_chronology(f->c, &v, a->child[i], &page, chrono_row, &chrono), STORE_OK);
		assert_int_equal(store_event_marks(f->c, &v, a->child[i], &page, chrono_row, &marks), STORE_OK);
		assert_int_equal(store_event_kinds(f->c, &v, a->child[i], kind_row, &kinds), STORE_OK);
		assert_int_equal(store_status_events(f->c, &v, a->child[i], status_row, &card), STORE_OK);
		const struct {
			const char *read;
			bool got;
		} reads[] = {
			{"the chronology (decision)", chrono.decision_listed},
			{"the chronology (status event)", chrono.status_listed},
			{"the marks (decision)", marks.decision_listed},
			{"the marks (status event)", marks.status_listed},
			{"the kinds (referral_decision)", kinds.decision_kind},
			{"the kinds (missing_start)", kinds.status_kind},
			{"the status events' shown column", card.status_shown},
		};
		for (size_t r = 0; r < sizeof reads / sizeof reads[0]; r++)
			if (reads[r].got != want)
				fail_msg("%s: %s event %s: the policy %s it, %s %s it", name, agency, det,
					 want ? "shows" : "hides", reads[r].read, reads[r].got ? "shows" : "hides");
		if (kinds.contact_kind != contact)
			fail_msg("%s: the police contact: the policy %s it, the kinds do not", name,
				 contact ? "shows" : "hides");
		/* The card reads every status event, shown or not: it tells what a hidden one would change. */
		if (card.status_rows != 1)
			fail_msg("%s: %s event %s: the status read returned it %d times", name, agency, det,
				 card.status_rows);
		(*asked)++;

		/* The MASH item for the contact (mash_item: the view of the relationship): listed where the contact
		 * is shown; its decision (social care's answers it) withheld exactly where the policy hides it. */
		if (w->mode == M_LIST || w->mode == M_OPERATOR)
			continue;
		struct mash_seen s = {0};
		assert_int_equal(mash_item(f->st, &acc, a->contact[i], mash_row, &s), STORE_OK);
		assert_int_equal(s.n, contact ? 1 : 0);
		if (!s.n)
			continue;
		if (strcmp(agency, EVENT_REFERRAL_DECIDER) != 0) {
			assert_int_equal(s.decision_id, 0); /* another agency's: its own record, answers nothing */
			assert_true(s.shown);
			assert_false(s.withheld);
			continue;
		}
		(*mashed)++;
		assert_int_equal(s.decision_id, a->decision[i]);
		if (s.withheld == want || s.shown != want)
			fail_msg("%s: %s decision %s: the policy %s it, the MASH item %s it", name, agency, det,
				 want ? "shows" : "hides", s.withheld ? "withholds" : "shows");
		if (s.withheld && s.outcome[0])
			fail_msg("%s: a withheld decision's outcome is shown", name);
	}
}

static void the_store_answers_the_policy_everywhere(void **state)
{
	struct fx *f = *state;
	struct area *a = calloc(1, sizeof *a);
	assert_non_null(a);
	make_area(f, a);
	int asked = 0, mashed = 0;
	for (size_t w = 0; w < NVIEWS; w++)
		check_view(f, a, &views[w], &asked, &mashed);
	assert_int_equal(asked, (int)(NVIEWS * NCHILDREN));
	print_message("the policy asked: %zu views x %zu agencies x %zu details = %d events, %d MASH decisions\n",
		      NVIEWS, NAGENCIES, NDETAILS, asked, mashed);
	assert_true(mashed > 0);
	free(a);
}

struct listed {
	const struct area *a;
	bool seen[NCHILDREN], shown[NCHILDREN], withheld[NCHILDREN];
	int rows;
};

static int list_row(const struct store_mash_item *m, void *ctx)
{
	struct listed *l = ctx;
	l->rows++;
	for (size_t i = 0; i < NCHILDREN; i++)
		if (l->a->contact[i] == m->event.id) {
			l->seen[i] = true;
			l->shown[i] = m->decision_shown;
			l->withheld[i] = m->decision_withheld;
		}
	return 0;
}

/* The MASH statements' decision_shown is VIEW_EVENT on the decision, category and all. The policy's views
 * cannot show it on the category (only social care's decision answers a contact, and no social care event is
 * health-only), so views made by hand with social care as the private agency ask it: the decided list (every
 * page, and each child by a piece of its name, the list's other statement), the item, and the service's
 * withholding on top (mash_queue with the policy's list views shows every decision). */
static void the_mash_statements_answer_the_rule(void **state)
{
	struct fx *f = *state;
	struct area *a = calloc(1, sizeof *a);
	struct listed *l = calloc(1, sizeof *l);
	assert_non_null(a);
	assert_non_null(l);
	make_area(f, a);
	struct store_view v = {.private_agency = EVENT_REFERRAL_DECIDER, .private_categories = ACCESS_HEALTH_ONLY};
	l->a = a;
	int64_t total = 0;
	for (int page = 0; page < 20; page++) {
		struct store_mash_query q = {.decided = true, .limit = 25, .offset = page * 25};
		int before = l->rows;
		assert_int_equal(store_mash_queue(f->c, &v, &q, list_row, l, &total), STORE_OK);
		if (l->rows == before)
			break;
	}
	assert_int_equal(l->rows, (int)NDETAILS); /* one decided contact a child whose decision is social care's */
	int compared = 0;
	for (size_t i = 0; i < NCHILDREN; i++) {
		bool social = strcmp(agencies[i / NDETAILS], EVENT_REFERRAL_DECIDER) == 0;
		size_t d = i % NDETAILS;
		assert_int_equal(l->seen[i], social);
		if (!social)
			continue;
		bool want = !details[d].health_only;
		if (l->shown[i] != want)
			fail_msg("the decided list: social care decision %s: the rule %s it, decision_shown says %d",
				 details[d].text, want ? "shows" : "hides", l->shown[i]);
		assert_false(l->withheld[i]); /* the store leaves the withholding to the service */
		/* the same child through the list's named statement, and the item's */
		char family[24];
		snprintf(family, sizeof family, "Agree%03zux", i);
		struct store_mash_query q = {.decided = true, .limit = 25, .name = family};
		struct mash_seen s = {0}, it = {0};
		assert_int_equal(store_mash_queue(f->c, &v, &q, mash_row, &s, &total), STORE_OK);
		assert_int_equal(store_mash_item(f->c, &v, a->contact[i], mash_row, &it), STORE_OK);
		assert_int_equal(s.n, 1);
		assert_int_equal(it.n, 1);
		if (s.shown != want || it.shown != want)
			fail_msg("social care decision %s: the rule %s it, the named list %s it, the item %s it",
				 details[d].text, want ? "shows" : "hides", s.shown ? "shows" : "hides",
				 it.shown ? "shows" : "hides");
		compared++;
	}
	assert_int_equal(compared, (int)NDETAILS);
	/* Awaiting: nothing to withhold (a police contact of a child whose decision is another agency's). */
	struct store_mash_query q = {.decided = false, .limit = 25};
	struct mash_seen s = {0};
	assert_int_equal(store_mash_queue(f->c, &v, &q, mash_row, &s, &total), STORE_OK);
	assert_true(s.n > 0);
	assert_int_equal(s.hidden, 0);
	assert_int_equal(s.decision_id, 0);
	free(l);
	free(a);
}

/* With no view (the CP-IS flag's read, summary_status_of): every status event shown, whatever the details. */
static void no_view_shows_every_status_event(void **state)
{
	struct fx *f = *state;
	struct area *a = calloc(1, sizeof *a);
	assert_non_null(a);
	make_area(f, a);
	for (size_t i = 0; i < NCHILDREN; i++) {
		struct seen card = {.status = a->status[i]};
		assert_int_equal(store_status_events(f->c, NULL, a->child[i], status_row, &card), STORE_OK);
		assert_int_equal(card.status_rows, 1);
		if (!card.status_shown)
			fail_msg("no view: %s event %s hidden", agencies[i / NDETAILS], details[i % NDETAILS].text);
	}
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_store_answers_the_policy_everywhere, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_mash_statements_answer_the_rule, setup, fx_teardown),
		cmocka_unit_test_setup_teardown(no_view_shows_every_status_event, setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
