#include "service/alerts.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include "clock/clock.h"
#include "clock/now.h"
#include "core/text.h"
#include "service/audit.h"
#include "service/children.h"
#include "service/homes.h"
#include "service/service_int.h"
#include "rules/words.h"
#include "service/summary.h"
#include "service/txq.h"

void alerts_config_default(struct alerts_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	rules_settings_default(&cfg->rules);
	cfg->escalate_after_working_days = 1;
	cfg->lookback_days = 90;
}

const char *alerts_title(const char *code)
{
	int c = rules_code_from_name(code);
	if (c >= 0)
		return rules_code_title((enum rules_code)c);
	if (strcmp(code, "FLAG_LOOKUP") == 0)
		return "Seen in unscheduled care: flag looked up";
	if (strcmp(code, "BREAK_GLASS") == 0)
		return "Record opened in an emergency (break-glass)";
	return code;
}

void alerts_words(const char *code, const char **why, const char **next)
{
	int c = rules_code_from_name(code);
	*why = *next = "";
	if (c >= 0) {
		*why = rules_code_why((enum rules_code)c);
		*next = rules_code_next((enum rules_code)c);
	} else if (strcmp(code, "FLAG_LOOKUP") == 0) {
		*why = "A clinician in A&E, an urgent care centre or a minor injuries unit looked up the child's child "
		       "protection or looked-after flag (NHS CP-IS): the child was seen in unscheduled care.";
		*next = "Contact the hospital about the attendance and decide whether the child's plan needs to change.";
	} else if (strcmp(code, "BREAK_GLASS") == 0) {
		*why = "Someone with no allocated relationship to the child opened the record in an emergency, giving a "
		       "reason.";
		*next = "Read who opened it and why under \"Who has looked at this record\", and tell the data protection "
			"officer if it was not needed.";
	}
}

bool alerts_same_incident(const struct store_alert *a, const struct store_alert *b)
{
	return a->person_id != b->person_id && strcmp(a->code, b->code) == 0 && strcmp(a->evidence, b->evidence) == 0 &&
	       strcmp(a->evidence, "[]") != 0 && strcmp(a->due, b->due) == 0;
}

/* ---- a child's events as the rules take them ------------------------------------------------------------ */

/* The kinds the rules read, as the JSON array the store binds (built from rules/, so the two never differ),
 * made once: it was ~2% of the intake writer's CPU made again for every record (issue 17). */
#define KINDS_JSON_MAX 1024
static char kinds_text[KINDS_JSON_MAX];

static void kinds_make(void)
{
	size_t used = 0, cap = sizeof kinds_text;
	kinds_text[used++] = '[';
	for (int k = 1; k < RULES_KIND_COUNT; k++)
		used += (size_t)snprintf(kinds_text + used, cap - used, "%s\"%s\"", k > 1 ? "," : "",
					 rules_kind_code((enum rules_kind)k));
	snprintf(kinds_text + used, cap - used, "]");
}

static const char *kinds_json(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, kinds_make);
	return kinds_text;
}

struct loaded {
	struct rules_event ev;
	int64_t event_id;
	char id[24];
	char agency[STORE_CODE_MAX + 1];
	char outcome[64];
};

struct evlist {
	struct loaded *v;
	size_t n, cap;
	/* Whether the child is independently mobile, as the latest event that said so ("mobile" in details:
	 * health and social care record it for disabled children; NICE CG89). */
	enum rules_tri mobile;
	int64_t person_id; /* whose list it is: a housemate's incident says nothing about this child */
};

static void evlist_free(struct evlist *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static enum rules_tri tri_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_true(v) ? RULES_YES : json_is_false(v) ? RULES_NO : RULES_UNKNOWN;
}

/* One stored event as a rules_event. The kind-specific fields come from the details object an agency sent
 * (docs/RULES.md lists them); anything else in it is not read. */
static int evlist_add(struct evlist *l, const struct store_event *e)
{
	int64_t at;
	if (ts_parse_rfc3339(e->occurred_at, &at) != DATE_OK)
		return 0; /* the store only holds what intake checked; a bad row is not a reason to stop the rules */
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct loaded *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return STORE_EIO;
		l->v = v;
		l->cap = cap;
	}
	struct loaded *x = &l->v[l->n++];
	memset(x, 0, sizeof *x);
	x->event_id = e->id;
	snprintf(x->id, sizeof x->id, "%lld", (long long)e->id);
	snprintf(x->agency, sizeof x->agency, "%s", e->agency);
	x->ev.kind = rules_kind_from_code(e->kind);
	x->ev.has_instant = true;
	x->ev.instant = at;
	x->ev.day = ts_utc_date(ts_uk_local(at));
	x->ev.score = -1;
	if (e->details && e->details[0] && strcmp(e->details, "{}") != 0) {
		json_t *d = json_loads(e->details, 0, NULL);
		if (json_is_object(d)) {
			x->ev.seen = tri_of(d, "seen");
			x->ev.seen_alone = tri_of(d, "seen_alone");
			x->ev.distant = tri_of(d, "distant");
			x->ev.dcs_approved = tri_of(d, "dcs_approved");
			x->ev.independent = tri_of(d, "independent");
			json_t *score = json_object_get(d, "score");
			if (json_is_integer(score) && json_integer_value(score) >= 0 && json_integer_value(score) <= 24)
				x->ev.score = (int)json_integer_value(score);
			enum rules_tri mobile = tri_of(d, "mobile");
			if (mobile != RULES_UNKNOWN && e->person_id == l->person_id)
				l->mobile = mobile;
			json_t *outcome = json_object_get(d, "outcome");
			if (json_is_string(outcome))
				snprintf(x->outcome, sizeof x->outcome, "%s", json_string_value(outcome));
		}
		json_decref(d);
	}
	return 0;
}

/* Pointers into the list are set once it stops growing (realloc moves it). */
static void evlist_fix(struct evlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct loaded *x = &l->v[i];
		x->ev.id = x->id;
		x->ev.agency = x->agency;
		x->ev.outcome = x->outcome[0] ? x->outcome : NULL;
	}
}

static int loaded_cmp(const void *pa, const void *pb)
{
	const struct loaded *a = pa, *b = pb;
	if (a->ev.instant != b->ev.instant)
		return a->ev.instant < b->ev.instant ? -1 : 1;
	return a->event_id < b->event_id ? -1 : a->event_id > b->event_id;
}

static int collect_event(const struct store_event *e, void *ctx)
{
	return evlist_add(ctx, e);
}

/* ---- writing alerts ------------------------------------------------------------------------------------- */

struct pending {
	int64_t person_id;
	enum rules_code code;
	struct date raised_on, due;
	bool has_due;
	size_t nev;
	int64_t ev[RULES_EVIDENCE_MAX];
};

/* Who an escalation may go to besides the allocated team's manager (alerts_escalation_target): the MASH team's
 * manager, and health's safeguarding lead with the view they read lists by (r-ntk25). Read once a sweep. */
struct managers {
	char mash[STORE_USER_MAX + 1], health[STORE_USER_MAX + 1];
	struct store_view health_view;
	bool health_ok; /* health names a person who may open alerts (access_role_may) and is enabled */
};

