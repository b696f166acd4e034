/*
 * rules/rules.c — the safeguarding rules (see rules.h; what each alert means is docs/RULES.md).
 *
 * One forward pass over a child's events. Clocks are small records (due date, evidence); before the events
 * of a day are read, every clock whose due date has passed raises its alert, dated the day after the due
 * date. Event-triggered rules look at the state the pass has built so far (open episodes, recent concerns
 * and missing episodes). Everything lives in one struct on the stack: no allocation, so the intake
 * transaction can run it for each incoming event and the sweep for every child.
 */
#include "rules/rules.h"

#include <string.h>

/* ---- Settings ----------------------------------------------------------------------------------- */

void rules_settings_default(struct rules_settings *s)
{
	memset(s, 0, sizeof *s);
	/* Working Together 2023: decision on a referral within one working day. */
	s->referral_decision_working_days = 1;
	/* Working Together 2023: an assessment concludes within 45 working days of the referral. */
	s->assessment_working_days = 45;
	/* Working Together 2023: ICPC within 15 working days of the strategy discussion. */
	s->icpc_working_days = 15;
	/* Working Together 2023: first review conference within 3 months of the ICPC, then at most 6 months. */
	s->cp_first_review_months = 3;
	s->cp_review_months = 6;
	/* No national frequency; local procedures say 10 working days to 4 weeks. */
	s->cp_visit_working_days = 10;
	s->seen_alone_days = 42;
	s->seen_alone_min_age = 4;
	/* Care Planning, Placement and Case Review (England) Regulations 2010, reg 33. */
	s->lac_first_review_working_days = 20;
	s->lac_second_review_months = 3;
	s->lac_review_months = 6;
	/* SI 2010/959 reg 28: within 1 week of a placement, then at most every 6 weeks in the first year. */
	s->lac_first_visit_days = 7;
	s->lac_visit_days = 42;
	/* DfE statutory guidance on children who run away or go missing (2014): return interview in 72 h. */
	s->rhi_hours = 72;
	s->repeat_missing_count = 3;
	s->repeat_missing_window_days = 90;
	/* NICE CG89: bruising in any child not independently mobile, and all under 6 months. */
	s->non_mobile_age_months = 6;
	s->cumulative_concern_count = 3;
	s->cumulative_concern_agencies = 2;
	s->cumulative_concern_window_days = 90;
	/* SafeLives DASH: 14 or more "yes" answers is high risk, a MARAC referral. */
	s->dash_high_risk_score = 14;
	/* NHS CP-IS: on a plan or looked after, or either within the last 12 months. */
	s->unscheduled_care_lookback_months = 12;
	s->home_education_lookback_months = 12;
	/* Working Together 2023: notify the Panel within 5 working days; rapid review within 15 after. */
	s->serious_incident_working_days = 5;
	s->rapid_review_working_days = 15;
	/* Working Together 2023: a strategy discussion whenever there is reasonable cause to suspect significant
	 * harm; many areas hold it within 24 hours of the decision (local), here the next working day. */
	s->strategy_discussion_working_days = 1;
	/* Keeping Children Safe in Education 2024 part 4 and Working Together 2023 (chapter 2, "Organisations'
	 * responsibilities: allegations against people who work with children"): the LADO considers a referral
	 * within one working day; local procedures hold a strategy discussion within 5 working days where the
	 * harm threshold is met; KCSIE expects 80% of cases resolved within one month (90% in three, nearly all
	 * in twelve); the employer tells the LADO what it did (local: within a month of the outcome). */
	s->lado_consideration_working_days = 1;
	s->lado_strategy_working_days = 5;
	s->lado_outcome_months = 1;
	s->lado_employer_action_months = 1;
}

#define SETTING(name) {#name, offsetof(struct rules_settings, name)}
static const struct {
	const char *name;
	size_t offset;
} setting_names[] = {
	SETTING(referral_decision_working_days), SETTING(assessment_working_days), SETTING(icpc_working_days),
	SETTING(cp_first_review_months), SETTING(cp_review_months), SETTING(cp_visit_working_days),
	SETTING(seen_alone_days), SETTING(seen_alone_min_age), SETTING(lac_first_review_working_days),
	SETTING(lac_second_review_months), SETTING(lac_review_months), SETTING(lac_first_visit_days),
	SETTING(lac_visit_days), SETTING(rhi_hours), SETTING(repeat_missing_count),
	SETTING(repeat_missing_window_days), SETTING(non_mobile_age_months), SETTING(cumulative_concern_count),
	SETTING(cumulative_concern_agencies), SETTING(cumulative_concern_window_days),
	SETTING(dash_high_risk_score), SETTING(unscheduled_care_lookback_months),
	SETTING(home_education_lookback_months), SETTING(serious_incident_working_days),
	SETTING(rapid_review_working_days), SETTING(strategy_discussion_working_days),
	SETTING(lado_consideration_working_days), SETTING(lado_strategy_working_days), SETTING(lado_outcome_months),
	SETTING(lado_employer_action_months),
};
#undef SETTING
#define NSETTINGS (sizeof setting_names / sizeof setting_names[0])

