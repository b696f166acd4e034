/*
 * web/timeline.h — the chronology drawn as an SVG by the server: one lane per agency, time across, each
 * event a shape (a different shape per agency, so colour is never the only cue) that is a link to its row
 * in the table below. Accessible: a title and a description name the drawing, every event link has a
 * text name, and the table is the alternative.
 */
#ifndef SAFEGUARD_WEB_TIMELINE_H
#define SAFEGUARD_WEB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct timeline_event {
	int64_t id;
	int64_t at;              /* seconds since the epoch */
	const char *agency;      /* code (static) */
	const char *agency_name; /* static */
	const char *kind_label;  /* static */
	bool on_page;            /* its row is in the table on this page: link "#event-ID" */
	char at_text[21];        /* else the link opens the page that starts with it (?before=AT_ID+1) */
};

/* Appends the <svg> for n events (any order) to out. page_base is the record's URL with its filters
 * ("/children/7?agency=&kind="), for marks whose row is on another page. The accessible name of each
 * mark, "4 March 2025, Police: Concern", is its <title>. */
int timeline_svg(const struct timeline_event *ev, size_t n, const char *child_name, const char *page_base,
		 struct buf *out);

#endif