static int managers_team(const struct store_team *t, void *ctx)
{
	struct managers *m = ctx;
	if (strcmp(t->code, "mash") == 0)
		snprintf(m->mash, sizeof m->mash, "%s", t->manager);
	else if (strcmp(t->code, ALERTS_HEALTH_TEAM) == 0)
		snprintf(m->health, sizeof m->health, "%s", t->manager);
	return 0;
}

static int managers_load(store_conn *c, struct managers *m)
{
	memset(m, 0, sizeof *m);
	int rc = store_teams(c, 1000, managers_team, m);
	if (rc != STORE_OK || !m->health[0])
		return rc;
	struct store_user *u = malloc(sizeof *u);
	bool found = false;
	if (!u)
		return STORE_EIO;
	if ((rc = store_user_by_name(c, m->health, u, &found)) == STORE_OK && found && !u->disabled_at[0] &&
	    access_role_may(u->role, u->agency, ACT_ALERTS)) {
		struct access_reader r;
		access_reader_person(&r, u->id, u->username, u->agency, u->role);
		access_list_view(&r, &m->health_view);
		m->health_ok = true;
	}
	free(u);
	return rc;
}

struct reach {
	const char *lead;
	bool reached;
};

static int reach_user(const struct store_user *u, void *ctx)
{
	struct reach *r = ctx;
	if (u->disabled_at[0] || strcmp(u->agency, ACCESS_HEALTH_AGENCY) != 0)
		return 0;
	if (strcmp(u->role, "mash_worker") == 0 ||
	    (r->lead[0] && strcmp(u->username, r->lead) == 0 && access_role_may(u->role, u->agency, ACT_ALERTS)))
		r->reached = true;
	return 0;
}

static int reach_run(store_conn *c, void *arg)
{
	struct reach *r = arg;
	struct managers m;
	int rc = managers_load(c, &m);
	if (rc != STORE_OK)
		return rc;
	r->lead = m.health;
	return store_users(c, 100000, reach_user, r);
}

int alerts_health_reach(store *st, bool *reached)
{
	struct reach r = {"", false};
	int rc = service_in_snapshot(st, reach_run, &r);
	*reached = rc != STORE_OK || r.reached; /* unknown: no warning on a store failure */
	return rc;
}

/* Whether a reader with view v knows the child (VIEW_PERSON, as every list asks): a child known only from
 * records v leaves out is not. No such person: known (nothing to hide). */
static int known_to(store_conn *c, int64_t child_id, const struct store_view *v, bool *known)
{
	struct store_access_facts f;
	int rc = store_access_facts(c, child_id, v, &f);
	*known = rc != STORE_OK || !f.exists || f.known;
	return rc;
}

/* Whom an escalation of an alert about child_id goes to: the facts asked, then alerts_escalation_target. */
static int escalation_of(store_conn *c, int64_t child_id, const struct store_allocation *al, bool allocated,
			 const struct managers *m, char out[STORE_USER_MAX + 1])
{
	bool known = true, lead_sees = false;
	int rc = STORE_OK;
	if (!(allocated && al->manager[0])) { /* an allocated child is known: VIEW_PERSON_KNOWN_ */
		struct store_view outside;
		access_outside_health_view(&outside);
		rc = known_to(c, child_id, &outside, &known);
		if (rc == STORE_OK && !known && m->health_ok)
			rc = known_to(c, child_id, &m->health_view, &lead_sees);
	}
	if (rc == STORE_OK)
		alerts_escalation_target(al, allocated, known, m->mash, lead_sees ? m->health : "", out);
	return rc;
}

/* The one place an alert's owner is decided (ARCHITECTURE.md "Who owns an alert"). */
int alerts_owner_of(store_conn *c, int64_t child_id, struct alerts_owner *owner, char escalate_to[STORE_USER_MAX + 1])
{
	struct store_allocation *al = malloc(sizeof *al);
	bool found = false;
	memset(owner, 0, sizeof *owner);
	if (escalate_to)
		escalate_to[0] = '\0';
	if (!al)
		return STORE_EIO;
	int rc = store_allocation_get(c, child_id, al, &found);
	if (rc == STORE_OK && found && al->worker[0]) {
		snprintf(owner->kind, sizeof owner->kind, "worker");
		snprintf(owner->name, sizeof owner->name, "%s", al->worker);
	} else if (rc == STORE_OK && found) {
		snprintf(owner->kind, sizeof owner->kind, "team");
		snprintf(owner->name, sizeof owner->name, "%s", al->team);
	} else {
		snprintf(owner->kind, sizeof owner->kind, "mash");
		snprintf(owner->name, sizeof owner->name, "mash");
	}
	/* Escalation: as alerts_escalation_target decides (the sweep asks the same function). */
	if (rc == STORE_OK && escalate_to) {
		struct managers m;
		if ((rc = managers_load(c, &m)) == STORE_OK)
			rc = escalation_of(c, child_id, al, found, &m, escalate_to);
	}
	free(al);
	return rc;
}

void alerts_escalation_target(const struct store_allocation *al, bool allocated, bool known, const char *mash_manager,
			      const char *health_lead, char out[STORE_USER_MAX + 1])
{
	const char *to = "mash";
	if (allocated && al && al->manager[0])
		to = al->manager;
	else if (known && mash_manager && mash_manager[0])
		to = mash_manager;
	else if (!known && health_lead && health_lead[0])
		to = health_lead;
	snprintf(out, STORE_USER_MAX + 1, "%s", to);
}

/* The alerts due for escalation (ids and children), as the store lists them. */
struct escalation_due {
	struct {
		int64_t id, child_id;
	} *v;
	size_t n, cap;
};

static int escalation_due_add(int64_t id, int64_t person_id, void *ctx)
{
	struct escalation_due *d = ctx;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		void *v = realloc(d->v, cap * sizeof *d->v);
		if (!v)
			return STORE_EIO;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n].id = id;
	d->v[d->n].child_id = person_id;
	d->n++;
	return 0;
}

/* A growing list of ids (children, persons). */
struct ids {
	int64_t *v;
	size_t n, cap;
};

static int ids_push(struct ids *ids, int64_t id)
{
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 16;
		int64_t *v = realloc(ids->v, cap * sizeof *v);
		if (!v)
			return STORE_EIO;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return 0;
}

/* The children of the alerts escalated to one name, each once. */
static int lead_child_add(int64_t id, int64_t person_id, void *ctx)
{
	struct ids *k = ctx;
	(void)id;
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i] == person_id)
			return 0;
	return ids_push(k, person_id);
}

/* Whether each child of the open and acknowledged alerts escalated to `whom` would be escalated elsewhere now,
 * and if so, her alerts moved as an allocation's change moves them (alerts_follow_allocation). */
static int escalations_refollow(store_conn *c, const struct managers *m, struct store_allocation *al, const char *whom)
{
	struct ids k = {0};
	char to[STORE_USER_MAX + 1];
	bool allocated = false;
	int64_t moved = 0;
	/* Every child, sealed or not: whom an escalation goes to is decided for each. Collected first: following
	 * runs statements. */
	int rc = store_alerts_escalated_to(c, whom, lead_child_add, &k);
	for (size_t i = 0; rc == STORE_OK && i < k.n; i++) {
		if ((rc = store_allocation_get(c, k.v[i], al, &allocated)) == STORE_OK &&
		    (rc = escalation_of(c, k.v[i], al, allocated, m, to)) == STORE_OK && strcmp(to, whom) != 0)
			rc = alerts_follow_allocation(c, k.v[i], "sweep", &moved);
	}
	free(k.v);
	return rc;
}

