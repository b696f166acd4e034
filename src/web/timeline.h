/*
 * web/timeline.h — the chronology drawn as an SVG by the server: one lane per agency, time across, each
 * event a shape (a different shape per agency, so colour is never the only cue) that is a link to its row
 * in the table below. Accessible: a title and a description name the drawing, every event link has a
 * text name, and the table is the alternative.
 */
#ifndef SAFEGUARD_WEB_TIMELINE_H
#define SAFEGUARD_WEB_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct timeline_event {
	int64_t id;
	int64_t at;         /* seconds since the epoch */
	const char *agency; /* code */
	const char *name;   /* what a screen reader says for the link: "4 March 2025, Police: Concern" */
};

/* Appends the <svg> for n events (any order) to out. */
int timeline_svg(const struct timeline_event *ev, size_t n, const char *child_name, struct buf *out);

#endif
