#include "io/homes_csv.h"

#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

/* ---- A CSV file as rows of the required columns --------------------------------------------------- */

static bool blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

static bool blank_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

struct reader;
/* Called for each data row with the required fields, in the order they were asked for. */
typedef int (*row_fn)(struct reader *r, char **f);

struct reader {
	const char *const *want;     /* column names: the first nreq required, the others optional */
	size_t nwant, nreq;
	size_t pos[HCSV_COLUMNS_MAX];/* column index of each wanted name */
	size_t ncols;                /* header fields */
	bool have_header;
	char field[HCSV_COLUMNS_MAX][HCSV_FIELD_MAX + 1];
	size_t nfields;
	bool too_long;
	unsigned long line, row_line;
	row_fn fn;
	void *ctx;
	struct hcsv_error *err;
	bool failed;
	bool row_ended;
};

static void fail(struct reader *r, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct reader *r, const char *column, const char *fmt, ...)
{
	va_list ap;
	if (r->failed)
		return;
	r->failed = true;
	r->err->line = r->row_line;
	snprintf(r->err->column, sizeof r->err->column, "%s", column ? column : "");
	va_start(ap, fmt);
	vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
	va_end(ap);
	/* The message quotes the input: a terminal gets printable ASCII only. */
	for (char *c = r->err->message; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->failed)
		return;
	if (r->nfields >= HCSV_COLUMNS_MAX) {
		fail(r, NULL, "more than %d columns", HCSV_COLUMNS_MAX);
		return;
	}
	if (len > HCSV_FIELD_MAX) {
		fail(r, NULL, "field %zu is longer than %d bytes", r->nfields + 1, HCSV_FIELD_MAX);
		return;
	}
	if (len && memchr(s, '\0', len)) {
		fail(r, NULL, "field %zu contains a NUL byte", r->nfields + 1);
		return;
	}
	if (len)
		memcpy(r->field[r->nfields], s, len);
	r->field[r->nfields][len] = '\0';
	r->nfields++;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	size_t n = r->nfields;
	r->nfields = 0;
	r->row_ended = true;
	if (r->failed || (n == 1 && blank(r->field[0])))
		return; /* a line of spaces is no row */
	if (!r->have_header) {
		r->have_header = true;
		r->ncols = n;
		for (size_t w = 0; w < r->nwant; w++) {
			size_t found = SIZE_MAX;
			for (size_t i = 0; i < n; i++)
				if (strcmp(r->field[i], r->want[w]) == 0) {
					if (found != SIZE_MAX) {
						fail(r, r->want[w], "column \"%s\" is given twice in the header", r->want[w]);
						return;
					}
					found = i;
				}
			if (found == SIZE_MAX && w < r->nreq) {
				fail(r, r->want[w], "the header has no column \"%s\"", r->want[w]);
				return;
			}
			r->pos[w] = found;
		}
		return;
	}
	if (n != r->ncols) {
		fail(r, NULL, "the row has %zu fields, the header %zu", n, r->ncols);
		return;
	}
	char *f[HCSV_COLUMNS_MAX];
	static char none[1];
	for (size_t w = 0; w < r->nwant; w++)
		f[w] = r->pos[w] == SIZE_MAX ? none : r->field[r->pos[w]]; /* an optional column absent: "" */
	r->fn(r, f);
}

