#include "rules/words.h"

/* Each row: why the alert was raised (the rule, in plain words, with its statutory source where there is
 * one) and the next step that closes it. Keep in step with docs/RULES.md. */
static const struct {
	const char *why, *next;
} words[RULES_CODE_COUNT] = {
	[RULES_REFERRAL_DECISION_OVERDUE] = {
		"A decision on a referral is due within 1 working day of the referral being received (Working Together "
		"2023), and none has been recorded.",
		"Decide what happens next (no further action, early help, section 17 or section 47) and record the "
		"referral decision."},
	[RULES_ASSESSMENT_OVERDUE] = {
		"A child and family assessment must be finished within 45 working days of the referral (Working Together "
		"2023), and it has not been.",
		"Complete the assessment and record its end, or ask your manager to agree an extension."},
	[RULES_ICPC_OVERDUE] = {
		"An initial child protection conference is due within 15 working days of the strategy discussion "
		"(Working Together 2023), and none has been recorded.",
		"Arrange the conference with the chair and record it, or record why the section 47 enquiry ended without "
		"one."},
	[RULES_CP_REVIEW_OVERDUE] = {
		"A child protection review conference is due 3 months after the first conference and every 6 months "
		"after that (Working Together 2023).",
		"Book the review conference with the chair and record it."},
	[RULES_CP_VISIT_OVERDUE] = {
		"A child on a child protection plan must be seen at least every 10 working days, and no visit where the "
		"child was seen has been recorded in that time.",
		"Visit the child, see them, and record the visit."},
	[RULES_NOT_SEEN_ALONE] = {
		"A child on a plan or in care, aged 4 or over, should be seen alone at least every 6 weeks, and has not "
		"been.",
		"Visit and see the child alone, and record it on the visit."},
	[RULES_LAC_REVIEW_OVERDUE] = {
		"A looked-after child's review is due within 20 working days of coming into care, then at 3 months, then "
		"every 6 months (Care Planning Regulations 2010).",
		"Arrange the review with the independent reviewing officer and record it."},
	[RULES_LAC_VISIT_OVERDUE] = {
		"A looked-after child must be visited within a week of a new placement and at least every 6 weeks after "
		"(Care Planning Regulations 2010, regulation 28).",
		"Visit the child in their placement, see them, and record the visit."},
	[RULES_RHI_OVERDUE] = {
		"A child who returned from being missing must be offered an independent return home interview within 72 "
		"hours (DfE guidance, 2014).",
		"Arrange the return home interview with an independent worker and record it."},
	[RULES_REPEAT_MISSING] = {
		"The child has gone missing 3 or more times in 90 days.",
		"Hold a strategy discussion about exploitation and update the child's missing-from-care plan."},
	[RULES_NON_MOBILE_INJURY] = {
		"A bruise or injury to a baby under 6 months, or to a child who cannot move about on their own, needs a "
		"safeguarding response the same day (NICE CG89).",
		"Speak to the referrer today, arrange a child protection medical and decide on a strategy discussion."},
	[RULES_CUMULATIVE_CONCERN] = {
		"Three or more concerns from two or more agencies in 90 days, and no referral, assessment or plan is "
		"open.",
		"Read the concerns together in the chronology and decide whether to make a referral."},
	[RULES_DOMESTIC_ABUSE_IN_HOUSEHOLD] = {
		"The police recorded a domestic abuse incident in the child's household (Operation Encompass): the school "
		"must be told before it opens the next day.",
		"Tell the child's school's safeguarding lead before the school day starts, and check the child's safety "
		"plan."},
	[RULES_DASH_HIGH_RISK] = {
		"A DASH risk assessment scored 14 or more: high risk of serious harm to the adult victim.",
		"Refer to MARAC and consider the children in the household in a strategy discussion."},
	[RULES_UNSCHEDULED_CARE_ATTENDANCE] = {
		"A child on a child protection plan or in care (now or within 12 months) attended A&E, an urgent care "
		"centre or a minor injuries unit (NHS CP-IS).",
		"Contact the hospital about the attendance and decide whether the plan needs to change."},
	[RULES_HOME_EDUCATED_KNOWN_TO_SERVICES] = {
		"A child known to children's services in the last 12 months has been taken out of school to be home "
		"educated.",
		"Speak to the family and the elective home education team, and see the child."},
	[RULES_DISTANT_PLACEMENT_APPROVAL] = {
		"A child was placed far from home without a record of the Director of Children's Services' approval "
		"(Care Planning Regulations 2010, regulation 11).",
		"Get the Director's approval recorded today, or review the placement."},
	[RULES_SERIOUS_INCIDENT_NOTIFICATION_DUE] = {
		"A serious incident must be notified to the Child Safeguarding Practice Review Panel within 5 working days "
		"(Working Together 2023).",
		"Notify the national Panel and record the notification."},
	[RULES_RAPID_REVIEW_DUE] = {
		"A rapid review is due within 15 working days of notifying the national Panel.",
		"Complete the rapid review with the safeguarding partners and send it to the Panel."},
	[RULES_STRATEGY_DISCUSSION_OVERDUE] = {
		"The MASH decided on a section 47 enquiry or immediate protection: a strategy discussion with the police "
		"and health is due within 1 working day of that decision (Working Together 2023), and none has been "
		"recorded.",
		"Hold the strategy discussion with the police and health today and record it, with what was decided."},
	[RULES_LADO_CONSIDERATION_OVERDUE] = {
		"An allegation against a person who works with children must be considered by the LADO within 1 working "
		"day of the referral (Keeping Children Safe in Education 2024, part 4), and no consideration has been "
		"recorded.",
		"Read the referral, decide whether the harm threshold is met, and record the initial consideration."},
	[RULES_LADO_STRATEGY_OVERDUE] = {
		"The harm threshold was met: a strategy discussion with the police and children's social care is due "
		"within 5 working days (local procedure; Working Together 2023), and none has been recorded.",
		"Hold the strategy discussion with the police, children's social care and the employer, and record it."},
	[RULES_LADO_OUTCOME_OVERDUE] = {
		"Allegations should be resolved quickly: 80% within one month (Keeping Children Safe in Education 2024, "
		"part 4), and this one has no outcome yet.",
		"Record the outcome (substantiated, false, malicious, unfounded or unsubstantiated), or what is still "
		"waited for."},
	[RULES_LADO_EMPLOYER_ACTION_OVERDUE] = {
		"The employer must tell the LADO what it did after the outcome (Keeping Children Safe in Education 2024, "
		"part 4), within a month (local), and nothing has been recorded.",
		"Ask the employer what it did (no action, training, a warning, dismissal, a referral to the DBS) and "
		"record it."},
	[RULES_LADO_ACROSS_EMPLOYERS] = {
		"The same person has allegations against them at more than one employer, or in more than one home: a "
		"pattern no single employer sees.",
		"Read the person's allegations together today and decide whether to hold one strategy discussion "
		"with every employer."},
};

const char *rules_code_why(enum rules_code c)
{
	return (unsigned)c < RULES_CODE_COUNT && words[c].why ? words[c].why : "";
}

const char *rules_code_next(enum rules_code c)
{
	return (unsigned)c < RULES_CODE_COUNT && words[c].next ? words[c].next : "";
}
