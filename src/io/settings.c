/* io/settings.c — the rules' local settings from a JSON file (io/settings.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "io/settings.h"

int settings_read(const char *path, struct rules_settings *settings, struct clock_calendar *cal,
		  struct date *closures, size_t max, int *escalate_after, char *err, size_t errsz)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	int rc = -1;
	if (!doc) {
		snprintf(err, errsz, "%s:%d:%d: not valid JSON: %s", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(doc)) {
		snprintf(err, errsz, "%s:1:1: settings must be a JSON object", path);
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, "closures") == 0) {
			size_t i;
			json_t *d;
			if (!json_is_array(v) || json_array_size(v) > max) {
				snprintf(err, errsz, "%s: closures must be a list of at most %zu dates", path, max);
				goto out;
			}
			json_array_foreach(v, i, d)
			{
				if (!json_is_string(d) || date_parse_iso(json_string_value(d), &closures[i]) != 0) {
					snprintf(err, errsz, "%s: closures[%zu] must be a date (YYYY-MM-DD)", path, i);
					goto out;
				}
			}
			cal->closures = closures;
			cal->nclosures = json_array_size(v);
			continue;
		}
		int *slot = rules_setting_find(settings, key);
		if (!slot && escalate_after && strcmp(key, "escalate_after_working_days") == 0)
			slot = escalate_after;
		if (!slot) {
			snprintf(err, errsz, "%s: \"%.60s\" is not a setting (see docs/RULES.md \"Settings\")", path, key);
			goto out;
		}
		/* Bounded so that date arithmetic stays far inside 0001-9999 and windows fit the rules' memory. */
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 3660) {
			snprintf(err, errsz, "%s: %s must be a whole number from 0 to 3660", path, key);
			goto out;
		}
		*slot = (int)json_integer_value(v);
	}
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

