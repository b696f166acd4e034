#include "io/records_csv.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "io/csv_strict.h"

static const char *const names[RC_NCOL] = {
	"record_id", "source", "given_name", "middle_names", "family_name", "dob",
	"sex", "postcode", "address", "nhs_number", "upn",
};

/* What every agency holds; the rest may be missing from a file. */
static const bool required[RC_NCOL] = {
	[RC_RECORD_ID] = true, [RC_GIVEN_NAME] = true, [RC_FAMILY_NAME] = true, [RC_DOB] = true,
};

const char *records_csv_column_name(int col)
{
	return col >= 0 && col < RC_NCOL ? names[col] : NULL;
}

struct reader {
	size_t pos[RC_NCOL]; /* the header's column of each RC_ field, SIZE_MAX when absent */
	records_csv_fn fn;
	void *ctx;
};

/* Up to 40 bytes of a header name, cut on a character boundary (names are valid UTF-8 here). */
static int shown(const char *s, size_t len)
{
	size_t n = len < 40 ? len : 40;
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static int header(struct reader *rd, const struct csv_strict_row *row)
{
	for (int c = 0; c < RC_NCOL; c++)
		rd->pos[c] = SIZE_MAX;
	for (size_t i = 0; i < row->n; i++) {
		if (!row->len[i])
			continue;
		for (size_t k = 0; k < i; k++)
			if (row->len[k] == row->len[i] && memcmp(row->field[k], row->field[i], row->len[i]) == 0)
				return csv_strict_fail(row, i, "column \"%.*s\" is named twice in the header",
						       shown(row->field[i], row->len[i]), row->field[i]);
		for (int c = 0; c < RC_NCOL; c++)
			if (strcmp(row->field[i], names[c]) == 0)
				rd->pos[c] = i;
	}
	for (int c = 0; c < RC_NCOL; c++)
		if (required[c] && rd->pos[c] == SIZE_MAX)
			return csv_strict_fail(row, row->n,
					       "the header has no column \"%s\" (required: record_id, given_name, "
					       "family_name, dob)", names[c]);
	return 0;
}

static int on_row(const struct csv_strict_row *row, void *ctx)
{
	struct reader *rd = ctx;
	if (row->index == 0)
		return header(rd, row);
	struct records_csv_row out;
	for (int c = 0; c < RC_NCOL; c++) {
		size_t i = rd->pos[c];
		out.field[c] = i == SIZE_MAX ? "" : row->field[i];
		out.len[c] = i == SIZE_MAX ? 0 : row->len[i];
	}
	if (!out.len[RC_RECORD_ID])
		return csv_strict_fail(row, rd->pos[RC_RECORD_ID], "record_id is empty");
	out.line = row->line;
	return rd->fn(&out, rd->ctx);
}

int records_csv_read(FILE *f, const char *path, records_csv_fn fn, void *ctx, char *err, size_t errsz)
{
	struct reader rd = {.fn = fn, .ctx = ctx};
	return csv_strict_read(f, path, RECORDS_CSV_FIELD_MAX, 0, on_row, &rd, err, errsz);
}
