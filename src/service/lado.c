#include "service/lado.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/clock.h"
#include "core/text.h"
#include "linkage/linkage.h"
#include "rules/rules.h"
#include "rules/words.h"
#include "service/access.h"
#include "service/audit.h"
#include "service/txq.h"

/* ---- words ---- */

static const char *const step_codes[LADO_STEP_COUNT] = {"consideration", "strategy", "outcome", "employer"};

const char *lado_step_code(enum lado_step s)
{
	return (unsigned)s < LADO_STEP_COUNT ? step_codes[s] : "";
}

int lado_step_from_code(const char *code)
{
	for (int i = 0; i < LADO_STEP_COUNT; i++)
		if (code && strcmp(step_codes[i], code) == 0)
			return i;
	return -1;
}

/* Keeping Children Safe in Education 2024, part 4 ("Outcome definitions"), and Working Together 2023. */
static const struct lado_outcome outcomes[] = {
	{"substantiated", "Substantiated", "There is enough evidence to prove the allegation."},
	{"malicious", "Malicious",
	 "There is enough evidence to disprove the allegation, and there has been a deliberate act to deceive."},
	{"false", "False", "There is enough evidence to disprove the allegation."},
	{"unsubstantiated", "Unsubstantiated",
	 "There is not enough evidence to prove or disprove the allegation. This does not imply guilt or innocence."},
	{"unfounded", "Unfounded", "There is no evidence or proper basis which supports the allegation being made."},
};
#define NOUTCOMES (sizeof outcomes / sizeof outcomes[0])

const struct lado_outcome *lado_outcome_at(size_t i)
{
	return i < NOUTCOMES ? &outcomes[i] : NULL;
}

const struct lado_outcome *lado_outcome_find(const char *code)
{
	for (size_t i = 0; code && i < NOUTCOMES; i++)
		if (strcmp(outcomes[i].code, code) == 0)
			return &outcomes[i];
	return NULL;
}

const char *lado_alert_title(const char *code)
{
	int c = rules_code_from_name(code);
	return c < 0 ? code : rules_code_title((enum rules_code)c);
}

const char *lado_alert_next(const char *code)
{
	int c = rules_code_from_name(code);
	return c < 0 ? "" : rules_code_next((enum rules_code)c);
}

/* ---- checks ---- */

static int fail(struct lado_error *err, const char *field, const char *message)
{
	err->field = field;
	snprintf(err->message, sizeof err->message, "%s", message);
	return LADO_EINVALID;
}

/* Printable text of min..max characters; multi_line allows new lines. */
static bool text_ok(const char *s, size_t min, size_t max, bool multi_line)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return min == 0;
	if (!text_utf8_valid(s, n))
		return false;
	size_t ch = text_utf8_length(s, n);
	if (ch < min || ch > max || n >= STORE_LONG_TEXT)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(multi_line && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return false;
	return true;
}

static bool day_of(const char *s, struct date *d)
{
	return s && strlen(s) == 10 && date_parse_iso(s, d) == 0 && date_valid(*d);
}

static int refuse(store_conn *c, const struct lado_who *w, const char *what)
{
	struct store_audit a = {.actor = w->actor, .action = "lado.refused", .object = "lado", .detail = what};
	int rc = audit_append(c, &a);
	return rc ? rc : LADO_EDENIED;
}

static int audit(store_conn *c, const struct lado_who *w, const char *action, const char *kind, int64_t id,
		 const char *detail)
{
	char object[48];
	snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
	struct store_audit a = {.actor = w->actor, .action = action, .object = object, .detail = detail};
	return audit_append(c, &a);
}

/* ---- finding the person (linkage core) ---- */

static void prepare(const char *given, const char *family, const char *dob, struct linkage_rec *r)
{
	struct linkage_input in = {.given = given, .family = family, .dob = dob};
	linkage_prepare(&in, r);
}

/* A candidate when both names are related (a nickname, a variant, a typo, the same sound) and the date of
 * birth agrees or differs as a typing slip does. Decision: the LADO confirms every candidate; none is joined
 * on its own, so the bar is that of the link review's "possible", not of an automatic link. */
