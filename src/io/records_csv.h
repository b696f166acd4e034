/*
 * io/records_csv.h — the input of `safeguard link`: one person record a row, read strictly from a CSV file
 * (io/csv_strict.h does the CSV; this file the columns of a record).
 *
 * Columns: a header row naming them, in any order, extra columns ignored:
 *   record_id, source, given_name, middle_names, family_name, dob, sex, postcode, address, nhs_number, upn.
 * Required in the header: record_id, given_name, family_name and dob (what every agency holds); the others
 * may be absent, and then read as "". Names are matched exactly (lower case, no spaces around them); a
 * column named twice in the header is an error.
 * Values: any field may be empty except record_id; nothing is interpreted here (a date of birth or an NHS
 * number is passed on as written: judging values is the linkage core's work). Uniqueness of record_id is
 * the caller's to check.
 *
 * Errors stop the read with "PATH:LINE:COLUMN: message": LINE the 1-based physical line, COLUMN 1-based in
 * characters (Unicode code points) from the start of that line. Everything csv_strict.h refuses is refused
 * (unbalanced quotes, wrong field counts, invalid UTF-8, control characters, over-long fields, a lone CR);
 * here moreover no field may hold a tab or a line break (even quoted), a header must name the required
 * columns once each, and record_id must not be empty. A UTF-8 byte order mark at the start is skipped;
 * LF and CR LF line ends are both accepted; blank lines are skipped.
 *
 * Streaming: rows are handed to the callback one at a time from a fixed buffer; nothing is kept.
 */
#ifndef SAFEGUARD_IO_RECORDS_CSV_H
#define SAFEGUARD_IO_RECORDS_CSV_H

#include <stddef.h>
#include <stdio.h>

enum { RC_RECORD_ID, RC_SOURCE, RC_GIVEN_NAME, RC_MIDDLE_NAMES, RC_FAMILY_NAME, RC_DOB, RC_SEX,
       RC_POSTCODE, RC_ADDRESS, RC_NHS_NUMBER, RC_UPN, RC_NCOL };

/* "record_id" ... "upn"; NULL when col is not one of the RC_ values. */
const char *records_csv_column_name(int col);

struct records_csv_row {
	const char *field[RC_NCOL]; /* NUL-terminated, valid UTF-8, "" when empty or column absent;
	                               valid only during the callback */
	size_t len[RC_NCOL];
	unsigned long line;         /* 1-based physical line where the record starts */
};

typedef int (*records_csv_fn)(const struct records_csv_row *row, void *ctx); /* non-zero stops */

/* Reads the whole stream. Returns 0, the callback's non-zero value, or -1 with err holding
 * "PATH:LINE:COLUMN: message" (COLUMN 1-based, in characters: see above). */
int records_csv_read(FILE *f, const char *path, records_csv_fn fn, void *ctx, char *err, size_t errsz);

#define RECORDS_CSV_FIELD_MAX 1024 /* bytes; longer is an error */

#endif
