/*
 * Unit tests for io/csv_strict and io/records_csv: every error with its line and column, the accepted
 * variations (BOM, CR LF, blank lines, columns in any order), streaming across the read buffer, and the
 * csv-spectrum cases ($SHARED/testdata/csv-spectrum, SHARED defaulting to ../shared from the repository
 * root) read as their JSON says; where csv-spectrum is absent that test is skipped and says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_strict.h"
#include "io/records_csv.h"

/* ---- Helpers ---- */

struct got {
	size_t n;
	char id[64][32];
	char given[64][64];
	char family[64][64];
	char dob[64][16];
	char nhs[64][16];
	unsigned long line[64];
	size_t total;          /* rows seen, beyond the 64 kept */
	unsigned long last_line;
	int stop_after;        /* non-zero: return 7 after this many rows */
};

static int collect(const struct records_csv_row *row, void *ctx)
{
	struct got *g = ctx;
	for (int c = 0; c < RC_NCOL; c++) {
		assert_non_null(row->field[c]);
		assert_int_equal(strlen(row->field[c]), row->len[c]);
	}
	if (g->n < 64) {
		snprintf(g->id[g->n], sizeof g->id[0], "%s", row->field[RC_RECORD_ID]);
		snprintf(g->given[g->n], sizeof g->given[0], "%s", row->field[RC_GIVEN_NAME]);
		snprintf(g->family[g->n], sizeof g->family[0], "%s", row->field[RC_FAMILY_NAME]);
		snprintf(g->dob[g->n], sizeof g->dob[0], "%s", row->field[RC_DOB]);
		snprintf(g->nhs[g->n], sizeof g->nhs[0], "%s", row->field[RC_NHS_NUMBER]);
		g->line[g->n] = row->line;
		g->n++;
	}
	g->total++;
	g->last_line = row->line;
	if (g->stop_after && (int)g->total == g->stop_after)
		return 7;
	return 0;
}

/* Reads len bytes of text as the file "t.csv". */
static int read_records(const char *text, size_t len, struct got *g, char *err, size_t errsz)
{
	FILE *f = fmemopen((void *)text, len, "r");
	assert_non_null(f);
	int rc = records_csv_read(f, "t.csv", collect, g, err, errsz);
	fclose(f);
	return rc;
}

#define READ(text, g, err) read_records(text, sizeof text - 1, g, err, sizeof err)

/* Asserts that text fails with exactly the message want. */
static void fails(const char *text, size_t len, const char *want)
{
	struct got g = {0};
	char err[300] = "unset";
	int rc = read_records(text, len, &g, err, sizeof err);
	if (rc != -1 || strcmp(err, want) != 0)
		print_error("input %.*s\n  got rc %d, \"%s\"\n want \"%s\"\n", (int)(len > 200 ? 200 : len), text, rc, err, want);
	assert_int_equal(rc, -1);
	assert_string_equal(err, want);
}

#define FAILS(text, want) fails(text, sizeof text - 1, want)

#define HDR "record_id,given_name,family_name,dob\n"

/* ---- What is accepted ---- */

static void column_names(void **state)
{
	assert_string_equal(records_csv_column_name(RC_RECORD_ID), "record_id");
	assert_string_equal(records_csv_column_name(RC_SOURCE), "source");
	assert_string_equal(records_csv_column_name(RC_GIVEN_NAME), "given_name");
	assert_string_equal(records_csv_column_name(RC_MIDDLE_NAMES), "middle_names");
	assert_string_equal(records_csv_column_name(RC_FAMILY_NAME), "family_name");
	assert_string_equal(records_csv_column_name(RC_DOB), "dob");
	assert_string_equal(records_csv_column_name(RC_SEX), "sex");
	assert_string_equal(records_csv_column_name(RC_POSTCODE), "postcode");
	assert_string_equal(records_csv_column_name(RC_ADDRESS), "address");
	assert_string_equal(records_csv_column_name(RC_NHS_NUMBER), "nhs_number");
	assert_string_equal(records_csv_column_name(RC_UPN), "upn");
	assert_null(records_csv_column_name(RC_NCOL));
	assert_null(records_csv_column_name(-1));
}