int *rules_setting_find(struct rules_settings *s, const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(setting_names[i].name, name) == 0)
			return (int *)((char *)s + setting_names[i].offset);
	return NULL;
}

const char *rules_setting_name_at(size_t i)
{
	return i < NSETTINGS ? setting_names[i].name : NULL;
}

/* ---- Names ---------------------------------------------------------------------------------------- */

static const char *const kind_codes[RULES_KIND_COUNT] = {
	[RULES_OTHER] = "",
	[RULES_CONTACT] = "contact",
	[RULES_CONCERN] = "concern",
	[RULES_REFERRAL] = "referral",
	[RULES_REFERRAL_DECISION] = "referral_decision",
	[RULES_STRATEGY_DISCUSSION] = "strategy_discussion",
	[RULES_S47_START] = "s47_start",
	[RULES_S47_END] = "s47_end",
	[RULES_ICPC] = "icpc",
	[RULES_CP_PLAN_START] = "cp_plan_start",
	[RULES_CP_REVIEW] = "cp_review",
	[RULES_CP_PLAN_END] = "cp_plan_end",
	[RULES_ASSESSMENT_START] = "assessment_start",
	[RULES_ASSESSMENT_END] = "assessment_end",
	[RULES_CIN_PLAN_START] = "cin_plan_start",
	[RULES_CIN_PLAN_END] = "cin_plan_end",
	[RULES_LAC_START] = "lac_start",
	[RULES_LAC_REVIEW] = "lac_review",
	[RULES_LAC_END] = "lac_end",
	[RULES_PLACEMENT_START] = "placement_start",
	[RULES_PLACEMENT_END] = "placement_end",
	[RULES_VISIT] = "visit",
	[RULES_MISSING_START] = "missing_start",
	[RULES_MISSING_END] = "missing_end",
	[RULES_RETURN_INTERVIEW] = "return_interview",
	[RULES_INJURY] = "injury",
	[RULES_UNSCHEDULED_CARE] = "unscheduled_care",
	[RULES_POLICE_CALLOUT] = "police_callout",
	[RULES_DOMESTIC_ABUSE_INCIDENT] = "domestic_abuse_incident",
	[RULES_DASH_ASSESSMENT] = "dash_assessment",
	[RULES_HOME_EDUCATION_START] = "home_education_start",
	[RULES_SERIOUS_INCIDENT] = "serious_incident",
	[RULES_PANEL_NOTIFIED] = "panel_notified",
	[RULES_RAPID_REVIEW] = "rapid_review",
	[RULES_LADO_REFERRAL] = "lado_referral",
	[RULES_LADO_CONSIDERATION] = "lado_consideration",
	[RULES_LADO_STRATEGY] = "lado_strategy",
	[RULES_LADO_OUTCOME] = "lado_outcome",
	[RULES_LADO_EMPLOYER_ACTION] = "lado_employer_action",
};

enum rules_kind rules_kind_from_code(const char *code)
{
	for (int k = 1; k < RULES_KIND_COUNT; k++)
		if (strcmp(kind_codes[k], code) == 0)
			return (enum rules_kind)k;
	return RULES_OTHER;
}

const char *rules_kind_code(enum rules_kind k)
{
	return (unsigned)k < RULES_KIND_COUNT ? kind_codes[k] : "";
}

