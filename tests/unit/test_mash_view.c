/* What one event says about another (r-ntk21): the MASH lists (service/mash.c) show on a contact's row the
 * decision that answered it, an event of its own; the reader sees it only where their view shows that event
 * (the store's VIEW_EVENT on the decision, returned as decision_shown; r-ntk22). A real database (fixture.h), both engines: a police contact answered by
 * social care's referral decision, and one after which health's system sent a referral decision of its own under
 * a health-only category, which answers nothing (core/event.h's EVENT_REFERRAL_DECIDER, r-mashdec21): that
 * contact still awaits social care. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/access.h"
#include "service/children.h"
#include "service/mash.h"
#include "store/store.h"
#include "fixture.h"
#include "seed.h"

struct area {
	int64_t hidden_child, hidden_contact, shown_child, shown_contact;
};

static void make_area(struct fx *f, struct area *a)
{
	assert_int_equal(store_begin(f->c), STORE_OK);
	a->hidden_child = seed_child(f->c, "Kid", "Hidden");
	a->hidden_contact = seed_event(f->c, a->hidden_child, "police", "contact", "2026-06-01T10:00:00Z", "{}");
	seed_event(f->c, a->hidden_child, "health", "referral_decision", "2026-06-02T10:00:00Z",
		  "{\"category\":\"sexual_health\",\"outcome\":\"nfa\",\"decided_by\":\"hid.den\",\"reason\":\"secret\"}");
	a->shown_child = seed_child(f->c, "Kid", "Shown");
	a->shown_contact = seed_event(f->c, a->shown_child, "police", "contact", "2026-06-01T11:00:00Z", "{}");
	seed_event(f->c, a->shown_child, "social_care", "referral_decision", "2026-06-02T11:00:00Z",
		  "{\"outcome\":\"early_help\",\"decided_by\":\"sho.wn\",\"reason\":\"open\"}");
	assert_int_equal(store_commit(f->c), STORE_OK);
}

struct seen {
	int n;
	struct {
		int64_t event_id, decision_id;
		bool withheld;
		char outcome[32], decided_by[STORE_USER_MAX + 1], decided_at[STORE_TS_LEN + 1], reason[64];
	} row[8];
};

static int seen_row(const struct store_mash_item *m, void *ctx)
{
	struct seen *s = ctx;
	if (s->n >= 8)
		return 0;
	s->row[s->n].event_id = m->event.id;
	s->row[s->n].decision_id = m->decision_id;
	s->row[s->n].withheld = m->decision_withheld;
	snprintf(s->row[s->n].outcome, sizeof s->row[s->n].outcome, "%s", m->outcome);
	snprintf(s->row[s->n].decided_by, sizeof s->row[s->n].decided_by, "%s", m->decided_by);
	snprintf(s->row[s->n].decided_at, sizeof s->row[s->n].decided_at, "%s", m->decided_at);
	snprintf(s->row[s->n].reason, sizeof s->row[s->n].reason, "%s", m->reason);
	s->n++;
	return 0;
}

static int find(const struct seen *s, int64_t event_id)
{
	for (int i = 0; i < s->n; i++)
		if (s->row[i].event_id == event_id)
			return i;
	fail_msg("event %lld not listed", (long long)event_id);
	return -1;
}

static void reader(struct children_access *acc, const char *agency, enum access_level level)
{
	memset(acc, 0, sizeof *acc);
	snprintf(acc->actor, sizeof acc->actor, "user:1:mo.mash");
	acc->action = "mash.read";
	acc->audited = true;
	access_reader_person(&acc->reader, 1, "mo.mash", agency, "mash_worker");
	acc->reader.level = level;
}

static void the_decided_list_by_the_decisions_view(void **state)
{
	struct fx *f = *state;
	struct area a;
	struct children_access acc;
	struct mash_filter flt = {.decided = true, .page = 1};
	struct seen *s = calloc(1, sizeof *s);
	struct mash_page pg;
	assert_non_null(s);
	make_area(f, &a);

	/* Social care's MASH worker and health's alike: one contact decided, by social care, shown; the one health
	 * decided on its own still awaits social care's decision (before r-mashdec21 it was listed decided, its
	 * decision withheld from all but health). */
	const char *agencies[] = {"social_care", "health"};
	for (size_t i = 0; i < 2; i++) {
		memset(s, 0, sizeof *s);
		flt.decided = true;
		reader(&acc, agencies[i], ACCESS_NONE);
		assert_int_equal(mash_queue(f->st, &acc, &flt, (struct date){2026, 6, 10}, seen_row, s, &pg), STORE_OK);
		assert_int_equal(pg.total, 1);
		assert_int_equal(s->n, 1);
		int k = find(s, a.shown_contact);
		assert_false(s->row[k].withheld);
		assert_string_equal(s->row[k].outcome, "early_help");
		assert_string_equal(s->row[k].decided_by, "sho.wn");
		memset(s, 0, sizeof *s);
		flt.decided = false;
		assert_int_equal(mash_queue(f->st, &acc, &flt, (struct date){2026, 6, 10}, seen_row, s, &pg), STORE_OK);
		assert_int_equal(pg.total, 1);
		assert_int_equal(s->n, 1);
		int h = find(s, a.hidden_contact);
		assert_int_equal(s->row[h].decision_id, 0);
		assert_false(s->row[h].withheld);
		assert_string_equal(s->row[h].outcome, "");
	}
	free(s);
}