/* Columns in any order, an extra column ignored, absent optional columns read as "", quoted fields with
 * commas and doubled quotes, spaces kept, CR LF, a BOM, a blank line inside and at the end. */
static void reads_a_well_formed_file(void **state)
{
	static const char text[] = "\xEF\xBB\xBF"
				   "dob,family_name,extra,record_id,given_name,nhs_number\r\n"
				   "2016-05-03,Khan,x,r1,Amira,4857773456\r\n"
				   "\r\n"
				   "03/05/2016,\"O'Brien, \"\"Jr\"\"\",,r2, Zoë ,\r\n"
				   "\"\",\"\",\"\",r3,\"\",\r\n"
				   "\r\n";
	struct got g = {0};
	char err[200] = "";
	assert_int_equal(READ(text, &g, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(g.n, 3);
	assert_string_equal(g.id[0], "r1");
	assert_string_equal(g.given[0], "Amira");
	assert_string_equal(g.family[0], "Khan");
	assert_string_equal(g.dob[0], "2016-05-03");
	assert_string_equal(g.nhs[0], "4857773456");
	assert_int_equal(g.line[0], 2);
	assert_string_equal(g.id[1], "r2");
	assert_string_equal(g.given[1], " Zoë ");
	assert_string_equal(g.family[1], "O'Brien, \"Jr\"");
	assert_string_equal(g.dob[1], "03/05/2016");
	assert_string_equal(g.nhs[1], "");
	assert_int_equal(g.line[1], 4);
	assert_string_equal(g.id[2], "r3");
	assert_string_equal(g.given[2], "");
	assert_int_equal(g.line[2], 5);
}

static void absent_columns_read_as_empty(void **state)
{
	struct absent {
		int seen;
	};
	static const char text[] = "record_id,given_name,family_name,dob\n1,Amy,Lee,2010-01-01";
	struct got g = {0};
	char err[200];
	assert_int_equal(READ(text, &g, err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.nhs[0], "");
	assert_string_equal(g.dob[0], "2010-01-01"); /* the last line has no line end */
}

static void header_only_is_no_rows(void **state)
{
	static const char text[] = HDR;
	struct got g = {0};
	char err[200];
	assert_int_equal(READ(text, &g, err), 0);
	assert_int_equal(g.total, 0);
}

static void callback_stops_the_read(void **state)
{
	static const char text[] = HDR "1,a,b,c\n2,a,b,c\n3,a,b,c\n";
	struct got g = {.stop_after = 2};
	char err[200];
	assert_int_equal(READ(text, &g, err), 7);
	assert_int_equal(g.total, 2);
}

static void field_of_exactly_the_maximum(void **state)
{
	size_t n = strlen(HDR) + 2 + RECORDS_CSV_FIELD_MAX + 10;
	char *text = malloc(n + 1);
	assert_non_null(text);
	int k = snprintf(text, n + 1, HDR "1,");
	memset(text + k, 'a', RECORDS_CSV_FIELD_MAX);
	snprintf(text + k + RECORDS_CSV_FIELD_MAX, n + 1 - (size_t)k - RECORDS_CSV_FIELD_MAX, ",b,c\n");
	struct got g = {0};
	char err[200];
	assert_int_equal(read_records(text, strlen(text), &g, err, sizeof err), 0);
	assert_int_equal(g.total, 1);
	free(text);
}

/* ---- Every error, with its line and column ---- */

static void unbalanced_quotes(void **state)
{
	/* a line break inside quotes is refused at once, at the opening quote */
	FAILS(HDR "1,\"Amy,Lee,2010-01-01\n2,a,b,c\n",
	      "t.csv:2:3: a line break inside a quoted field (is a closing quote missing?)");
	/* at the end of the file */
	FAILS(HDR "1,Amy,Lee,\"2010-01-01", "t.csv:2:11: a quoted field is never closed (unbalanced quote)");
	/* a quote inside an unquoted field */
	FAILS(HDR "1,Am\"y,Lee,2010-01-01\n", "t.csv:2:5: a quote inside an unquoted field (quote the whole field "
					     "and double the quote)");
	/* something after a closing quote, a space included */
	FAILS(HDR "1,\"Amy\"x,Lee,2010-01-01\n", "t.csv:2:8: a character after the closing quote of a field (a quote "
						"inside a quoted field is written twice)");
	FAILS(HDR "1,\"Amy\" ,Lee,2010-01-01\n", "t.csv:2:8: a character after the closing quote of a field (a quote "
						"inside a quoted field is written twice)");
}

static void wrong_field_counts(void **state)
{
	FAILS(HDR "1,Amy,Lee,2010-01-01\n2,Amy,Lee,2010-01-01,extra\n",
	      "t.csv:3:22: the row has more fields than the header's 4");
	FAILS(HDR "1,Amy,Lee\n", "t.csv:2:10: the row has 3 fields, the header 4");
	FAILS(HDR "1,Amy,\"Lee\"\r\n", "t.csv:2:11: the row has 3 fields, the header 4");
	FAILS(HDR "1\n", "t.csv:2:2: the row has 1 field, the header 4");
	/* a line of spaces is a row of one field, not a blank line */
	FAILS(HDR "1,a,b,c\n   \n", "t.csv:3:4: the row has 1 field, the header 4");
}

static void header_errors(void **state)
{
	FAILS("record_id,given_name,family_name\n1,a,b\n",
	      "t.csv:1:1: the header has no column \"dob\" (required: record_id, given_name, family_name, dob)");
	FAILS("Record_ID,given_name,family_name,dob\n",
	      "t.csv:1:1: the header has no column \"record_id\" (required: record_id, given_name, family_name, dob)");
	FAILS("record_id,given_name,family_name,dob,given_name\n",
	      "t.csv:1:38: column \"given_name\" is named twice in the header");
	FAILS("record_id,given_name,family_name,dob,x,\"x\"\n", "t.csv:1:40: column \"x\" is named twice in the header");
	FAILS("", "t.csv:1:1: the file is empty: a header row is required");
	FAILS("\xEF\xBB\xBF", "t.csv:1:1: the file is empty: a header row is required");
	FAILS("\n\r\n\n", "t.csv:1:1: the file is empty: a header row is required");
}

static void invalid_utf8(void **state)
{
	FAILS(HDR "1,Am\xFFy,Lee,2010-01-01\n", "t.csv:2:5: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
	/* columns count characters: "1,Zoë," is 6 characters, 7 bytes */
	FAILS(HDR "1,Zoë,L\xC3,2010-01-01\n", "t.csv:2:8: invalid UTF-8 (byte 0xC3); the file must be UTF-8");
	FAILS(HDR "1,\xC0\xAF,Lee,x\n", "t.csv:2:3: invalid UTF-8 (byte 0xC0); the file must be UTF-8"); /* overlong */
	FAILS(HDR "1,a\xED\xA0\x80,Lee,x\n", "t.csv:2:4: invalid UTF-8 (byte 0xED); the file must be UTF-8"); /* surrogate */
	FAILS(HDR "1,a,\xF4\x90\x80\x80,x\n", "t.csv:2:5: invalid UTF-8 (byte 0xF4); the file must be UTF-8"); /* > U+10FFFF */
	FAILS(HDR "1,a,\xE2\x82,x\n", "t.csv:2:5: invalid UTF-8 (byte 0xE2); the file must be UTF-8"); /* cut short */
	/* in a quoted field after a doubled quote: the column is the byte's in the line */
	FAILS(HDR "1,\"a\"\"\xFF\",b,c\n", "t.csv:2:7: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
	/* in the header */
	FAILS("record_id,giv\x80n\n", "t.csv:1:14: invalid UTF-8 (byte 0x80); the file must be UTF-8");
	/* 4-byte characters are fine */
	static const char ok[] = HDR "1,\xF0\x9F\x98\x80,Lee,x\n";
	struct got g = {0};
	char err[200];
	assert_int_equal(READ(ok, &g, err), 0);
	assert_string_equal(g.given[0], "\xF0\x9F\x98\x80");
}

static void control_characters(void **state)
{
	static const char nul[] = HDR "1,A\0my,Lee,x\n";
	fails(nul, sizeof nul - 1, "t.csv:2:4: a control character (U+0000) in field 2");
	FAILS(HDR "1,A\x01my,Lee,x\n", "t.csv:2:4: a control character (U+0001) in field 2");
	FAILS(HDR "1,Amy,Lee\x7F,x\n", "t.csv:2:10: a control character (U+007F) in field 3");
	FAILS(HDR "1,Amy,L\xC2\x85,x\n", "t.csv:2:8: a control character (U+0085) in field 3");
	FAILS(HDR "1,Amy\t,Lee,x\n", "t.csv:2:6: a tab character in field 2");
	FAILS(HDR "1,Amy\r,Lee,x\n",
	      "t.csv:2:6: a carriage return (CR) not followed by a line feed; lines end in LF or CR LF");
	FAILS(HDR "1,\"Amy\r\",Lee,x\n",
	      "t.csv:2:7: a carriage return (CR) not followed by a line feed; lines end in LF or CR LF");
	FAILS(HDR "1,Amy,Lee,x\r", "t.csv:2:12: a carriage return (CR) not followed by a line feed; lines end in LF or CR LF");
}

static void overlong_fields(void **state)
{
	/* one byte over, ended by a comma; then a line far longer than the read buffer, never ended */
	size_t sizes[] = {RECORDS_CSV_FIELD_MAX + 1, 3u << 20};
	for (int quoted = 0; quoted < 2; quoted++)
		for (size_t s = 0; s < 2; s++) {
			size_t n = strlen(HDR) + sizes[s] + 64;
			char *text = malloc(n);
			assert_non_null(text);
			int k = snprintf(text, n, HDR "1,a,b,c\n2,%s", quoted ? "\"" : "");
			memset(text + k, 'x', sizes[s]);
			size_t len = (size_t)k + sizes[s];
			if (s == 0)
				len += (size_t)snprintf(text + len, n - len, "%s,b,c\n", quoted ? "\"" : "");
			char want[200];
			snprintf(want, sizeof want, "t.csv:3:3: field 2 is longer than %d bytes%s", RECORDS_CSV_FIELD_MAX,
				 s == 1 && quoted ? " (is a closing quote missing?)" : "");
			fails(text, len, want);
			free(text);
		}
}

static void empty_record_id(void **state)
{
	FAILS(HDR "1,a,b,c\n,Amy,Lee,2010-01-01\n", "t.csv:3:1: record_id is empty");
	FAILS("given_name,family_name,dob,record_id\nAmy,Lee,2010-01-01,\"\"\n", "t.csv:2:20: record_id is empty");
}

/* ---- Streaming ---- */

/* 200,000 rows through a real file: rows cross the read buffer's edges, lines stay right. */
static void many_rows_and_an_error_far_in(void **state)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	fputs("record_id,given_name,family_name,dob,address\n", f);
	for (int i = 1; i <= 200000; i++)
		fprintf(f, "r%d,Given%d,\"Family, %d\",2010-01-01,\"%d \"\"The\"\" Street\"\r\n", i, i, i, i);
	rewind(f);
	struct got g = {0};
	char err[200] = "";
	assert_int_equal(records_csv_read(f, "big.csv", collect, &g, err, sizeof err), 0);
	assert_int_equal(g.total, 200000);
	assert_int_equal(g.last_line, 200001);
	assert_string_equal(g.family[63], "Family, 64");

	/* the same file with an invalid byte on line 150,001 */
	fseek(f, 0, SEEK_END);
	rewind(f);
	FILE *h = tmpfile();
	assert_non_null(h);
	int c, line = 1;
	while ((c = fgetc(f)) != EOF) {
		fputc(c, h);
		if (c == '\n' && ++line == 150001)
			fputs("r0,\xFF", h);
	}
	rewind(h);
	memset(&g, 0, sizeof g);
	assert_int_equal(records_csv_read(h, "big.csv", collect, &g, err, sizeof err), -1);
	assert_string_equal(err, "big.csv:150001:4: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
	assert_int_equal(g.total, 149999);
	fclose(h);
	fclose(f);
}

/* ---- The general reader: line breaks inside quotes, and positions in multi-line rows ---- */

struct rows {
	size_t n;
	char text[16][128]; /* fields joined with '|' */
	unsigned long line[16];
};

static int keep_row(const struct csv_strict_row *row, void *ctx)
{
	struct rows *r = ctx;
	if (r->n >= 16)
		return 0;
	size_t used = 0;
	for (size_t i = 0; i < row->n; i++)
		used += (size_t)snprintf(r->text[r->n] + used, sizeof r->text[0] - used, "%s%s", i ? "|" : "",
					 row->field[i]);
	r->line[r->n++] = row->line;
	return 0;
}

static int strict(const char *text, unsigned flags, struct rows *r, char *err, size_t errsz)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	int rc = csv_strict_read(f, "g.csv", 64, flags, keep_row, r, err, errsz);
	fclose(f);
	return rc;
}

static void line_breaks_in_quotes(void **state)
{
	struct rows r = {0};
	char err[200] = "";
	assert_int_equal(strict("a,b\n\"x\ny\",2\r\n3,\"p\r\n\r\nq\"\n5,6\n", CSV_STRICT_BREAKS, &r, err, sizeof err), 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.text[1], "x\ny|2");
	assert_int_equal(r.line[1], 2);
	assert_string_equal(r.text[2], "3|p\r\n\r\nq");
	assert_int_equal(r.line[2], 4);
	assert_string_equal(r.text[3], "5|6");
	assert_int_equal(r.line[3], 7);

	/* an error on the third line of a row that starts on line 2 */
	memset(&r, 0, sizeof r);
	assert_int_equal(strict("a,b\n1,\"x\ny\nzé\xFF\"\n", CSV_STRICT_BREAKS, &r, err, sizeof err), -1);
	assert_string_equal(err, "g.csv:4:3: invalid UTF-8 (byte 0xFF); the file must be UTF-8");
	assert_int_equal(strict("a,b\n1,\"x\ny\nz\"\n1\n", CSV_STRICT_BREAKS, &r, err, sizeof err), -1);
	assert_string_equal(err, "g.csv:5:2: the row has 1 field, the header 2");
	assert_int_equal(strict("a,b\n1,\"x\ny\nz\",3\n", CSV_STRICT_BREAKS, &r, err, sizeof err), -1);
	assert_string_equal(err, "g.csv:4:4: the row has more fields than the header's 2");
	assert_int_equal(strict("a,b\n1,\"x\n\ny", CSV_STRICT_BREAKS, &r, err, sizeof err), -1);
	assert_string_equal(err, "g.csv:2:3: a quoted field is never closed (unbalanced quote)");
	/* tabs only when asked for */
	assert_int_equal(strict("a,b\n1,\t\n", 0, &r, err, sizeof err), -1);
	assert_string_equal(err, "g.csv:2:3: a tab character in field 2");
	memset(&r, 0, sizeof r);
	assert_int_equal(strict("a,b\n1,\t\n", CSV_STRICT_TABS, &r, err, sizeof err), 0);
	assert_string_equal(r.text[1], "1|\t");
	/* a field limit past what the reader allows */
	FILE *f = fmemopen((void *)"a\n", 2, "r");
	assert_int_equal(csv_strict_read(f, "g.csv", CSV_STRICT_FIELD_LIMIT + 1, 0, keep_row, &r, err, sizeof err), -1);
	fclose(f);
	assert_non_null(strstr(err, "past the limit"));
}

static void too_many_columns(void **state)
{
	char text[2048];
	size_t n = 0;
	for (int i = 0; i <= CSV_STRICT_COLUMNS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%sc", i ? "," : "");
	snprintf(text + n, sizeof text - n, "\n");
	struct rows r = {0};
	char err[200];
	assert_int_equal(strict(text, 0, &r, err, sizeof err), -1);
	char want[100];
	snprintf(want, sizeof want, "g.csv:1:%d: more than %d fields in a row", 2 * CSV_STRICT_COLUMNS_MAX + 1,
		 CSV_STRICT_COLUMNS_MAX);
	assert_string_equal(err, want);
}

/* ---- csv-spectrum: every case read as its JSON says ---- */

struct spectrum {
	json_t *rows; /* array of arrays of strings, the header first */
};

static int to_json(const struct csv_strict_row *row, void *ctx)
{
	struct spectrum *s = ctx;
	json_t *a = json_array();
	for (size_t i = 0; i < row->n; i++)
		json_array_append_new(a, json_stringn(row->field[i], row->len[i]));
	json_array_append_new(s->rows, a);
	return 0;
}

static void csv_spectrum(void **state)
{
	const char *shared = getenv("SHARED") && *getenv("SHARED") ? getenv("SHARED") : "../shared";
	char dir[512], path[1024], jpath[1024];
	snprintf(dir, sizeof dir, "%s/testdata/csv-spectrum/csvs", shared);
	DIR *d = opendir(dir);
	/* csv-spectrum lives outside the repository: a clone without it still passes, and says what it did not
	 * run (scripts/run-unit.sh collects the "skipped suite" lines). */
	if (!d && errno == ENOENT) {
		print_message("skipped suite csv-spectrum: %s not found (set SHARED to the shared directory)\n", dir);
		skip();
	}
	if (!d)
		fail_msg("cannot open %s: %s", dir, strerror(errno));
	struct dirent *e;
	int cases = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(jpath, sizeof jpath, "%s/testdata/csv-spectrum/json/%.*s.json", shared, (int)(len - 4), e->d_name);
		json_error_t jerr;
		json_t *want = json_load_file(jpath, 0, &jerr);
		if (!want)
			fail_msg("%s: %s", jpath, jerr.text);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		struct spectrum s = {json_array()};
		char err[300] = "";
		int rc = csv_strict_read(f, e->d_name, 1024, CSV_STRICT_BREAKS, to_json, &s, err, sizeof err);
		fclose(f);
		if (rc != 0)
			fail_msg("%s: %s", e->d_name, err);
		/* the JSON is one object per data row, keyed by the header */
		json_t *header = json_array_get(s.rows, 0);
		assert_non_null(header);
		if (json_array_size(s.rows) - 1 != json_array_size(want))
			fail_msg("%s: %zu rows, expected %zu", e->d_name, json_array_size(s.rows) - 1, json_array_size(want));
		for (size_t i = 0; i < json_array_size(want); i++) {
			json_t *obj = json_array_get(want, i), *row = json_array_get(s.rows, i + 1);
			assert_int_equal(json_object_size(obj), json_array_size(header));
			for (size_t k = 0; k < json_array_size(header); k++) {
				const char *key = json_string_value(json_array_get(header, k));
				json_t *w = json_object_get(obj, key);
				if (!w)
					fail_msg("%s: no key \"%s\" in the expected row %zu", e->d_name, key, i);
				if (!json_equal(w, json_array_get(row, k)))
					fail_msg("%s: row %zu \"%s\" is \"%s\", expected \"%s\"", e->d_name, i, key,
						 json_string_value(json_array_get(row, k)), json_string_value(w));
			}
		}
		json_decref(s.rows);
		json_decref(want);
		cases++;
	}
	closedir(d);
	assert_int_equal(cases, 11); /* every case of csv-spectrum b251546 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(column_names),
		cmocka_unit_test(reads_a_well_formed_file),
		cmocka_unit_test(absent_columns_read_as_empty),
		cmocka_unit_test(header_only_is_no_rows),
		cmocka_unit_test(callback_stops_the_read),
		cmocka_unit_test(field_of_exactly_the_maximum),
		cmocka_unit_test(unbalanced_quotes),
		cmocka_unit_test(wrong_field_counts),
		cmocka_unit_test(header_errors),
		cmocka_unit_test(invalid_utf8),
		cmocka_unit_test(control_characters),
		cmocka_unit_test(overlong_fields),
		cmocka_unit_test(empty_record_id),
		cmocka_unit_test(many_rows_and_an_error_far_in),
		cmocka_unit_test(line_breaks_in_quotes),
		cmocka_unit_test(too_many_columns),
		cmocka_unit_test(csv_spectrum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
