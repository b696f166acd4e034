/*
 * web/landing.c — where each person lands after signing in (issue 15): on their own work, not on a search
 * box. The one table of it. A page the route table does not have falls back to the start page ("/"), so the
 * table can never send someone to a 404.
 */
#include "web/web_int.h"

#include <string.h>

static const struct {
	const char *role, *page;
} landings[] = {
	{"social_worker", "/alerts"},     /* their inbox, most overdue first; the caseload is one click away */
	{"team_manager", "/team"},        /* the team's alerts, escalations and caseloads */
	{"mash_worker", "/mash"},         /* the front door's queue */
	{"health_practitioner", "/flag"}, /* the unscheduled-care flag look-up */
	{"dpo", "/dpo"},                  /* the data protection officer's home page */
	{"oversight_analyst", "/homes"},
	{"police_officer", "/police/homes"},
	{"admin", "/admin"},
	{"lado", "/lado"},                /* allegations against people who work with children: the queue */
	/* school_dsl, conference_chair: finding a child is their work ("/"). */
};

const char *web_landing(const char *role)
{
	for (size_t i = 0; i < sizeof landings / sizeof landings[0]; i++)
		if (role && strcmp(landings[i].role, role) == 0)
			return web_has_page(landings[i].page) ? landings[i].page : "/";
	return "/";
}