static int read_csv(const char *buf, size_t len, const char *const *want, size_t nwant, size_t nreq, row_fn fn,
		    void *ctx, struct hcsv_error *err)
{
	struct csv_parser p;
	struct reader *r = calloc(1, sizeof *r);
	memset(err, 0, sizeof *err);
	if (!r || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r);
		snprintf(err->message, sizeof err->message, "out of memory");
		return -1;
	}
	r->want = want;
	r->nwant = nwant;
	r->nreq = nreq;
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	/* One line at a time, so an error knows its line: a row starts on the first line fed after the last
	 * row ended (a quoted field may carry it over several lines); a blank line is no row. */
	const char *s = buf, *end = buf + len;
	while (s < end && !r->failed) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		r->line++;
		if (!r->row_line)
			r->row_line = r->line;
		r->row_ended = false;
		if (csv_parse(&p, s, n, on_field, on_row, r) != n) {
			/* Reported on the line where the row began: an unbalanced quote is there, and libcsv only
			 * notices it further on. */
			if (r->row_line != r->line)
				fail(r, NULL, "malformed CSV: %s (noticed on line %lu; is a quote unbalanced?)",
				     csv_strerror(csv_error(&p)), r->line);
			else
				fail(r, NULL, "malformed CSV: %s", csv_strerror(csv_error(&p)));
			break;
		}
		if (r->row_ended || (r->row_line == r->line && blank_bytes(s, n)))
			r->row_line = 0; /* a blank line (libcsv skips it) starts no row */
		s += n;
	}
	if (!r->failed) {
		if (!r->row_line)
			r->row_line = r->line;
		if (csv_fini(&p, on_field, on_row, r) != 0)
			fail(r, NULL, "malformed CSV: %s", csv_strerror(csv_error(&p)));
	}
	if (!r->failed && !r->have_header) {
		r->row_line = 1;
		fail(r, NULL, "the header row is missing");
	}
	int rc = r->failed ? -1 : 0;
	csv_free(&p);
	free(r);
	return rc;
}

/* ---- The index of home ids ------------------------------------------------------------------------ */

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t *slot_of(const struct hcsv *d, const char *id)
{
	if (!d->nslots)
		return NULL;
	size_t i = (size_t)(hash(id) & (d->nslots - 1));
	for (;;) {
		size_t *sl = &d->slots[i];
		if (!*sl || strcmp(d->ids[*sl - 1], id) == 0)
			return sl;
		i = (i + 1) & (d->nslots - 1);
	}
}

static long find_home(const struct hcsv *d, const char *id)
{
	size_t *sl = slot_of(d, id);
	return sl && *sl ? (long)(*sl - 1) : -1;
}

static int grow_index(struct hcsv *d)
{
	if ((d->nhomes + 1) * 2 <= d->nslots)
		return 0;
	size_t n = d->nslots ? d->nslots * 2 : 64;
	size_t *old = d->slots, nold = d->nslots;
	d->slots = calloc(n, sizeof *d->slots);
	if (!d->slots) {
		d->slots = old;
		return -1;
	}
	d->nslots = n;
	for (size_t i = 0; i < nold; i++)
		if (old[i])
			*slot_of(d, d->ids[old[i] - 1]) = old[i];
	free(old);
	return 0;
}

/* ---- homes.csv ------------------------------------------------------------------------------------ */

void hcsv_init(struct hcsv *d)
{
	memset(d, 0, sizeof *d);
}

void hcsv_release(struct hcsv *d)
{
	for (size_t i = 0; i < d->nhomes; i++)
		free(d->ids[i]);
	for (size_t i = 0; i < d->ngroups; i++)
		free(d->groups[i]);
	free(d->ids);
	free(d->group);
	free(d->groups);
	free(d->slots);
	free(d->nights);
	free(d->counts);
	free(d->reg44);
	free(d->reg44_filed);
	for (size_t i = 0; i < d->nreports; i++) {
		free(d->reports[i].visitor);
		free(d->reports[i].summary);
	}
	free(d->reports);
	if (d->extra)
		for (size_t i = 0; i < d->nhomes; i++)
			for (int k = 0; k < HCSV_TEXTS; k++)
				free(d->extra[i].text[k]);
	free(d->extra);
	free(d->incidents);
	memset(d, 0, sizeof *d);
}

