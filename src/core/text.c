/*
 * core/text.c — UTF-8 checks and name folding (see text.h).
 *
 * The accent folding is a hand-written table rather than a library: on Debian the choices are ICU
 * (a large dependency and collation weights we do not want in a match key), iconv's //TRANSLIT (depends on
 * the process locale and differs between glibc versions, so two servers could fold one name two ways) or
 * utf8proc (decomposes and strips marks, but leaves ø, ł, æ, đ and þ alone: they have no decomposition).
 * Names in English records come overwhelmingly from Latin-1 and Latin Extended-A, so a table over those
 * two blocks, plus the Romanian comma-below letters, covers what a match key needs and is the same on
 * every machine.
 */
#include "core/text.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* ---- UTF-8 --------------------------------------------------------------------------------------- */

/*
 * Decodes one well-formed sequence at s (len > 0 bytes available). Returns its length and stores the code
 * point, or 0 when the bytes there are not well-formed UTF-8 (Unicode 15, table 3-7: no overlongs, no
 * surrogates D800-DFFF, nothing above 10FFFF).
 */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t n;
	uint32_t c, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xC2 && b <= 0xDF) {
		n = 2, c = b & 0x1F, min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3, c = b & 0x0F, min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4, c = b & 0x07, min = 0x10000;
	} else {
		return 0; /* continuation byte, C0/C1 (always overlong) or F5-FF */
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	if (!s)
		return len == 0;
	while (len > 0) {
		size_t n = utf8_decode(p, len, &cp);
		if (n == 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

/* Counts the bytes that start a sequence; for invalid UTF-8 the count is defined but means little. */
size_t text_utf8_length(const char *s, size_t len)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

bool text_has_controls(const char *s, size_t len)
{
	if (!s)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
			return true;
	}
	return false;
}

/* ---- Name folding -------------------------------------------------------------------------------- */

/* What a code point becomes in a folded name. */
enum fold_kind {
	FOLD_KEEP, /* copied as it is (other scripts) */
	FOLD_TO,   /* replaced by the ASCII string in the table */
	FOLD_DROP, /* removed without a trace: apostrophes, hyphens, combining accents, invisible marks */
	FOLD_SPACE /* a separator: white space, punctuation, symbols, controls */
};

struct fold_range {
	uint32_t first, last;
	enum fold_kind kind;
	const char *to; /* for FOLD_TO */
};

/* Sorted by first; code points in no range are FOLD_KEEP. ASCII is handled in fold_ascii(). */
static const struct fold_range fold_table[] = {
	{0x0080, 0x009F, FOLD_SPACE, NULL}, /* C1 controls */
	{0x00A0, 0x00AC, FOLD_SPACE, NULL}, /* no-break space, ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ */
	{0x00AD, 0x00AD, FOLD_DROP, NULL},  /* soft hyphen */
	{0x00AE, 0x00B3, FOLD_SPACE, NULL}, /* ® ¯ ° ± ² ³ */
	{0x00B4, 0x00B4, FOLD_DROP, NULL},  /* ´ typed for an apostrophe: "O´Neil" */
	{0x00B5, 0x00BF, FOLD_SPACE, NULL}, /* µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿ */
	{0x00C0, 0x00C5, FOLD_TO, "a"},     /* À Á Â Ã Ä Å */
	{0x00C6, 0x00C6, FOLD_TO, "ae"},    /* Æ */
	{0x00C7, 0x00C7, FOLD_TO, "c"},     /* Ç */
	{0x00C8, 0x00CB, FOLD_TO, "e"},     /* È É Ê Ë */
	{0x00CC, 0x00CF, FOLD_TO, "i"},     /* Ì Í Î Ï */
	{0x00D0, 0x00D0, FOLD_TO, "d"},     /* Ð */
	{0x00D1, 0x00D1, FOLD_TO, "n"},     /* Ñ */
	{0x00D2, 0x00D6, FOLD_TO, "o"},     /* Ò Ó Ô Õ Ö */
	{0x00D7, 0x00D7, FOLD_SPACE, NULL}, /* × */
	{0x00D8, 0x00D8, FOLD_TO, "o"},     /* Ø */
	{0x00D9, 0x00DC, FOLD_TO, "u"},     /* Ù Ú Û Ü */
	{0x00DD, 0x00DD, FOLD_TO, "y"},     /* Ý */
	{0x00DE, 0x00DE, FOLD_TO, "th"},    /* Þ */
	{0x00DF, 0x00DF, FOLD_TO, "ss"},    /* ß */
	{0x00E0, 0x00E5, FOLD_TO, "a"},     /* à á â ã ä å */
	{0x00E6, 0x00E6, FOLD_TO, "ae"},    /* æ */
	{0x00E7, 0x00E7, FOLD_TO, "c"},     /* ç */
	{0x00E8, 0x00EB, FOLD_TO, "e"},     /* è é ê ë */
	{0x00EC, 0x00EF, FOLD_TO, "i"},     /* ì í î ï */
	{0x00F0, 0x00F0, FOLD_TO, "d"},     /* ð */
	{0x00F1, 0x00F1, FOLD_TO, "n"},     /* ñ */
	{0x00F2, 0x00F6, FOLD_TO, "o"},     /* ò ó ô õ ö */
	{0x00F7, 0x00F7, FOLD_SPACE, NULL}, /* ÷ */
	{0x00F8, 0x00F8, FOLD_TO, "o"},     /* ø */
	{0x00F9, 0x00FC, FOLD_TO, "u"},     /* ù ú û ü */
	{0x00FD, 0x00FD, FOLD_TO, "y"},     /* ý */
	{0x00FE, 0x00FE, FOLD_TO, "th"},    /* þ */
	{0x00FF, 0x00FF, FOLD_TO, "y"},     /* ÿ */
	{0x0100, 0x0105, FOLD_TO, "a"},     /* Ā ā Ă ă Ą ą */
	{0x0106, 0x010D, FOLD_TO, "c"},     /* Ć ć Ĉ ĉ Ċ ċ Č č */
	{0x010E, 0x0111, FOLD_TO, "d"},     /* Ď ď Đ đ */
	{0x0112, 0x011B, FOLD_TO, "e"},     /* Ē ē Ĕ ĕ Ė ė Ę ę Ě ě */
	{0x011C, 0x0123, FOLD_TO, "g"},     /* Ĝ ĝ Ğ ğ Ġ ġ Ģ ģ */
	{0x0124, 0x0127, FOLD_TO, "h"},     /* Ĥ ĥ Ħ ħ */
	{0x0128, 0x0131, FOLD_TO, "i"},     /* Ĩ ĩ Ī ī Ĭ ĭ Į į İ ı */
	{0x0132, 0x0133, FOLD_TO, "ij"},    /* Ĳ ĳ */
	{0x0134, 0x0135, FOLD_TO, "j"},     /* Ĵ ĵ */
	{0x0136, 0x0138, FOLD_TO, "k"},     /* Ķ ķ ĸ */
	{0x0139, 0x0142, FOLD_TO, "l"},     /* Ĺ ĺ Ļ ļ Ľ ľ Ŀ ŀ Ł ł */
	{0x0143, 0x0149, FOLD_TO, "n"},     /* Ń ń Ņ ņ Ň ň ŉ */
	{0x014A, 0x014B, FOLD_TO, "ng"},    /* Ŋ ŋ */
	{0x014C, 0x0151, FOLD_TO, "o"},     /* Ō ō Ŏ ŏ Ő ő */
	{0x0152, 0x0153, FOLD_TO, "oe"},    /* Œ œ */
	{0x0154, 0x0159, FOLD_TO, "r"},     /* Ŕ ŕ Ŗ ŗ Ř ř */
	{0x015A, 0x0161, FOLD_TO, "s"},     /* Ś ś Ŝ ŝ Ş ş Š š */
	{0x0162, 0x0167, FOLD_TO, "t"},     /* Ţ ţ Ť ť Ŧ ŧ */
	{0x0168, 0x0173, FOLD_TO, "u"},     /* Ũ ũ Ū ū Ŭ ŭ Ů ů Ű ű Ų ų */
	{0x0174, 0x0175, FOLD_TO, "w"},     /* Ŵ ŵ */
	{0x0176, 0x0178, FOLD_TO, "y"},     /* Ŷ ŷ Ÿ */
	{0x0179, 0x017E, FOLD_TO, "z"},     /* Ź ź Ż ż Ž ž */
	{0x017F, 0x017F, FOLD_TO, "s"},     /* ſ */
	{0x0218, 0x0219, FOLD_TO, "s"},     /* Ș ș (Romanian) */
	{0x021A, 0x021B, FOLD_TO, "t"},     /* Ț ț (Romanian) */
	{0x02BB, 0x02BC, FOLD_DROP, NULL},  /* ʻ ʼ modifier letters used as apostrophes */
	{0x0300, 0x036F, FOLD_DROP, NULL},  /* combining accents: decomposed input folds as composed */
	{0x2000, 0x200A, FOLD_SPACE, NULL}, /* typographic spaces */
	{0x200B, 0x200F, FOLD_DROP, NULL},  /* zero-width space, joiners, direction marks */
	{0x2010, 0x2011, FOLD_DROP, NULL},  /* hyphen, non-breaking hyphen */
	{0x2012, 0x2017, FOLD_SPACE, NULL}, /* dashes */
	{0x2018, 0x2019, FOLD_DROP, NULL},  /* ‘ ’ typographic apostrophes */
	{0x201A, 0x201A, FOLD_SPACE, NULL}, /* ‚ */
	{0x201B, 0x201B, FOLD_DROP, NULL},  /* ‛ */
	{0x201C, 0x2029, FOLD_SPACE, NULL}, /* quotes, bullets, line and paragraph separators */
	{0x202A, 0x202E, FOLD_DROP, NULL},  /* direction embeddings */
	{0x202F, 0x205F, FOLD_SPACE, NULL}, /* narrow no-break space, other punctuation */
	{0x2060, 0x206F, FOLD_DROP, NULL},  /* word joiner, invisible operators */
	{0x2212, 0x2212, FOLD_DROP, NULL},  /* minus sign typed for a hyphen */
	{0x3000, 0x3000, FOLD_SPACE, NULL}, /* ideographic space */
	{0xFEFF, 0xFEFF, FOLD_DROP, NULL},  /* byte order mark */
};

static const struct fold_range *fold_lookup(uint32_t cp)
{
	size_t lo = 0, hi = sizeof fold_table / sizeof fold_table[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < fold_table[mid].first)
			hi = mid;
		else if (cp > fold_table[mid].last)
			lo = mid + 1;
		else
			return &fold_table[mid];
	}
	return NULL;
}

/* ASCII: letters lowered, digits kept, apostrophes and hyphens dropped, everything else a separator. */
static enum fold_kind fold_ascii(unsigned char c, char *to)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		*to = (char)c;
		return FOLD_TO;
	}
	if (c >= 'A' && c <= 'Z') {
		*to = (char)(c - 'A' + 'a');
		return FOLD_TO;
	}
	/* '`' is what many keyboards and old systems put for an apostrophe ("O`Brien"). */
	if (c == '\'' || c == '-' || c == '`')
		return FOLD_DROP;
	return FOLD_SPACE;
}