static void one_item_by_the_decisions_view(void **state)
{
	struct fx *f = *state;
	struct area a;
	struct children_access acc;
	struct seen *s = calloc(1, sizeof *s);
	assert_non_null(s);
	make_area(f, &a);

	/* The whole record (the MASH triaging): health's own decision answers nothing, the contact awaits. */
	reader(&acc, "social_care", ACCESS_FULL);
	assert_int_equal(mash_item(f->st, &acc, a.hidden_contact, seen_row, s), STORE_OK);
	assert_int_equal(s->n, 1);
	assert_false(s->row[0].withheld);
	assert_int_equal(s->row[0].decision_id, 0);
	assert_string_equal(s->row[0].reason, "");
	assert_string_equal(s->row[0].outcome, "");
	memset(s, 0, sizeof *s);
	assert_int_equal(mash_item(f->st, &acc, a.shown_contact, seen_row, s), STORE_OK);
	assert_false(s->row[0].withheld);
	assert_string_equal(s->row[0].reason, "open");

	/* A view of the police's own events (their own agency's reader): the contact is theirs, the decision
	 * social care's, so the decision is withheld. */
	memset(s, 0, sizeof *s);
	reader(&acc, "police", ACCESS_AGENCY);
	assert_int_equal(mash_item(f->st, &acc, a.shown_contact, seen_row, s), STORE_OK);
	assert_int_equal(s->n, 1);
	assert_true(s->row[0].withheld);
	assert_string_equal(s->row[0].decided_by, "");

	/* Which child an item is about (nothing shown, no reader): found whatever the decision. */
	int64_t child = 0;
	bool found = false;
	assert_int_equal(mash_child_of(f->st, NULL, a.hidden_contact, &child, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(child, a.hidden_child);
	free(s);
}

/* The decided list's order says nothing of a decision's time (r-review39): rows are in the order their contacts
 * were received, newest first, for every reader. In the order of the decisions' times, a row whose decision the
 * reader may not see (shown_row withholds it where the list's view leaves out the decision's agency or category)
 * was placed among the others by that decision's time: here the oldest contact, decided last, came first, and
 * its place said so. No reader's list view withholds social care's decisions today (only health's private
 * categories are left out, and only social care's decisions answer: r-mashdec21), so the order is asserted for
 * readers who see them: it depends on no decision, so it cannot give one away. */
static void the_decided_list_by_the_contacts_time(void **state)
{
	struct fx *f = *state;
	struct children_access acc;
	struct mash_filter flt = {.decided = true, .page = 1};
	struct mash_page pg;
	struct seen *s = calloc(1, sizeof *s);
	assert_non_null(s);
	assert_int_equal(store_begin(f->c), STORE_OK);
	int64_t child[3], contact[3];
	const char *received[3] = {"2026-06-01T09:00:00Z", "2026-06-02T09:00:00Z", "2026-06-03T09:00:00Z"};
	const char *decided[3] = {"2026-06-05T09:00:00Z", "2026-06-03T09:30:00Z", "2026-06-04T09:00:00Z"};
	for (int i = 0; i < 3; i++) {
		child[i] = seed_child(f->c, "Kid", i == 0 ? "One" : i == 1 ? "Two" : "Three");
		contact[i] = seed_event(f->c, child[i], "police", "contact", received[i], "{}");
		seed_event(f->c, child[i], "social_care", "referral_decision", decided[i],
			   "{\"outcome\":\"nfa\",\"decided_by\":\"mo.mash\",\"reason\":\"r\"}");
	}
	assert_int_equal(store_commit(f->c), STORE_OK);
	/* a police officer and social care's worker in the MASH, and a health practitioner */
	const struct {
		const char *agency;
		enum access_level level;
	} readers[] = {{"police", ACCESS_AGENCY}, {"social_care", ACCESS_NONE}, {"health", ACCESS_NONE}};
	for (size_t r = 0; r < sizeof readers / sizeof readers[0]; r++) {
		memset(s, 0, sizeof *s);
		reader(&acc, readers[r].agency, readers[r].level);
		assert_int_equal(mash_queue(f->st, &acc, &flt, (struct date){2026, 6, 10}, seen_row, s, &pg), STORE_OK);
		assert_int_equal(pg.total, 3);
		assert_int_equal(s->n, 3);
		for (int i = 0; i < 3; i++) {
			if (s->row[i].event_id != contact[2 - i])
				fail_msg("%s reader: row %d is event %lld, want %lld (received %s): rows must follow the "
					 "contacts' times, not the decisions'", readers[r].agency, i,
					 (long long)s->row[i].event_id, (long long)contact[2 - i], received[2 - i]);
			assert_string_equal(s->row[i].decided_at, decided[2 - i]);
		}
	}
	free(s);
}

/* An instant "2026-MM-DDTHH:00:00Z" (no snprintf of a number: the sanitized build's -O1 cannot bound it) */
static void instant(char out[STORE_TS_LEN + 1], int month, int day, int hour)
{
	memcpy(out, "2026-00-00T00:00:00Z", STORE_TS_LEN + 1);
	out[5] = (char)('0' + month / 10), out[6] = (char)('0' + month % 10);
	out[8] = (char)('0' + day / 10), out[9] = (char)('0' + day % 10);
	out[11] = (char)('0' + hour / 10), out[12] = (char)('0' + hour % 10);
}

/* What each of the lists' statements says of the decision, on every kind of page (r-review41): the decided and
 * awaiting lists, with and without a piece of the name, after a key, before one and from either end
 * (S_MASH_*_LIST, _BACK, _NAMED, _NAMED_BACK; the awaiting lists' own select list, MASH_AWAITING_COLS, says
 * "shown" for the decision there is none of). The row mapper reads decision_shown from the statement's last
 * column: a view of the police's events alone must find it false on every decided row and a view of every
 * agency's true, page by page; a select list put out of line by a merge would say the same of every row. */
struct walked {
	int n, shown, decided;
	int64_t id[32];
	char at[32][STORE_TS_LEN + 1];
};

static int walked_row(const struct store_mash_item *m, void *ctx)
{
	struct walked *w = ctx;
	if (w->n < 32) {
		w->id[w->n] = m->event.id;
		snprintf(w->at[w->n], sizeof w->at[w->n], "%s", m->event.occurred_at);
	}
	w->n++;
	w->shown += m->decision_shown;
	w->decided += m->decision_id != 0 && strcmp(m->decided_by, "sec.ret") == 0 && strcmp(m->reason, "private") == 0;
	return 0;
}

static void walk(struct fx *f, const struct store_view *v, struct store_mash_query *q, struct walked *w)
{
	int64_t total = 0;
	memset(w, 0, sizeof *w);
	assert_int_equal(store_mash_queue(f->c, v, q, walked_row, w, &total), STORE_OK);
	assert_int_equal(total, 6);
}

static void every_page_says_whether_the_decision_is_shown(void **state)
{
	struct fx *f = *state;
	struct walked *w = calloc(1, sizeof *w);
	int64_t decided[6], awaiting[6];
	assert_non_null(w);
	assert_int_equal(store_begin(f->c), STORE_OK);
	for (int i = 0; i < 6; i++) {
		char at[STORE_TS_LEN + 1], dec[STORE_TS_LEN + 1];
		instant(at, 5, i + 1, 9);
		instant(dec, 5, i + 1, 15);
		int64_t child = seed_child(f->c, "Kid", i % 2 ? "Odd" : "Even");
		decided[i] = seed_event(f->c, child, "police", "contact", at, "{}");
		seed_event(f->c, child, "social_care", "referral_decision", dec,
			   "{\"outcome\":\"nfa\",\"decided_by\":\"sec.ret\",\"reason\":\"private\"}");
		instant(at, 5, i + 10, 10);
		awaiting[i] = seed_event(f->c, seed_child(f->c, "Kid", "Waiting"), "police", "contact", at, "{}");
	}
	assert_int_equal(store_commit(f->c), STORE_OK);
	const struct store_view police = {.agency = "police"}, everyone = {0};
	const struct store_view *views[2] = {&police, &everyone};
	for (int named = 0; named < 2; named++)
		for (int k = 0; k < 2; k++) {
			const struct store_view *v = views[k];
			int want_shown = v == &everyone ? 3 : 0;
			/* decided: newest first, three a page */
			struct store_mash_query q = {.decided = true, .name = named ? "KID" : NULL, .limit = 3};
			walk(f, v, &q, w);
			assert_int_equal(w->n, 3);
			assert_int_equal(w->id[0], decided[5]);
			assert_int_equal(w->shown, want_shown);
			assert_int_equal(w->decided, 3);
			q.key_at = w->at[2];
			char key_at[STORE_TS_LEN + 1];
			snprintf(key_at, sizeof key_at, "%s", w->at[2]);
			q.key_at = key_at;
			q.key_id = w->id[2];
			walk(f, v, &q, w); /* after the third */
			assert_int_equal(w->n, 3);
			assert_int_equal(w->id[0], decided[2]);
			assert_int_equal(w->id[2], decided[0]);
			assert_int_equal(w->shown, want_shown);
			assert_int_equal(w->decided, 3);
			snprintf(key_at, sizeof key_at, "%s", w->at[0]);
			q.key_id = w->id[0];
			q.before = true;
			walk(f, v, &q, w); /* before the fourth */
			assert_int_equal(w->n, 3);
			assert_int_equal(w->id[0], decided[5]);
			assert_int_equal(w->id[2], decided[3]);
			assert_int_equal(w->shown, want_shown);
			assert_int_equal(w->decided, 3);
			q.key_at = NULL;
			walk(f, v, &q, w); /* the last three */
			assert_int_equal(w->n, 3);
			assert_int_equal(w->id[0], decided[2]);
			assert_int_equal(w->shown, want_shown);
			assert_int_equal(w->decided, 3);
			/* awaiting: oldest first; no decision, "shown" */
			struct store_mash_query a = {.decided = false, .name = named ? "kid" : NULL, .limit = 3};
			walk(f, v, &a, w);
			assert_int_equal(w->n, 3);
			assert_int_equal(w->id[0], awaiting[0]);
			assert_int_equal(w->shown, 3);
			assert_int_equal(w->decided, 0);
			snprintf(key_at, sizeof key_at, "%s", w->at[2]);
			a.key_at = key_at;
			a.key_id = w->id[2];
			walk(f, v, &a, w);
			assert_int_equal(w->id[0], awaiting[3]);
			assert_int_equal(w->shown, 3);
			a.before = true;
			walk(f, v, &a, w);
			assert_int_equal(w->n, 2);
			assert_int_equal(w->id[0], awaiting[0]);
			assert_int_equal(w->shown, 2);
			a.key_at = NULL;
			walk(f, v, &a, w);
			assert_int_equal(w->id[0], awaiting[3]);
			assert_int_equal(w->shown, 3);
		}
	free(w);
}

/* The link to the previous page, followed after the list has changed (r-review41): rows before the page were
 * decided meanwhile, so fewer than a page of rows come before the key. They are the list's first rows, and the
 * page is its first page: filled to a page with the rows that follow them, as the first page by number would
 * be. Before, the page held the few rows alone and offered a next page from the key, which was numbered 2 with
 * the rows from the 26th ("Showing 26 to 30 of 7"). */
struct ids {
	int n;
	int64_t id[32];
};

static int id_row(const struct store_mash_item *m, void *ctx)
{
	struct ids *s = ctx;
	if (s->n < 32)
		s->id[s->n] = m->event.id;
	s->n++;
	return 0;
}

static void a_short_previous_page_is_the_first_page(void **state)
{
	struct fx *f = *state;
	struct children_access acc;
	struct mash_page pg;
	struct ids got = {0};
	int64_t child[30], contact[30];
	char key_at[STORE_TS_LEN + 1];
	assert_int_equal(store_begin(f->c), STORE_OK);
	for (int i = 0; i < 30; i++) {
		instant(key_at, 5, i + 1, 9);
		child[i] = seed_child(f->c, "Kid", "Waiting");
		contact[i] = seed_event(f->c, child[i], "police", "contact", key_at, "{}");
	}
	assert_int_equal(store_commit(f->c), STORE_OK);
	reader(&acc, "social_care", ACCESS_NONE);
	/* the second page, reached from the first's last row, and its link back: before its first row */
	struct mash_filter flt = {.page = 2, .key_at = "2026-05-25T09:00:00Z", .key_id = contact[24]};
	assert_int_equal(mash_queue(f->st, &acc, &flt, (struct date){2026, 6, 10}, id_row, &got, &pg), STORE_OK);
	assert_int_equal(got.n, 5);
	assert_int_equal(got.id[0], contact[25]);
	/* meanwhile the MASH decides 23 of the first page's 25 */
	assert_int_equal(store_begin(f->c), STORE_OK);
	for (int i = 0; i < 23; i++)
		seed_event(f->c, child[i], "social_care", "referral_decision", "2026-06-09T09:00:00Z",
			   "{\"outcome\":\"nfa\",\"decided_by\":\"mo.mash\",\"reason\":\"r\"}");
	assert_int_equal(store_commit(f->c), STORE_OK);
	memset(&got, 0, sizeof got);
	struct mash_filter back = {.page = 1, .key_at = "2026-05-26T09:00:00Z", .key_id = contact[25], .before = true};
	assert_int_equal(mash_queue(f->st, &acc, &back, (struct date){2026, 6, 10}, id_row, &got, &pg), STORE_OK);
	assert_int_equal(pg.page, 1);
	assert_int_equal(pg.total, 7);
	assert_int_equal(got.n, 7); /* the whole list, as its first page by number */
	assert_int_equal(got.id[0], contact[23]);
	assert_int_equal(got.id[2], contact[25]);
	assert_int_equal(got.id[6], contact[29]);
	assert_false(pg.next);
	/* a list of 40: the first page full, a next page offered */
	assert_int_equal(store_begin(f->c), STORE_OK);
	for (int i = 0; i < 30; i++) {
		instant(key_at, 6, 1, i % 24);
		seed_event(f->c, seed_child(f->c, "Kid", "Later"), "police", "contact", key_at, "{}");
	}
	assert_int_equal(store_commit(f->c), STORE_OK);
	memset(&got, 0, sizeof got);
	assert_int_equal(mash_queue(f->st, &acc, &back, (struct date){2026, 6, 10}, id_row, &got, &pg), STORE_OK);
	assert_int_equal(pg.page, 1);
	assert_int_equal(got.n, 25);
	assert_int_equal(got.id[0], contact[23]);
	assert_true(pg.next);
	/* none before the key: the first page likewise */
	memset(&got, 0, sizeof got);
	struct mash_filter none = {.page = 3, .key_at = "2026-05-24T09:00:00Z", .key_id = contact[23], .before = true};
	assert_int_equal(mash_queue(f->st, &acc, &none, (struct date){2026, 6, 10}, id_row, &got, &pg), STORE_OK);
	assert_int_equal(pg.page, 1);
	assert_int_equal(got.n, 25);
	assert_int_equal(got.id[0], contact[23]);
	assert_true(pg.next);
}

/* The statements' text is standard SQL, whose string literals take a backslash as itself (the name's LIKE
 * escapes with it, VIEW_EVENT looks for "\u" in details). A PostgreSQL server or database set to
 * standard_conforming_strings = off (the old default, still settable) reads a backslash in a literal as an
 * escape: the MASH lists' statements were refused (a 500 for every MASH page, r-review41). The driver sets it
 * on for its sessions. The database's setting is put back before any assertion, so that a failure leaves no
 * setting behind for the tests after it. */
static void the_lists_whatever_the_servers_string_setting(void **state)
{
	struct fx *f = *state;
	struct children_access acc;
	struct mash_page pg;
	struct ids got = {0};
	char err[256] = "";
	const char *off = "DO $$BEGIN EXECUTE format('ALTER DATABASE %I SET standard_conforming_strings = off', "
			  "current_database()); END$$",
		   *reset = "DO $$BEGIN EXECUTE format('ALTER DATABASE %I RESET standard_conforming_strings', "
			    "current_database()); END$$";
	assert_true(fx_outsider_sql(f, "SELECT 1", off));
	store_close(f->st); /* new sessions take the database's setting */
	f->st = NULL;
	int open_rc = store_open(f->url, &f->st, err, sizeof err), rc[2] = {-1, -1};
	reader(&acc, "social_care", ACCESS_NONE);
	for (int decided = 0; open_rc == STORE_OK && decided < 2; decided++) {
		struct mash_filter flt = {.decided = decided, .page = 1, .name = "o'\\_%"};
		rc[decided] = mash_queue(f->st, &acc, &flt, (struct date){2026, 6, 10}, id_row, &got, &pg);
	}
	bool put_back = fx_outsider_sql(f, "SELECT 1", reset);
	assert_true(put_back);
	assert_int_equal(open_rc, STORE_OK);
	assert_int_equal(rc[0], STORE_OK);
	assert_int_equal(rc[1], STORE_OK);
	assert_int_equal(got.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_decided_list_by_the_decisions_view, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(one_item_by_the_decisions_view, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_decided_list_by_the_contacts_time, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(every_page_says_whether_the_decision_is_shown, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_short_previous_page_is_the_first_page, seed_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_lists_whatever_the_servers_string_setting, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
