/*
 * libFuzzer target for io/csv_strict and io/records_csv: any bytes as a CSV file. The first byte chooses the
 * reader: 0 records_csv_read; 1 csv_strict_read with line breaks and tabs allowed; 2 csv_strict_read with a
 * 16-byte field limit (to reach the length checks with small inputs).
 * Invariants: the read returns 0 or -1; an error reads "fuzz.csv:LINE:COLUMN: message" with LINE within the
 * input's lines, COLUMN at least 1 and no longer than the input, and a message free of control characters;
 * every row delivered has NUL-terminated fields of the stated length that are valid UTF-8 without control
 * characters (but those allowed), as many as the header, on non-decreasing lines within the input; a
 * record has a non-empty record_id.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_strict.h"
#include "io/records_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	unsigned long lines, last_line;
	size_t ncols, rows;
	unsigned flags;
};

/* Valid UTF-8 with no control character but those flags allow: decoded here independently of the reader. */
static bool clean(const unsigned char *s, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n;) {
		uint32_t c = s[i];
		size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
		if (k == 9 || i + k >= n + (k == 0))
			return false;
		if (k)
			c &= 0x3F >> k;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (s[i + j] & 0x3F);
		}
		static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
		if (c < least[k] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
			return false;
		bool ctl = c < 0x20 || (c >= 0x7F && c <= 0x9F);
		if (ctl && !(c == '\t' && (flags & CSV_STRICT_TABS)) &&
		    !((c == '\n' || c == '\r') && (flags & CSV_STRICT_BREAKS)))
			return false;
		i += k + 1;
	}
	return true;
}

static int on_record(const struct records_csv_row *row, void *ctx)
{
	struct seen *s = ctx;
	assert(row->len[RC_RECORD_ID] > 0);
	for (int c = 0; c < RC_NCOL; c++) {
		assert(strlen(row->field[c]) == row->len[c]);
		assert(row->len[c] <= RECORDS_CSV_FIELD_MAX);
		assert(clean((const unsigned char *)row->field[c], row->len[c], 0));
	}
	assert(row->line >= 2 && row->line <= s->lines && row->line > s->last_line);
	s->last_line = row->line;
	s->rows++;
	return 0;
}

static int on_row(const struct csv_strict_row *row, void *ctx)
{
	struct seen *s = ctx;
	if (row->index == 0)
		s->ncols = row->n;
	assert(row->index == s->rows);
	assert(row->n == s->ncols && row->n >= 1 && row->n <= CSV_STRICT_COLUMNS_MAX);
	for (size_t i = 0; i < row->n; i++) {
		assert(strlen(row->field[i]) == row->len[i]);
		assert(clean((const unsigned char *)row->field[i], row->len[i], s->flags));
	}
	assert(row->line >= 1 && row->line <= s->lines && (row->index == 0 || row->line > s->last_line));
	s->last_line = row->line;
	s->rows++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int which = data[0] % 3;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	struct seen s = {.lines = 1};
	for (size_t i = 0; i < len; i++)
		s.lines += buf[i] == '\n';
	char err[300];
	/* fmemopen needs a buffer of at least one byte */
	FILE *f = len ? fmemopen((void *)buf, len, "r") : fopen("/dev/null", "r");
	assert(f);
	int rc;
	if (which == 0) {
		rc = records_csv_read(f, "fuzz.csv", on_record, &s, err, sizeof err);
	} else {
		s.flags = which == 1 ? CSV_STRICT_BREAKS | CSV_STRICT_TABS : 0;
		rc = csv_strict_read(f, "fuzz.csv", which == 1 ? 1024 : 16, s.flags, on_row, &s, err, sizeof err);
	}
	fclose(f);
	assert(rc == 0 || rc == -1);
	if (rc == -1) {
		unsigned long line = 0, col = 0;
		int used = 0;
		assert(sscanf(err, "fuzz.csv:%lu:%lu: %n", &line, &col, &used) == 2 && used > 0);
		assert(line >= 1 && line <= s.lines);
		assert(col >= 1 && col <= len + 1);
		assert(err[used] != '\0');
		for (const char *c = err; *c; c++)
			assert((unsigned char)*c >= 0x20 && *c != 0x7F);
	}
	return 0;
}