/* An alert went to health's safeguarding lead, or to the MASH as a whole where a MASH team's manager exists,
 * because readers outside health did not know its child (alerts_escalation_target); once a record they may see
 * names her (a police call-out, a school's concern), or the lead can no longer open it (disabled, another role),
 * that reason is gone, and its escalation goes where alerts_owner_of says now, as on an allocation's change
 * (audited alert.reassign): the MASH team's manager, who may see her now (r-review45: it stayed with the lead or
 * the MASH, and social care's MASH manager was never told of an overdue alert on a child social care knows).
 * Asked each sweep of those escalations only: few, and found by alert_escalated. */
static int escalations_known_again(store_conn *c, const struct managers *m, struct store_allocation *al)
{
	int rc = STORE_OK;
	if (m->health[0])
		rc = escalations_refollow(c, m, al, m->health);
	if (rc == STORE_OK && m->mash[0])
		rc = escalations_refollow(c, m, al, "mash");
	return rc;
}

/* Escalates every open alert written before cutoff and not yet escalated, each to whom
 * alerts_escalation_target names for its child. *n says how many. */
static int escalate_due(store_conn *c, const char *cutoff, int64_t *n)
{
	struct escalation_due d = {0};
	struct store_allocation *al = malloc(sizeof *al);
	struct managers m;
	char to[STORE_USER_MAX + 1];
	int64_t child = 0;
	bool allocated = false;
	*n = 0;
	if (!al)
		return STORE_EIO;
	int rc = managers_load(c, &m);
	if (rc == STORE_OK)
		rc = store_alerts_escalation_due(c, cutoff, escalation_due_add, &d);
	for (size_t i = 0; rc == STORE_OK && i < d.n; i++) {
		bool changed = false;
		if (i == 0 || d.v[i].child_id != child) { /* a child's facts, asked once for a run of its alerts */
			child = d.v[i].child_id;
			if ((rc = store_allocation_get(c, child, al, &allocated)) == STORE_OK)
				rc = escalation_of(c, child, al, allocated, &m, to);
		}
		if (rc != STORE_OK)
			break;
		rc = store_alert_escalate_one(c, d.v[i].id, to, &changed);
		*n += changed;
	}
	if (rc == STORE_OK)
		rc = escalations_known_again(c, &m, al);
	free(d.v);
	free(al);
	return rc;
}

static int owner_of(store_conn *c, int64_t person_id, struct store_alert *a)
{
	struct alerts_owner o;
	int rc = alerts_owner_of(c, person_id, &o, NULL); /* whom it escalates to is the sweep's question */
	snprintf(a->owner_kind, sizeof a->owner_kind, "%s", o.kind);
	snprintf(a->owner, sizeof a->owner, "%s", o.name);
	return rc;
}

int alerts_follow_allocation(store_conn *c, int64_t child_id, const char *actor, int64_t *moved)
{
	struct alerts_owner o;
	char esc[STORE_USER_MAX + 1];
	*moved = 0;
	int rc = alerts_owner_of(c, child_id, &o, esc);
	if (rc != STORE_OK || (rc = store_alerts_follow(c, child_id, o.kind, o.name, esc, moved)) != STORE_OK ||
	    *moved == 0)
		return rc;
	char object[40], detail[160];
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	/* Who holds the case is not personal data about the child (as allocation.set's entry). */
	snprintf(detail, sizeof detail, "%lld open alert%s to %s %s", (long long)*moved, *moved == 1 ? "" : "s", o.kind,
		 o.name);
	struct store_audit au = {
		.actor = actor, .action = "alert.reassign", .child_id = child_id, .object = object, .detail = detail};
	return audit_append(c, &au);
}

int alerts_escalate_one(store_conn *c, int64_t id, const char *actor, bool *done)
{
	struct store_alert *a = malloc(sizeof *a);
	bool found = false;
	*done = false;
	if (!a)
		return STORE_EIO;
	struct alerts_owner o;
	char to[STORE_USER_MAX + 1];
	int rc = store_alert_get(c, id, a, &found);
	if (rc == STORE_OK && found && (rc = alerts_owner_of(c, a->person_id, &o, to)) == STORE_OK)
		rc = store_alert_escalate_one(c, id, to, done);
	if (rc == STORE_OK && *done) {
		char object[40];
		snprintf(object, sizeof object, "alert:%lld", (long long)id);
		struct store_audit au = {.actor = actor, .action = "alert.escalate", .child_id = a->person_id,
					 .object = object, .detail = a->code};
		rc = audit_append(c, &au);
	}
	free(a);
	return rc;
}

static int write_alert(store_conn *c, const char *actor, struct store_alert *a, bool *inserted)
{
	int64_t id = 0;
	int rc = owner_of(c, a->person_id, a);
	if (rc == STORE_OK)
		rc = store_alert_insert(c, a, &id, inserted);
	if (rc != STORE_OK || !*inserted)
		return rc;
	char object[40];
	snprintf(object, sizeof object, "alert:%lld", (long long)id);
	struct store_audit au = {
		.actor = actor, .action = "alert.raise", .child_id = a->person_id, .object = object, .detail = a->code};
	return audit_append(c, &au);
}

/* Writes one alert unless the same (rule, evidence, due) was written before. */
static int write_pending(store_conn *c, const char *actor, const struct pending *p, bool *inserted)
{
	struct store_alert *a = calloc(1, sizeof *a);
	char due[DATE_ISO_LEN + 1] = "";
	size_t used = 0;
	if (!a)
		return STORE_EIO;
	a->person_id = p->person_id;
	snprintf(a->code, sizeof a->code, "%s", rules_code_name(p->code));
	date_format_iso(p->raised_on, a->raised_on);
	if (p->has_due) {
		date_format_iso(p->due, due);
		snprintf(a->due, sizeof a->due, "%s", due);
	}
	a->evidence[used++] = '[';
	for (size_t i = 0; i < p->nev; i++)
		used += (size_t)snprintf(a->evidence + used, sizeof a->evidence - used, "%s%lld", i ? "," : "",
					 (long long)p->ev[i]);
	snprintf(a->evidence + used, sizeof a->evidence - used, "]");
	/* The same rule on the same evidence with the same due date is the same alert, however often the
	 * rules run (each intake, each sweep). */
	snprintf(a->dedup_key, sizeof a->dedup_key, "%s:%s:%s", a->code, a->evidence, due);
	int rc = write_alert(c, actor, a, inserted);
	free(a);
	return rc;
}

struct gather {
	int64_t person_id;
	struct pending *v;
	size_t n, cap;
	bool oom;
};