static bool is_candidate(linkage_gamma g)
{
	unsigned gl = linkage_gamma_level(g, LF_GIVEN), fl = linkage_gamma_level(g, LF_FAMILY),
		 dl = linkage_gamma_level(g, LF_DOB);
	return gl != LINKAGE_LEVEL_NULL && gl <= LN_SHORT && fl != LINKAGE_LEVEL_NULL && fl <= LN_NEAR &&
	       dl != LINKAGE_LEVEL_NULL && dl <= LD_TYPO;
}

struct cand_walk {
	struct linkage_rec probe;
	struct lado_candidate *out;
	unsigned rank[LADO_CANDIDATES_MAX];
	size_t max, n;
};

static int cand_each(const struct store_lado_person *p, void *ctx)
{
	struct cand_walk *w = ctx;
	struct linkage_rec r;
	prepare(p->given_name, p->family_name, p->dob, &r);
	linkage_gamma g = linkage_compare(&w->probe, &r);
	if (!is_candidate(g))
		return 0;
	unsigned gl = linkage_gamma_level(g, LF_GIVEN), fl = linkage_gamma_level(g, LF_FAMILY),
		 dl = linkage_gamma_level(g, LF_DOB);
	unsigned rank = gl + fl + dl;
	size_t at = w->n;
	while (at > 0 && w->rank[at - 1] > rank)
		at--;
	if (at >= w->max)
		return 0;
	size_t keep = w->n < w->max ? w->n : w->max - 1;
	memmove(&w->out[at + 1], &w->out[at], (keep - at) * sizeof w->out[0]);
	memmove(&w->rank[at + 1], &w->rank[at], (keep - at) * sizeof w->rank[0]);
	w->out[at].p = *p;
	snprintf(w->out[at].why, sizeof w->out[at].why, "Given name: %s. Family name: %s. Date of birth: %s.",
		 linkage_level_name(LF_GIVEN, gl), linkage_level_name(LF_FAMILY, fl), linkage_level_name(LF_DOB, dl));
	w->rank[at] = rank;
	if (w->n < w->max)
		w->n++;
	return 0;
}

static int check_person(const char *given, const char *family, const char *dob, struct date today,
			struct lado_error *err)
{
	struct date d;
	if (!text_ok(given, 1, LADO_NAME_MAX, false))
		return fail(err, "given-name", "Enter their first name: up to 100 characters");
	if (!text_ok(family, 1, LADO_NAME_MAX, false))
		return fail(err, "family-name", "Enter their last name: up to 100 characters");
	if (!day_of(dob, &d))
		return fail(err, "dob", "Enter their date of birth as a real date, for example 3 4 1985");
	int age = date_age_years(d, today);
	if (date_cmp(d, today) > 0 || age < 16 || age > 100)
		return fail(err, "dob", "Date of birth must be between 16 and 100 years ago");
	return 0;
}

int lado_candidates(store_conn *c, const struct lado_who *w, const char *given, const char *family, const char *dob,
		    struct date today, struct lado_candidate *out, size_t max, size_t *n, struct lado_error *err)
{
	*n = 0;
	if (!access_lado_may(w->role, true))
		return refuse(c, w, "person search");
	int rc = check_person(given, family, dob, today, err);
	if (rc)
		return rc;
	struct cand_walk *cw = calloc(1, sizeof *cw);
	if (!cw)
		return STORE_EIO;
	prepare(given, family, dob, &cw->probe);
	cw->out = out;
	cw->max = max < LADO_CANDIDATES_MAX ? max : LADO_CANDIDATES_MAX;
	rc = cw->max ? store_lado_people_near(c, dob, 500, cand_each, cw) : STORE_OK;
	*n = cw->n;
	free(cw);
	if (rc)
		return rc;
	/* The ids shown, as a search of children names them (no personal data). */
	char detail[48 + LADO_CANDIDATES_MAX * 21];
	size_t used = (size_t)snprintf(detail, sizeof detail, "%zu candidates", *n);
	for (size_t i = 0; i < *n && used < sizeof detail; i++)
		used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%lld", i ? "," : ": ", (long long)out[i].p.id);
	return audit(c, w, "lado.person.search", "lado", 0, detail);
}

/* ---- the clocks ---- */

/* Where an allegation arose, as the across-employers rule compares it: the home of the register, else the
 * employer's name folded as names are. */
