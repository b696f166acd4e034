/*
 * io/chronology.h — one line of a replay chronology (JSON Lines), as `safeguard replay` reads it
 * (format: docs/RULES.md "Replay").
 *
 * An edge: it turns text into the plain values rules/ takes, and says what is wrong with a line and where
 * (the column of the offending key, or of the JSON syntax error). Lines are parsed with jansson, rejecting
 * duplicate keys; the fuzz target fuzz/fuzz_chronology.c runs it on arbitrary bytes.
 */
#ifndef SAFEGUARD_IO_CHRONOLOGY_H
#define SAFEGUARD_IO_CHRONOLOGY_H

#include <stddef.h>

#include "rules/rules.h"

/* A line longer than this is refused rather than read into memory. */
#define CHRON_LINE_MAX (64 * 1024)

enum chron_type { CHRON_PERSON, CHRON_EVENT };

struct chron_person {
	char *id;
	char *household;            /* NULL when not given */
	struct rules_child child;
};

struct chron_event {
	char *id;
	char *child;                /* NULL only for a domestic abuse incident that names a household */
	char *household;            /* domestic_abuse_incident only; NULL otherwise */
	char *agency;               /* "" when not given */
	char *outcome;              /* NULL when not given */
	char *employer;             /* the LADO's events (issue 18): where the allegation arose; NULL when not given */
	struct rules_event ev;      /* ev.id, ev.agency, ev.outcome and ev.employer point into the strings above */
};

struct chron_line {
	enum chron_type type;
	struct chron_person person;
	struct chron_event event;
};

struct chron_error {
	int column;                 /* 1-based byte column in the line */
	char message[160];
};

/* Parses line[0..len) (no newline). 0 and a filled *out (release it with chron_line_release), or -1 and
 * *err. Strings are copies: the line may be freed after. */
int chron_parse_line(const char *line, size_t len, struct chron_line *out, struct chron_error *err);
void chron_line_release(struct chron_line *l);

/* The 1-based column of "key" used as a key in the line, or 1: for errors found after parsing (an unknown
 * child, a duplicate id). */
int chron_key_column(const char *line, size_t len, const char *key);

#endif
