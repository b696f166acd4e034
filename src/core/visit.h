/*
 * core/visit.h — what a visit to a child records, checked the same way on the pages and the API (issue 15):
 * its type (statutory visit to a looked-after child, child protection visit, ...) and whether the child was
 * seen, and seen alone. A child who was not seen cannot have been seen alone: such a record is refused,
 * never silently changed.
 */
#ifndef SAFEGUARD_CORE_VISIT_H
#define SAFEGUARD_CORE_VISIT_H

#include <stdbool.h>
#include <stddef.h>

struct visit_type {
	const char *code;  /* kept in the event's details as "visit_type" */
	const char *label; /* what the pages show */
};
const struct visit_type *visit_type_at(size_t i); /* NULL past the end */
const struct visit_type *visit_type_find(const char *code);

/* A yes/no answer that may be missing. */
enum visit_answer { VISIT_UNANSWERED = 0, VISIT_NO, VISIT_YES };

enum visit_problem {
	VISIT_OK = 0,
	VISIT_ALONE_NOT_SEEN, /* seen alone: yes, with seen: no (the field at fault is seen_alone) */
};
enum visit_problem visit_answers_check(enum visit_answer seen, enum visit_answer seen_alone);

#endif