static int gather_alert(const struct rules_alert *ra, void *ctx)
{
	struct gather *g = ctx;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct pending *v = realloc(g->v, cap * sizeof *v);
		if (!v) {
			g->oom = true;
			return -1;
		}
		g->v = v;
		g->cap = cap;
	}
	struct pending *p = &g->v[g->n++];
	memset(p, 0, sizeof *p);
	p->person_id = g->person_id;
	p->code = ra->code;
	p->raised_on = ra->raised_on;
	p->has_due = ra->has_due;
	p->due = ra->due;
	p->nev = ra->nevidence;
	for (size_t i = 0; i < ra->nevidence; i++)
		p->ev[i] = (int64_t)(intptr_t)ra->evidence[i]; /* a pointer until run_rules translates it */
	return 0;
}

/* The child's rules over l (sorted) up to today, appended to g. dob: the child's date of birth as their row
 * holds it, or NULL to read it. */
static int run_rules(store_conn *c, const struct alerts_config *cfg, int64_t person_id, const char *dob,
		     struct evlist *l, struct date today, struct gather *g)
{
	struct rules_child child = {{0, 0, 0}, RULES_UNKNOWN};
	int rc = STORE_OK;
	if (dob) {
		if (dob[0])
			date_parse_iso(dob, &child.dob);
	} else {
		struct store_person *p = malloc(sizeof *p);
		bool found = false;
		if (!p)
			return STORE_EIO;
		rc = store_person_get(c, person_id, p, &found);
		if (rc == STORE_OK && found && p->dob[0])
			date_parse_iso(p->dob, &child.dob);
		free(p);
		if (rc != STORE_OK)
			return rc;
	}
	child.mobile = l->mobile;

	/* rules_evaluate wants a plain array of rules_event; loaded keeps one as its first member. */
	struct rules_event *ev = malloc((l->n ? l->n : 1) * sizeof *ev);
	if (!ev)
		return STORE_EIO;
	for (size_t i = 0; i < l->n; i++)
		ev[i] = l->v[i].ev;
	g->person_id = person_id;
	size_t before = g->n;
	rc = rules_evaluate(&cfg->rules, &child, ev, l->n, today, gather_alert, g);
	/* Evidence pointers point into ev: translate them to event ids now, by position. History older than
	 * the look-back is dropped here. */
	struct date oldest = clock_add_days(today, -cfg->lookback_days);
	size_t kept = before;
	for (size_t i = before; i < g->n; i++) {
		for (size_t k = 0; k < g->v[i].nev; k++) {
			const struct rules_event *e = (const struct rules_event *)(intptr_t)g->v[i].ev[k];
			g->v[i].ev[k] = l->v[e - ev].event_id;
		}
		if (date_cmp(g->v[i].raised_on, oldest) >= 0)
			g->v[kept++] = g->v[i];
	}
	g->n = kept;
	free(ev);
	if (g->oom)
		return STORE_EIO;
	if (rc == RULES_ECAPACITY) /* pathological input: raise what was found, say nothing personal */
		fprintf(stderr, "safeguard: rules stopped early for child %lld (too many clocks waiting)\n",
			(long long)person_id);
	else if (rc)
		return STORE_EIO;
	return STORE_OK;
}

static int evaluate_child(store_conn *c, const struct alerts_config *cfg, int64_t person_id, const char *dob,
			  struct date today, const char *actor, int *raised)
{
	const char *kinds = kinds_json();
	struct evlist l = {0};
	struct gather g = {0};
	int rc;

	l.person_id = person_id;
	/* the child's own events and the housemates' incidents, in one read (sorted below) */
	if ((rc = store_rule_events(c, person_id, kinds, "domestic_abuse_incident", collect_event, &l)) != STORE_OK)
		goto out;
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, loaded_cmp);
	evlist_fix(&l);
	if ((rc = run_rules(c, cfg, person_id, dob, &l, today, &g)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < g.n && rc == STORE_OK; i++) {
		bool inserted = false;
		rc = write_pending(c, actor, &g.v[i], &inserted);
		*raised += inserted;
	}
out:
	free(g.v);
	evlist_free(&l);
	return rc;
}

/* An incident's housemates: their ids and dates of birth, which their rows carry (run_rules would otherwise read
 * each row again for its date: a round trip a housemate on PostgreSQL, issue 17, r-pgin29). */
struct housemates {
	struct ids ids;
	char (*dob)[sizeof ((struct store_person *)0)->dob];
	size_t cap;
};

static int collect_housemate(const struct store_person *p, void *ctx)
{
	struct housemates *h = ctx;
	if (h->ids.n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		char (*dob)[sizeof p->dob] = realloc(h->dob, cap * sizeof *dob);
		if (!dob)
			return STORE_EIO;
		h->dob = dob;
		h->cap = cap;
	}
	memcpy(h->dob[h->ids.n], p->dob, sizeof p->dob);
	return ids_push(&h->ids, p->id);
}

int alerts_on_event(store_conn *c, const struct alerts_config *cfg, int64_t child_id, const char *kind,
		    struct date today, int *raised)
{
	return alerts_on_event_dob(c, cfg, child_id, NULL, kind, today, raised);
}

int alerts_on_event_dob(store_conn *c, const struct alerts_config *cfg, int64_t child_id, const char *dob,
			const char *kind, struct date today, int *raised)
{
	/* An event of a kind no rule reads changes no rule's outcome; clocks that fall due meanwhile are the
	 * nightly sweep's. Skipping them saves intake a third of its rules work on a typical feed. */
	if (rules_kind_from_code(kind) == RULES_OTHER)
		return STORE_OK;
	int rc = evaluate_child(c, cfg, child_id, dob, today, "rules", raised);
	if (rc != STORE_OK || strcmp(kind, "domestic_abuse_incident") != 0)
		return rc;
	/* Operation Encompass: the incident is every child's at the address. Collected first: evaluating
	 * runs other statements. */
	struct housemates h = {.cap = 0};
	rc = store_housemates(c, child_id, collect_housemate, &h);
	for (size_t i = 0; i < h.ids.n && rc == STORE_OK; i++)
		rc = evaluate_child(c, cfg, h.ids.v[i], h.dob[i], today, "rules", raised);
	free(h.ids.v);
	free(h.dob);
	return rc;
}

/* ---- the daily sweep ------------------------------------------------------------------------------------ */

struct sweep {
	store_conn *c;
	const struct alerts_config *cfg;
	struct date today;
	int64_t person_id;
	struct evlist l;
	struct gather g;
	struct alerts_sweep_stats *stats;
	int rc;
};

/* One child's events are all read (the store's stream includes the incidents at their addresses, as
 * intake gives them): evaluate. */
static int sweep_flush(struct sweep *s)
{
	if (s->person_id == 0)
		return 0;
	s->stats->children++;
	evlist_fix(&s->l);
	int rc = run_rules(s->c, s->cfg, s->person_id, NULL, &s->l, s->today, &s->g);
	s->l.n = 0;
	s->l.mobile = RULES_UNKNOWN;
	return rc;
}

static int sweep_event(const struct store_event *e, void *ctx)
{
	struct sweep *s = ctx;
	int rc;
	if (e->person_id != s->person_id) {
		if ((rc = sweep_flush(s)) != 0)
			return rc;
		s->person_id = e->person_id;
		s->l.person_id = e->person_id;
	}
	s->stats->events++;
	return evlist_add(&s->l, e);
}

