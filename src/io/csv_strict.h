/*
 * io/csv_strict.h — a strict, streaming CSV reader on top of libcsv: every row of a file with a header row,
 * delivered as NUL-terminated fields, and every malformed input stopped with "PATH:LINE:COLUMN: message".
 *
 * What is accepted (RFC 4180, and what spreadsheets write):
 *   - comma-separated fields, quoted with '"' where needed, a quote inside a quoted field written twice;
 *   - spaces are part of a field (RFC 4180), so nothing may follow a closing quote but ',' or the line end;
 *   - LF or CRLF line ends (a CR not followed by LF is refused, inside quotes too); a UTF-8 byte order mark
 *     at the very start is skipped; blank lines (including a blank last line) are skipped;
 *   - the first row that is not blank is the header; every later row has as many fields as the header;
 *   - every field is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) with no
 *     control character (U+0000-U+001F, U+007F, U+0080-U+009F), except TAB with CSV_STRICT_TABS and CR LF
 *     / LF inside a quoted field with CSV_STRICT_BREAKS;
 *   - a field is at most field_max bytes (after unquoting) and a row at most CSV_STRICT_COLUMNS_MAX fields.
 *
 * Positions: LINE is the 1-based physical line; COLUMN counts characters (Unicode code points, each invalid
 * byte as one; a tab is one), 1-based from the start of that line, not counting a byte order mark. An error
 * about a field points at the offending character when there is one (a bad byte, the first extra field), at
 * the field's first character (its opening quote when quoted) otherwise.
 *
 * Memory: one read buffer and one row store, both sized from field_max when the read starts; nothing is
 * allocated per row. The input is read in blocks with fread (a pipe is fine); it is never held whole.
 */
#ifndef SAFEGUARD_IO_CSV_STRICT_H
#define SAFEGUARD_IO_CSV_STRICT_H

#include <stddef.h>
#include <stdio.h>

#define CSV_STRICT_COLUMNS_MAX 256
#define CSV_STRICT_FIELD_LIMIT (1u << 20) /* the largest field_max accepted */

/* Flags for csv_strict_read. */
#define CSV_STRICT_BREAKS 1u /* a quoted field may hold line breaks (LF or CR LF, kept as they are) */
#define CSV_STRICT_TABS   2u /* a field may hold TAB */

struct csv_strict; /* the reader while a read is in progress */

struct csv_strict_row {
	const char *const *field; /* n NUL-terminated fields, valid only during the callback */
	const size_t *len;        /* their lengths in bytes */
	size_t n;                 /* as many as the header has (the header itself included) */
	size_t index;             /* 0 for the header, then 1, 2, ... for the data rows */
	unsigned long line;       /* 1-based physical line where the row starts */
	struct csv_strict *reader;
};

/* Called for every row, the header first. Non-zero stops the read, which returns that value. */
typedef int (*csv_row_fn)(const struct csv_strict_row *row, void *ctx);

/*
 * Reads the whole stream f (named path in messages). Returns 0 when every row was read, the callback's
 * non-zero value when it stopped the read, or -1 with err holding "PATH:LINE:COLUMN: message" (or
 * "PATH: message" for a read error). An empty file (no header row) is an error. err is always
 * NUL-terminated when errsz > 0; messages are printable and quote no more than a header name.
 */
int csv_strict_read(FILE *f, const char *path, size_t field_max, unsigned flags, csv_row_fn fn, void *ctx,
		    char *err, size_t errsz);

/*
 * For a callback: reports an error about field i of row (i == row->n or more: about the row as a whole, at
 * its first character) as "PATH:LINE:COLUMN: message" at the field's first character. Returns -1, which the
 * callback returns to stop the read with that error.
 */
int csv_strict_fail(const struct csv_strict_row *row, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
