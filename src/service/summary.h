/*
 * service/summary.h — what every practitioner must see first about a child (issue 15): the legal status
 * (child protection plan, looked after, child in need), missing now, where the child is placed, and whom to
 * call (the allocated worker and team, in office hours and out of hours); and the one-screen answer to a
 * clinician in unscheduled care who looks a child up by NHS number.
 *
 * The status is derived in one place, summary_status_of (the pure derivation is rules/status.h), for the
 * child's page, the flag page and /api/v1/flags alike (alerts_flag_of reads it).
 */
#ifndef SAFEGUARD_SERVICE_SUMMARY_H
#define SAFEGUARD_SERVICE_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "rules/status.h"
#include "store/store.h"

struct children_access;

/* The team the answer falls back on when no team holds the child: the MASH (the front door). */
#define SUMMARY_FRONT_DOOR_TEAM "mash"

/* The child's status as of today, on the caller's connection (a snapshot or a write transaction): the
 * episodes' latest starts and ends, and the child's placement in a children's home today (into *placement
 * when not NULL; *placed says whether there is one). */
int summary_status_of(store_conn *c, int64_t child_id, struct date today, struct child_status *out,
		      struct store_home_placement *placement, bool *placed);

/* Whom to call about a child: the allocated worker (username, "" when only a team holds the child) and the
 * allocated team with its contact details, else the front door's (has_team false when neither exists). */
struct summary_contacts {
	bool allocated;
	char worker[STORE_USER_MAX + 1];
	char since[STORE_TS_LEN + 1];
	bool has_team;
	struct store_team_contact team;
};

struct children_summary {
	struct child_status status;
	/* Whether an event the reader may not see would change the legal status, or "missing now": the card says a
	 * record they may not see bears on it, and nothing of what that record says. */
	bool status_withheld, missing_withheld;
	bool placed;
	struct store_home_placement placement;
	struct summary_contacts contacts;
};

/* The summary card of the child's page, under the read's durable audit entry (CHILDREN_ENOAUDIT otherwise).
 * The legal status, the placement and the allocation are social care's record: shown with the whole record
 * (ACCESS_FULL), and to social care's own-agency readers from social care's own events only (access_view);
 * *shown false (and out zero) for any other reader. One read snapshot. */
/* The reads summary_read will make for this access, added to *ah (store_send_ahead; day holds the placement's
 * day, and must live until ah is sent). Nothing is added for a reader who has no card. */
void summary_read_ahead(const struct children_access *a, struct date today, struct store_ahead *ah,
			char day[DATE_ISO_LEN + 1]);
int summary_read(store *st, const struct children_access *a, struct date today, struct children_summary *out,
		 bool *shown);

/* A clinician's look-up by NHS number in unscheduled care (the page /flag; the API has its own answer), whole,
 * in the caller's write transaction: alerts_flag_lookup finds the child, audits the look-up and, when there is
 * a flag, records it and tells the allocated worker (a FLAG_LOOKUP alert, owned as every alert is). Only a
 * flagged child is named (given and family name, date of birth: so the clinician knows it is the child in
 * front of them) with its contacts; an unflagged child and an unknown number get the same answer. */
struct summary_flag_answer {
	bool flagged;
	struct child_status status;
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES], dob[11];
	struct summary_contacts contacts;
};
int summary_flag_answer(store_conn *c, const char *nhs, const struct store_flag_access *who, struct date today,
			struct summary_flag_answer *out);

/* Sets a team's contact details (demo data, administration); *found false when there is no such team. Must run
 * in a write transaction; audited. */
int summary_team_contact_set(store_conn *c, const char *actor, const struct store_team_contact *t, bool *found);
/* The same for the fields given (NULL: kept as they are; "": cleared), the rest read first (safeguard team add
 * --phone, --out-of-hours-phone, --email). The caller checks their form (users_check_profile). The audit detail
 * names the fields changed, not their values; when none changes, nothing is written or audited. */
int summary_team_contact_update(store_conn *c, const char *actor, const char *code, const char *phone,
				const char *out_of_hours_phone, const char *email, bool *found);

#endif