static int sweep_read(store_conn *c, void *arg)
{
	struct sweep *s = arg;
	const char *kinds = kinds_json();
	s->c = c;
	int rc = store_events_of_kinds_all(c, kinds, sweep_event, s);
	if (rc == STORE_OK)
		rc = sweep_flush(s);
	return rc;
}

struct claim {
	char day[STORE_DAY_LEN + 1];
	const char *server;
	bool claimed;
};

static int claim_run(store_conn *c, void *arg)
{
	struct claim *k = arg;
	return store_sweep_claim(c, k->day, k->server, &k->claimed);
}

int alerts_sweep_claim(store *st, struct date today, const char *server, bool *claimed)
{
	struct claim k = {.server = server};
	date_format_iso(today, k.day);
	int rc = txq_exec(st, claim_run, &k);
	*claimed = rc == STORE_OK && k.claimed;
	return rc;
}

struct stats_step {
	char after[STORE_STATS_TABLE_MAX];
	char table[STORE_STATS_TABLE_MAX];
	bool changed;
};

static int planner_stats_table_run(store_conn *c, void *arg)
{
	struct stats_step *k = arg;
	return store_planner_stats_table(c, k->after, k->table, &k->changed);
}

static int planner_stats_end_run(store_conn *c, void *arg)
{
	return store_planner_stats_end(c);
}

int alerts_planner_stats(store *st)
{
	/* a table a job, so that intake's writes go between them (store_core.h); bounded by a schema's tables */
	struct stats_step k = {.changed = false};
	bool changed = false;
	int rc = STORE_OK;
	for (int i = 0; i < 4096; i++) {
		if ((rc = txq_exec(st, planner_stats_table_run, &k)) != STORE_OK || !k.table[0])
			break;
		changed = changed || k.changed;
		memcpy(k.after, k.table, sizeof k.after);
	}
	if (rc == STORE_OK && changed)
		rc = txq_exec(st, planner_stats_end_run, NULL);
	return rc;
}

/* Writes in batches, each its own short transaction, so that intake waits milliseconds, not the sweep. */
#define SWEEP_BATCH 500

int alerts_sweep(store *st, const struct alerts_config *cfg, struct date today, const char *now_utc,
		 struct alerts_sweep_stats *stats)
{
	struct sweep s = {.cfg = cfg, .today = today, .stats = stats};
	int rc;
	memset(stats, 0, sizeof *stats);

	/* 1. Read every child's events in one snapshot and run the rules: nothing is locked for writing. */
	rc = service_in_snapshot(st, sweep_read, &s);
	evlist_free(&s.l);
	if (rc != STORE_OK)
		goto out;

	/* 2. Write what is new. */
	store_conn *c = store_conn_get(st);
	if (!c) {
		rc = STORE_EIO;
		goto out;
	}
	for (size_t i = 0; i < s.g.n && rc == STORE_OK;) {
		if ((rc = store_begin(c)) != STORE_OK)
			break;
		size_t end = i + SWEEP_BATCH < s.g.n ? i + SWEEP_BATCH : s.g.n;
		for (; i < end && rc == STORE_OK; i++) {
			bool inserted = false;
			rc = write_pending(c, "sweep", &s.g.v[i], &inserted);
			stats->raised += inserted;
		}
		if (rc == STORE_OK)
			rc = store_commit(c);
		else
			store_rollback(c);
	}

	/* 3. Escalate what has waited too long: an alert written on day D has the rest of D and then the
	 * setting's number of whole working days; a sweep on a later day escalates it. So with 1, one written
	 * on Monday (at any hour) escalates at Wednesday's sweep, one written on Saturday at Tuesday's. The
	 * cutoff is the UK midnight that starts the Nth working day before today: what was written before it
	 * has had N whole working days since. */
	if (rc == STORE_OK && (rc = store_begin(c)) == STORE_OK) {
		struct date since = clock_add_working_days(cfg->rules.calendar, today, -cfg->escalate_after_working_days);
		int64_t midnight = date_to_days(since) * 86400;
		midnight -= ts_uk_local(midnight) - midnight; /* BST: UK midnight is 23:00 UTC the day before */
		char cutoff[TS_UTC_LEN + 1];
		ts_format_utc(midnight, cutoff);
		/* Never escalate what was written after now (a sweep run with a past "today"). */
		if (now_utc && strcmp(now_utc, cutoff) < 0)
			snprintf(cutoff, sizeof cutoff, "%s", now_utc);
		rc = escalate_due(c, cutoff, &stats->escalated);
		if (rc == STORE_OK && stats->escalated > 0) {
			char detail[64];
			snprintf(detail, sizeof detail, "%lld escalated", (long long)stats->escalated);
			struct store_audit au = {.actor = "sweep", .action = "alert.escalate", .object = "alerts",
						 .detail = detail};
			rc = audit_append(c, &au);
		}
		/* Alerts about children's homes (service/homes.h) wait the same time, then go to the oversight
		 * team's manager. */
		int64_t homes = 0;
		if (rc == STORE_OK && (rc = homes_escalate_due(c, cutoff, &homes)) == STORE_OK && homes > 0) {
			char detail[64];
			snprintf(detail, sizeof detail, "%lld escalated", (long long)homes);
			struct store_audit au = {.actor = "sweep", .action = "home_alert.escalate", .object = "home_alerts",
						 .detail = detail};
			rc = audit_append(c, &au);
		}
		stats->homes_escalated = homes;
		if (rc == STORE_OK)
			rc = store_commit(c);
		else
			store_rollback(c);
	}
	store_conn_put(st, c);
out:
	free(s.g.v);
	return rc;
}

struct pick_args {
	struct alerts_pick *out;
	int max, *n;
};

static int pick_one(const struct store_alert *a, void *ctx)
{
	struct pick_args *p = ctx;
	if (*p->n >= p->max)
		return 0;
	for (int i = 0; i < *p->n; i++)
		if (p->out[i].child_id == a->person_id)
			return 0;
	p->out[*p->n].child_id = a->person_id;
	p->out[*p->n].alert_id = a->id;
	(*p->n)++;
	return 0;
}

int alerts_front_door(store_conn *c, int max, struct alerts_pick *out, int *n)
{
	struct store_view v; /* the operator's: every child but the sealed, every agency's alerts */
	memset(&v, 0, sizeof v);
	struct store_alert_query q = {.open_or_acknowledged = true, .owner_kind = "mash", .owner = "mash", .limit = 2000};
	struct pick_args p = {out, max, n};
	*n = 0;
	return store_alerts_owned(c, &v, &q, pick_one, &p);
}

/* ---- acting on an alert ---------------------------------------------------------------------------------- */

/* Whether a person may open and act on an alert: it is theirs (alerts_owner_match), or they manage the team
 * the child is allocated to (or the MASH team, for the MASH's alerts). */
static int may_act(store_conn *c, const struct store_alert *al, const char *username, const char *role, bool *may)
{
	*may = alerts_owner_match(al, username, role);
	if (*may || strcmp(role, "team_manager") != 0)
		return STORE_OK;
	bool mash = strcmp(al->owner_kind, "mash") == 0;
	return store_manages(c, username, mash ? "mash" : "", "", mash ? 0 : al->person_id, may);
}