static const struct {
	const char *name, *title;
} codes[RULES_CODE_COUNT] = {
	[RULES_REFERRAL_DECISION_OVERDUE] = {"REFERRAL_DECISION_OVERDUE", "Referral decision overdue"},
	[RULES_ASSESSMENT_OVERDUE] = {"ASSESSMENT_OVERDUE", "Assessment overdue"},
	[RULES_ICPC_OVERDUE] = {"ICPC_OVERDUE", "Initial child protection conference overdue"},
	[RULES_CP_REVIEW_OVERDUE] = {"CP_REVIEW_OVERDUE", "Child protection review conference overdue"},
	[RULES_CP_VISIT_OVERDUE] = {"CP_VISIT_OVERDUE", "Child protection visit overdue"},
	[RULES_NOT_SEEN_ALONE] = {"NOT_SEEN_ALONE", "Child not seen alone"},
	[RULES_LAC_REVIEW_OVERDUE] = {"LAC_REVIEW_OVERDUE", "Looked-after review overdue"},
	[RULES_LAC_VISIT_OVERDUE] = {"LAC_VISIT_OVERDUE", "Statutory visit to a looked-after child overdue"},
	[RULES_RHI_OVERDUE] = {"RHI_OVERDUE", "Return home interview overdue"},
	[RULES_REPEAT_MISSING] = {"REPEAT_MISSING", "Repeatedly missing"},
	[RULES_NON_MOBILE_INJURY] = {"NON_MOBILE_INJURY", "Injury to a non-mobile child"},
	[RULES_CUMULATIVE_CONCERN] = {"CUMULATIVE_CONCERN", "Concerns from several agencies"},
	[RULES_DOMESTIC_ABUSE_IN_HOUSEHOLD] = {"DOMESTIC_ABUSE_IN_HOUSEHOLD", "Domestic abuse in the household"},
	[RULES_DASH_HIGH_RISK] = {"DASH_HIGH_RISK", "High-risk DASH assessment: MARAC referral"},
	[RULES_UNSCHEDULED_CARE_ATTENDANCE] = {"UNSCHEDULED_CARE_ATTENDANCE", "Seen in unscheduled care"},
	[RULES_HOME_EDUCATED_KNOWN_TO_SERVICES] = {"HOME_EDUCATED_KNOWN_TO_SERVICES",
						   "Home education for a child known to services"},
	[RULES_DISTANT_PLACEMENT_APPROVAL] = {"DISTANT_PLACEMENT_APPROVAL",
					      "Distant placement without the Director's approval"},
	[RULES_SERIOUS_INCIDENT_NOTIFICATION_DUE] = {"SERIOUS_INCIDENT_NOTIFICATION_DUE",
						     "Serious incident: notify the national Panel"},
	[RULES_RAPID_REVIEW_DUE] = {"RAPID_REVIEW_DUE", "Rapid review due"},
	[RULES_STRATEGY_DISCUSSION_OVERDUE] = {"STRATEGY_DISCUSSION_OVERDUE", "Strategy discussion overdue"},
	[RULES_LADO_CONSIDERATION_OVERDUE] = {"LADO_CONSIDERATION_OVERDUE", "Allegation: initial consideration overdue"},
	[RULES_LADO_STRATEGY_OVERDUE] = {"LADO_STRATEGY_OVERDUE", "Allegation: strategy discussion overdue"},
	[RULES_LADO_OUTCOME_OVERDUE] = {"LADO_OUTCOME_OVERDUE", "Allegation: outcome overdue"},
	[RULES_LADO_EMPLOYER_ACTION_OVERDUE] = {"LADO_EMPLOYER_ACTION_OVERDUE", "Allegation: employer's actions overdue"},
	[RULES_LADO_ACROSS_EMPLOYERS] = {"LADO_ACROSS_EMPLOYERS", "Allegations at more than one employer"},
};

const char *rules_code_name(enum rules_code c)
{
	return (unsigned)c < RULES_CODE_COUNT ? codes[c].name : "";
}

const char *rules_code_title(enum rules_code c)
{
	return (unsigned)c < RULES_CODE_COUNT ? codes[c].title : "";
}

int rules_code_from_name(const char *name)
{
	for (int c = 0; c < RULES_CODE_COUNT; c++)
		if (strcmp(codes[c].name, name) == 0)
			return c;
	return -1;
}

/* ---- State of one pass ---------------------------------------------------------------------------- */

/* A running deadline. A clock that has raised its alert, or been met, is disarmed. */
struct clk {
	bool armed;
	struct date due;
	bool exact;        /* due_instant applies (RHI with a known return time) */
	int64_t due_instant;
	size_t nev;
	const struct rules_event *ev[RULES_EVIDENCE_MAX];
};

/* Clocks that run one per event (each referral needs its decision, each return its interview). They are
 * due within days, so a handful are ever waiting at once; more than this is refused, not dropped. */
#define MULTI_MAX 32
/* Recent events kept for the windowed patterns (missing episodes, concerns). */
#define RECENT_MAX 64
/* Employers one person's allegations name; past this, a new employer is still raised, not remembered. */
#define LADO_EMPLOYERS_MAX 16

struct recent {
	size_t n, head; /* ring: head is the oldest */
	const struct rules_event *ev[RECENT_MAX];
};

struct pass {
	const struct rules_settings *s;
	const struct rules_child *child;
	rules_emit_fn emit;
	void *ctx;

	struct clk referral_decision[MULTI_MAX];
	struct clk rhi[MULTI_MAX];
	struct clk assessment, icpc, cp_review, cp_visit, seen_alone, lac_review, lac_visit, strategy;
	/* The LADO's process (issue 18): one consideration per referral; the later clocks are the person's. */
	struct clk lado_consider[MULTI_MAX];
	struct clk lado_strategy, lado_outcome, lado_employer;
	/* The employers where allegations arose, each with the first referral there (the evidence). */
	const struct rules_event *lado_employers[LADO_EMPLOYERS_MAX];
	size_t nlado_employers;

	int referrals_awaiting;
	bool assessment_open, assessment_started_since_armed, s47_open, cin_open, cp_open, cp_active, lac_open,
		placement_open;
	int lac_reviews;
	const struct rules_event *last_strategy;
	const struct rules_event *cp_start, *cp_end, *lac_start, *lac_end;
	/* The last day a referral, assessment, s47, plan or care episode was open: home education's look-back. */
	bool known;
	struct date known_on;

	struct recent missing, concerns;

	/* No armed clock is due before soonest (any_armed: one has been armed). A clock disarmed leaves it as it
	 * was, still a bound, so fall_due looks through the clocks only on a day one may have fallen due (issue 17:
	 * the look at every clock for every event was 2% of the intake writer's instructions). */
	bool any_armed;
	struct date soonest;
};

static struct date add_wd(const struct pass *p, struct date d, int n)
{
	return clock_add_working_days(p->s->calendar, d, n);
}

