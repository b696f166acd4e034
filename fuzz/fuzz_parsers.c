/*
 * libFuzzer target for the small parsers of what a client or an operator types, and the rules' settings file:
 *   - core/event: a record's id in a URL or query (event_parse_id) and the chronology's cursor (event_cursor_parse);
 *   - service/alerts: the inbox's owner= filter (alerts_owner_parse);
 *   - service/tokens: a token's scopes (tokens_scope_parse, `token create --scope`, the admin page's form);
 *   - io/settings: the rules' settings file (`serve|sweep|replay --settings`, docs/RULES.md "Settings").
 * The first byte chooses the parser, the rest is its input (up to the first NUL where it takes a C string).
 * Invariants: an id is 1 to 18 digits and prints back as the input; a cursor formats back to the input; an
 * owner's kind is one of three and its name fits; a scope's canonical form parses to itself; the settings read
 * hold every number in 0..3660 and every closure a valid date, else an error naming the file.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock/clock.h"
#include "core/date.h"
#include "core/event.h"
#include "io/settings.h"
#include "rules/rules.h"
#include "service/alerts.h"
#include "service/tokens.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_file(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "%s/sg-fuzz-settings-%ld.json", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
		 (long)getpid());
	atexit(remove_file);
	return 0;
}

static void an_id(const char *s, size_t n)
{
	int64_t id = 0;
	if (!event_parse_id(s, n, &id))
		return;
	char back[24];
	assert(id >= 1);
	snprintf(back, sizeof back, "%" PRId64, id);
	assert(strlen(back) == n && memcmp(back, s, n) == 0); /* one spelling of each id */
}

static void a_cursor(const char *s)
{
	char at[21], back[EVENT_CURSOR_MAX];
	int64_t id = 0, t;
	if (!event_cursor_parse(s, at, &id))
		return;
	assert(id >= 1);
	assert(ts_parse_rfc3339(at, &t) == DATE_OK);
	event_cursor_format(at, id, back);
	assert(strcmp(back, s) == 0);
}

static void an_owner(const char *s)
{
	struct alerts_owner o;
	if (!alerts_owner_parse(s, &o))
		return;
	assert(strcmp(o.kind, "worker") == 0 || strcmp(o.kind, "team") == 0 || strcmp(o.kind, "mash") == 0);
	assert(o.name[0] && strlen(o.name) <= STORE_USER_MAX);
	assert(strcmp(o.kind, "mash") != 0 || strcmp(s, "mash") == 0);
}

static void a_scope(const char *s, const char *agency)
{
	char out[STORE_SCOPE_MAX + 1], again[STORE_SCOPE_MAX + 1], err[128];
	err[0] = '\0';
	if (!tokens_scope_parse(s, agency, out, err, sizeof err)) {
		assert(err[0]); /* names the scope at fault */
		return;
	}
	assert(out[0] && strlen(out) <= STORE_SCOPE_MAX);
	assert(tokens_scope_parse(out, agency, again, err, sizeof err));
	assert(strcmp(out, again) == 0); /* canonical */
}

static void the_settings(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	size_t put = size ? fwrite(data, 1, size, f) : 0;
	fclose(f);
	if (put != size)
		return;
	struct rules_settings rs;
	struct clock_calendar cal;
	struct date closures[8];
	int escalate = 2;
	char err[512];
	memset(&cal, 0, sizeof cal);
	rules_settings_default(&rs);
	err[0] = '\0';
	if (settings_read(path, &rs, &cal, closures, sizeof closures / sizeof closures[0], &escalate, err, sizeof err) != 0) {
		assert(strncmp(err, path, strlen(path)) == 0);
		return;
	}
	for (size_t i = 0; rules_setting_name_at(i); i++) {
		int *v = rules_setting_find(&rs, rules_setting_name_at(i));
		assert(v && *v >= 0 && *v <= 3660);
	}
	assert(escalate >= 0 && escalate <= 3660);
	assert(cal.nclosures <= sizeof closures / sizeof closures[0]);
	for (size_t i = 0; i < cal.nclosures; i++)
		assert(cal.closures == closures && date_valid(closures[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 64 * 1024)
		return 0;
	uint8_t which = data[0];
	data++;
	size--;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	static const char *const agencies[] = {"police", "health", "education", "social_care", "housing", ""};
	switch (which % 5) {
	case 0: an_id((const char *)data, size); break;
	case 1: a_cursor(s); break;
	case 2: an_owner(s); break;
	case 3: a_scope(s, agencies[(which / 5) % 6]); break;
	case 4: the_settings(data, size); break;
	}
	free(s);
	return 0;
}