static int act(store_conn *c, int64_t id, const struct access_writer *writer, const char *actor, const char *by,
	       const char *outcome, enum alerts_result *res)
{
	struct store_alert *a = malloc(sizeof *a);
	bool found = false, changed = false;
	char basis[ACCESS_BASIS_MAX];
	int rc;
	if (!a)
		return STORE_EIO;
	*res = ALERTS_NOT_FOUND;
	if ((rc = store_alert_get(c, id, a, &found)) != STORE_OK)
		goto out;
	/* The write decision, in this transaction: the alert is the person's (or their team's, for its manager),
	 * and its child is there. No alert, not theirs, or its child not there: one entry, naming no child
	 * (r-ntk30), written by the decision itself (child 0: nothing of theirs to act on). */
	bool may = found && !writer->role;
	if (found && writer->role && (rc = may_act(c, a, writer->username, writer->role, &may)) != STORE_OK)
		goto out;
	const struct access_write_ask ask = {writer, actor, WRITE_ALERT, outcome ? "alert.resolve" : "alert.acknowledge",
					     id};
	if ((rc = access_write_checked(c, &ask, may ? a->person_id : 0, 0, clock_now(), &found, basis)) != STORE_OK ||
	    !found)
		goto out;
	rc = outcome ? store_alert_resolve(c, id, by, outcome, &changed) : store_alert_acknowledge(c, id, by, &changed);
	if (rc != STORE_OK)
		goto out;
	*res = changed ? ALERTS_DONE : ALERTS_WRONG_STATE;
	if (!changed)
		goto out;
	char object[40];
	snprintf(object, sizeof object, "alert:%lld", (long long)id);
	/* The outcome is the practitioner's words, possibly about the child: kept on the alert, not in the
	 * audit detail. */
	struct store_audit au = {.actor = actor,
				 .action = outcome ? "alert.resolve" : "alert.acknowledge",
				 .child_id = a->person_id,
				 .object = object,
				 .detail = a->code};
	rc = audit_append(c, &au);
out:
	free(a);
	return rc;
}

int alerts_acknowledge(store_conn *c, int64_t id, const struct access_writer *writer, const char *actor, const char *by,
		       enum alerts_result *res)
{
	return act(c, id, writer, actor, by, NULL, res);
}

int alerts_resolve(store_conn *c, int64_t id, const struct access_writer *writer, const char *actor, const char *by,
		   const char *outcome, enum alerts_result *res)
{
	return act(c, id, writer, actor, by, outcome ? outcome : "", res);
}

void alerts_by(const struct access_writer *writer, const char *actor, const char *sent, char out[STORE_USER_MAX + 1])
{
	if (writer->role) { /* a person is who acted: the session says who */
		snprintf(out, STORE_USER_MAX + 1, "%s", writer->username);
		return;
	}
	if (!sent || !sent[0]) {
		snprintf(out, STORE_USER_MAX + 1, "%s", actor);
		return;
	}
	/* "NAME via AGENCY system" in 64 bytes: as much of NAME as fits, cut at a whole character. */
	char tail[48];
	int t = snprintf(tail, sizeof tail, " via %s system", writer->agency);
	size_t room = STORE_USER_MAX - (t > 0 && (size_t)t < sizeof tail ? (size_t)t : sizeof tail - 1), n = strlen(sent);
	if (n > room) {
		n = room;
		while (n && ((unsigned char)sent[n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(out, STORE_USER_MAX + 1, "%.*s%s", (int)n, sent, tail);
}

/* ---- reading ---------------------------------------------------------------------------------------------- */

struct list_args {
	const struct store_alert_query *q;
	store_alert_fn fn;
	store_allocation_fn afn;
	store_awaiting_fn wfn;
	void *ctx;
	const char *worker, *manager;
	int limit;
	int64_t *total;
	int64_t id;
	struct store_alert *out;
	bool *found;
	struct store_view view; /* what the reader may see (service/access.h) */
};

static int list_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	if (a->q->owner_kind && a->q->owner_kind[0])
		return store_alerts_owned(c, &a->view, a->q, a->fn, a->ctx);
	return store_alerts(c, &a->view, a->q, a->fn, a->ctx);
}

/* One child's record (a->child_id): its alerts are read under the access decision of this read, as its events
 * are (r-pgpage29, the lead's decision for issue 17). The decision (service/access.c, in the audit entry's
 * transaction) has answered what VIEW_PERSON would ask of this child for this reader (sealed, known:
 * access_reader.child_in_view), so the statement does not ask it again. The reads that follow the decision see a
 * later snapshot: a seal, or an allocation ended, committed between the two, changes neither the events the page
 * shows (VIEW_EVENT does not ask about the person) nor now its alerts, where before the events were shown and the
 * alerts left out. The next read is decided afresh (a seal refuses it). Only for a decision that lets the reader
 * see the record at all; a child their view does not show (a sealed record that the view of a role named for
 * sealed records does not know) is asked as every list asks. The lists of other callers (child_id 0) keep the
 * whole view. */
static struct store_alert_query child_alerts_query(const struct children_access *a, const struct store_alert_query *q)
{
	struct store_alert_query out = *q;
	out.person_decided = a->audited && !a->refused && access_child_decided(&a->reader);
	return out;
}

int alerts_list(store *st, const struct children_access *a, const struct store_alert_query *q, store_alert_fn fn,
		void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct store_alert_query child;
	struct list_args args = {.q = &child, .fn = fn, .ctx = ctx};
	if (a->child_id) { /* one child's record: its alerts as the reader's relationship with the child allows */
		if (q->person_id != a->child_id)
			return STORE_OK;
		access_view(&a->reader, &args.view);
		child = child_alerts_query(a, q);
	} else {
		access_list_view(&a->reader, &args.view);
		child = *q;
		child.person_decided = false; /* a list's caller decides nothing: VIEW_PERSON asked of every child */
	}
	return service_in_read(st, a, list_run, &args);
}

void alerts_list_ahead(const struct children_access *a, const struct store_alert_query *q, struct store_ahead *ah,
		       struct store_alert_query *keep)
{
	/* alerts_list's one-child branch, read by list_run with store_alerts under access_view */
	if (a->audited && a->child_id && q->person_id == a->child_id && a->child_id == ah->child_id &&
	    !(q->owner_kind && q->owner_kind[0])) {
		*keep = child_alerts_query(a, q);
		ah->alerts = keep;
	}
}

static int caseload_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	return store_caseload(c, &a->view, a->worker, a->limit, a->afn, a->ctx);
}

int alerts_caseload(store *st, const struct children_access *a, const char *worker, int limit,
		    store_allocation_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct list_args args = {.afn = fn, .ctx = ctx, .worker = worker, .limit = limit};
	access_list_view(&a->reader, &args.view);
	return service_in_snapshot(st, caseload_run, &args);
}

static int caseload_managed_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	return store_caseload_managed(c, &a->view, a->worker, a->manager, a->limit, a->afn, a->ctx);
}

int alerts_caseload_managed(store *st, const struct children_access *a, const char *worker, const char *manager,
			    int limit, store_allocation_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct list_args args = {.afn = fn, .ctx = ctx, .worker = worker, .manager = manager, .limit = limit};
	access_list_view(&a->reader, &args.view);
	return service_in_snapshot(st, caseload_managed_run, &args);
}

enum alerts_caseload_view alerts_caseload_whose(const char *worker, const char *username, const char *role)
{
	if (strcmp(worker, username) == 0)
		return ALERTS_CASELOAD_OWN;
	return strcmp(role, "team_manager") == 0 ? ALERTS_CASELOAD_TEAM : ALERTS_CASELOAD_REFUSED;
}

static int mash_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	return store_awaiting_decision(c, &a->view, a->limit, a->wfn, a->ctx, a->total);
}

