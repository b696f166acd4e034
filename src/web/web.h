/*
 * web/web.h — the pages practitioners use: find a child, the child's record with the multi-agency
 * chronology, record a concern or a visit; the alerts inbox, one alert (acknowledge, resolve), a worker's
 * caseload and the MASH queue. Server-rendered from Mustache templates (lib/mustache.h) with GOV.UK
 * Frontend's styles (web/assets.h); every page works without JavaScript.
 *
 * An edge: it reads and writes only through the service layer, with the same audit as the API.
 *
 * Every page but /sign-in needs a person signed in (web/signin.c); what they may open is decided by the
 * role policy and need-to-know (service/access.h).
 */
#ifndef SAFEGUARD_WEB_WEB_H
#define SAFEGUARD_WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "http/server.h"
#include "lib/mustache.h"
#include "service/alerts.h"
#include "service/txq.h"
#include "store/store.h"

#define WEB_TEMPLATES_MAX 64

struct web {
	store *st;
	txq *q;
	bool demo;       /* a demonstration area (`safeguard demo`): the pages say so */
	bool behind_tls; /* cookies are Secure (serve --behind-tls) */
	char authority[4]; /* DfE LA number of the deployment's authority (serve --authority); "" for none */
	struct alerts_config alerts; /* the rules' settings for events recorded on the pages (web_init sets the
				      * defaults; the server copies its own over them) */
	struct {
		const char *name;
		mustache *t;
	} templates[WEB_TEMPLATES_MAX];
	int ntemplates;
};

/* Compiles the embedded templates; err names the template, line and column of a problem. */
int web_init(struct web *w, store *st, txq *q, bool demo, char *err, size_t errsz);
void web_free(struct web *w);

/* Answers every path that is not the API's: assets, pages, and 404 for the rest. */
void web_handle(http_request *rq, void *ctx);
/* http_options.admit for the pages: the route, the session, the role policy and a form's origin are decided
 * from the headers, so that no body is kept for someone who would be refused; the sign-in form's body may
 * hold HTTP_PUBLIC_BODY_MAX. */
size_t web_admit(http_request *rq, void *ctx);

/* The i-th page route: method, path pattern and the role policy's name of what it does; false past the end. */
bool web_route_at(size_t i, const char **method, const char **pattern, const char **action);

#endif
