#include "core/visit.h"

#include <string.h>

/* The visits a social worker records (Care Planning Regulations 2010 reg 28 for looked-after children; local
 * child protection and child in need procedures for the others). */
static const struct visit_type types[] = {
	{"statutory_lac", "Statutory visit to a looked-after child"},
	{"cp", "Child protection visit"},
	{"cin", "Child in need visit"},
	{"lac_review", "Looked-after review visit"},
	{"unannounced", "Unannounced visit"},
	{"return_interview", "Return home interview after missing"},
	{"other", "Another kind of visit"},
};

const struct visit_type *visit_type_at(size_t i)
{
	return i < sizeof types / sizeof types[0] ? &types[i] : NULL;
}

const struct visit_type *visit_type_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].code, code) == 0)
			return &types[i];
	return NULL;
}

enum visit_problem visit_answers_check(enum visit_answer seen, enum visit_answer seen_alone)
{
	return seen == VISIT_NO && seen_alone == VISIT_YES ? VISIT_ALONE_NOT_SEEN : VISIT_OK;
}