int alerts_mash_queue(store *st, const struct children_access *a, int limit, store_awaiting_fn fn, void *ctx,
		      int64_t *total)
{
	*total = 0;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct list_args args = {.wfn = fn, .ctx = ctx, .limit = limit, .total = total};
	access_list_view(&a->reader, &args.view);
	return service_in_snapshot(st, mash_run, &args);
}

bool alerts_owner_parse(const char *text, struct alerts_owner *out)
{
	memset(out, 0, sizeof *out);
	const char *kind = "worker", *name = text;
	if (!text || !text[0])
		return false;
	if (strcmp(text, "mash") == 0)
		kind = "mash";
	else if (strncmp(text, "team:", 5) == 0)
		kind = "team", name = text + 5;
	else if (strncmp(text, "user:", 5) == 0)
		name = text + 5;
	if (!name[0] || strlen(name) > STORE_USER_MAX)
		return false;
	snprintf(out->kind, sizeof out->kind, "%s", kind);
	snprintf(out->name, sizeof out->name, "%s", name);
	return true;
}

bool alerts_owner_text_ok(const char *text)
{
	size_t n = text ? strlen(text) : 0;
	return text && text_utf8_valid(text, n) && !text_has_controls(text, n) && !strpbrk(text, "\t\r\n") &&
	       text_utf8_length(text, n) <= ALERTS_OWNER_MAX;
}

bool alerts_owner_match(const struct store_alert *al, const char *username, const char *role)
{
	bool mash_worker = strcmp(role, "mash_worker") == 0;
	/* escalated_to "mash" is the MASH (no manager of the MASH team), never a person called mash. */
	bool to_mash = strcmp(al->escalated_to, "mash") == 0;
	return (strcmp(al->owner_kind, "worker") == 0 && strcmp(al->owner, username) == 0) ||
	       (!to_mash && al->escalated_to[0] && strcmp(al->escalated_to, username) == 0) ||
	       (mash_worker && (strcmp(al->owner_kind, "mash") == 0 || to_mash));
}

struct may_list_args {
	const struct alerts_owner *owner;
	const char *username;
	bool *may;
};

static int may_list_run(store_conn *c, void *arg)
{
	struct may_list_args *a = arg;
	bool team = strcmp(a->owner->kind, "team") == 0, worker = strcmp(a->owner->kind, "worker") == 0;
	return store_manages(c, a->username, team ? a->owner->name : (worker ? "" : "mash"), worker ? a->owner->name : "",
			     0, a->may);
}

int alerts_person_may_list(store *st, const struct alerts_owner *owner, const char *username, const char *role,
			   bool *may)
{
	*may = (strcmp(owner->kind, "worker") == 0 && strcmp(owner->name, username) == 0) ||
	       (strcmp(owner->kind, "mash") == 0 && strcmp(role, "mash_worker") == 0);
	if (*may || strcmp(role, "team_manager") != 0)
		return STORE_OK;
	/* A team manager: their own team's alerts, a worker's who holds a child in it, the MASH's for the MASH's. */
	struct may_list_args a = {owner, username, may};
	return service_in_snapshot(st, may_list_run, &a);
}

int alerts_list_decided(store *st, txq *q, const struct alerts_owner *owner, struct children_access *a)
{
	bool may = !a->reader.role[0]; /* an agency's system lists any owner's alerts */
	if (!may && owner) {
		int rc = alerts_person_may_list(st, owner, a->reader.username, a->reader.role, &may);
		if (rc != STORE_OK)
			return rc;
	}
	/* on the kind of owner only: what was typed as the owner stays out of the audit */
	return children_access_decided(q, a, may, "alerts%s%s", owner && owner->kind[0] ? ":" : "",
				       owner ? owner->kind : "");
}

struct may_args {
	int64_t id;
	const struct access_reader *r;
	struct store_view view;
	bool *may;
	int64_t *child_id;
};

/* The same statements whatever the id holds (r-ntk27): an id with no alert asks whose it is (a team manager's
 * store_manages) and the facts of its child as of an alert with no owner and no child, so a refusal costs the
 * same work whether the id held nothing, another's alert, or an alert on a child the reader may not see. */
static int may_run(store_conn *c, void *arg)
{
	struct may_args *a = arg;
	struct store_alert *al = malloc(sizeof *al);
	struct store_access_facts f;
	bool found = false, theirs = true;
	if (!al)
		return STORE_EIO;
	int rc = store_alert_get(c, a->id, al, &found);
	if (rc == STORE_OK && !found)
		memset(al, 0, sizeof *al);
	if (rc == STORE_OK && a->r->role[0]) /* a person; an agency's system may read any alert */
		rc = may_act(c, al, a->r->username, a->r->role, &theirs);
	if (rc == STORE_OK)
		rc = store_access_facts(c, al->person_id, &a->view, &f);
	if (rc == STORE_OK && found) {
		*a->child_id = al->person_id;
		*a->may = theirs && (a->view.sealed || !f.sealed) && f.known; /* as alerts_get and the lists */
	}
	free(al);
	return rc;
}

int alerts_reader_may(store *st, const struct access_reader *r, int64_t id, bool *may, int64_t *child_id)
{
	*may = false;
	*child_id = 0;
	struct may_args a = {.id = id, .r = r, .may = may, .child_id = child_id};
	access_list_view(r, &a.view);
	return service_in_snapshot(st, may_run, &a);
}

int alerts_read_decided(store *st, txq *q, int64_t id, struct children_access *a)
{
	bool may = false;
	int64_t child_id = 0;
	int rc = alerts_reader_may(st, &a->reader, id, &may, &child_id);
	if (rc != STORE_OK)
		return rc;
	a->child_id = child_id;
	return children_access_decided(q, a, may, "alert:%lld", (long long)id);
}

int alerts_write_decided(store *st, txq *q, const struct access_reader *r, const struct access_write_ask *a,
			 struct access_write_refusal *refusal, void (*done)(struct access_write_refusal *refusal),
			 bool *may)
{
	int64_t child_id = 0;
	int rc = alerts_reader_may(st, r, a->id, may, &child_id);
	if (rc == STORE_OK && !*may) /* one entry on the alert asked, naming no child (r-ntk30) */
		access_write_refuse(q, refusal, a->actor, WRITE_ALERT, a->action, a->id, done);
	return rc;
}

/* ---- the team manager's page -------------------------------------------------------------------------- */

struct managed_args {
	const char *manager;
	store_team_fn fn;
	void *ctx;
};

static int managed_team(const struct store_team *t, void *ctx)
{
	struct managed_args *a = ctx;
	return strcmp(t->manager, a->manager) == 0 ? a->fn(t, a->ctx) : 0;
}

