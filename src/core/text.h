/*
 * core/text.h — text checks and the normalisation of names for deterministic matching.
 *
 * Pure: no I/O, no allocation, no locale.
 */
#ifndef SAFEGUARD_CORE_TEXT_H
#define SAFEGUARD_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8 of exactly len bytes (no overlongs, no surrogates, nothing above U+10FFFF). */
bool text_utf8_valid(const char *s, size_t len);

/* Number of Unicode code points in valid UTF-8 (for length limits stated in characters). */
size_t text_utf8_length(const char *s, size_t len);

/* True when the text holds a C0 control character other than tab, CR or LF, or DEL. */
bool text_has_controls(const char *s, size_t len);

/*
 * A name folded for matching: lower case; Latin letters with accents folded to their base letter
 * (é -> e, ß -> ss, ø -> o, æ -> ae, Polish ł -> l, ...); apostrophes and hyphens dropped ("O'Neil-Smith" ->
 * "oneilsmith"); any other punctuation and runs of white space become one space; no leading or
 * trailing space. Other scripts are kept as their UTF-8 bytes. Writes at most outsz bytes including
 * the NUL; returns the length written, or -1 when out is too small (out then holds a truncated prefix).
 * Digits are kept. Malformed UTF-8 bytes become U+FFFD each, so the result is always valid UTF-8, and a
 * truncated prefix ends on a whole character. -1 also when in or out is NULL or outsz is 0.
 */
int text_name_fold(const char *in, char *out, size_t outsz);

#endif