/* The writer: whole pieces only, so a truncated result is still valid UTF-8. */
struct fold_out {
	char *buf;
	size_t size, len;
	bool full;
};

/* A pending separator goes out with the piece after it, so a truncated result never ends in a space. */
static void fold_put(struct fold_out *o, bool space, const char *s, size_t n)
{
	if (o->full || n + space >= o->size - o->len) { /* keep one byte for the NUL */
		o->full = true;
		return;
	}
	if (space)
		o->buf[o->len++] = ' ';
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

int text_name_fold(const char *in, char *out, size_t outsz)
{
	static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
	struct fold_out o = {out, outsz, 0, false};
	const unsigned char *p = (const unsigned char *)in;
	size_t left;
	bool space = false; /* a separator is pending: written only before the next letter */

	if (!out || outsz == 0)
		return -1;
	out[0] = '\0';
	if (!in)
		return -1;
	left = strlen(in);
	while (left > 0 && !o.full) {
		uint32_t cp;
		size_t n = utf8_decode(p, left, &cp);
		enum fold_kind kind;
		const char *to = NULL;
		size_t tolen = 0;
		char ascii;

		if (n == 0) {
			/* Malformed bytes: one U+FFFD each keeps the result valid UTF-8 without merging names. */
			n = 1;
			kind = FOLD_TO;
			to = replacement, tolen = 3;
		} else if (cp < 0x80) {
			kind = fold_ascii((unsigned char)cp, &ascii);
			to = &ascii, tolen = 1;
		} else {
			const struct fold_range *r = fold_lookup(cp);
			kind = r ? r->kind : FOLD_KEEP;
			if (kind == FOLD_TO)
				to = r->to, tolen = strlen(r->to);
			else if (kind == FOLD_KEEP)
				to = (const char *)p, tolen = n;
		}
		p += n;
		left -= n;

		if (kind == FOLD_SPACE) {
			space = o.len > 0;
		} else if (kind != FOLD_DROP) {
			fold_put(&o, space, to, tolen);
			space = false;
		}
	}
	out[o.len] = '\0';
	if (o.full || o.len > INT_MAX)
		return -1;
	return (int)o.len;
}