/* The columns people read (homes import): checked and kept only when d->keep. */
static int home_extra(struct reader *r, struct hcsv *d, char **f)
{
	static const char *const names[HCSV_TEXTS] = {"name", "provider", "la_code", "rating", "postcode", "grade_date"};
	static const size_t idx[HCSV_TEXTS] = {2, 3, 4, 6, 7, 10};
	static const size_t max[HCSV_TEXTS] = {200, 200, 3, 23, 8, 10};
	if (d->nhomes >= d->cap_extra) {
		size_t n = d->cap_extra ? d->cap_extra * 2 : 64;
		struct hcsv_home_extra *q = realloc(d->extra, n * sizeof *q);
		if (!q)
			return fail(r, NULL, "out of memory"), -1;
		d->extra = q;
		d->cap_extra = n;
	}
	struct hcsv_home_extra *e = &d->extra[d->nhomes];
	memset(e, 0, sizeof *e);
	for (int k = 0; k < HCSV_TEXTS; k++)
		if (strlen(f[idx[k]]) > max[k])
			return fail(r, names[k], "%s is longer than %zu bytes", names[k], max[k]), -1;
	const char *rating = f[6];
	if (rating[0] && strcmp(rating, "outstanding") != 0 && strcmp(rating, "good") != 0 &&
	    strcmp(rating, "requires_improvement") != 0 && strcmp(rating, "inadequate") != 0)
		return fail(r, "rating", "rating \"%.30s\" is not one of outstanding, good, requires_improvement, "
					 "inadequate", rating), -1;
	struct date day;
	if (f[10][0] && date_parse_iso(f[10], &day) != DATE_OK)
		return fail(r, "grade_date", "grade_date \"%.20s\" is not a real date as YYYY-MM-DD", f[10]), -1;
	for (const char *c = f[4]; *c; c++)
		if (*c < '0' || *c > '9')
			return fail(r, "la_code", "la_code \"%.10s\" is not a DfE LA number (3 digits)", f[4]), -1;
	char *end = NULL;
	long places = f[5][0] ? strtol(f[5], &end, 10) : 0;
	if (f[5][0] && (*end || places < 0 || places > 1000))
		return fail(r, "places", "places \"%.20s\" is not a number of places from 0 to 1000", f[5]), -1;
	e->places = (int)places;
	const char *ll[2] = {f[8], f[9]};
	double v[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		if (!ll[k][0])
			continue;
		end = NULL;
		v[k] = strtod(ll[k], &end);
		if (!end || *end || !isfinite(v[k]) || fabs(v[k]) > (k ? 180 : 90))
			return fail(r, k ? "lon" : "lat", "%s \"%.20s\" is not a coordinate", k ? "lon" : "lat", ll[k]), -1;
	}
	e->lat = v[0];
	e->lon = v[1];
	for (int k = 0; k < HCSV_TEXTS; k++)
		if (!(e->text[k] = strdup(f[idx[k]]))) {
			for (int j = 0; j < k; j++)
				free(e->text[j]);
			return fail(r, NULL, "out of memory"), -1;
		}
	return 0;
}

static int home_row(struct reader *r, char **f)
{
	struct hcsv *d = r->ctx;
	const char *id = f[0], *spec = f[1];
	if (blank(id))
		return fail(r, "home_id", "home_id is empty"), -1;
	if (blank(spec))
		return fail(r, "specialism", "specialism is empty for home \"%.60s\"", id), -1;
	if (find_home(d, id) >= 0)
		return fail(r, "home_id", "home \"%.60s\" is given twice", id), -1;
	if (d->nhomes >= HCSV_HOMES_MAX)
		return fail(r, NULL, "more than %d homes", HCSV_HOMES_MAX), -1;
	size_t g = 0;
	while (g < d->ngroups && strcmp(d->groups[g], spec) != 0)
		g++;
	if (g == d->ngroups) {
		if (d->ngroups == d->cap_groups) {
			size_t n = d->cap_groups ? d->cap_groups * 2 : 8;
			char **q = realloc(d->groups, n * sizeof *q);
			if (!q)
				return fail(r, NULL, "out of memory"), -1;
			d->groups = q;
			d->cap_groups = n;
		}
		if (!(d->groups[g] = strdup(spec)))
			return fail(r, NULL, "out of memory"), -1;
		d->ngroups++;
	}
	if (d->nhomes == d->cap_homes) {
		size_t n = d->cap_homes ? d->cap_homes * 2 : 64;
		char **q = realloc(d->ids, n * sizeof *q);
		if (q)
			d->ids = q;
		int *gq = realloc(d->group, n * sizeof *gq);
		if (gq)
			d->group = gq;
		if (!q || !gq)
			return fail(r, NULL, "out of memory"), -1;
		d->cap_homes = n;
	}
	if (grow_index(d) != 0 || !(d->ids[d->nhomes] = strdup(id)))
		return fail(r, NULL, "out of memory"), -1;
	if (d->keep && home_extra(r, d, f) != 0) {
		free(d->ids[d->nhomes]);
		return -1;
	}
	d->group[d->nhomes] = (int)g;
	*slot_of(d, id) = d->nhomes + 1;
	d->nhomes++;
	return 0;
}