static void ev_push(struct clk *c, const struct rules_event *e)
{
	if (!e)
		return;
	if (c->nev == RULES_EVIDENCE_MAX) { /* keep the first (what started it) and the latest */
		memmove(&c->ev[1], &c->ev[2], (RULES_EVIDENCE_MAX - 2) * sizeof c->ev[0]);
		c->nev--;
	}
	c->ev[c->nev++] = e;
}

static void arm(struct pass *p, struct clk *c, struct date due, const struct rules_event *a,
		const struct rules_event *b)
{
	if (!p->any_armed || date_cmp(due, p->soonest) < 0)
		p->soonest = due;
	p->any_armed = true;
	memset(c, 0, sizeof *c);
	c->armed = true;
	c->due = due;
	ev_push(c, a);
	ev_push(c, b);
}

/* NULL when every slot is waiting. */
static struct clk *multi_arm(struct pass *p, struct clk *slots, struct date due, const struct rules_event *e)
{
	for (size_t i = 0; i < MULTI_MAX; i++)
		if (!slots[i].armed) {
			arm(p, &slots[i], due, e, NULL);
			return &slots[i];
		}
	return NULL;
}

static int emit_alert(struct pass *p, enum rules_code code, struct date raised, const struct date *due,
		      const struct rules_event *const *ev, size_t nev)
{
	struct rules_alert a;
	memset(&a, 0, sizeof a);
	a.code = code;
	a.raised_on = raised;
	if (due) {
		a.has_due = true;
		a.due = *due;
	}
	a.nevidence = nev < RULES_EVIDENCE_MAX ? nev : RULES_EVIDENCE_MAX;
	memcpy(a.evidence, ev, a.nevidence * sizeof ev[0]);
	return p->emit(&a, p->ctx);
}

/* An event-triggered alert about e, with earlier evidence first. */
static int raise_now(struct pass *p, enum rules_code code, const struct rules_event *e, const struct date *due,
		     const struct rules_event *before)
{
	const struct rules_event *ev[2];
	size_t n = 0;
	if (before)
		ev[n++] = before;
	ev[n++] = e;
	return emit_alert(p, code, e->day, due, ev, n);
}

/* ---- Clocks falling due ------------------------------------------------------------------------ */

struct clock_slot {
	struct clk *clk;
	enum rules_code code;
};

/* Every clock with its code, in rule order (the order alerts of one day come out). */
static size_t clock_slots(struct pass *p, struct clock_slot *out)
{
	size_t n = 0;
	for (size_t i = 0; i < MULTI_MAX; i++)
		out[n++] = (struct clock_slot){&p->referral_decision[i], RULES_REFERRAL_DECISION_OVERDUE};
	out[n++] = (struct clock_slot){&p->assessment, RULES_ASSESSMENT_OVERDUE};
	out[n++] = (struct clock_slot){&p->icpc, RULES_ICPC_OVERDUE};
	out[n++] = (struct clock_slot){&p->cp_review, RULES_CP_REVIEW_OVERDUE};
	out[n++] = (struct clock_slot){&p->cp_visit, RULES_CP_VISIT_OVERDUE};
	out[n++] = (struct clock_slot){&p->seen_alone, RULES_NOT_SEEN_ALONE};
	out[n++] = (struct clock_slot){&p->lac_review, RULES_LAC_REVIEW_OVERDUE};
	out[n++] = (struct clock_slot){&p->lac_visit, RULES_LAC_VISIT_OVERDUE};
	out[n++] = (struct clock_slot){&p->strategy, RULES_STRATEGY_DISCUSSION_OVERDUE};
	for (size_t i = 0; i < MULTI_MAX; i++)
		out[n++] = (struct clock_slot){&p->rhi[i], RULES_RHI_OVERDUE};
	for (size_t i = 0; i < MULTI_MAX; i++)
		out[n++] = (struct clock_slot){&p->lado_consider[i], RULES_LADO_CONSIDERATION_OVERDUE};
	out[n++] = (struct clock_slot){&p->lado_strategy, RULES_LADO_STRATEGY_OVERDUE};
	out[n++] = (struct clock_slot){&p->lado_outcome, RULES_LADO_OUTCOME_OVERDUE};
	out[n++] = (struct clock_slot){&p->lado_employer, RULES_LADO_EMPLOYER_ACTION_OVERDUE};
	return n;
}
#define NSLOTS (3 * MULTI_MAX + 11)

/* Raises, in date order, every alert of a clock that was due before day: each is raised the day after its
 * due date, which is on or before day. */
static int fall_due(struct pass *p, struct date day)
{
	if (!p->any_armed || date_cmp(p->soonest, day) >= 0)
		return 0;
	struct clock_slot slots[NSLOTS];
	size_t n = clock_slots(p, slots);
	for (;;) {
		struct clock_slot *first = NULL;
		bool any = false;
		struct date soonest = day;
		for (size_t i = 0; i < n; i++) {
			struct clk *c = slots[i].clk;
			if (!c->armed)
				continue;
			if (!any || date_cmp(c->due, soonest) < 0)
				soonest = c->due;
			any = true;
			if (date_cmp(c->due, day) < 0 && (!first || date_cmp(c->due, first->clk->due) < 0))
				first = &slots[i];
		}
		if (!first) {
			p->any_armed = any;
			p->soonest = soonest;
			return 0;
		}
		struct clk *c = first->clk;
		c->armed = false;
		int rc = emit_alert(p, first->code, clock_add_days(c->due, 1), &c->due, c->ev, c->nev);
		if (rc)
			return rc;
	}
}

