/*
 * io/settings.h — the rules' local settings from a JSON file (docs/RULES.md "Settings"), as `serve`, `sweep`
 * and `replay --settings` take them: the named numbers (rules_setting_find), "closures" (local closure days,
 * YYYY-MM-DD) into closures[0..max) with cal pointing at them, and, when escalate_after is not NULL (the server
 * and the sweep), "escalate_after_working_days". Strict: a JSON object, no unknown or duplicate key, every
 * number a whole number from 0 to 3660 (date arithmetic stays far inside 0001-9999), at most max closures.
 * 0 on success; -1 with "FILE: reason" (FILE:LINE:COLUMN: for JSON that does not parse) in err. Fuzzed by
 * fuzz/fuzz_parsers.
 */
#ifndef SAFEGUARD_IO_SETTINGS_H
#define SAFEGUARD_IO_SETTINGS_H

#include <stddef.h>

#include "clock/clock.h"
#include "core/date.h"
#include "rules/rules.h"

int settings_read(const char *path, struct rules_settings *settings, struct clock_calendar *cal, struct date *closures,
		  size_t max, int *escalate_after, char *err, size_t errsz);

#endif