int hcsv_read_homes(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err)
{
	static const char *const want[] = {"home_id", "specialism", "name", "provider", "la_code", "places", "rating",
					   "postcode", "lat", "lon", "grade_date"};
	if (read_csv(buf, len, want, d->keep ? 11 : 2, 2, home_row, d, err) != 0)
		return -1;
	if (!d->nhomes) {
		err->line = 0;
		snprintf(err->message, sizeof err->message, "no homes after the header");
		return -1;
	}
	return 0;
}

/* ---- occupancy.csv -------------------------------------------------------------------------------- */

struct occ_row {
	size_t home;
	int month;
	double nights;
	unsigned long line;
};

struct occ_ctx {
	struct hcsv *d;
	struct occ_row *rows;
	size_t n, cap;
};

/* "YYYY-MM", exactly. */
static int parse_month(const char *s, int *out)
{
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	if (s[7] != '\0')
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1 || m < 1 || m > 12)
		return -1;
	*out = y * 12 + m - 1;
	return 0;
}

static int occ_row(struct reader *r, char **f)
{
	struct occ_ctx *c = r->ctx;
	long h = find_home(c->d, f[0]);
	int month;
	if (h < 0)
		return fail(r, "home_id", "home \"%.60s\" is not in the homes file", f[0]), -1;
	if (parse_month(f[1], &month) != 0)
		return fail(r, "month", "month \"%.20s\" is not a month as YYYY-MM", f[1]), -1;
	char *e = NULL;
	const char *v = f[2];
	double n = (v[0] >= '0' && v[0] <= '9') || v[0] == '.' ? strtod(v, &e) : -1;
	if (v[0] == '-')
		return fail(r, "child_nights", "child_nights \"%.20s\" is negative", v), -1;
	if (!e || *e || !isfinite(n) || n < 0 || n > 1e9)
		return fail(r, "child_nights", "child_nights \"%.20s\" is not a number of nights", v), -1;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct occ_row *q = realloc(c->rows, cap * sizeof *q);
		if (!q)
			return fail(r, NULL, "out of memory"), -1;
		c->rows = q;
		c->cap = cap;
	}
	c->rows[c->n++] = (struct occ_row){(size_t)h, month, n, r->row_line};
	return 0;
}