/* ---- Helpers on the child and the windows --------------------------------------------------------- */

static bool dob_known(const struct pass *p)
{
	return date_valid(p->child->dob);
}

/* The day from which a child is expected to be seen alone: the start, or the birthday that makes them old
 * enough. An unknown date of birth counts as old enough (docs/RULES.md). */
static struct date seen_alone_from(const struct pass *p, struct date from)
{
	if (!dob_known(p))
		return from;
	struct date old_enough = clock_add_months(p->child->dob, 12 * p->s->seen_alone_min_age);
	return date_cmp(old_enough, from) > 0 ? old_enough : from;
}

static void recent_push(struct recent *r, const struct rules_event *e)
{
	if (r->n == RECENT_MAX) {
		r->head = (r->head + 1) % RECENT_MAX;
		r->n--;
	}
	r->ev[(r->head + r->n) % RECENT_MAX] = e;
	r->n++;
}

/* The recent events on or after from, oldest first, the last RULES_EVIDENCE_MAX of them into ev. Returns
 * how many there are in all. */
static size_t recent_since(const struct recent *r, struct date from, const struct rules_event **ev, size_t *nev)
{
	size_t count = 0;
	*nev = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct rules_event *e = r->ev[(r->head + i) % RECENT_MAX];
		if (date_cmp(e->day, from) < 0)
			continue;
		count++;
		if (*nev == RULES_EVIDENCE_MAX) {
			memmove(&ev[0], &ev[1], (RULES_EVIDENCE_MAX - 1) * sizeof ev[0]);
			(*nev)--;
		}
		ev[(*nev)++] = e;
	}
	return count;
}

static bool anything_open(const struct pass *p)
{
	return p->referrals_awaiting > 0 || p->assessment_open || p->s47_open || p->cin_open || p->cp_open ||
	       p->lac_open;
}

static void mark_known(struct pass *p, struct date day)
{
	p->known = true;
	p->known_on = day;
}

static bool outcome_is(const char *outcome, const char *const *list)
{
	if (!outcome)
		return false;
	for (; *list; list++)
		if (strcmp(outcome, *list) == 0)
			return true;
	return false;
}

static const char *const no_assessment[] = {"nfa", "no_further_action", "early_help", "universal", NULL};
static const char *const to_conference[] = {"icpc", "conference", "icpc_requested", NULL};
/* The MASH's decisions (service/mash.h) that start a clock: a child in need assessment under section 17, and a
 * strategy discussion for a section 47 enquiry (or immediate protection, which needs one as well). */
static const char *const to_assessment[] = {"s17", NULL};
static const char *const to_strategy[] = {"s47", "immediate_protection", NULL};
static const char *const no_plan[] = {"no_plan", "nfa", "no_further_action", "cin", "cin_plan", NULL};
/* The LADO's initial consideration: the harm threshold (KCSIE part 4) met or not. Not met: the employer deals
 * with it under its own procedures and the LADO's clocks stop (docs/RULES.md). */
static const char *const lado_threshold_met[] = {"threshold_met", NULL};
static const char *const lado_threshold_not_met[] = {"threshold_not_met", NULL};