static void employer_key(int64_t home_id, const char *employer, char *out, size_t outsz)
{
	if (home_id) {
		snprintf(out, outsz, "home:%lld", (long long)home_id);
		return;
	}
	char folded[LINKAGE_NAME_MAX];
	linkage_name_norm(employer, folded);
	snprintf(out, outsz, "employer:%s", folded);
}

#define EVENTS_MAX 5

struct pass_ctx {
	store_conn *c;
	int64_t person_id, allegation_id;
	bool across_only;
	int rc;
};

static int emit(const struct rules_alert *ra, void *ctx)
{
	struct pass_ctx *p = ctx;
	bool across = ra->code == RULES_LADO_ACROSS_EMPLOYERS;
	if (across != p->across_only)
		return 0;
	struct store_lado_alert a;
	memset(&a, 0, sizeof a);
	a.person_id = p->person_id;
	a.allegation_id = p->allegation_id;
	snprintf(a.code, sizeof a.code, "%s", rules_code_name(ra->code));
	date_format_iso(ra->raised_on, a.raised_on);
	if (ra->has_due)
		date_format_iso(ra->due, a.due);
	size_t used = (size_t)snprintf(a.evidence, sizeof a.evidence, "[");
	for (size_t i = 0; i < ra->nevidence && used + 24 < sizeof a.evidence; i++)
		used += (size_t)snprintf(a.evidence + used, sizeof a.evidence - used, "%s%s", i ? "," : "",
					 ra->evidence[i]->id);
	snprintf(a.evidence + used, sizeof a.evidence - used, "]");
	if (across && ra->nevidence)
		a.allegation_id = strtoll(ra->evidence[ra->nevidence - 1]->id, NULL, 10);
	int64_t id;
	bool inserted;
	if ((p->rc = store_lado_alert_insert(p->c, &a, &id, &inserted)) != STORE_OK)
		return -1000; /* stops the pass; the store's answer is in p->rc */
	return 0;
}

/* The store's answer when it stopped the pass, else a rules error as the store's (it is a bug here). */
static int pass_rc(const struct pass_ctx *p, int rc)
{
	if (p->rc)
		return p->rc;
	return rc < 0 ? STORE_EIO : STORE_OK;
}

struct ev_strings {
	char id[24];
	char employer[LINKAGE_NAME_MAX + 16];
};

/* The allegation's steps as the rules read them. */
static size_t events_of(const struct store_lado_allegation *a, struct ev_strings *s, struct rules_event *ev)
{
	size_t n = 0;
	snprintf(s->id, sizeof s->id, "%lld", (long long)a->id);
	employer_key(a->home_id, a->employer, s->employer, sizeof s->employer);
	const struct {
		enum rules_kind kind;
		const char *day, *outcome;
	} steps[EVENTS_MAX] = {
		{RULES_LADO_REFERRAL, a->received_on, NULL},
		{RULES_LADO_CONSIDERATION, a->consideration_on, a->threshold},
		{RULES_LADO_STRATEGY, a->strategy_on, NULL},
		{RULES_LADO_OUTCOME, a->outcome_on, a->outcome},
		{RULES_LADO_EMPLOYER_ACTION, a->employer_action_on, NULL},
	};
	for (size_t i = 0; i < EVENTS_MAX; i++) {
		struct date d;
		if (!day_of(steps[i].day, &d))
			continue;
		memset(&ev[n], 0, sizeof ev[n]);
		ev[n].id = s->id;
		ev[n].kind = steps[i].kind;
		ev[n].day = d;
		ev[n].agency = "";
		ev[n].outcome = steps[i].outcome;
		ev[n].employer = s->employer;
		ev[n].score = -1;
		n++;
	}
	return n;
}

static void settings(struct rules_settings *s)
{
	rules_settings_default(s);
}

/* One allegation's clocks to today. */
static int run_clocks(store_conn *c, const struct store_lado_allegation *a, struct date today)
{
	struct ev_strings s;
	struct rules_event ev[EVENTS_MAX];
	size_t n = events_of(a, &s, ev);
	struct rules_settings set;
	settings(&set);
	struct rules_child child = {0};
	struct pass_ctx p = {c, a->person_id, a->id, false, 0};
	return pass_rc(&p, rules_evaluate(&set, &child, ev, n, today, emit, &p));
}

