/*
 * io/homes_csv.h — the three CSV files of `safeguard homes monitor` (homes, occupancy, incidents) turned
 * into an oversight panel (oversight/oversight.h), from buffers: the CLI reads the files, the fuzz target
 * (fuzz/fuzz_homes_csv.c) gives arbitrary bytes.
 *
 * An edge: CSV is parsed by libcsv in strict mode (an unbalanced quote is an error); a header row is
 * required, columns may come in any order and extra columns are ignored. Every error says the line (the
 * line on which the offending row starts; 1 is the header) and, where it is about one field, the column's
 * name. Read the files in order: homes, then occupancy (which decides the months: first to last month it
 * names), then incidents.
 *
 * Bounds: a field is at most HCSV_FIELD_MAX bytes, a row at most HCSV_COLUMNS_MAX fields, the span at most
 * HCSV_MONTHS_MAX months, and at most HCSV_HOMES_MAX homes.
 */
#ifndef SAFEGUARD_IO_HOMES_CSV_H
#define SAFEGUARD_IO_HOMES_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "oversight/oversight.h"

#define HCSV_FIELD_MAX 1024
#define HCSV_COLUMNS_MAX 64
#define HCSV_MONTHS_MAX 1200
#define HCSV_HOMES_MAX 1000000

struct hcsv_error {
	unsigned long line;  /* 0 when about the file as a whole */
	char column[40];     /* the column's name, "" when not about one field */
	char message[200];
};

struct hcsv_occ; /* an occupancy row, kept until the months are known */

/* With keep set (homes import): the columns people read, checked (name and provider at most 200 bytes,
 * la_code digits, places 0-1000, rating one of Ofsted's four, postcode, lat, lon, grade_date YYYY-MM-DD;
 * each optional, "" or 0 when absent), and every incident with its date. */
enum { HCSV_NAME, HCSV_PROVIDER, HCSV_LA_CODE, HCSV_RATING, HCSV_POSTCODE, HCSV_GRADE_DATE, HCSV_TEXTS };
struct hcsv_home_extra {
	char *text[HCSV_TEXTS];
	int places;
	double lat, lon;     /* 0 when not given */
};
struct hcsv_incident {
	size_t home;
	struct date day;
	int type;            /* enum ov_indicator */
};

/* A Regulation 44 report as reg44.csv gives it (homes import, when keep). */
enum { HCSV_REG44_NOT_STATED, HCSV_REG44_YES, HCSV_REG44_NO };
struct hcsv_reg44 {
	size_t home;
	size_t month;        /* index into the months */
	int opinion;         /* HCSV_REG44_* */
	struct date received;/* y == 0 when the file has no received_on */
	char *visitor, *summary; /* "" when absent */
};

struct hcsv {
	size_t nhomes, cap_homes;
	char **ids;          /* home_id, in the order of homes.csv */
	int *group;          /* index into groups */
	char **groups;       /* specialisms, in order of first appearance */
	size_t ngroups, cap_groups;
	size_t *slots;       /* open-addressing index of ids: home + 1, 0 empty */
	size_t nslots;
	int first_month;     /* year * 12 + month - 1 */
	size_t nmonths;
	double *nights;      /* nhomes * nmonths (missing rows are 0 child-nights) */
	uint32_t *counts;    /* nhomes * nmonths * OV_NIND */
	uint8_t *reg44;      /* nhomes * nmonths, enum ov_reg44; NULL until a reg44.csv is read */
	uint8_t *reg44_filed;/* nhomes * nmonths: 1 where reg44.csv has a row (any opinion) */
	size_t nincidents;
	bool keep;           /* set before reading homes.csv */
	struct hcsv_home_extra *extra; /* nhomes, when keep */
	size_t cap_extra;
	struct hcsv_incident *incidents; /* nincidents, when keep */
	size_t cap_incidents;
	struct hcsv_reg44 *reports; /* nreports, when keep */
	size_t nreports, cap_reports;
};

void hcsv_init(struct hcsv *d);
void hcsv_release(struct hcsv *d);

/* Each returns 0, or -1 with *err filled (and d still safe to release). Required columns: homes.csv
 * home_id and specialism (name, provider, la_code, places and rating are read by people, not used here);
 * occupancy.csv home_id, month, child_nights; incidents.csv home_id, date, type. */
int hcsv_read_homes(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err);
int hcsv_read_occupancy(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err);
int hcsv_read_incidents(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err);

/* Optional, after occupancy: reg44.csv, home_id, month (YYYY-MM, within the months) and safeguarded (yes,
 * no or not_stated: the Regulation 44 visitor's opinion whether children are effectively safeguarded, Reg
 * 44(4)(c); not_stated is a report without an opinion, no evidence either way); a second report for a
 * home's month is refused. With keep (homes import) safeguarded is optional (absent: not_stated) and the
 * optional received_on (YYYY-MM-DD), visitor (at most 200 bytes) and summary are kept too, every
 * report in d->reports. */
int hcsv_read_reg44(struct hcsv *d, const char *buf, size_t len, struct hcsv_error *err);
/* The panel over d's arrays (valid while d is). */
void hcsv_panel(const struct hcsv *d, struct ov_panel *p);
/* Month index t of the span as "YYYY-MM". */
void hcsv_month_format(const struct hcsv *d, size_t t, char out[8]);

#endif