static int managed_run(store_conn *c, void *arg)
{
	return store_teams(c, 1000, managed_team, arg);
}

int alerts_managed_teams(store *st, const char *manager, store_team_fn fn, void *ctx)
{
	struct managed_args a = {manager, fn, ctx};
	if (!manager[0])
		return STORE_OK;
	return service_in_snapshot(st, managed_run, &a);
}

struct workload_args {
	const char *team;
	char today[DATE_ISO_LEN + 1];
	store_workload_fn fn;
	void *ctx;
	struct store_view view;
};

static int workload_run(store_conn *c, void *arg)
{
	struct workload_args *a = arg;
	return store_team_workload(c, &a->view, a->team, a->today, a->fn, a->ctx);
}

int alerts_team_workload(store *st, const struct children_access *a, const char *team, struct date today,
			 store_workload_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct workload_args args = {.team = team, .fn = fn, .ctx = ctx};
	date_format_iso(today, args.today);
	access_list_view(&a->reader, &args.view);
	return service_in_snapshot(st, workload_run, &args);
}

/* One alert as the reader may see it: an alert about a sealed child is not there, nor one about a child the
 * reader's view does not know (known only from records it leaves out: VIEW_PERSON, r-ntk24; the MASH outside
 * health read such an alert, named, by its id), as the lists leave them out (S_ALERTS: VIEW_PERSON). */
static int get_seen_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	struct store_access_facts f;
	int rc = store_alert_get(c, a->id, a->out, a->found);
	if (rc == STORE_OK && *a->found && (rc = store_access_facts(c, a->out->person_id, &a->view, &f)) == STORE_OK)
		*a->found = (a->view.sealed || !f.sealed) && f.known;
	return rc;
}

int alerts_get(store *st, const struct children_access *a, int64_t id, struct store_alert *out, bool *found)
{
	*found = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct list_args args = {.id = id, .out = out, .found = found};
	access_list_view(&a->reader, &args.view);
	return service_in_snapshot(st, get_seen_run, &args);
}

/* ---- unscheduled-care flags --------------------------------------------------------------------------------- */

/* The flag is the child's status (service/summary.h, one derivation for every reader): on a plan or looked after
 * (a child living in a children's home is), or either within the last 12 months. */
int alerts_flag_of(store_conn *c, int64_t child_id, struct date today, struct alerts_flag *out)
{
	struct child_status st;
	memset(out, 0, sizeof *out);
	int rc = summary_status_of(c, child_id, today, &st, NULL, NULL);
	if (rc != STORE_OK)
		return rc;
	out->on_cp_plan = st.cp_plan;
	out->unborn_cp_plan = st.unborn_cp_plan;
	out->looked_after = st.looked_after;
	snprintf(out->cp_start, sizeof out->cp_start, "%s", st.cp_start);
	snprintf(out->cp_end, sizeof out->cp_end, "%s", st.cp_end);
	snprintf(out->lac_start, sizeof out->lac_start, "%s", st.lac_start);
	snprintf(out->lac_end, sizeof out->lac_end, "%s", st.lac_end);
	snprintf(out->cp_category, sizeof out->cp_category, "%s", st.cp_category);
	out->flagged = st.flagged;
	return STORE_OK;
}

/* An audit detail with the token's note after it, when there is one. */
static const char *with_note(const char *detail, const char *note, char *buf, size_t bufsz)
{
	if (!note || !note[0])
		return detail;
	snprintf(buf, bufsz, "%s; %s", detail, note);
	return buf;
}

int alerts_flag_lookup(store_conn *c, const char *nhs, const struct store_flag_access *who, const char *note,
		       struct date today, int shown, store_flag_access_fn fn, void *ctx, int64_t *child_id,
		       struct alerts_flag *flag)
{
	char buf[512];
	memset(flag, 0, sizeof *flag);
	int rc = store_person_by_identifier(c, "nhs", nhs, child_id);
	if (rc != STORE_OK)
		return rc;
	bool sealed = false;
	if (*child_id > 0 && (rc = store_person_sealed(c, *child_id, &sealed)) != STORE_OK)
		return rc;
	if (*child_id <= 0 || sealed) { /* a sealed identity is not there to be flagged */
		*child_id = 0;
		struct store_audit au = {.actor = who->actor, .action = "flags.lookup", .object = "nhs",
					 .detail = with_note("no child with this NHS number", note, buf, sizeof buf)};
		return audit_append(c, &au);
	}
	if ((rc = alerts_flag_of(c, *child_id, today, flag)) != STORE_OK)
		return rc;
	if (!flag->flagged) {
		char object[40];
		snprintf(object, sizeof object, "child:%lld", (long long)*child_id);
		struct store_audit au = {.actor = who->actor, .action = "flags.lookup", .child_id = *child_id,
					 .object = object, .detail = with_note("no flag", note, buf, sizeof buf)};
		return audit_append(c, &au);
	}
	if ((rc = alerts_flag_lookup_record(c, *child_id, who, note, today)) != STORE_OK)
		return rc;
	return store_flag_accesses(c, *child_id, shown, fn, ctx);
}

int alerts_flag_lookup_record(store_conn *c, int64_t child_id, const struct store_flag_access *a, const char *note,
			      struct date today)
{
	char buf[512];
	struct store_flag_access rec = *a;
	rec.person_id = child_id;
	int64_t access_id = 0;
	int rc = store_flag_access_add(c, &rec, &access_id);
	if (rc != STORE_OK)
		return rc;
	char object[40];
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	struct store_audit au = {
		.actor = a->actor, .action = "flags.lookup", .child_id = child_id, .object = object,
		.detail = with_note(a->setting, note, buf, sizeof buf)};
	if ((rc = audit_append(c, &au)) != STORE_OK)
		return rc;

	/* The allocated worker is told (CP-IS notifies the authority of each look-up): one alert per look-up,
	 * keyed by the look-up's own row. */
	struct store_alert *al = calloc(1, sizeof *al);
	bool inserted = false;
	if (!al)
		return STORE_EIO;
	al->person_id = child_id;
	snprintf(al->code, sizeof al->code, "FLAG_LOOKUP");
	date_format_iso(today, al->raised_on);
	snprintf(al->evidence, sizeof al->evidence, "[]");
	snprintf(al->dedup_key, sizeof al->dedup_key, "FLAG_LOOKUP:%lld", (long long)access_id);
	rc = write_alert(c, a->actor, al, &inserted);
	free(al);
	return rc;
}

int alerts_break_glass(store_conn *c, int64_t child_id, int64_t glass_id, const char *actor, struct date today)
{
	/* Who opened it and why are in "who has looked" (the reason stays in break_glass): the alert says when. */
	struct store_alert *al = calloc(1, sizeof *al);
	bool inserted = false;
	if (!al)
		return STORE_EIO;
	al->person_id = child_id;
	snprintf(al->code, sizeof al->code, "BREAK_GLASS");
	date_format_iso(today, al->raised_on);
	snprintf(al->evidence, sizeof al->evidence, "[]");
	snprintf(al->dedup_key, sizeof al->dedup_key, "BREAK_GLASS:%lld", (long long)glass_id);
	int rc = write_alert(c, actor, al, &inserted);
	free(al);
	return rc;
}