struct person_pass {
	struct ev_strings *s;
	struct rules_event *ev;
	size_t n, cap;
	int64_t person_id;
};

static int gather_referral(const struct store_lado_allegation *a, void *ctx)
{
	struct person_pass *pp = ctx;
	if (pp->n == pp->cap)
		return 0;
	struct ev_strings s;
	struct rules_event ev[EVENTS_MAX];
	if (events_of(a, &s, ev) == 0)
		return 0;
	pp->s[pp->n] = s;
	pp->ev[pp->n] = ev[0];
	pp->n++;
	return 0;
}

/* The person's referrals across employers (allegations are listed oldest received first). */
static int run_across(store_conn *c, int64_t person_id, struct date today)
{
	struct person_pass pp = {0};
	pp.cap = LADO_QUEUE_MAX;
	pp.person_id = person_id;
	pp.s = calloc(pp.cap, sizeof *pp.s);
	pp.ev = calloc(pp.cap, sizeof *pp.ev);
	int rc = STORE_EIO;
	if (!pp.s || !pp.ev)
		goto out;
	if ((rc = store_lado_allegations(c, person_id, false, (int)pp.cap, gather_referral, &pp)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < pp.n; i++) { /* the strings moved: point the events at their copies */
		pp.ev[i].id = pp.s[i].id;
		pp.ev[i].employer = pp.s[i].employer;
	}
	struct rules_settings set;
	settings(&set);
	struct rules_child child = {0};
	struct pass_ctx p = {c, person_id, 0, true, 0};
	rc = pass_rc(&p, rules_evaluate(&set, &child, pp.ev, pp.n, today, emit, &p));
out:
	free(pp.s);
	free(pp.ev);
	return rc;
}

static bool closed(const struct store_lado_allegation *a)
{
	return strcmp(a->threshold, "threshold_not_met") == 0 || a->employer_action_on[0];
}

/* An allegation's state after a change: its clocks to today; the alerts of a closed one resolved. */
static int settle(store_conn *c, const char *by, const struct store_lado_allegation *a, struct date today)
{
	int64_t n;
	int rc = run_clocks(c, a, today);
	if (rc == STORE_OK && closed(a))
		rc = store_lado_alert_resolve(c, a->id, "", by, &n);
	return rc;
}

struct refresh_walk {
	store_conn *c;
	struct date today;
	int rc;
};

static int refresh_each(const struct store_lado_allegation *a, void *ctx)
{
	struct refresh_walk *r = ctx;
	r->rc = run_clocks(r->c, a, r->today);
	return r->rc;
}

int lado_refresh(store_conn *c, const char *actor, struct date today)
{
	struct refresh_walk r = {c, today, 0};
	(void)actor;
	int rc = store_lado_allegations(c, 0, true, 10 * LADO_QUEUE_MAX, refresh_each, &r);
	return rc ? rc : r.rc;
}

static int sweep_run(store_conn *c, void *arg)
{
	return lado_refresh(c, "sweep", *(const struct date *)arg);
}

int lado_sweep(store *st, struct date today)
{
	return txq_exec(st, sweep_run, &today);
}

void lado_next(const struct store_lado_allegation *a, const char **step, struct date *due, bool *has_due)
{
	struct rules_settings s;
	settings(&s);
	struct date d = {0};
	*has_due = false;
	*step = NULL;
	if (closed(a) || !day_of(a->received_on, &d))
		return;
	struct date from;
	*has_due = true;
	if (!a->consideration_on[0]) {
		*step = "Initial consideration";
		*due = clock_add_working_days(s.calendar, d, s.lado_consideration_working_days);
	} else if (strcmp(a->threshold, "threshold_met") == 0 && !a->strategy_on[0] && !a->outcome_on[0] &&
		   day_of(a->consideration_on, &from)) {
		*step = "Strategy discussion";
		*due = clock_add_working_days(s.calendar, from, s.lado_strategy_working_days);
	} else if (!a->outcome_on[0]) {
		*step = "Outcome";
		*due = clock_add_months(d, s.lado_outcome_months);
	} else if (day_of(a->outcome_on, &from)) {
		*step = "Employer's actions";
		*due = clock_add_months(from, s.lado_employer_action_months);
	} else
		*has_due = false;
}

/* ---- a new allegation ---- */

struct employment_find {
	int64_t home_id;
	char key[LINKAGE_NAME_MAX + 16];
	int64_t found;
};

static int employment_match(const struct store_lado_employment *e, void *ctx)
{
	struct employment_find *f = ctx;
	char key[sizeof f->key];
	employer_key(e->home_id, e->employer, key, sizeof key);
	if (!f->found && strcmp(key, f->key) == 0)
		f->found = e->id;
	return 0;
}

static int first_home(const struct store_home *h, void *ctx)
{
	char *urn = ctx;
	if (!urn[0])
		snprintf(urn, 16, "%s", h->urn);
	return 0;
}

int lado_first_home_urn(store_conn *c, char urn[16])
{
	urn[0] = '\0';
	return store_homes(c, "", first_home, urn);
}

int lado_refer(store_conn *c, const struct lado_who *w, const struct lado_referral *in, struct date today,
	       int64_t *allegation_id, int64_t *person_out, struct lado_error *err)
{
	*allegation_id = 0;
	if (person_out)
		*person_out = 0;
	if (!access_lado_may(w->role, true))
		return refuse(c, w, "allegation create");
	int rc;
	struct date received, from = {0}, to = {0};
	struct store_lado_person person;
	memset(&person, 0, sizeof person);
	if (in->person_id) {
		bool found = false;
		if ((rc = store_lado_person_get(c, in->person_id, &person, &found)) != STORE_OK)
			return rc;
		if (!found)
			return fail(err, "person", "Choose the person again: the one chosen is not known");
	} else if ((rc = check_person(in->given, in->family, in->dob, today, err)) != 0)
		return rc;
	const char *urn = in->home_urn ? in->home_urn : "";
	int64_t home_id = 0;
	if (urn[0]) {
		bool found = false;
		if (strlen(urn) > 15 || (rc = store_lado_home_by_urn(c, urn, &home_id, &found)) != STORE_OK || !found)
			return rc && rc != LADO_EINVALID && strlen(urn) <= 15
				       ? rc
				       : fail(err, "home-urn", "Enter the Ofsted URN of a children's home on the register, or leave it empty");
	}
	if (!text_ok(in->employer, home_id ? 0 : 1, LADO_EMPLOYER_MAX, false))
		return fail(err, "employer", "Enter the employer's name: up to 200 characters");
	if (!text_ok(in->job, 0, LADO_EMPLOYER_MAX, false))
		return fail(err, "job", "Their role must be up to 200 characters");
	if (in->from_day && in->from_day[0] && (!day_of(in->from_day, &from) || date_cmp(from, today) > 0))
		return fail(err, "from", "Enter when they started there as a real date, not in the future");
	if (in->to_day && in->to_day[0] &&
	    (!day_of(in->to_day, &to) || (in->from_day && in->from_day[0] && date_cmp(to, from) < 0)))
		return fail(err, "to", "Enter when they left as a real date, on or after they started");
	if (!day_of(in->received_on, &received) || date_cmp(received, today) > 0)
		return fail(err, "received", "Enter the day the referral was received: a real date, not in the future");
	if (!text_ok(in->referrer, 1, LADO_EMPLOYER_MAX, false))
		return fail(err, "referrer", "Enter who made the referral: up to 200 characters");
	if (!text_ok(in->summary, 10, LADO_TEXT_MAX, true))
		return fail(err, "summary", "Enter what is alleged: 10 to 2,000 characters");

	int64_t person_id = in->person_id;
	if (!person_id) {
		snprintf(person.given_name, sizeof person.given_name, "%s", in->given);
		snprintf(person.family_name, sizeof person.family_name, "%s", in->family);
		snprintf(person.dob, sizeof person.dob, "%s", in->dob);
		snprintf(person.created_by, sizeof person.created_by, "%s", w->username);
		if ((rc = store_lado_person_insert(c, &person, &person_id)) != STORE_OK)
			return rc;
		if ((rc = audit(c, w, "lado.person.create", "lado_person", person_id, "")) != STORE_OK)
			return rc;
	}
	/* The employer: one they already have is reused (the same home, or the same name folded). */
	struct store_lado_employment e;
	memset(&e, 0, sizeof e);
	e.person_id = person_id;
	e.home_id = home_id;
	if (home_id && !(in->employer && in->employer[0])) {
		struct store_home h;
		bool found = false;
		if ((rc = store_home_get(c, home_id, &h, &found)) != STORE_OK)
			return rc;
		snprintf(e.employer, sizeof e.employer, "%s", h.name);
	} else
		snprintf(e.employer, sizeof e.employer, "%s", in->employer);
	snprintf(e.role, sizeof e.role, "%s", in->job ? in->job : "");
	snprintf(e.from_day, sizeof e.from_day, "%s", in->from_day ? in->from_day : "");
	snprintf(e.to_day, sizeof e.to_day, "%s", in->to_day ? in->to_day : "");
	struct employment_find f = {.home_id = home_id};
	employer_key(home_id, e.employer, f.key, sizeof f.key);
	if ((rc = store_lado_employments(c, person_id, employment_match, &f)) != STORE_OK)
		return rc;
	int64_t employment_id = f.found;
	if (!employment_id && (rc = store_lado_employment_add(c, &e, &employment_id)) != STORE_OK)
		return rc;

	struct store_lado_allegation *a = calloc(1, sizeof *a);
	if (!a)
		return STORE_EIO;
	a->person_id = person_id;
	a->employment_id = employment_id;
	snprintf(a->received_on, sizeof a->received_on, "%s", in->received_on);
	snprintf(a->referrer, sizeof a->referrer, "%s", in->referrer);
	snprintf(a->summary, sizeof a->summary, "%s", in->summary);
	snprintf(a->created_by, sizeof a->created_by, "%s", w->username);
	if ((rc = store_lado_allegation_insert(c, a, allegation_id)) != STORE_OK)
		goto out;
	if (person_out)
		*person_out = person_id;
	bool found = false;
	if ((rc = store_lado_allegation_get(c, *allegation_id, a, &found)) != STORE_OK)
		goto out;
	char detail[96];
	snprintf(detail, sizeof detail, "person %lld, employment %lld%s", (long long)person_id, (long long)employment_id,
		 f.found ? " (known employer)" : "");
	if ((rc = audit(c, w, "lado.allegation.create", "lado_allegation", *allegation_id, detail)) != STORE_OK)
		goto out;
	if ((rc = settle(c, w->username, a, today)) != STORE_OK)
		goto out;
	rc = run_across(c, person_id, today);
out:
	free(a);
	return rc;
}

/* ---- the process ---- */

static const char *const step_alert[LADO_STEP_COUNT] = {
	"LADO_CONSIDERATION_OVERDUE", "LADO_STRATEGY_OVERDUE", "LADO_OUTCOME_OVERDUE", "LADO_EMPLOYER_ACTION_OVERDUE"};

int lado_record_step(store_conn *c, const struct lado_who *w, int64_t id, const struct lado_step_in *in,
		     struct date today, bool *found, struct lado_error *err)
{
	*found = false;
	if (!access_lado_may(w->role, true))
		return refuse(c, w, "allegation step");
	if ((unsigned)in->step >= LADO_STEP_COUNT)
		return fail(err, "step", "Choose a step of the process");
	struct store_lado_allegation *a = calloc(1, sizeof *a);
	if (!a)
		return STORE_EIO;
	int rc = store_lado_allegation_get(c, id, a, found);
	if (rc || !*found)
		goto out;
	/* The day before which this step cannot be: the last step recorded. */
	const char *last = a->received_on;
	const char *const days[] = {a->consideration_on, a->strategy_on, a->outcome_on};
	for (size_t i = 0; i < 3; i++)
		if (days[i][0] && strcmp(days[i], last) > 0)
			last = days[i];
	struct date d, floor;
	const char *notes = in->notes ? in->notes : "";
	if (closed(a)) {
		rc = fail(err, "step", "This allegation is closed: nothing more can be recorded");
		goto out;
	}
	switch (in->step) {
	case LADO_STEP_CONSIDERATION:
		if (a->consideration_on[0]) {
			rc = fail(err, "step", "The initial consideration is already recorded");
			goto out;
		}
		if (!in->choice || (strcmp(in->choice, "threshold_met") != 0 && strcmp(in->choice, "threshold_not_met") != 0)) {
			rc = fail(err, "threshold", "Choose whether the harm threshold is met");
			goto out;
		}
		break;
	case LADO_STEP_STRATEGY:
		if (strcmp(a->threshold, "threshold_met") != 0 || a->strategy_on[0] || a->outcome_on[0]) {
			rc = fail(err, "step", "A strategy discussion follows an initial consideration that met the threshold");
			goto out;
		}
		if (!text_ok(notes, 1, LADO_TEXT_MAX, true)) {
			rc = fail(err, "notes", "Enter who took part and what was decided: up to 2,000 characters");
			goto out;
		}
		break;
	case LADO_STEP_OUTCOME:
		if (!a->consideration_on[0] || a->outcome_on[0]) {
			rc = fail(err, "step", "The outcome follows the initial consideration, and is recorded once");
			goto out;
		}
		if (!lado_outcome_find(in->choice)) {
			rc = fail(err, "outcome", "Choose the outcome");
			goto out;
		}
		break;
	case LADO_STEP_EMPLOYER:
		if (!a->outcome_on[0]) {
			rc = fail(err, "step", "The employer's actions follow the outcome");
			goto out;
		}
		if (!text_ok(notes, 1, LADO_TEXT_MAX, true)) {
			rc = fail(err, "notes", "Enter what the employer did: up to 2,000 characters");
			goto out;
		}
		break;
	default:
		break;
	}
	if (!text_ok(notes, 0, LADO_TEXT_MAX, true)) {
		rc = fail(err, "notes", "Notes must be up to 2,000 characters");
		goto out;
	}
	if (!day_of(in->day, &d) || date_cmp(d, today) > 0 || !day_of(last, &floor) || date_cmp(d, floor) < 0) {
		rc = fail(err, "day", "Enter the day as a real date: not in the future, and not before the step before it");
		goto out;
	}
	switch (in->step) {
	case LADO_STEP_CONSIDERATION:
		snprintf(a->consideration_on, sizeof a->consideration_on, "%s", in->day);
		snprintf(a->threshold, sizeof a->threshold, "%s", in->choice);
		snprintf(a->consideration_notes, sizeof a->consideration_notes, "%s", notes);
		break;
	case LADO_STEP_STRATEGY:
		snprintf(a->strategy_on, sizeof a->strategy_on, "%s", in->day);
		snprintf(a->strategy_notes, sizeof a->strategy_notes, "%s", notes);
		break;
	case LADO_STEP_OUTCOME:
		snprintf(a->outcome_on, sizeof a->outcome_on, "%s", in->day);
		snprintf(a->outcome, sizeof a->outcome, "%s", in->choice);
		snprintf(a->outcome_notes, sizeof a->outcome_notes, "%s", notes);
		break;
	default:
		snprintf(a->employer_action_on, sizeof a->employer_action_on, "%s", in->day);
		snprintf(a->employer_action, sizeof a->employer_action, "%s", notes);
		break;
	}
	/* The clocks up to the step first, so that an alert that fell due before it is raised (and resolved):
	 * the record shows the step was late. */
	if ((rc = store_lado_allegation_update(c, a)) != STORE_OK || (rc = run_clocks(c, a, today)) != STORE_OK)
		goto out;
	int64_t n;
	if ((rc = store_lado_alert_resolve(c, a->id, step_alert[in->step], w->username, &n)) != STORE_OK)
		goto out;
	/* An outcome also ends the strategy clock (a strategy discussion was not held, or not recorded). */
	if (in->step == LADO_STEP_OUTCOME &&
	    (rc = store_lado_alert_resolve(c, a->id, step_alert[LADO_STEP_STRATEGY], w->username, &n)) != STORE_OK)
		goto out;
	if ((rc = settle(c, w->username, a, today)) != STORE_OK)
		goto out;
	char action[48], detail[64];
	snprintf(action, sizeof action, "lado.allegation.%s", lado_step_code(in->step));
	snprintf(detail, sizeof detail, "%s", in->choice && in->choice[0] ? in->choice : "recorded");
	rc = audit(c, w, action, "lado_allegation", id, detail);
out:
	free(a);
	return rc;
}

/* ---- reads ---- */

struct queue_item {
	struct store_lado_allegation *a;
	struct date due;
	bool has_due;
};

struct queue_walk {
	struct queue_item *items;
	size_t n, cap;
	int rc;
};

static int queue_each(const struct store_lado_allegation *a, void *ctx)
{
	struct queue_walk *q = ctx;
	if (q->n == q->cap)
		return 0;
	struct queue_item *it = &q->items[q->n];
	if (!(it->a = malloc(sizeof *it->a)))
		return q->rc = STORE_EIO;
	*it->a = *a;
	const char *step;
	lado_next(a, &step, &it->due, &it->has_due);
	q->n++;
	return 0;
}

static int queue_cmp(const void *pa, const void *pb)
{
	const struct queue_item *a = pa, *b = pb;
	if (a->has_due != b->has_due)
		return a->has_due ? -1 : 1;
	int c = a->has_due ? date_cmp(a->due, b->due) : 0;
	if (c)
		return c;
	return a->a->id < b->a->id ? -1 : a->a->id > b->a->id;
}

int lado_queue(store_conn *c, const struct lado_who *w, struct date today, store_lado_allegation_fn each_allegation,
	       store_lado_alert_fn each_alert, void *ctx)
{
	if (!access_lado_may(w->role, true))
		return refuse(c, w, "queue");
	int rc = lado_refresh(c, w->actor, today);
	if (rc)
		return rc;
	struct queue_walk q = {0};
	q.cap = LADO_QUEUE_MAX;
	if (!(q.items = calloc(q.cap, sizeof *q.items)))
		return STORE_EIO;
	rc = store_lado_allegations(c, 0, true, (int)q.cap, queue_each, &q);
	if (rc == STORE_OK)
		rc = q.rc;
	if (rc == STORE_OK) {
		qsort(q.items, q.n, sizeof q.items[0], queue_cmp);
		for (size_t i = 0; i < q.n && rc == STORE_OK; i++)
			rc = each_allegation(q.items[i].a, ctx);
	}
	for (size_t i = 0; i < q.n; i++)
		free(q.items[i].a);
	free(q.items);
	if (rc == STORE_OK)
		rc = store_lado_alerts(c, 0, 0, true, LADO_QUEUE_MAX, each_alert, ctx);
	if (rc == STORE_OK) {
		char detail[48];
		snprintf(detail, sizeof detail, "%zu open allegations", q.n);
		rc = audit(c, w, "lado.queue.read", "lado", 0, detail);
	}
	return rc;
}

int lado_person_read(store_conn *c, const struct lado_who *w, int64_t id, struct store_lado_person *out, bool *found,
		     store_lado_employment_fn each_employment, store_lado_allegation_fn each_allegation,
		     store_lado_alert_fn each_alert, void *ctx)
{
	*found = false;
	if (!access_lado_may(w->role, false))
		return refuse(c, w, "person read");
	int rc = store_lado_person_get(c, id, out, found);
	if (rc || !*found)
		return rc;
	if ((rc = audit(c, w, "lado.person.read", "lado_person", id, w->role)) != STORE_OK)
		return rc;
	if ((rc = store_lado_employments(c, id, each_employment, ctx)) != STORE_OK)
		return rc;
	if ((rc = store_lado_allegations(c, id, false, LADO_QUEUE_MAX, each_allegation, ctx)) != STORE_OK)
		return rc;
	return store_lado_alerts(c, id, 0, false, LADO_QUEUE_MAX, each_alert, ctx);
}

int lado_allegation_read(store_conn *c, const struct lado_who *w, int64_t id, struct store_lado_allegation *out,
			 bool *found, store_lado_alert_fn each_alert, void *ctx)
{
	*found = false;
	if (!access_lado_may(w->role, false))
		return refuse(c, w, "allegation read");
	int rc = store_lado_allegation_get(c, id, out, found);
	if (rc || !*found)
		return rc;
	if ((rc = audit(c, w, "lado.allegation.read", "lado_allegation", id, w->role)) != STORE_OK)
		return rc;
	return store_lado_alerts(c, 0, id, false, LADO_QUEUE_MAX, each_alert, ctx);
}