static bool lado_same_employer(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* A referral about the person at an employer none of their earlier allegations named, when there was one:
 * raised the same day (issue 18: a person who moves between homes carries a pattern no single home sees). */
static int lado_referral(struct pass *p, const struct rules_event *e)
{
	if (!e->employer || !e->employer[0])
		return 0;
	for (size_t i = 0; i < p->nlado_employers; i++)
		if (lado_same_employer(p->lado_employers[i]->employer, e->employer))
			return 0;
	int rc = 0;
	if (p->nlado_employers > 0) {
		const struct rules_event *ev[RULES_EVIDENCE_MAX];
		size_t n = 0;
		for (size_t i = 0; i < p->nlado_employers && n < RULES_EVIDENCE_MAX - 1; i++)
			ev[n++] = p->lado_employers[i];
		ev[n++] = e;
		rc = emit_alert(p, RULES_LADO_ACROSS_EMPLOYERS, e->day, &e->day, ev, n);
	}
	if (p->nlado_employers < LADO_EMPLOYERS_MAX)
		p->lado_employers[p->nlado_employers++] = e;
	return rc;
}

bool rules_answers_referral(const struct rules_event *e)
{
	return e && e->kind == RULES_REFERRAL_DECISION &&
	       (!e->agency || !e->agency[0] || strcmp(e->agency, EVENT_REFERRAL_DECIDER) == 0);
}

/* ---- One event ------------------------------------------------------------------------------------ */

static int on_event(struct pass *p, const struct rules_event *e)
{
	const struct rules_settings *s = p->s;
	struct date due;
	int rc = 0;

	switch (e->kind) {
	case RULES_REFERRAL:
		p->referrals_awaiting++;
		mark_known(p, e->day);
		if (!multi_arm(p, p->referral_decision, add_wd(p, e->day, s->referral_decision_working_days), e))
			return RULES_ECAPACITY;
		/* One assessment answers every referral made while it is due (docs/RULES.md). */
		if (!p->assessment.armed) {
			arm(p, &p->assessment, add_wd(p, e->day, s->assessment_working_days), e, NULL);
			p->assessment_started_since_armed = p->assessment_open;
		}
		break;
	case RULES_REFERRAL_DECISION:
		if (!rules_answers_referral(e))
			break; /* another agency's own record: the referral still awaits social care */
		p->referrals_awaiting = 0;
		mark_known(p, e->day);
		for (size_t i = 0; i < MULTI_MAX; i++)
			p->referral_decision[i].armed = false;
		if (outcome_is(e->outcome, no_assessment) && !p->assessment_started_since_armed)
			p->assessment.armed = false;
		/* A contact the MASH sends for assessment is a referral from the day of the decision: Working
		 * Together 2023's 45 working days run from then (one already running from a referral stands). */
		if (outcome_is(e->outcome, to_assessment) && !p->assessment.armed && !p->assessment_open) {
			arm(p, &p->assessment, add_wd(p, e->day, s->assessment_working_days), e, NULL);
			p->assessment_started_since_armed = false;
		}
		if (outcome_is(e->outcome, to_strategy) && !p->strategy.armed)
			arm(p, &p->strategy, add_wd(p, e->day, s->strategy_discussion_working_days), e, NULL);
		break;
	case RULES_ASSESSMENT_START:
		p->assessment_open = true;
		p->assessment_started_since_armed = true;
		mark_known(p, e->day);
		if (p->assessment.armed)
			ev_push(&p->assessment, e);
		else
			arm(p, &p->assessment, add_wd(p, e->day, s->assessment_working_days), e, NULL);
		break;
	case RULES_ASSESSMENT_END:
		p->assessment_open = false;
		p->assessment.armed = false;
		mark_known(p, e->day);
		break;
	case RULES_STRATEGY_DISCUSSION:
		p->last_strategy = e;
		p->strategy.armed = false;
		mark_known(p, e->day);
		break;
	case RULES_S47_START: {
		/* Working Together 2023: ICPC within 15 working days of the strategy discussion that started it. */
		const struct rules_event *from = p->last_strategy ? p->last_strategy : e;
		arm(p, &p->icpc, add_wd(p, from->day, s->icpc_working_days), p->last_strategy, e);
		p->last_strategy = NULL;
		p->s47_open = true;
		mark_known(p, e->day);
		break;
	}
	case RULES_S47_END:
		p->s47_open = false;
		mark_known(p, e->day);
		/* No outcome sent: the conference may still be coming, so the clock keeps running. */
		if (e->outcome && !outcome_is(e->outcome, to_conference))
			p->icpc.armed = false;
		break;
	case RULES_ICPC:
		p->icpc.armed = false;
		mark_known(p, e->day);
		if (!outcome_is(e->outcome, no_plan)) {
			p->cp_active = true;
			arm(p, &p->cp_review, clock_add_months(e->day, s->cp_first_review_months), e, NULL);
		}
		break;
	case RULES_CP_PLAN_START:
		mark_known(p, e->day);
		if (!p->cp_active) /* no ICPC recorded: the plan's start stands in for it */
			arm(p, &p->cp_review, clock_add_months(e->day, s->cp_first_review_months), e, NULL);
		p->cp_active = true;
		if (!p->cp_open) {
			arm(p, &p->cp_visit, add_wd(p, e->day, s->cp_visit_working_days), e, NULL);
			if (!p->lac_open)
				arm(p, &p->seen_alone, clock_add_days(seen_alone_from(p, e->day), s->seen_alone_days), e,
				    NULL);
		}
		p->cp_open = true;
		p->cp_start = e;
		break;
	case RULES_CP_REVIEW:
		mark_known(p, e->day);
		if (p->cp_active)
			arm(p, &p->cp_review, clock_add_months(e->day, s->cp_review_months), e, NULL);
		break;
	case RULES_CP_PLAN_END:
		mark_known(p, e->day);
		p->cp_open = p->cp_active = false;
		p->cp_end = e;
		p->cp_review.armed = p->cp_visit.armed = false;
		if (!p->lac_open)
			p->seen_alone.armed = false;
		break;
	case RULES_CIN_PLAN_START:
		p->cin_open = true;
		mark_known(p, e->day);
		break;
	case RULES_CIN_PLAN_END:
		p->cin_open = false;
		mark_known(p, e->day);
		break;
	case RULES_LAC_START:
		mark_known(p, e->day);
		if (!p->lac_open) {
			p->lac_reviews = 0;
			/* Care Planning Regulations 2010 reg 33: first review within 20 working days. */
			arm(p, &p->lac_review, add_wd(p, e->day, s->lac_first_review_working_days), e, NULL);
			if (!p->cp_open)
				arm(p, &p->seen_alone, clock_add_days(seen_alone_from(p, e->day), s->seen_alone_days), e,
				    NULL);
		}
		p->lac_open = true;
		p->lac_start = e;
		break;
	case RULES_LAC_REVIEW:
		mark_known(p, e->day);
		if (p->lac_open) {
			p->lac_reviews++;
			int months = p->lac_reviews == 1 ? s->lac_second_review_months : s->lac_review_months;
			arm(p, &p->lac_review, clock_add_months(e->day, months), e, NULL);
		}
		break;
	case RULES_LAC_END:
		mark_known(p, e->day);
		p->lac_open = p->placement_open = false;
		p->lac_end = e;
		p->lac_review.armed = p->lac_visit.armed = false;
		if (!p->cp_open)
			p->seen_alone.armed = false;
		break;
	case RULES_PLACEMENT_START:
		p->placement_open = true;
		/* SI 2010/959 reg 28: a visit within one week of any placement. */
		arm(p, &p->lac_visit, clock_add_days(e->day, s->lac_first_visit_days), e, NULL);
		if (e->distant == RULES_YES && e->dcs_approved != RULES_YES)
			rc = raise_now(p, RULES_DISTANT_PLACEMENT_APPROVAL, e, &e->day, NULL);
		break;
	case RULES_PLACEMENT_END:
		p->placement_open = false;
		p->lac_visit.armed = false;
		break;
	case RULES_VISIT: {
		bool seen_alone = e->seen_alone == RULES_YES;
		bool seen = seen_alone || e->seen == RULES_YES;
		if (seen && p->cp_open)
			arm(p, &p->cp_visit, add_wd(p, e->day, s->cp_visit_working_days), e, NULL);
		if (seen && p->placement_open)
			arm(p, &p->lac_visit, clock_add_days(e->day, s->lac_visit_days), e, NULL);
		if (seen_alone && (p->cp_open || p->lac_open))
			arm(p, &p->seen_alone, clock_add_days(seen_alone_from(p, e->day), s->seen_alone_days), e, NULL);
		break;
	}
	case RULES_MISSING_START: {
		recent_push(&p->missing, e);
		const struct rules_event *ev[RULES_EVIDENCE_MAX];
		size_t nev;
		size_t count = recent_since(&p->missing, clock_add_days(e->day, -s->repeat_missing_window_days), ev, &nev);
		if (count >= (size_t)s->repeat_missing_count)
			rc = emit_alert(p, RULES_REPEAT_MISSING, e->day, NULL, ev, nev);
		break;
	}
	case RULES_MISSING_END: {
		/* With the time of the return the 72 hours are exact; with a date only, they are 3 days. */
		int64_t due_at = e->instant + (int64_t)s->rhi_hours * 3600;
		due = e->has_instant ? ts_utc_date(ts_uk_local(due_at)) : clock_add_days(e->day, (s->rhi_hours + 23) / 24);
		struct clk *c = multi_arm(p, p->rhi, due, e);
		if (!c)
			return RULES_ECAPACITY;
		c->exact = e->has_instant;
		c->due_instant = due_at;
		break;
	}
	case RULES_RETURN_INTERVIEW:
		if (e->independent != RULES_YES)
			break;
		for (size_t i = 0; i < MULTI_MAX; i++) {
			struct clk *c = &p->rhi[i];
			if (!c->armed)
				continue;
			bool in_time = c->exact && e->has_instant ? e->instant <= c->due_instant
								  : date_cmp(e->day, c->due) <= 0;
			if (in_time)
				c->armed = false;
		}
		break;
	case RULES_INJURY: {
		bool young = dob_known(p) &&
			     date_cmp(e->day, clock_add_months(p->child->dob, s->non_mobile_age_months)) < 0;
		if (young || p->child->mobile == RULES_NO)
			rc = raise_now(p, RULES_NON_MOBILE_INJURY, e, &e->day, NULL);
		break;
	}
	case RULES_CONCERN: {
		recent_push(&p->concerns, e);
		if (anything_open(p))
			break;
		const struct rules_event *ev[RULES_EVIDENCE_MAX];
		size_t nev;
		struct date from = clock_add_days(e->day, -s->cumulative_concern_window_days);
		size_t count = recent_since(&p->concerns, from, ev, &nev);
		if (count < (size_t)s->cumulative_concern_count)
			break;
		/* Distinct agencies among all concerns in the window (not only those kept as evidence). */
		const char *seen_agencies[RECENT_MAX];
		size_t nag = 0;
		for (size_t i = 0; i < p->concerns.n; i++) {
			const struct rules_event *c = p->concerns.ev[(p->concerns.head + i) % RECENT_MAX];
			if (date_cmp(c->day, from) < 0 || !c->agency || !c->agency[0])
				continue;
			size_t j = 0;
			while (j < nag && strcmp(seen_agencies[j], c->agency) != 0)
				j++;
			if (j == nag)
				seen_agencies[nag++] = c->agency;
		}
		if (nag >= (size_t)s->cumulative_concern_agencies)
			rc = emit_alert(p, RULES_CUMULATIVE_CONCERN, e->day, NULL, ev, nev);
		break;
	}
	case RULES_DOMESTIC_ABUSE_INCIDENT:
		/* Operation Encompass: the school is told before the next school day. Adults are not children. */
		if (dob_known(p) && date_age_years(p->child->dob, e->day) >= 18)
			break;
		due = add_wd(p, e->day, 1);
		rc = raise_now(p, RULES_DOMESTIC_ABUSE_IN_HOUSEHOLD, e, &due, NULL);
		break;
	case RULES_DASH_ASSESSMENT:
		if (e->score >= s->dash_high_risk_score)
			rc = raise_now(p, RULES_DASH_HIGH_RISK, e, NULL, NULL);
		break;
	case RULES_UNSCHEDULED_CARE: {
		struct date since = clock_add_months(e->day, -s->unscheduled_care_lookback_months);
		const struct rules_event *why = NULL;
		if (p->cp_open)
			why = p->cp_start;
		else if (p->lac_open)
			why = p->lac_start;
		else if (p->cp_end && date_cmp(p->cp_end->day, since) >= 0)
			why = p->cp_end;
		else if (p->lac_end && date_cmp(p->lac_end->day, since) >= 0)
			why = p->lac_end;
		if (why)
			rc = raise_now(p, RULES_UNSCHEDULED_CARE_ATTENDANCE, e, NULL, why);
		break;
	}
	case RULES_HOME_EDUCATION_START: {
		struct date since = clock_add_months(e->day, -s->home_education_lookback_months);
		if (anything_open(p) || (p->known && date_cmp(p->known_on, since) >= 0))
			rc = raise_now(p, RULES_HOME_EDUCATED_KNOWN_TO_SERVICES, e, NULL, NULL);
		break;
	}
	case RULES_SERIOUS_INCIDENT:
		due = add_wd(p, e->day, s->serious_incident_working_days);
		rc = raise_now(p, RULES_SERIOUS_INCIDENT_NOTIFICATION_DUE, e, &due, NULL);
		break;
	case RULES_PANEL_NOTIFIED:
		due = add_wd(p, e->day, s->rapid_review_working_days);
		rc = raise_now(p, RULES_RAPID_REVIEW_DUE, e, &due, NULL);
		break;
	case RULES_LADO_REFERRAL:
		/* KCSIE part 4: the LADO considers every referral within one working day. */
		if (!multi_arm(p, p->lado_consider, add_wd(p, e->day, s->lado_consideration_working_days), e))
			return RULES_ECAPACITY;
		if (!p->lado_outcome.armed)
			arm(p, &p->lado_outcome, clock_add_months(e->day, s->lado_outcome_months), e, NULL);
		rc = lado_referral(p, e);
		break;
	case RULES_LADO_CONSIDERATION:
		for (size_t i = 0; i < MULTI_MAX; i++)
			p->lado_consider[i].armed = false;
		if (outcome_is(e->outcome, lado_threshold_met) && !p->lado_strategy.armed)
			arm(p, &p->lado_strategy, add_wd(p, e->day, s->lado_strategy_working_days), e, NULL);
		if (outcome_is(e->outcome, lado_threshold_not_met))
			p->lado_strategy.armed = p->lado_outcome.armed = false;
		break;
	case RULES_LADO_STRATEGY:
		p->lado_strategy.armed = false;
		break;
	case RULES_LADO_OUTCOME:
		p->lado_outcome.armed = p->lado_strategy.armed = false;
		arm(p, &p->lado_employer, clock_add_months(e->day, s->lado_employer_action_months), e, NULL);
		break;
	case RULES_LADO_EMPLOYER_ACTION:
		p->lado_employer.armed = false;
		break;
	default:
		break;
	}
	return rc;
}

/* ---- The pass ------------------------------------------------------------------------------------- */

/* Order within the input: by day; in a day, a day-only event before timed ones, timed ones by instant. */
static bool in_order(const struct rules_event *a, const struct rules_event *b)
{
	int c = date_cmp(a->day, b->day);
	if (c)
		return c < 0;
	if (!b->has_instant)
		return !a->has_instant;
	return !a->has_instant || a->instant <= b->instant;
}

int rules_evaluate(const struct rules_settings *s, const struct rules_child *child,
		   const struct rules_event *ev, size_t n, struct date until, rules_emit_fn emit, void *ctx)
{
	if (!s || !child || (!ev && n) || !emit || !date_valid(until))
		return RULES_EINVALID;
	for (size_t i = 0; i < n; i++) {
		if (!date_valid(ev[i].day))
			return RULES_EINVALID;
		if (i && !in_order(&ev[i - 1], &ev[i]))
			return RULES_EUNSORTED;
	}

	struct pass p;
	memset(&p, 0, sizeof p);
	p.s = s;
	p.child = child;
	p.emit = emit;
	p.ctx = ctx;

	int rc;
	for (size_t i = 0; i < n && date_cmp(ev[i].day, until) <= 0; i++) {
		/* The day begins: what fell due before it is raised first, then its events are read. */
		if ((rc = fall_due(&p, ev[i].day)) || (rc = on_event(&p, &ev[i])))
			return rc;
	}
	return fall_due(&p, until);
}
