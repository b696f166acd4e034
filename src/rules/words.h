/*
 * rules/words.h — what each alert means in words a practitioner reads: why it was raised and what to do
 * next (issue 15: inboxes say this instead of rule codes). One table beside the rules (docs/RULES.md names
 * the rules and their clocks); the timescales in it are the default settings (rules_settings_default).
 * Pure: no I/O.
 */
#ifndef SAFEGUARD_RULES_WORDS_H
#define SAFEGUARD_RULES_WORDS_H

#include "rules/rules.h"

/* "" for a code out of range. */
const char *rules_code_why(enum rules_code c);  /* "Decide within 1 working day of the referral..." */
const char *rules_code_next(enum rules_code c); /* "Record the MASH decision..." */

#endif