int hcsv_read_occupancy(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err)
{
	static const char *const want[] = {"home_id", "month", "child_nights"};
	struct occ_ctx c = {d, NULL, 0, 0};
	int rc = -1;
	if (read_csv(buf, len, want, 3, 3, occ_row, &c, err) != 0)
		goto out;
	if (!c.n) {
		err->line = 0;
		snprintf(err->message, sizeof err->message, "no months after the header");
		goto out;
	}
	int lo = c.rows[0].month, hi = lo;
	for (size_t i = 1; i < c.n; i++) {
		if (c.rows[i].month < lo)
			lo = c.rows[i].month;
		if (c.rows[i].month > hi)
			hi = c.rows[i].month;
	}
	if (hi - lo + 1 > HCSV_MONTHS_MAX) {
		err->line = 0;
		snprintf(err->message, sizeof err->message, "the months span more than %d months", HCSV_MONTHS_MAX);
		goto out;
	}
	d->first_month = lo;
	d->nmonths = (size_t)(hi - lo + 1);
	free(d->nights);
	free(d->counts);
	d->nights = calloc(d->nhomes * d->nmonths + 1, sizeof *d->nights);
	d->counts = calloc(d->nhomes * d->nmonths * OV_NIND + 1, sizeof *d->counts);
	/* A month given twice for a home is refused; a sentinel of -1 marks the months seen. */
	if (!d->nights || !d->counts) {
		snprintf(err->message, sizeof err->message, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d->nhomes * d->nmonths; i++)
		d->nights[i] = -1;
	for (size_t i = 0; i < c.n; i++) {
		double *slot = &d->nights[c.rows[i].home * d->nmonths + (size_t)(c.rows[i].month - lo)];
		if (*slot >= 0) {
			char m[8];
			hcsv_month_format(d, (size_t)(c.rows[i].month - lo), m);
			err->line = c.rows[i].line;
			snprintf(err->column, sizeof err->column, "month");
			snprintf(err->message, sizeof err->message, "home \"%.60s\" has month %s twice",
				 d->ids[c.rows[i].home], m);
			for (char *q = err->message; *q; q++)
				if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
					*q = '?';
			goto out;
		}
		*slot = c.rows[i].nights;
	}
	for (size_t i = 0; i < d->nhomes * d->nmonths; i++)
		if (d->nights[i] < 0)
			d->nights[i] = 0; /* no row: no children placed that month */
	rc = 0;
out:
	free(c.rows);
	return rc;
}

/* ---- incidents.csv -------------------------------------------------------------------------------- */

static int incident_row(struct reader *r, char **f)
{
	struct hcsv *d = r->ctx;
	long h = find_home(d, f[0]);
	struct date day;
	if (h < 0)
		return fail(r, "home_id", "home \"%.60s\" is not in the homes file", f[0]), -1;
	if (date_parse_iso(f[1], &day) != DATE_OK)
		return fail(r, "date", "date \"%.20s\" is not a real date as YYYY-MM-DD", f[1]), -1;
	int k = ov_indicator_from_name(f[2]);
	if (k < 0)
		return fail(r, "type", "type \"%.40s\" is not one of restraint, injury, missing, police, complaint, "
				       "self_harm, notification, allegation", f[2]), -1;
	int month = day.y * 12 + day.m - 1;
	if (month < d->first_month || month >= d->first_month + (int)d->nmonths) {
		char a[8], b[8];
		hcsv_month_format(d, 0, a);
		hcsv_month_format(d, d->nmonths - 1, b);
		return fail(r, "date", "date %s is outside the months of the occupancy file (%s to %s)", f[1], a, b), -1;
	}
	uint32_t *c = &d->counts[((size_t)h * d->nmonths + (size_t)(month - d->first_month)) * OV_NIND + (size_t)k];
	if (*c == UINT32_MAX)
		return fail(r, NULL, "too many incidents in one month"), -1;
	if (d->keep) {
		if (d->nincidents == d->cap_incidents) {
			size_t n = d->cap_incidents ? d->cap_incidents * 2 : 1024;
			struct hcsv_incident *q = realloc(d->incidents, n * sizeof *q);
			if (!q)
				return fail(r, NULL, "out of memory"), -1;
			d->incidents = q;
			d->cap_incidents = n;
		}
		d->incidents[d->nincidents] = (struct hcsv_incident){(size_t)h, day, k};
	}
	(*c)++;
	d->nincidents++;
	return 0;
}

int hcsv_read_incidents(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err)
{
	static const char *const want[] = {"home_id", "date", "type"};
	if (!d->counts) {
		memset(err, 0, sizeof *err);
		snprintf(err->message, sizeof err->message, "the occupancy file must be read first");
		return -1;
	}
	return read_csv(buf, len, want, 3, 3, incident_row, d, err);
}

/* ---- reg44.csv ------------------------------------------------------------------------------------ */

static int reg44_row(struct reader *r, char **f)
{
	struct hcsv *d = r->ctx;
	long h = find_home(d, f[0]);
	int month;
	if (h < 0)
		return fail(r, "home_id", "home \"%.60s\" is not in the homes file", f[0]), -1;
	if (parse_month(f[1], &month) != 0)
		return fail(r, "month", "month \"%.20s\" is not a month as YYYY-MM", f[1]), -1;
	if (month < d->first_month || month >= d->first_month + (int)d->nmonths) {
		char a[8], b[8];
		hcsv_month_format(d, 0, a);
		hcsv_month_format(d, d->nmonths - 1, b);
		return fail(r, "month", "month %s is outside the months of the occupancy file (%s to %s)", f[1], a, b), -1;
	}
	int opinion;
	if (r->pos[2] == SIZE_MAX || !strcmp(f[2], "not_stated")) /* the column is optional only with keep */
		opinion = HCSV_REG44_NOT_STATED;
	else if (!strcmp(f[2], "yes"))
		opinion = HCSV_REG44_YES;
	else if (!strcmp(f[2], "no"))
		opinion = HCSV_REG44_NO;
	else
		return fail(r, "safeguarded", "safeguarded \"%.20s\" is not yes, no or not_stated", f[2]), -1;
	size_t slot = (size_t)h * d->nmonths + (size_t)(month - d->first_month);
	if (d->reg44_filed[slot])
		return fail(r, "month", "home \"%.60s\" has a report for %s twice", f[0], f[1]), -1;
	d->reg44_filed[slot] = 1;
	d->reg44[slot] = opinion == HCSV_REG44_YES ? OV_REG44_SAFE : opinion == HCSV_REG44_NO ? OV_REG44_CONCERN : OV_REG44_NONE;
	if (!d->keep)
		return 0;
	struct date day = {0};
	if (f[3][0] && date_parse_iso(f[3], &day) != DATE_OK)
		return fail(r, "received_on", "received_on \"%.20s\" is not a real date as YYYY-MM-DD", f[3]), -1;
	if (strlen(f[4]) > 200)
		return fail(r, "visitor", "visitor is longer than 200 bytes"), -1;
	if (d->nreports == d->cap_reports) {
		size_t n = d->cap_reports ? 2 * d->cap_reports : 1024;
		struct hcsv_reg44 *q = realloc(d->reports, n * sizeof *q);
		if (!q)
			return fail(r, NULL, "out of memory"), -1;
		d->reports = q;
		d->cap_reports = n;
	}
	struct hcsv_reg44 *x = &d->reports[d->nreports];
	*x = (struct hcsv_reg44){(size_t)h, (size_t)(month - d->first_month), opinion, day, strdup(f[4]), strdup(f[5])};
	d->nreports++; /* counted before the check, so release frees what was made */
	if (!x->visitor || !x->summary)
		return fail(r, NULL, "out of memory"), -1;
	return 0;
}

int hcsv_read_reg44(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err)
{
	static const char *const want[] = {"home_id", "month", "safeguarded", "received_on", "visitor", "summary"};
	if (!d->counts) {
		memset(err, 0, sizeof *err);
		snprintf(err->message, sizeof err->message, "the occupancy file must be read first");
		return -1;
	}
	free(d->reg44);
	free(d->reg44_filed);
	d->reg44 = calloc(d->nhomes * d->nmonths + 1, 1);
	d->reg44_filed = calloc(d->nhomes * d->nmonths + 1, 1);
	if (!d->reg44 || !d->reg44_filed) {
		memset(err, 0, sizeof *err);
		snprintf(err->message, sizeof err->message, "out of memory");
		return -1;
	}
	/* The monitor needs the opinion; the register takes a report without one. */
	return read_csv(buf, len, want, d->keep ? 6 : 3, d->keep ? 2 : 3, reg44_row, d, err);
}

void hcsv_panel(const struct hcsv *d, struct ov_panel *p)
{
	p->nhomes = d->nhomes;
	p->nmonths = d->nmonths;
	p->ngroups = d->ngroups;
	p->group = d->group;
	p->nights = d->nights;
	p->counts = d->counts;
	p->reg44 = d->reg44;
}

void hcsv_month_format(const struct hcsv *d, size_t t, char out[8])
{
	int m = d->first_month + (int)t;
	unsigned y = (unsigned)(m / 12) % 10000u, mo = (unsigned)(m % 12) + 1u;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + mo / 10);
	out[6] = (char)('0' + mo % 10);
	out[7] = '\0';
}
