/* routes: every route of the API and the pages, with what each does for the role policy (for the
 * authorisation matrix test and for reviewers). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "web/web.h"

int cmd_routes(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: safeguard routes\n\nPrints every route as JSON: [{\"surface\", \"method\", \"path\", \"action\"}].\n"
		       "The action is what the role policy decides on (docs/API.md, \"Who may do what\"); an API route\n"
		       "also says which token scope opens it to an agency's system (\"scope\", null for none).\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "safeguard routes: takes no arguments\n");
		return 2;
	}
	json_t *all = json_array();
	const char *method, *pattern, *action;
	for (size_t i = 0; api_route_at(i, &method, &pattern, &action); i++) {
		const char *scope = api_route_scope_at(i);
		json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:s, s:o}", "surface", "api", "method", method, "path",
						     pattern, "action", action, "scope",
						     scope ? json_string(scope) : json_null()));
	}
	for (size_t i = 0; web_route_at(i, &method, &pattern, &action); i++)
		json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:s}", "surface", "web", "method", method, "path",
						     pattern, "action", action));
	int rc = json_dumpf(all, stdout, JSON_INDENT(1)) == 0 ? 0 : 1;
	putchar('\n');
	json_decref(all);
	return rc;
}
